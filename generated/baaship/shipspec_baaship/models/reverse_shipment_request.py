from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reverse_package import ReversePackage
    from ..models.reverse_sender import ReverseSender


T = TypeVar("T", bound="ReverseShipmentRequest")


@_attrs_define
class ReverseShipmentRequest:
    """Body of POST /reverseShipment. There is no receiver block and packageList is one object.

    Attributes:
        reference_no (str): Customer-defined order number, unique per customer; a repeat answers 1005. Example:
            TEST20220123007.
        product_code (str): Service (product) code, taken from the Product Code table (x-product-codes). Known values:
            BNRTN (reverse) and the COD codes TWYCS-COD, TWFMART-COD, TW711-COD. The examples also use TEST and TESTPRODUCT,
            which appear nowhere else and look like test-environment codes. The full list is not published. Example: BNRTN.
        sender (ReverseSender): Sender of a reverse shipment (the party returning the parcel).
        package_list (ReversePackage): The parcel of a reverse shipment. Despite its name, reverseShipment's packageList
            is a single object (table and example agree), unlike createShipment's array.
        order_no (str | Unset): Customer order number. Example: TEST20220123007.
        remark (str | Unset): Delivery remarks for the parcel. Example: Test Remark.
    """

    reference_no: str
    product_code: str
    sender: ReverseSender
    package_list: ReversePackage
    order_no: str | Unset = UNSET
    remark: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reference_no = self.reference_no

        product_code = self.product_code

        sender = self.sender.to_dict()

        package_list = self.package_list.to_dict()

        order_no = self.order_no

        remark = self.remark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "referenceNo": reference_no,
                "productCode": product_code,
                "sender": sender,
                "packageList": package_list,
            }
        )
        if order_no is not UNSET:
            field_dict["orderNo"] = order_no
        if remark is not UNSET:
            field_dict["remark"] = remark

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reverse_package import ReversePackage  # noqa: PLC0415
        from ..models.reverse_sender import ReverseSender  # noqa: PLC0415

        d = dict(src_dict)
        reference_no = d.pop("referenceNo")

        product_code = d.pop("productCode")

        sender = ReverseSender.from_dict(d.pop("sender"))

        package_list = ReversePackage.from_dict(d.pop("packageList"))

        order_no = d.pop("orderNo", UNSET)

        remark = d.pop("remark", UNSET)

        reverse_shipment_request = cls(
            reference_no=reference_no,
            product_code=product_code,
            sender=sender,
            package_list=package_list,
            order_no=order_no,
            remark=remark,
        )

        reverse_shipment_request.additional_properties = d
        return reverse_shipment_request

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
