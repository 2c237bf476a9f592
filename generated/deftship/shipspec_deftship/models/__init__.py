"""Contains all the data models used in inputs/outputs"""

from .add_batch_items_request import AddBatchItemsRequest
from .batch import Batch
from .batch_envelope import BatchEnvelope
from .batch_item import BatchItem
from .batch_item_errors_type_0 import BatchItemErrorsType0
from .batch_item_page import BatchItemPage
from .batch_item_shipment_order_type_0 import BatchItemShipmentOrderType0
from .batch_item_status import BatchItemStatus
from .batch_results import BatchResults
from .batch_shipment import BatchShipment
from .batch_shipment_length_unit import BatchShipmentLengthUnit
from .batch_shipment_weight_unit import BatchShipmentWeightUnit
from .batch_status import BatchStatus
from .create_batch_request import CreateBatchRequest
from .customs_details import CustomsDetails
from .customs_details_bill_type import CustomsDetailsBillType
from .customs_details_tax_id_type import CustomsDetailsTaxIdType
from .extra_services import ExtraServices
from .failure_data import FailureData
from .failure_envelope import FailureEnvelope
from .from_address import FromAddress
from .get_batch_status import GetBatchStatus
from .item import Item
from .item_content_type import ItemContentType
from .package import Package
from .package_signature import PackageSignature
from .remove_batch_items_request import RemoveBatchItemsRequest
from .to_address import ToAddress

__all__ = (
    "AddBatchItemsRequest",
    "Batch",
    "BatchEnvelope",
    "BatchItem",
    "BatchItemErrorsType0",
    "BatchItemPage",
    "BatchItemShipmentOrderType0",
    "BatchItemStatus",
    "BatchResults",
    "BatchShipment",
    "BatchShipmentLengthUnit",
    "BatchShipmentWeightUnit",
    "BatchStatus",
    "CreateBatchRequest",
    "CustomsDetails",
    "CustomsDetailsBillType",
    "CustomsDetailsTaxIdType",
    "ExtraServices",
    "FailureData",
    "FailureEnvelope",
    "FromAddress",
    "GetBatchStatus",
    "Item",
    "ItemContentType",
    "Package",
    "PackageSignature",
    "RemoveBatchItemsRequest",
    "ToAddress",
)
