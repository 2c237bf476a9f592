from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tracking_event import TrackingEvent


T = TypeVar("T", bound="TrackingResult")


@_attrs_define
class TrackingResult:
    """Tracking state of one shipment.

    Attributes:
        waybill (str | Unset): Tracking number. Example: 40001044465.
        shipment_type (str | Unset): Forward or Reverse. Example: Reverse.
        latest_status (str | Unset): Latest status, as text. Example: Shipment Delivered.
        latest_local_time (str | Unset): Time of the latest status, local to the event ("YYYY-MM-DD HH:MM:SS" in the
            example, no offset; the events carry a timeZone). Example: 2023-12-27 11:00:08.
        events (list[TrackingEvent] | Unset): Tracking events.
    """

    waybill: str | Unset = UNSET
    shipment_type: str | Unset = UNSET
    latest_status: str | Unset = UNSET
    latest_local_time: str | Unset = UNSET
    events: list[TrackingEvent] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        waybill = self.waybill

        shipment_type = self.shipment_type

        latest_status = self.latest_status

        latest_local_time = self.latest_local_time

        events: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.to_dict()
                events.append(events_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if waybill is not UNSET:
            field_dict["waybill"] = waybill
        if shipment_type is not UNSET:
            field_dict["shipmentType"] = shipment_type
        if latest_status is not UNSET:
            field_dict["latestStatus"] = latest_status
        if latest_local_time is not UNSET:
            field_dict["latestLocalTime"] = latest_local_time
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tracking_event import TrackingEvent  # noqa: PLC0415

        d = dict(src_dict)
        waybill = d.pop("waybill", UNSET)

        shipment_type = d.pop("shipmentType", UNSET)

        latest_status = d.pop("latestStatus", UNSET)

        latest_local_time = d.pop("latestLocalTime", UNSET)

        _events = d.pop("events", UNSET)
        events: list[TrackingEvent] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = TrackingEvent.from_dict(events_item_data)

                events.append(events_item)

        tracking_result = cls(
            waybill=waybill,
            shipment_type=shipment_type,
            latest_status=latest_status,
            latest_local_time=latest_local_time,
            events=events,
        )

        tracking_result.additional_properties = d
        return tracking_result

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
