from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.batch_shipment import BatchShipment


T = TypeVar("T", bound="CreateBatchRequest")


@_attrs_define
class CreateBatchRequest:
    """Create a batch of shipments, all shipped with one shipper account and one service.

    Example:
        {'shipper_id': 123, 'service': 'USPS-3', 'batch_shipments': [{'from_address_id': 1387235969, 'to_address':
            {'name': 'Jane Smith', 'street_1': '456 Oak Ave', 'city': 'Los Angeles', 'state': 'CA', 'zip': '90001',
            'country': 'US', 'telephone': '5559876543'}, 'package_list': [{'count': 1, 'length': 10, 'width': 8, 'height':
            4, 'weight': 1, 'reference_1': 'ORDER-001'}]}, {'from_address_id': 1387235969, 'to_address': {'name': 'Bob
            Johnson', 'street_1': '789 Pine Rd', 'city': 'Chicago', 'state': 'IL', 'zip': '60601', 'country': 'US',
            'telephone': '5551112222'}, 'package_list': [{'count': 1, 'length': 12, 'width': 10, 'height': 6, 'weight': 2,
            'reference_1': 'ORDER-002'}]}]}

    Attributes:
        shipper_id (int | str): The shipper to use, as returned by the shippers endpoint: an integer, or the same digits
            as a string. Example: 123.
        service (str): Service code used for every item in the batch (see the service-names endpoint, GET
            /shipment/service-names, `data[].code`). Only USPS-3 appears in the docs. Example: USPS-3.
        batch_shipments (list[BatchShipment]): The shipments of the batch, at most 1,000.
    """

    shipper_id: int | str
    service: str
    batch_shipments: list[BatchShipment]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipper_id: int | str
        shipper_id = self.shipper_id

        service = self.service

        batch_shipments = []
        for batch_shipments_item_data in self.batch_shipments:
            batch_shipments_item = batch_shipments_item_data.to_dict()
            batch_shipments.append(batch_shipments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipper_id": shipper_id,
                "service": service,
                "batch_shipments": batch_shipments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_shipment import BatchShipment  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_shipper_id(data: object) -> int | str:
            return cast(int | str, data)

        shipper_id = _parse_shipper_id(d.pop("shipper_id"))

        service = d.pop("service")

        batch_shipments = []
        _batch_shipments = d.pop("batch_shipments")
        for batch_shipments_item_data in _batch_shipments:
            batch_shipments_item = BatchShipment.from_dict(batch_shipments_item_data)

            batch_shipments.append(batch_shipments_item)

        create_batch_request = cls(
            shipper_id=shipper_id,
            service=service,
            batch_shipments=batch_shipments,
        )

        create_batch_request.additional_properties = d
        return create_batch_request

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
