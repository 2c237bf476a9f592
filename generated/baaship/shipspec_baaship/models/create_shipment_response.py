from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shipment_result import ShipmentResult


T = TypeVar("T", bound="CreateShipmentResponse")


@_attrs_define
class CreateShipmentResponse:
    """Success envelope of createShipment.

    Attributes:
        success (bool): true on success. Example: True.
        code (int): 200 on success; any other value is a failure. Example: 200.
        data (list[ShipmentResult] | ShipmentResult): The created shipment; an array holding it in the doc's example, an
            object per the table.
        message (str | Unset): Message of the request. Example: success.
        request_id (str | Unset): Request ID. Example: 65bcecc674687425.
    """

    success: bool
    code: int
    data: list[ShipmentResult] | ShipmentResult
    message: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.shipment_result import ShipmentResult  # noqa: PLC0415

        success = self.success

        code = self.code

        data: dict[str, Any] | list[dict[str, Any]]
        if isinstance(self.data, ShipmentResult):
            data = self.data.to_dict()
        else:
            data = []
            for data_type_1_item_data in self.data:
                data_type_1_item = data_type_1_item_data.to_dict()
                data.append(data_type_1_item)

        message = self.message

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "code": code,
                "data": data,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if request_id is not UNSET:
            field_dict["requestId"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shipment_result import ShipmentResult  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        code = d.pop("code")

        def _parse_data(data: object) -> list[ShipmentResult] | ShipmentResult:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ShipmentResult.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            data_type_1 = []
            _data_type_1 = data
            for data_type_1_item_data in _data_type_1:
                data_type_1_item = ShipmentResult.from_dict(data_type_1_item_data)

                data_type_1.append(data_type_1_item)

            return data_type_1

        data = _parse_data(d.pop("data"))

        message = d.pop("message", UNSET)

        request_id = d.pop("requestId", UNSET)

        create_shipment_response = cls(
            success=success,
            code=code,
            data=data,
            message=message,
            request_id=request_id,
        )

        create_shipment_response.additional_properties = d
        return create_shipment_response

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
