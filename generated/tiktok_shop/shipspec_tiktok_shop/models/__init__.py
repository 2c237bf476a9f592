"""Contains all the data models used in inputs/outputs"""

from .access_token_data import AccessTokenData
from .access_token_response import AccessTokenResponse
from .batch_ship_packages_data import BatchShipPackagesData
from .batch_ship_packages_request import BatchShipPackagesRequest
from .batch_ship_packages_response import BatchShipPackagesResponse
from .get_access_token_grant_type import GetAccessTokenGrantType
from .package_ship_error import PackageShipError
from .package_ship_error_detail import PackageShipErrorDetail
from .pickup_slot import PickupSlot
from .refresh_access_token_grant_type import RefreshAccessTokenGrantType
from .self_shipment import SelfShipment
from .ship_package import ShipPackage
from .ship_package_handover_method import ShipPackageHandoverMethod

__all__ = (
    "AccessTokenData",
    "AccessTokenResponse",
    "BatchShipPackagesData",
    "BatchShipPackagesRequest",
    "BatchShipPackagesResponse",
    "GetAccessTokenGrantType",
    "PackageShipError",
    "PackageShipErrorDetail",
    "PickupSlot",
    "RefreshAccessTokenGrantType",
    "SelfShipment",
    "ShipPackage",
    "ShipPackageHandoverMethod",
)
