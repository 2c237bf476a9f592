from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_company import DeliveryCompany


T = TypeVar("T", bound="DeliveryCompanyListData")


@_attrs_define
class DeliveryCompanyListData:
    """The `data` wrapper of the ministore-page form of the company list.

    Attributes:
        company_list (list[DeliveryCompany] | Unset): Express companies (wrapped form).
    """

    company_list: list[DeliveryCompany] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        company_list: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.company_list, Unset):
            company_list = []
            for company_list_item_data in self.company_list:
                company_list_item = company_list_item_data.to_dict()
                company_list.append(company_list_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if company_list is not UNSET:
            field_dict["company_list"] = company_list

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_company import DeliveryCompany  # noqa: PLC0415

        d = dict(src_dict)
        _company_list = d.pop("company_list", UNSET)
        company_list: list[DeliveryCompany] | Unset = UNSET
        if _company_list is not UNSET:
            company_list = []
            for company_list_item_data in _company_list:
                company_list_item = DeliveryCompany.from_dict(company_list_item_data)

                company_list.append(company_list_item)

        delivery_company_list_data = cls(
            company_list=company_list,
        )

        delivery_company_list_data.additional_properties = d
        return delivery_company_list_data

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
