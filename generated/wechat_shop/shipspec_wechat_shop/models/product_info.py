from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProductInfo")


@_attrs_define
class ProductInfo:
    """One product line in a split-shipment package. Its fields are required when the package's is_all_product is false
    (see DeliveryPackage x-conditional-required).

        Attributes:
            product_cnt (int | Unset): Quantity of this product in the package (doc type "number"). Example: 1.
            product_id (int | Unset): Product id (doc type "number"). Example: 12345.
            sku_id (int | Unset): Product SKU id (doc type "number"). Example: 678910.
    """

    product_cnt: int | Unset = UNSET
    product_id: int | Unset = UNSET
    sku_id: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        product_cnt = self.product_cnt

        product_id = self.product_id

        sku_id = self.sku_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if product_cnt is not UNSET:
            field_dict["product_cnt"] = product_cnt
        if product_id is not UNSET:
            field_dict["product_id"] = product_id
        if sku_id is not UNSET:
            field_dict["sku_id"] = sku_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        product_cnt = d.pop("product_cnt", UNSET)

        product_id = d.pop("product_id", UNSET)

        sku_id = d.pop("sku_id", UNSET)

        product_info = cls(
            product_cnt=product_cnt,
            product_id=product_id,
            sku_id=sku_id,
        )

        product_info.additional_properties = d
        return product_info

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
