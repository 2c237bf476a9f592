from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.batch import Batch


T = TypeVar("T", bound="BatchEnvelope")


@_attrs_define
class BatchEnvelope:
    """Success envelope.

    Example:
        {'success': True, 'data': {'id': '12345678', 'status': 'validating', 'default_service': 'USPS-3',
            'default_shipper_id': '99999999'}}

    Attributes:
        success (bool): Always true in this shape. Example: True.
        data (Batch): A batch. Create Batch and Add Items return id, status, default_service and default_shipper_id;
            Ship Batch and Remove Items add `results`; Get Batch adds `items` and, once completed, `labels`.
    """

    success: bool
    data: Batch
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch import Batch  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = Batch.from_dict(d.pop("data"))

        batch_envelope = cls(
            success=success,
            data=data,
        )

        batch_envelope.additional_properties = d
        return batch_envelope

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
