from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FailureData")


@_attrs_define
class FailureData:
    """Optional details of a failure: validation errors keyed by field name (general note on the ecommerce parcels page),
    or the invalid item ids when a batch cannot be shipped.

        Attributes:
            invalid_order_ids (list[int | str] | Unset): Ship Batch only: ids of the items that made the batch fail. The
                element type is not documented; item ids elsewhere are strings, numbers are accepted too.
    """

    invalid_order_ids: list[int | str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invalid_order_ids: list[int | str] | Unset = UNSET
        if not isinstance(self.invalid_order_ids, Unset):
            invalid_order_ids = []
            for invalid_order_ids_item_data in self.invalid_order_ids:
                invalid_order_ids_item: int | str
                invalid_order_ids_item = invalid_order_ids_item_data
                invalid_order_ids.append(invalid_order_ids_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if invalid_order_ids is not UNSET:
            field_dict["invalid_order_ids"] = invalid_order_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _invalid_order_ids = d.pop("invalid_order_ids", UNSET)
        invalid_order_ids: list[int | str] | Unset = UNSET
        if _invalid_order_ids is not UNSET:
            invalid_order_ids = []
            for invalid_order_ids_item_data in _invalid_order_ids:

                def _parse_invalid_order_ids_item(data: object) -> int | str:
                    return cast(int | str, data)

                invalid_order_ids_item = _parse_invalid_order_ids_item(invalid_order_ids_item_data)

                invalid_order_ids.append(invalid_order_ids_item)

        failure_data = cls(
            invalid_order_ids=invalid_order_ids,
        )

        failure_data.additional_properties = d
        return failure_data

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
