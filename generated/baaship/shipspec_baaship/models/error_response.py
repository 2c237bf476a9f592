from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """Failure envelope, shared by every operation: success false, a code from the operation's error table, a message and
    the request ID.

        Attributes:
            success (bool): false on failure. Example: False.
            code (int): Error code from the operation's x-error-codes table. Example: 1001.
            message (str | Unset): Error message (may differ from the table text, e.g. "Token incorrect" for 1001). Example:
                Token incorrect.
            request_id (str | Unset): Request ID. Example: 655c00af45b3a785.
    """

    success: bool
    code: int
    message: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        code = self.code

        message = self.message

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "code": code,
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

        message = d.pop("message", UNSET)

        request_id = d.pop("requestId", UNSET)

        error_response = cls(
            success=success,
            code=code,
            message=message,
            request_id=request_id,
        )

        error_response.additional_properties = d
        return error_response

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
