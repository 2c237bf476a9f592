from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BatchItemShipmentOrderType0")


@_attrs_define
class BatchItemShipmentOrderType0:
    """The shipment order created for the item, null until there is one.

    Attributes:
        main_tracking_number (None | str | Unset): Main tracking number of the shipment.
    """

    main_tracking_number: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        main_tracking_number: None | str | Unset
        if isinstance(self.main_tracking_number, Unset):
            main_tracking_number = UNSET
        else:
            main_tracking_number = self.main_tracking_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if main_tracking_number is not UNSET:
            field_dict["main_tracking_number"] = main_tracking_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_main_tracking_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        main_tracking_number = _parse_main_tracking_number(d.pop("main_tracking_number", UNSET))

        batch_item_shipment_order_type_0 = cls(
            main_tracking_number=main_tracking_number,
        )

        batch_item_shipment_order_type_0.additional_properties = d
        return batch_item_shipment_order_type_0

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
