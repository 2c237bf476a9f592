from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RemoveBatchItemsRequest")


@_attrs_define
class RemoveBatchItemsRequest:
    """Batch item ids to remove; removing an item also deletes its shipment order.

    Attributes:
        batch_shipment_ids (list[str]): Ids of batch items (Get Batch `items.data[].id`), at most 10,000 per request.
            Ids are opaque strings (numeric strings and UUIDs appear in the docs).
    """

    batch_shipment_ids: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        batch_shipment_ids = self.batch_shipment_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "batch_shipment_ids": batch_shipment_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        batch_shipment_ids = cast(list[str], d.pop("batch_shipment_ids"))

        remove_batch_items_request = cls(
            batch_shipment_ids=batch_shipment_ids,
        )

        remove_batch_items_request.additional_properties = d
        return remove_batch_items_request

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
