from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TrackingEvent")


@_attrs_define
class TrackingEvent:
    """One tracking event.

    Attributes:
        status_code (str | Unset): Tracking status code. Only DL01 (delivered) appears in the doc; the full list is not
            published, so this is an open string. Example: DL01.
        location (str | Unset): Location of the event. Example: Maraetai.
        description (str | Unset): Description of the event. Example: Your parcel has been delivered..
        local_time (str | Unset): Local date and time of the event ("YYYY-MM-DD HH:MM:SS" in the example), in timeZone.
            Example: 2023-12-27 11:00:08.
        time_zone (str | Unset): Time zone of localTime, e.g. UTC+12. Example: UTC+12.
        country (str | Unset): Country. Example: NZ.
        state (str | Unset): State or province. Example: Auckland.
        city (str | Unset): City. Example: Maraetai.
        postcode (str | Unset): Postal code. Example: 2018.
    """

    status_code: str | Unset = UNSET
    location: str | Unset = UNSET
    description: str | Unset = UNSET
    local_time: str | Unset = UNSET
    time_zone: str | Unset = UNSET
    country: str | Unset = UNSET
    state: str | Unset = UNSET
    city: str | Unset = UNSET
    postcode: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status_code = self.status_code

        location = self.location

        description = self.description

        local_time = self.local_time

        time_zone = self.time_zone

        country = self.country

        state = self.state

        city = self.city

        postcode = self.postcode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code
        if location is not UNSET:
            field_dict["location"] = location
        if description is not UNSET:
            field_dict["description"] = description
        if local_time is not UNSET:
            field_dict["localTime"] = local_time
        if time_zone is not UNSET:
            field_dict["timeZone"] = time_zone
        if country is not UNSET:
            field_dict["country"] = country
        if state is not UNSET:
            field_dict["state"] = state
        if city is not UNSET:
            field_dict["city"] = city
        if postcode is not UNSET:
            field_dict["postcode"] = postcode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status_code = d.pop("statusCode", UNSET)

        location = d.pop("location", UNSET)

        description = d.pop("description", UNSET)

        local_time = d.pop("localTime", UNSET)

        time_zone = d.pop("timeZone", UNSET)

        country = d.pop("country", UNSET)

        state = d.pop("state", UNSET)

        city = d.pop("city", UNSET)

        postcode = d.pop("postcode", UNSET)

        tracking_event = cls(
            status_code=status_code,
            location=location,
            description=description,
            local_time=local_time,
            time_zone=time_zone,
            country=country,
            state=state,
            city=city,
            postcode=postcode,
        )

        tracking_event.additional_properties = d
        return tracking_event

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
