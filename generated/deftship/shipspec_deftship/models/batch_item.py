from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_item_status import BatchItemStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_item_errors_type_0 import BatchItemErrorsType0
    from ..models.batch_item_shipment_order_type_0 import BatchItemShipmentOrderType0


T = TypeVar("T", bound="BatchItem")


@_attrs_define
class BatchItem:
    """One shipment of a batch.

    Attributes:
        id (str): Batch item id (used by Remove Items); numeric strings and UUIDs appear in the docs.
        status (BatchItemStatus | Unset): Item status. Absent while the item waits for its asynchronous validation (the
            batch is validating): items.data lists every item results.total_count counts, and none of the documented
            statuses fits an item not validated yet (an inference, not a vendor statement).
        errors (BatchItemErrorsType0 | None | Unset): Validation or shipping errors of the item, keyed by field; null
            when there are none.
        shipment_order (BatchItemShipmentOrderType0 | None | Unset): The shipment order created for the item, null until
            there is one.
    """

    id: str
    status: BatchItemStatus | Unset = UNSET
    errors: BatchItemErrorsType0 | None | Unset = UNSET
    shipment_order: BatchItemShipmentOrderType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_item_errors_type_0 import BatchItemErrorsType0  # noqa: PLC0415
        from ..models.batch_item_shipment_order_type_0 import BatchItemShipmentOrderType0  # noqa: PLC0415

        id = self.id

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        errors: dict[str, Any] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, BatchItemErrorsType0):
            errors = self.errors.to_dict()
        else:
            errors = self.errors

        shipment_order: dict[str, Any] | None | Unset
        if isinstance(self.shipment_order, Unset):
            shipment_order = UNSET
        elif isinstance(self.shipment_order, BatchItemShipmentOrderType0):
            shipment_order = self.shipment_order.to_dict()
        else:
            shipment_order = self.shipment_order

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if errors is not UNSET:
            field_dict["errors"] = errors
        if shipment_order is not UNSET:
            field_dict["shipment_order"] = shipment_order

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item_errors_type_0 import BatchItemErrorsType0  # noqa: PLC0415
        from ..models.batch_item_shipment_order_type_0 import BatchItemShipmentOrderType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        _status = d.pop("status", UNSET)
        status: BatchItemStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = BatchItemStatus(_status)

        def _parse_errors(data: object) -> BatchItemErrorsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                errors_type_0 = BatchItemErrorsType0.from_dict(data)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchItemErrorsType0 | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        def _parse_shipment_order(data: object) -> BatchItemShipmentOrderType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                shipment_order_type_0 = BatchItemShipmentOrderType0.from_dict(data)

                return shipment_order_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchItemShipmentOrderType0 | None | Unset, data)

        shipment_order = _parse_shipment_order(d.pop("shipment_order", UNSET))

        batch_item = cls(
            id=id,
            status=status,
            errors=errors,
            shipment_order=shipment_order,
        )

        batch_item.additional_properties = d
        return batch_item

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
