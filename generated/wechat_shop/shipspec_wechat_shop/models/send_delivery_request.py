from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.delivery_package import DeliveryPackage


T = TypeVar("T", bound="SendDeliveryRequest")


@_attrs_define
class SendDeliveryRequest:
    """Body of product/delivery/send.

    Example:
        {'order_id': 123456, 'delivery_list': [{'delivery_id': '1', 'is_all_product': True, 'waybill_id':
            '23424324253'}]}

    Attributes:
        order_id (int): Order id. The doc types it "number"; WeChat order ids are 64-bit integers, so integer/int64
            (beware of JavaScript-style float parsing above 2^53). Example: 123456.
        delivery_list (list[DeliveryPackage]): Packages to ship: one entry with is_all_product true for a whole-order
            shipment, or several entries each listing its product_infos for a split shipment. The doc gives the array no
            required flag of its own; it is required here because a shipment without packages ships nothing and both
            documented examples send it. No minimum/maximum count is documented, so none is enforced.
    """

    order_id: int
    delivery_list: list[DeliveryPackage]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        delivery_list = []
        for delivery_list_item_data in self.delivery_list:
            delivery_list_item = delivery_list_item_data.to_dict()
            delivery_list.append(delivery_list_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order_id": order_id,
                "delivery_list": delivery_list,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_package import DeliveryPackage  # noqa: PLC0415

        d = dict(src_dict)
        order_id = d.pop("order_id")

        delivery_list = []
        _delivery_list = d.pop("delivery_list")
        for delivery_list_item_data in _delivery_list:
            delivery_list_item = DeliveryPackage.from_dict(delivery_list_item_data)

            delivery_list.append(delivery_list_item)

        send_delivery_request = cls(
            order_id=order_id,
            delivery_list=delivery_list,
        )

        send_delivery_request.additional_properties = d
        return send_delivery_request

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
