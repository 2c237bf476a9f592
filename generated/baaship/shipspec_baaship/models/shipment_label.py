from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ShipmentLabel")


@_attrs_define
class ShipmentLabel:
    """A shipment's label.

    Attributes:
        waybill (str | Unset): Tracking number. Example: 70000000366.
        reference_no (str | Unset): Customer reference number. Example: TEST20210923823.
        label_url (str | Unset): URL of the label (a PDF in the example). Example: https://apitest.baaship.com/pdf-
            file/70000000366/ef7ce42a-8807-11ee-ae09-00163e0cad28.pdf.
    """

    waybill: str | Unset = UNSET
    reference_no: str | Unset = UNSET
    label_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        waybill = self.waybill

        reference_no = self.reference_no

        label_url = self.label_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if waybill is not UNSET:
            field_dict["waybill"] = waybill
        if reference_no is not UNSET:
            field_dict["referenceNo"] = reference_no
        if label_url is not UNSET:
            field_dict["labelUrl"] = label_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        waybill = d.pop("waybill", UNSET)

        reference_no = d.pop("referenceNo", UNSET)

        label_url = d.pop("labelUrl", UNSET)

        shipment_label = cls(
            waybill=waybill,
            reference_no=reference_no,
            label_url=label_url,
        )

        shipment_label.additional_properties = d
        return shipment_label

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
