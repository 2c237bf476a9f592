from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.customs_details_bill_type import CustomsDetailsBillType
from ..models.customs_details_tax_id_type import CustomsDetailsTaxIdType
from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomsDetails")


@_attrs_define
class CustomsDetails:
    """Customs details container.

    Attributes:
        bill_type (CustomsDetailsBillType | Unset): Duties billing, DDU or DDP. Default: CustomsDetailsBillType.DDP.
        tax_id_type (CustomsDetailsTaxIdType | Unset): Tax id type. Default is null (omit the field).
        tax_id (str | Unset): Tax id. Default is null (omit the field).
        issuer_country (str | Unset): Country that issued the tax id. Default is null (omit the field).
        aes_itn (str | Unset): AES ITN (export filing number). Default is null (omit the field).
    """

    bill_type: CustomsDetailsBillType | Unset = CustomsDetailsBillType.DDP
    tax_id_type: CustomsDetailsTaxIdType | Unset = UNSET
    tax_id: str | Unset = UNSET
    issuer_country: str | Unset = UNSET
    aes_itn: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bill_type: str | Unset = UNSET
        if not isinstance(self.bill_type, Unset):
            bill_type = self.bill_type.value

        tax_id_type: str | Unset = UNSET
        if not isinstance(self.tax_id_type, Unset):
            tax_id_type = self.tax_id_type.value

        tax_id = self.tax_id

        issuer_country = self.issuer_country

        aes_itn = self.aes_itn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if bill_type is not UNSET:
            field_dict["bill_type"] = bill_type
        if tax_id_type is not UNSET:
            field_dict["tax_id_type"] = tax_id_type
        if tax_id is not UNSET:
            field_dict["tax_id"] = tax_id
        if issuer_country is not UNSET:
            field_dict["issuer_country"] = issuer_country
        if aes_itn is not UNSET:
            field_dict["aes_itn"] = aes_itn

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _bill_type = d.pop("bill_type", UNSET)
        bill_type: CustomsDetailsBillType | Unset
        if isinstance(_bill_type, Unset):
            bill_type = UNSET
        else:
            bill_type = CustomsDetailsBillType(_bill_type)

        _tax_id_type = d.pop("tax_id_type", UNSET)
        tax_id_type: CustomsDetailsTaxIdType | Unset
        if isinstance(_tax_id_type, Unset):
            tax_id_type = UNSET
        else:
            tax_id_type = CustomsDetailsTaxIdType(_tax_id_type)

        tax_id = d.pop("tax_id", UNSET)

        issuer_country = d.pop("issuer_country", UNSET)

        aes_itn = d.pop("aes_itn", UNSET)

        customs_details = cls(
            bill_type=bill_type,
            tax_id_type=tax_id_type,
            tax_id=tax_id,
            issuer_country=issuer_country,
            aes_itn=aes_itn,
        )

        customs_details.additional_properties = d
        return customs_details

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
