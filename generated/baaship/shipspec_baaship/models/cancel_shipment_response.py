from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CancelShipmentResponse")


@_attrs_define
class CancelShipmentResponse:
    """Success envelope of cancelShipment. Unlike the other operations it has no `data`: the cancelled waybill is a top-
    level member.

        Attributes:
            success (bool): true on success. Example: True.
            code (int): 200 on success; any other value is a failure. Example: 200.
            waybill (str): Tracking number of the cancelled shipment. Example: T80000045.
            message (str | Unset): Message of the request. Example: success.
            request_id (str | Unset): Request ID. Example: 65bcecc674687425.
    """

    success: bool
    code: int
    waybill: str
    message: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        code = self.code

        waybill = self.waybill

        message = self.message

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "code": code,
                "waybill": waybill,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if request_id is not UNSET:
            field_dict["requestId"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success")

        code = d.pop("code")

        waybill = d.pop("waybill")

        message = d.pop("message", UNSET)

        request_id = d.pop("requestId", UNSET)

        cancel_shipment_response = cls(
            success=success,
            code=code,
            waybill=waybill,
            message=message,
            request_id=request_id,
        )

        cancel_shipment_response.additional_properties = d
        return cancel_shipment_response

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
