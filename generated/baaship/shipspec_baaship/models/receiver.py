from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Receiver")


@_attrs_define
class Receiver:
    """Recipient of a forward shipment. country, city, address and postCode are required except in store delivery mode, so
    they are not in `required`; CreateShipmentRequest's x-conditional-required states the rule.

        Attributes:
            contact (str): Recipient's contact person. Example: TEST RECEIVER.
            phone (str): Recipient's phone number. Example: 212340908.
            company (str | Unset): Recipient's company.
            email (str | Unset): Recipient's email address. Example: test@gmail.com.
            country (str | Unset): Recipient's country or region. Required unless in store delivery mode. Example: NZ.
            province (str | Unset): Recipient's province or state. Example: Waikato.
            city (str | Unset): Recipient's city or district. Required unless in store delivery mode. Example: Te Aroha.
            suburb (str | Unset): Recipient's administrative district. Example: Te Aroha.
            address (str | Unset): Recipient's detailed address. Required unless in store delivery mode. Example: 3
                Churchill Avenue.
            post_code (str | Unset): Recipient's postal code. Required unless in store delivery mode. Example: 3320.
            vat (str | Unset): Recipient's tax number or ID. Example: A123456789.
    """

    contact: str
    phone: str
    company: str | Unset = UNSET
    email: str | Unset = UNSET
    country: str | Unset = UNSET
    province: str | Unset = UNSET
    city: str | Unset = UNSET
    suburb: str | Unset = UNSET
    address: str | Unset = UNSET
    post_code: str | Unset = UNSET
    vat: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contact = self.contact

        phone = self.phone

        company = self.company

        email = self.email

        country = self.country

        province = self.province

        city = self.city

        suburb = self.suburb

        address = self.address

        post_code = self.post_code

        vat = self.vat

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contact": contact,
                "phone": phone,
            }
        )
        if company is not UNSET:
            field_dict["company"] = company
        if email is not UNSET:
            field_dict["email"] = email
        if country is not UNSET:
            field_dict["country"] = country
        if province is not UNSET:
            field_dict["province"] = province
        if city is not UNSET:
            field_dict["city"] = city
        if suburb is not UNSET:
            field_dict["suburb"] = suburb
        if address is not UNSET:
            field_dict["address"] = address
        if post_code is not UNSET:
            field_dict["postCode"] = post_code
        if vat is not UNSET:
            field_dict["vat"] = vat

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contact = d.pop("contact")

        phone = d.pop("phone")

        company = d.pop("company", UNSET)

        email = d.pop("email", UNSET)

        country = d.pop("country", UNSET)

        province = d.pop("province", UNSET)

        city = d.pop("city", UNSET)

        suburb = d.pop("suburb", UNSET)

        address = d.pop("address", UNSET)

        post_code = d.pop("postCode", UNSET)

        vat = d.pop("vat", UNSET)

        receiver = cls(
            contact=contact,
            phone=phone,
            company=company,
            email=email,
            country=country,
            province=province,
            city=city,
            suburb=suburb,
            address=address,
            post_code=post_code,
            vat=vat,
        )

        receiver.additional_properties = d
        return receiver

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
