from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failure_data import FailureData


T = TypeVar("T", bound="FailureEnvelope")


@_attrs_define
class FailureEnvelope:
    """Failure envelope. Its HTTP status is not published.

    Example:
        {'success': False, 'message': 'Shipper not found or does not meet requirements for batch shipping.'}

    Attributes:
        success (bool): Always false in this shape. Example: False.
        message (str): Human-readable failure text (see the operation's x-error-messages). Example: Shipper not found or
            does not meet requirements for batch shipping..
        data (FailureData | Unset): Optional details of a failure: validation errors keyed by field name (general note
            on the ecommerce parcels page), or the invalid item ids when a batch cannot be shipped.
    """

    success: bool
    message: str
    data: FailureData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        message = self.message

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "message": message,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.failure_data import FailureData  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        message = d.pop("message")

        _data = d.pop("data", UNSET)
        data: FailureData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = FailureData.from_dict(_data)

        failure_envelope = cls(
            success=success,
            message=message,
            data=data,
        )

        failure_envelope.additional_properties = d
        return failure_envelope

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
