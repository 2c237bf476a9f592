from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReversePackageItem")


@_attrs_define
class ReversePackageItem:
    """One item line in the parcel of a reverse shipment. itemValue is a Number here.

    Attributes:
        goods_name_en (str): Product name in English or the local language. Example: Computer Bag.
        goods_name_cn (str): Product name in Chinese. Example: 电脑包.
        quantity (float | str): Quantity. Example: 1.
        item_weight (float | str): Weight of one item in kg, up to 3 decimal places. Example: 2.102.
        item_value (float | str): Value of the item, in `currency`. Documented as Number here (String in
            createShipment). Example: 29.9.
        currency (str): Currency of itemValue, e.g. TWD or USD. Example: USD.
        sku (str | Unset): SKU code. Example: td2902sx880.
        full_desc_en (str | Unset): Sales description.
        hs_code (str | Unset): HS code. Example: 36890233.
        item_selling_url (str | Unset): Link to the item's sales page. Example: https://www.amazon.com/JanSport-Big-
            Student-Backpack-Black/dp/B07K74LDCH/.
        image_url (str | Unset): Link to an image of the item. Example: https://m.media-
            amazon.com/images/I/51wX5vhTB4L._AC_SX679_.jpg.
    """

    goods_name_en: str
    goods_name_cn: str
    quantity: float | str
    item_weight: float | str
    item_value: float | str
    currency: str
    sku: str | Unset = UNSET
    full_desc_en: str | Unset = UNSET
    hs_code: str | Unset = UNSET
    item_selling_url: str | Unset = UNSET
    image_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        goods_name_en = self.goods_name_en

        goods_name_cn = self.goods_name_cn

        quantity: float | str
        quantity = self.quantity

        item_weight: float | str
        item_weight = self.item_weight

        item_value: float | str
        item_value = self.item_value

        currency = self.currency

        sku = self.sku

        full_desc_en = self.full_desc_en

        hs_code = self.hs_code

        item_selling_url = self.item_selling_url

        image_url = self.image_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "goodsNameEn": goods_name_en,
                "goodsNameCn": goods_name_cn,
                "quantity": quantity,
                "itemWeight": item_weight,
                "itemValue": item_value,
                "currency": currency,
            }
        )
        if sku is not UNSET:
            field_dict["sku"] = sku
        if full_desc_en is not UNSET:
            field_dict["fullDescEn"] = full_desc_en
        if hs_code is not UNSET:
            field_dict["hsCode"] = hs_code
        if item_selling_url is not UNSET:
            field_dict["itemSellingUrl"] = item_selling_url
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        goods_name_en = d.pop("goodsNameEn")

        goods_name_cn = d.pop("goodsNameCn")

        def _parse_quantity(data: object) -> float | str:
            return cast(float | str, data)

        quantity = _parse_quantity(d.pop("quantity"))

        def _parse_item_weight(data: object) -> float | str:
            return cast(float | str, data)

        item_weight = _parse_item_weight(d.pop("itemWeight"))

        def _parse_item_value(data: object) -> float | str:
            return cast(float | str, data)

        item_value = _parse_item_value(d.pop("itemValue"))

        currency = d.pop("currency")

        sku = d.pop("sku", UNSET)

        full_desc_en = d.pop("fullDescEn", UNSET)

        hs_code = d.pop("hsCode", UNSET)

        item_selling_url = d.pop("itemSellingUrl", UNSET)

        image_url = d.pop("imageUrl", UNSET)

        reverse_package_item = cls(
            goods_name_en=goods_name_en,
            goods_name_cn=goods_name_cn,
            quantity=quantity,
            item_weight=item_weight,
            item_value=item_value,
            currency=currency,
            sku=sku,
            full_desc_en=full_desc_en,
            hs_code=hs_code,
            item_selling_url=item_selling_url,
            image_url=image_url,
        )

        reverse_package_item.additional_properties = d
        return reverse_package_item

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
