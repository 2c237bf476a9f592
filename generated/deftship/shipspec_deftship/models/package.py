from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.package_signature import PackageSignature
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.item import Item


T = TypeVar("T", bound="Package")


@_attrs_define
class Package:
    """One package line (count pieces of identical size and weight).

    Attributes:
        count (int): Pieces count. Example: 1.
        length (float): Length, in the shipment's length_unit. Example: 10.
        width (float): Width, in the shipment's length_unit. Example: 8.
        height (float): Height, in the shipment's length_unit. Example: 4.
        weight (float): Weight, in the shipment's weight_unit. Example: 1.
        box_type (str | Unset): Carrier box type (the docs refer to a "Parcel Box Types" list that is not public); omit
            for the caller's own packaging.
        reference_1 (str | Unset): Reference printed on the label. Example: ORDER-001.
        reference_2 (str | Unset): Second reference printed on the label.
        insurance (bool | Unset): Insure the package. Setting it to true requires items information. Default: False.
        is_hazmat (bool | Unset): The package holds hazardous material. Default: False.
        signature (PackageSignature | Unset): Signature option on delivery. Default: PackageSignature.NO_SIGNATURE.
        items (list[Item] | Unset): Contents of the package. Required on international shipments and on shipments with
            insurance.
    """

    count: int
    length: float
    width: float
    height: float
    weight: float
    box_type: str | Unset = UNSET
    reference_1: str | Unset = UNSET
    reference_2: str | Unset = UNSET
    insurance: bool | Unset = False
    is_hazmat: bool | Unset = False
    signature: PackageSignature | Unset = PackageSignature.NO_SIGNATURE
    items: list[Item] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        length = self.length

        width = self.width

        height = self.height

        weight = self.weight

        box_type = self.box_type

        reference_1 = self.reference_1

        reference_2 = self.reference_2

        insurance = self.insurance

        is_hazmat = self.is_hazmat

        signature: str | Unset = UNSET
        if not isinstance(self.signature, Unset):
            signature = self.signature.value

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "length": length,
                "width": width,
                "height": height,
                "weight": weight,
            }
        )
        if box_type is not UNSET:
            field_dict["box_type"] = box_type
        if reference_1 is not UNSET:
            field_dict["reference_1"] = reference_1
        if reference_2 is not UNSET:
            field_dict["reference_2"] = reference_2
        if insurance is not UNSET:
            field_dict["insurance"] = insurance
        if is_hazmat is not UNSET:
            field_dict["is_hazmat"] = is_hazmat
        if signature is not UNSET:
            field_dict["signature"] = signature
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.item import Item  # noqa: PLC0415

        d = dict(src_dict)
        count = d.pop("count")

        length = d.pop("length")

        width = d.pop("width")

        height = d.pop("height")

        weight = d.pop("weight")

        box_type = d.pop("box_type", UNSET)

        reference_1 = d.pop("reference_1", UNSET)

        reference_2 = d.pop("reference_2", UNSET)

        insurance = d.pop("insurance", UNSET)

        is_hazmat = d.pop("is_hazmat", UNSET)

        _signature = d.pop("signature", UNSET)
        signature: PackageSignature | Unset
        if isinstance(_signature, Unset):
            signature = UNSET
        else:
            signature = PackageSignature(_signature)

        _items = d.pop("items", UNSET)
        items: list[Item] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = Item.from_dict(items_item_data)

                items.append(items_item)

        package = cls(
            count=count,
            length=length,
            width=width,
            height=height,
            weight=weight,
            box_type=box_type,
            reference_1=reference_1,
            reference_2=reference_2,
            insurance=insurance,
            is_hazmat=is_hazmat,
            signature=signature,
            items=items,
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
