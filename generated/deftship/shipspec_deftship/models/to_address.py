from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ToAddress")


@_attrs_define
class ToAddress:
    """Receiver address. The batch page's rows for this container are cut off in every available copy; the fields below are
    inferred from the sibling Create Parcel Order page, the batch example and FromAddress (email), and other fields are
    allowed through because the batch page may list more.

        Attributes:
            name (str): Receiver name. Example: Jane Smith.
            street_1 (str): Street address, line 1. Example: 456 Oak Ave.
            city (str): City. Example: Los Angeles.
            zip_ (str): Postal code. Example: 90001.
            country (str): Country code. Example: US.
            telephone (str): Receiver phone number. Example: 5559876543.
            attention (str | Unset): Attention line.
            street_2 (str | Unset): Street address, line 2.
            street_3 (str | Unset): Street address, line 3.
            state (str | Unset): State or province code; required for US and CA addresses. Example: CA.
            email (str | Unset): Receiver email address. Not in the truncated batch rows; declared like FromAddress.email on
                the same page because shipspec sends the recipient's email here (undeclared keys are refused by our tests).
    """

    name: str
    street_1: str
    city: str
    zip_: str
    country: str
    telephone: str
    attention: str | Unset = UNSET
    street_2: str | Unset = UNSET
    street_3: str | Unset = UNSET
    state: str | Unset = UNSET
    email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        street_1 = self.street_1

        city = self.city

        zip_ = self.zip_

        country = self.country

        telephone = self.telephone

        attention = self.attention

        street_2 = self.street_2

        street_3 = self.street_3

        state = self.state

        email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "street_1": street_1,
                "city": city,
                "zip": zip_,
                "country": country,
                "telephone": telephone,
            }
        )
        if attention is not UNSET:
            field_dict["attention"] = attention
        if street_2 is not UNSET:
            field_dict["street_2"] = street_2
        if street_3 is not UNSET:
            field_dict["street_3"] = street_3
        if state is not UNSET:
            field_dict["state"] = state
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        street_1 = d.pop("street_1")

        city = d.pop("city")

        zip_ = d.pop("zip")

        country = d.pop("country")

        telephone = d.pop("telephone")

        attention = d.pop("attention", UNSET)

        street_2 = d.pop("street_2", UNSET)

        street_3 = d.pop("street_3", UNSET)

        state = d.pop("state", UNSET)

        email = d.pop("email", UNSET)

        to_address = cls(
            name=name,
            street_1=street_1,
            city=city,
            zip_=zip_,
            country=country,
            telephone=telephone,
            attention=attention,
            street_2=street_2,
            street_3=street_3,
            state=state,
            email=email,
        )

        to_address.additional_properties = d
        return to_address

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
