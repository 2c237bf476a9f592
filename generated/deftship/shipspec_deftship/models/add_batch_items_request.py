from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.batch_shipment import BatchShipment


T = TypeVar("T", bound="AddBatchItemsRequest")


@_attrs_define
class AddBatchItemsRequest:
    """Shipments to append to an existing batch; each has the same shape as in Create Batch.

    Attributes:
        batch_shipments (list[BatchShipment]): The shipments to add. The 1,000-item cap is on the whole batch, so at
            most 1,000 here and in practice 1,000 minus the batch's current results.total_count.
    """

    batch_shipments: list[BatchShipment]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        batch_shipments = []
        for batch_shipments_item_data in self.batch_shipments:
            batch_shipments_item = batch_shipments_item_data.to_dict()
            batch_shipments.append(batch_shipments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "batch_shipments": batch_shipments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_shipment import BatchShipment  # noqa: PLC0415

        d = dict(src_dict)
        batch_shipments = []
        _batch_shipments = d.pop("batch_shipments")
        for batch_shipments_item_data in _batch_shipments:
            batch_shipments_item = BatchShipment.from_dict(batch_shipments_item_data)

            batch_shipments.append(batch_shipments_item)

        add_batch_items_request = cls(
            batch_shipments=batch_shipments,
        )

        add_batch_items_request.additional_properties = d
        return add_batch_items_request

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
