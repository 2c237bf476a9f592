from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.product_info import ProductInfo


T = TypeVar("T", bound="DeliveryPackage")


@_attrs_define
class DeliveryPackage:
    """One package (one waybill) of the shipment, an entry of delivery_list.

    Attributes:
        delivery_id (str | Unset): Express company id, from getDeliveryCompanyList (short codes such as SF, YTO, ZTO per
            the public company list). Required for express delivery; not needed for same-city delivery or offline pickup.
            Example: 1.
        waybill_id (str | Unset): Courier tracking (waybill) number. Required for express delivery; not needed for same-
            city delivery or offline pickup. Example: 23424324253.
        is_all_product (bool | Unset): Whether this package holds every item of the order. Defaults to true when
            omitted; set false for a split shipment and list the package's items in product_infos. Default: True. Example:
            True.
        product_infos (list[ProductInfo] | Unset): Items in this package; required when is_all_product is false. All
            units of the same SKU (same product_id and sku_id) must travel in one package: splitting them across
            delivery_list entries fails with 800001.
    """

    delivery_id: str | Unset = UNSET
    waybill_id: str | Unset = UNSET
    is_all_product: bool | Unset = True
    product_infos: list[ProductInfo] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delivery_id = self.delivery_id

        waybill_id = self.waybill_id

        is_all_product = self.is_all_product

        product_infos: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.product_infos, Unset):
            product_infos = []
            for product_infos_item_data in self.product_infos:
                product_infos_item = product_infos_item_data.to_dict()
                product_infos.append(product_infos_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if delivery_id is not UNSET:
            field_dict["delivery_id"] = delivery_id
        if waybill_id is not UNSET:
            field_dict["waybill_id"] = waybill_id
        if is_all_product is not UNSET:
            field_dict["is_all_product"] = is_all_product
        if product_infos is not UNSET:
            field_dict["product_infos"] = product_infos

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_info import ProductInfo  # noqa: PLC0415

        d = dict(src_dict)
        delivery_id = d.pop("delivery_id", UNSET)

        waybill_id = d.pop("waybill_id", UNSET)

        is_all_product = d.pop("is_all_product", UNSET)

        _product_infos = d.pop("product_infos", UNSET)
        product_infos: list[ProductInfo] | Unset = UNSET
        if _product_infos is not UNSET:
            product_infos = []
            for product_infos_item_data in _product_infos:
                product_infos_item = ProductInfo.from_dict(product_infos_item_data)

                product_infos.append(product_infos_item)

        delivery_package = cls(
            delivery_id=delivery_id,
            waybill_id=waybill_id,
            is_all_product=is_all_product,
            product_infos=product_infos,
        )

        delivery_package.additional_properties = d
        return delivery_package

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
