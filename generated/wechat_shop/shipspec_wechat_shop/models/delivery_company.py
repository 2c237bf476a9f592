from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeliveryCompany")


@_attrs_define
class DeliveryCompany:
    """One express company.

    Attributes:
        delivery_id (str | Unset): Express company id to send as delivery_list[].delivery_id. An open list of short
            codes. Example: SF.
        delivery_name (str | Unset): Express company display name. Example: 顺丰速运.
    """

    delivery_id: str | Unset = UNSET
    delivery_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delivery_id = self.delivery_id

        delivery_name = self.delivery_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if delivery_id is not UNSET:
            field_dict["delivery_id"] = delivery_id
        if delivery_name is not UNSET:
            field_dict["delivery_name"] = delivery_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        delivery_id = d.pop("delivery_id", UNSET)

        delivery_name = d.pop("delivery_name", UNSET)

        delivery_company = cls(
            delivery_id=delivery_id,
            delivery_name=delivery_name,
        )

        delivery_company.additional_properties = d
        return delivery_company

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
