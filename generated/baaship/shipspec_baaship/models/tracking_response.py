from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tracking_result import TrackingResult


T = TypeVar("T", bound="TrackingResponse")


@_attrs_define
class TrackingResponse:
    """Success envelope of getTracking.

    Attributes:
        success (bool): true on success. Example: True.
        code (int): 200 on success; any other value is a failure. Example: 200.
        data (list[TrackingResult]): Tracking results (one per shipment in the example).
        message (str | Unset): Message of the request. Example: success.
        request_id (str | Unset): Request ID. Example: 6593c83cd7a70494.
    """

    success: bool
    code: int
    data: list[TrackingResult]
    message: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        code = self.code

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

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
        from ..models.tracking_result import TrackingResult  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        code = d.pop("code")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = TrackingResult.from_dict(data_item_data)

            data.append(data_item)

        message = d.pop("message", UNSET)

        request_id = d.pop("requestId", UNSET)

        tracking_response = cls(
            success=success,
            code=code,
            data=data,
            message=message,
            request_id=request_id,
        )

        tracking_response.additional_properties = d
        return tracking_response

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
