from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_company import DeliveryCompany
    from ..models.delivery_company_list_data import DeliveryCompanyListData


T = TypeVar("T", bound="GetDeliveryCompanyListResponse")


@_attrs_define
class GetDeliveryCompanyListResponse:
    """Express company list. Documented two ways: top-level company_list, or data.company_list. Both are optional here;
    read company_list first and fall back to data.company_list.

        Attributes:
            errcode (int | Unset): Error code; 0 means success. Example: 0.
            errmsg (str | Unset): Error message. Real messages often end with " rid: <request id>" or " hint: [<id>]".
                Example: ok.
            company_list (list[DeliveryCompany] | Unset): Express companies (top-level form, reported for the live API).
            data (DeliveryCompanyListData | Unset): The `data` wrapper of the ministore-page form of the company list.
    """

    errcode: int | Unset = UNSET
    errmsg: str | Unset = UNSET
    company_list: list[DeliveryCompany] | Unset = UNSET
    data: DeliveryCompanyListData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errcode = self.errcode

        errmsg = self.errmsg

        company_list: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.company_list, Unset):
            company_list = []
            for company_list_item_data in self.company_list:
                company_list_item = company_list_item_data.to_dict()
                company_list.append(company_list_item)

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if errcode is not UNSET:
            field_dict["errcode"] = errcode
        if errmsg is not UNSET:
            field_dict["errmsg"] = errmsg
        if company_list is not UNSET:
            field_dict["company_list"] = company_list
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_company import DeliveryCompany  # noqa: PLC0415
        from ..models.delivery_company_list_data import DeliveryCompanyListData  # noqa: PLC0415

        d = dict(src_dict)
        errcode = d.pop("errcode", UNSET)

        errmsg = d.pop("errmsg", UNSET)

        _company_list = d.pop("company_list", UNSET)
        company_list: list[DeliveryCompany] | Unset = UNSET
        if _company_list is not UNSET:
            company_list = []
            for company_list_item_data in _company_list:
                company_list_item = DeliveryCompany.from_dict(company_list_item_data)

                company_list.append(company_list_item)

        _data = d.pop("data", UNSET)
        data: DeliveryCompanyListData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = DeliveryCompanyListData.from_dict(_data)

        get_delivery_company_list_response = cls(
            errcode=errcode,
            errmsg=errmsg,
            company_list=company_list,
            data=data,
        )

        get_delivery_company_list_response.additional_properties = d
        return get_delivery_company_list_response

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
