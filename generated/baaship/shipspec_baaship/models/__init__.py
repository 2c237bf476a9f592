"""Contains all the data models used in inputs/outputs"""

from .cancel_shipment_response import CancelShipmentResponse
from .create_shipment_request import CreateShipmentRequest
from .create_shipment_request_incoterms import CreateShipmentRequestIncoterms
from .create_shipment_response import CreateShipmentResponse
from .error_response import ErrorResponse
from .package import Package
from .package_item import PackageItem
from .receiver import Receiver
from .reverse_package import ReversePackage
from .reverse_package_item import ReversePackageItem
from .reverse_sender import ReverseSender
from .reverse_shipment_request import ReverseShipmentRequest
from .reverse_shipment_response import ReverseShipmentResponse
from .sender import Sender
from .shipment_label import ShipmentLabel
from .shipment_label_response import ShipmentLabelResponse
from .shipment_result import ShipmentResult
from .tracking_event import TrackingEvent
from .tracking_response import TrackingResponse
from .tracking_result import TrackingResult

__all__ = (
    "CancelShipmentResponse",
    "CreateShipmentRequest",
    "CreateShipmentRequestIncoterms",
    "CreateShipmentResponse",
    "ErrorResponse",
    "Package",
    "PackageItem",
    "Receiver",
    "ReversePackage",
    "ReversePackageItem",
    "ReverseSender",
    "ReverseShipmentRequest",
    "ReverseShipmentResponse",
    "Sender",
    "ShipmentLabel",
    "ShipmentLabelResponse",
    "ShipmentResult",
    "TrackingEvent",
    "TrackingResponse",
    "TrackingResult",
)
