from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtraServices")


@_attrs_define
class ExtraServices:
    """Extra services, all off by default.

    Attributes:
        saturday_delivery (bool | Unset): Saturday delivery. Default: False.
        certified_mail (bool | Unset): Certified mail. Default: False.
        return_receipt (bool | Unset): Return receipt. Default: False.
        return_receipt_electronic (bool | Unset): Electronic return receipt. Default: False.
        restricted_delivery (bool | Unset): Restricted delivery. Default: False.
    """

    saturday_delivery: bool | Unset = False
    certified_mail: bool | Unset = False
    return_receipt: bool | Unset = False
    return_receipt_electronic: bool | Unset = False
    restricted_delivery: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        saturday_delivery = self.saturday_delivery

        certified_mail = self.certified_mail

        return_receipt = self.return_receipt

        return_receipt_electronic = self.return_receipt_electronic

        restricted_delivery = self.restricted_delivery

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if saturday_delivery is not UNSET:
            field_dict["saturday_delivery"] = saturday_delivery
        if certified_mail is not UNSET:
            field_dict["certified_mail"] = certified_mail
        if return_receipt is not UNSET:
            field_dict["return_receipt"] = return_receipt
        if return_receipt_electronic is not UNSET:
            field_dict["return_receipt_electronic"] = return_receipt_electronic
        if restricted_delivery is not UNSET:
            field_dict["restricted_delivery"] = restricted_delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        saturday_delivery = d.pop("saturday_delivery", UNSET)

        certified_mail = d.pop("certified_mail", UNSET)

        return_receipt = d.pop("return_receipt", UNSET)

        return_receipt_electronic = d.pop("return_receipt_electronic", UNSET)

        restricted_delivery = d.pop("restricted_delivery", UNSET)

        extra_services = cls(
            saturday_delivery=saturday_delivery,
            certified_mail=certified_mail,
            return_receipt=return_receipt,
            return_receipt_electronic=return_receipt_electronic,
            restricted_delivery=restricted_delivery,
        )

        extra_services.additional_properties = d
        return extra_services

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
