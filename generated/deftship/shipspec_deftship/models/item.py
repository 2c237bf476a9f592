from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.item_content_type import ItemContentType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Item")


@_attrs_define
class Item:
    """One content line for customs or insurance. The doc marks every field "No" but adds "only required when items [] is
    used": any entry sent needs them all (see x-conditional-required).

        Attributes:
            quantity (int | Unset): Quantity of the item.
            price (float | Unset): Price of the item.
            country_of_manufacture (str | Unset): Country code of the country where the item was manufactured.
            sku (str | Unset): SKU.
            hs_code (str | Unset): HS tariff code of the item: the internationally standardised classification of traded
                goods used to set tariffs and customs duties.
            description (str | Unset): Short description for customs.
            content_type (ItemContentType | Unset): Content type. Default: ItemContentType.MERCHANDISE.
    """

    quantity: int | Unset = UNSET
    price: float | Unset = UNSET
    country_of_manufacture: str | Unset = UNSET
    sku: str | Unset = UNSET
    hs_code: str | Unset = UNSET
    description: str | Unset = UNSET
    content_type: ItemContentType | Unset = ItemContentType.MERCHANDISE
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quantity = self.quantity

        price = self.price

        country_of_manufacture = self.country_of_manufacture

        sku = self.sku

        hs_code = self.hs_code

        description = self.description

        content_type: str | Unset = UNSET
        if not isinstance(self.content_type, Unset):
            content_type = self.content_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if price is not UNSET:
            field_dict["price"] = price
        if country_of_manufacture is not UNSET:
            field_dict["country_of_manufacture"] = country_of_manufacture
        if sku is not UNSET:
            field_dict["sku"] = sku
        if hs_code is not UNSET:
            field_dict["hs_code"] = hs_code
        if description is not UNSET:
            field_dict["description"] = description
        if content_type is not UNSET:
            field_dict["content_type"] = content_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quantity = d.pop("quantity", UNSET)

        price = d.pop("price", UNSET)

        country_of_manufacture = d.pop("country_of_manufacture", UNSET)

        sku = d.pop("sku", UNSET)

        hs_code = d.pop("hs_code", UNSET)

        description = d.pop("description", UNSET)

        _content_type = d.pop("content_type", UNSET)
        content_type: ItemContentType | Unset
        if isinstance(_content_type, Unset):
            content_type = UNSET
        else:
            content_type = ItemContentType(_content_type)

        item = cls(
            quantity=quantity,
            price=price,
            country_of_manufacture=country_of_manufacture,
            sku=sku,
            hs_code=hs_code,
            description=description,
            content_type=content_type,
        )

        item.additional_properties = d
        return item

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
