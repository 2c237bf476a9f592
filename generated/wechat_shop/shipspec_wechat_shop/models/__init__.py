"""Contains all the data models used in inputs/outputs"""

from .access_token_response import AccessTokenResponse
from .delivery_company import DeliveryCompany
from .delivery_company_list_data import DeliveryCompanyListData
from .delivery_package import DeliveryPackage
from .get_access_token_grant_type import GetAccessTokenGrantType
from .get_delivery_company_list_request import GetDeliveryCompanyListRequest
from .get_delivery_company_list_response import GetDeliveryCompanyListResponse
from .product_info import ProductInfo
from .send_delivery_request import SendDeliveryRequest
from .send_delivery_response import SendDeliveryResponse
from .stable_token_request import StableTokenRequest
from .stable_token_request_grant_type import StableTokenRequestGrantType

__all__ = (
    "AccessTokenResponse",
    "DeliveryCompany",
    "DeliveryCompanyListData",
    "DeliveryPackage",
    "GetAccessTokenGrantType",
    "GetDeliveryCompanyListRequest",
    "GetDeliveryCompanyListResponse",
    "ProductInfo",
    "SendDeliveryRequest",
    "SendDeliveryResponse",
    "StableTokenRequest",
    "StableTokenRequestGrantType",
)
