from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_shipment_length_unit import BatchShipmentLengthUnit
from ..models.batch_shipment_weight_unit import BatchShipmentWeightUnit
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customs_details import CustomsDetails
    from ..models.extra_services import ExtraServices
    from ..models.from_address import FromAddress
    from ..models.package import Package
    from ..models.to_address import ToAddress


T = TypeVar("T", bound="BatchShipment")


@_attrs_define
class BatchShipment:
    """One shipment of a batch. The sender is either a saved address (`from_address_id`) or an inline `from_address`; if
    both are given, `from_address_id` wins.

        Attributes:
            to_address (ToAddress): Receiver address. The batch page's rows for this container are cut off in every
                available copy; the fields below are inferred from the sibling Create Parcel Order page, the batch example and
                FromAddress (email), and other fields are allowed through because the batch page may list more.
            package_list (list[Package]): All the packages of this shipment.
            from_address_id (int | Unset): Id of a saved sender address (address book). Takes precedence over `from_address`
                when both are sent. One of from_address_id and from_address is required. Example: 1387235969.
            return_address_id (int | Unset): Id of a saved address to use as the return address; it must be one of the saved
                from addresses.
            from_address (FromAddress | Unset): Sender address, needed when from_address_id is absent. Telephone: avoid
                special characters, 10 to 15 digits.
            weight_unit (BatchShipmentWeightUnit | Unset): Weight unit of package_list[].weight. By default the unit is
                taken from the account preferences; this field overrides it.
            length_unit (BatchShipmentLengthUnit | Unset): Length unit of package_list[].length/width/height. By default the
                unit is taken from the account preferences; this field overrides it.
            extra_services (list[ExtraServices] | Unset): The extra services. Typed Array in the doc although its sub-fields
                are named booleans (see x-doc-conflict); no example shows the shape.
            customs_details (CustomsDetails | Unset): Customs details container.
    """

    to_address: ToAddress
    package_list: list[Package]
    from_address_id: int | Unset = UNSET
    return_address_id: int | Unset = UNSET
    from_address: FromAddress | Unset = UNSET
    weight_unit: BatchShipmentWeightUnit | Unset = UNSET
    length_unit: BatchShipmentLengthUnit | Unset = UNSET
    extra_services: list[ExtraServices] | Unset = UNSET
    customs_details: CustomsDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to_address = self.to_address.to_dict()

        package_list = []
        for package_list_item_data in self.package_list:
            package_list_item = package_list_item_data.to_dict()
            package_list.append(package_list_item)

        from_address_id = self.from_address_id

        return_address_id = self.return_address_id

        from_address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.from_address, Unset):
            from_address = self.from_address.to_dict()

        weight_unit: str | Unset = UNSET
        if not isinstance(self.weight_unit, Unset):
            weight_unit = self.weight_unit.value

        length_unit: str | Unset = UNSET
        if not isinstance(self.length_unit, Unset):
            length_unit = self.length_unit.value

        extra_services: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.extra_services, Unset):
            extra_services = []
            for extra_services_item_data in self.extra_services:
                extra_services_item = extra_services_item_data.to_dict()
                extra_services.append(extra_services_item)

        customs_details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.customs_details, Unset):
            customs_details = self.customs_details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "to_address": to_address,
                "package_list": package_list,
            }
        )
        if from_address_id is not UNSET:
            field_dict["from_address_id"] = from_address_id
        if return_address_id is not UNSET:
            field_dict["return_address_id"] = return_address_id
        if from_address is not UNSET:
            field_dict["from_address"] = from_address
        if weight_unit is not UNSET:
            field_dict["weight_unit"] = weight_unit
        if length_unit is not UNSET:
            field_dict["length_unit"] = length_unit
        if extra_services is not UNSET:
            field_dict["extra_services"] = extra_services
        if customs_details is not UNSET:
            field_dict["customs_details"] = customs_details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customs_details import CustomsDetails  # noqa: PLC0415
        from ..models.extra_services import ExtraServices  # noqa: PLC0415
        from ..models.from_address import FromAddress  # noqa: PLC0415
        from ..models.package import Package  # noqa: PLC0415
        from ..models.to_address import ToAddress  # noqa: PLC0415

        d = dict(src_dict)
        to_address = ToAddress.from_dict(d.pop("to_address"))

        package_list = []
        _package_list = d.pop("package_list")
        for package_list_item_data in _package_list:
            package_list_item = Package.from_dict(package_list_item_data)

            package_list.append(package_list_item)

        from_address_id = d.pop("from_address_id", UNSET)

        return_address_id = d.pop("return_address_id", UNSET)

        _from_address = d.pop("from_address", UNSET)
        from_address: FromAddress | Unset
        if isinstance(_from_address, Unset):
            from_address = UNSET
        else:
            from_address = FromAddress.from_dict(_from_address)

        _weight_unit = d.pop("weight_unit", UNSET)
        weight_unit: BatchShipmentWeightUnit | Unset
        if isinstance(_weight_unit, Unset):
            weight_unit = UNSET
        else:
            weight_unit = BatchShipmentWeightUnit(_weight_unit)

        _length_unit = d.pop("length_unit", UNSET)
        length_unit: BatchShipmentLengthUnit | Unset
        if isinstance(_length_unit, Unset):
            length_unit = UNSET
        else:
            length_unit = BatchShipmentLengthUnit(_length_unit)

        _extra_services = d.pop("extra_services", UNSET)
        extra_services: list[ExtraServices] | Unset = UNSET
        if _extra_services is not UNSET:
            extra_services = []
            for extra_services_item_data in _extra_services:
                extra_services_item = ExtraServices.from_dict(extra_services_item_data)

                extra_services.append(extra_services_item)

        _customs_details = d.pop("customs_details", UNSET)
        customs_details: CustomsDetails | Unset
        if isinstance(_customs_details, Unset):
            customs_details = UNSET
        else:
            customs_details = CustomsDetails.from_dict(_customs_details)

        batch_shipment = cls(
            to_address=to_address,
            package_list=package_list,
            from_address_id=from_address_id,
            return_address_id=return_address_id,
            from_address=from_address,
            weight_unit=weight_unit,
            length_unit=length_unit,
            extra_services=extra_services,
            customs_details=customs_details,
        )

        batch_shipment.additional_properties = d
        return batch_shipment

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
