from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReverseSender")


@_attrs_define
class ReverseSender:
    """Sender of a reverse shipment (the party returning the parcel).

    Attributes:
        contact (str): Sender's contact person. Example: JOHN WAKER.
        phone (str): Sender's phone number. Example: 6732238181.
        country (str): Sender's country. Example: BN.
        province (str): Sender's province or state. Example: KAMPONG KAPOK.
        city (str): Sender's city. Example: MUARA.
        address (str): Sender's detailed address. Example: NO. 7 SIMPANG 170, JALAN.
        post_code (str): Sender's postal code. Example: BT2328.
        company (str | Unset): Sender's company. Example: TEST COMPANY.
        email (str | Unset): Sender's email address. Example: marecarmejia00-test@gmail.com.
    """

    contact: str
    phone: str
    country: str
    province: str
    city: str
    address: str
    post_code: str
    company: str | Unset = UNSET
    email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contact = self.contact

        phone = self.phone

        country = self.country

        province = self.province

        city = self.city

        address = self.address

        post_code = self.post_code

        company = self.company

        email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contact": contact,
                "phone": phone,
                "country": country,
                "province": province,
                "city": city,
                "address": address,
                "postCode": post_code,
            }
        )
        if company is not UNSET:
            field_dict["company"] = company
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contact = d.pop("contact")

        phone = d.pop("phone")

        country = d.pop("country")

        province = d.pop("province")

        city = d.pop("city")

        address = d.pop("address")

        post_code = d.pop("postCode")

        company = d.pop("company", UNSET)

        email = d.pop("email", UNSET)

        reverse_sender = cls(
            contact=contact,
            phone=phone,
            country=country,
            province=province,
            city=city,
            address=address,
            post_code=post_code,
            company=company,
            email=email,
        )

        reverse_sender.additional_properties = d
        return reverse_sender

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
