from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ShipmentResult")


@_attrs_define
class ShipmentResult:
    """A created shipment.

    Attributes:
        waybill (str | Unset): Tracking number. Example: T80000045.
        reference_no (str | Unset): The customer-defined order number of the request. Example: TEST240202005.
        product_code (str | Unset): Service code of the shipment (the examples answer TEST). Example: TEST.
        label_url (str | Unset): URL of the label, a PDF. Example: https://apitest.baaship.com/pdf-
            file/T80000045/3a8df10c-c1ce-11ee-8445-00163e0cad28.pdf.
    """

    waybill: str | Unset = UNSET
    reference_no: str | Unset = UNSET
    product_code: str | Unset = UNSET
    label_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        waybill = self.waybill

        reference_no = self.reference_no

        product_code = self.product_code

        label_url = self.label_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if waybill is not UNSET:
            field_dict["waybill"] = waybill
        if reference_no is not UNSET:
            field_dict["referenceNo"] = reference_no
        if product_code is not UNSET:
            field_dict["productCode"] = product_code
        if label_url is not UNSET:
            field_dict["labelUrl"] = label_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        waybill = d.pop("waybill", UNSET)

        reference_no = d.pop("referenceNo", UNSET)

        product_code = d.pop("productCode", UNSET)

        label_url = d.pop("labelUrl", UNSET)

        shipment_result = cls(
            waybill=waybill,
            reference_no=reference_no,
            product_code=product_code,
            label_url=label_url,
        )

        shipment_result.additional_properties = d
        return shipment_result

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
