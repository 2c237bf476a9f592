from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_shipment_request_incoterms import CreateShipmentRequestIncoterms
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.package import Package
    from ..models.receiver import Receiver
    from ..models.sender import Sender


T = TypeVar("T", bound="CreateShipmentRequest")


@_attrs_define
class CreateShipmentRequest:
    """Body of POST /createShipment.

    Attributes:
        reference_no (str): Customer-defined order number, unique per customer; a repeat answers 1005. Example:
            TEST190107003.
        product_code (str): Service (product) code, taken from the Product Code table (x-product-codes). Known values:
            BNRTN (reverse) and the COD codes TWYCS-COD, TWFMART-COD, TW711-COD. The examples also use TEST and TESTPRODUCT,
            which appear nowhere else and look like test-environment codes. The full list is not published. Example: BNRTN.
        sender (Sender): Sender of a forward shipment (createShipment).
        receiver (Receiver): Recipient of a forward shipment. country, city, address and postCode are required except in
            store delivery mode, so they are not in `required`; CreateShipmentRequest's x-conditional-required states the
            rule.
        package_list (list[Package]): The parcels of the shipment with their goods. Required by the doc, and an empty
            list is no parcels at all, so at least one is needed (1002 otherwise).
        order_no (str | Unset): Customer order number. Example: OD190107003.
        incoterms (CreateShipmentRequestIncoterms | Unset): Trade terms, one of DDU or DDP. Example: DDU.
        store_id (str | Unset): Store (shop) code. Required in store delivery mode (x-conditional-required). The doc
            says to obtain it from the getShopInfo interface, which the doc does not describe and which was not found
            publicly.
        cod_amount (float | str | Unset): Cash-on-delivery amount for the parcel. Required when productCode is TWYCS-
            COD, TWFMART-COD or TW711-COD. The currency is not documented.
        remark (str | Unset): Delivery remarks for the parcel. Example: Test Remark.
    """

    reference_no: str
    product_code: str
    sender: Sender
    receiver: Receiver
    package_list: list[Package]
    order_no: str | Unset = UNSET
    incoterms: CreateShipmentRequestIncoterms | Unset = UNSET
    store_id: str | Unset = UNSET
    cod_amount: float | str | Unset = UNSET
    remark: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reference_no = self.reference_no

        product_code = self.product_code

        sender = self.sender.to_dict()

        receiver = self.receiver.to_dict()

        package_list = []
        for package_list_item_data in self.package_list:
            package_list_item = package_list_item_data.to_dict()
            package_list.append(package_list_item)

        order_no = self.order_no

        incoterms: str | Unset = UNSET
        if not isinstance(self.incoterms, Unset):
            incoterms = self.incoterms.value

        store_id = self.store_id

        cod_amount: float | str | Unset
        if isinstance(self.cod_amount, Unset):
            cod_amount = UNSET
        else:
            cod_amount = self.cod_amount

        remark = self.remark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "referenceNo": reference_no,
                "productCode": product_code,
                "sender": sender,
                "receiver": receiver,
                "packageList": package_list,
            }
        )
        if order_no is not UNSET:
            field_dict["orderNo"] = order_no
        if incoterms is not UNSET:
            field_dict["incoterms"] = incoterms
        if store_id is not UNSET:
            field_dict["storeId"] = store_id
        if cod_amount is not UNSET:
            field_dict["codAmount"] = cod_amount
        if remark is not UNSET:
            field_dict["remark"] = remark

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.package import Package  # noqa: PLC0415
        from ..models.receiver import Receiver  # noqa: PLC0415
        from ..models.sender import Sender  # noqa: PLC0415

        d = dict(src_dict)
        reference_no = d.pop("referenceNo")

        product_code = d.pop("productCode")

        sender = Sender.from_dict(d.pop("sender"))

        receiver = Receiver.from_dict(d.pop("receiver"))

        package_list = []
        _package_list = d.pop("packageList")
        for package_list_item_data in _package_list:
            package_list_item = Package.from_dict(package_list_item_data)

            package_list.append(package_list_item)

        order_no = d.pop("orderNo", UNSET)

        _incoterms = d.pop("incoterms", UNSET)
        incoterms: CreateShipmentRequestIncoterms | Unset
        if isinstance(_incoterms, Unset):
            incoterms = UNSET
        else:
            incoterms = CreateShipmentRequestIncoterms(_incoterms)

        store_id = d.pop("storeId", UNSET)

        def _parse_cod_amount(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        cod_amount = _parse_cod_amount(d.pop("codAmount", UNSET))

        remark = d.pop("remark", UNSET)

        create_shipment_request = cls(
            reference_no=reference_no,
            product_code=product_code,
            sender=sender,
            receiver=receiver,
            package_list=package_list,
            order_no=order_no,
            incoterms=incoterms,
            store_id=store_id,
            cod_amount=cod_amount,
            remark=remark,
        )

        create_shipment_request.additional_properties = d
        return create_shipment_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
