from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BatchResults")


@_attrs_define
class BatchResults:
    """Item counters of a batch.

    Attributes:
        total_count (int | Unset): Number of items in the batch.
        completion_percentage (str | Unset): Progress as a percentage string. Example: 30%.
        valid_count (int | Unset): Items that passed validation.
        invalid_count (int | Unset): Items that failed validation.
        completed_count (int | Unset): Items shipped.
        failed_count (int | Unset): Items whose shipping failed.
    """

    total_count: int | Unset = UNSET
    completion_percentage: str | Unset = UNSET
    valid_count: int | Unset = UNSET
    invalid_count: int | Unset = UNSET
    completed_count: int | Unset = UNSET
    failed_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_count = self.total_count

        completion_percentage = self.completion_percentage

        valid_count = self.valid_count

        invalid_count = self.invalid_count

        completed_count = self.completed_count

        failed_count = self.failed_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if total_count is not UNSET:
            field_dict["total_count"] = total_count
        if completion_percentage is not UNSET:
            field_dict["completion_percentage"] = completion_percentage
        if valid_count is not UNSET:
            field_dict["valid_count"] = valid_count
        if invalid_count is not UNSET:
            field_dict["invalid_count"] = invalid_count
        if completed_count is not UNSET:
            field_dict["completed_count"] = completed_count
        if failed_count is not UNSET:
            field_dict["failed_count"] = failed_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total_count = d.pop("total_count", UNSET)

        completion_percentage = d.pop("completion_percentage", UNSET)

        valid_count = d.pop("valid_count", UNSET)

        invalid_count = d.pop("invalid_count", UNSET)

        completed_count = d.pop("completed_count", UNSET)

        failed_count = d.pop("failed_count", UNSET)

        batch_results = cls(
            total_count=total_count,
            completion_percentage=completion_percentage,
            valid_count=valid_count,
            invalid_count=invalid_count,
            completed_count=completed_count,
            failed_count=failed_count,
        )

        batch_results.additional_properties = d
        return batch_results

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
