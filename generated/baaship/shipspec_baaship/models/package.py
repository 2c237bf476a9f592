from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.package_item import PackageItem


T = TypeVar("T", bound="Package")


@_attrs_define
class Package:
    """One parcel of a forward shipment.

    Attributes:
        weight (float | str): Actual weight of the parcel in kg, up to 3 decimal places. Example: 13.109.
        package_item_list (list[PackageItem]): The goods in the parcel.
        length (float | str | Unset): Length of the parcel in cm, up to 1 decimal place. Example: 50.
        width (float | str | Unset): Width of the parcel in cm, up to 1 decimal place. Example: 80.
        height (float | str | Unset): Height of the parcel in cm, up to 1 decimal place. Example: 45.
        cod_amount (float | str | Unset): Cash-on-delivery amount, in the place the request example puts it. The table
            documents codAmount at the top level of the request instead. Example: 3980.
    """

    weight: float | str
    package_item_list: list[PackageItem]
    length: float | str | Unset = UNSET
    width: float | str | Unset = UNSET
    height: float | str | Unset = UNSET
    cod_amount: float | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        weight: float | str
        weight = self.weight

        package_item_list = []
        for package_item_list_item_data in self.package_item_list:
            package_item_list_item = package_item_list_item_data.to_dict()
            package_item_list.append(package_item_list_item)

        length: float | str | Unset
        if isinstance(self.length, Unset):
            length = UNSET
        else:
            length = self.length

        width: float | str | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        height: float | str | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        cod_amount: float | str | Unset
        if isinstance(self.cod_amount, Unset):
            cod_amount = UNSET
        else:
            cod_amount = self.cod_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "weight": weight,
                "packageItemList": package_item_list,
            }
        )
        if length is not UNSET:
            field_dict["length"] = length
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if cod_amount is not UNSET:
            field_dict["codAmount"] = cod_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.package_item import PackageItem  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_weight(data: object) -> float | str:
            return cast(float | str, data)

        weight = _parse_weight(d.pop("weight"))

        package_item_list = []
        _package_item_list = d.pop("packageItemList")
        for package_item_list_item_data in _package_item_list:
            package_item_list_item = PackageItem.from_dict(package_item_list_item_data)

            package_item_list.append(package_item_list_item)

        def _parse_length(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        length = _parse_length(d.pop("length", UNSET))

        def _parse_width(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        width = _parse_width(d.pop("width", UNSET))

        def _parse_height(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        height = _parse_height(d.pop("height", UNSET))

        def _parse_cod_amount(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        cod_amount = _parse_cod_amount(d.pop("codAmount", UNSET))

        package = cls(
            weight=weight,
            package_item_list=package_item_list,
            length=length,
            width=width,
            height=height,
            cod_amount=cod_amount,
        )

        package.additional_properties = d
        return package

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
