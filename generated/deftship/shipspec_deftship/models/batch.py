from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_status import BatchStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_item_page import BatchItemPage
    from ..models.batch_results import BatchResults


T = TypeVar("T", bound="Batch")


@_attrs_define
class Batch:
    """A batch. Create Batch and Add Items return id, status, default_service and default_shipper_id; Ship Batch and Remove
    Items add `results`; Get Batch adds `items` and, once completed, `labels`.

        Attributes:
            id (str): The batch hash ID (numeric strings and UUIDs both appear in the docs). Example: 12345678.
            status (BatchStatus): Batch status: validating right after creation or add-items, then ready or invalid;
                processing after Ship Batch, then completed. Example: validating.
            default_service (str | Unset): The service code set for this batch. Example: USPS-3.
            default_shipper_id (str | Unset): The shipper hash ID for this batch (a string, although shipper_id is sent as
                an integer). Example: 99999999.
            results (BatchResults | Unset): Item counters of a batch.
            items (BatchItemPage | Unset): One page of batch items (Laravel simple-pagination fields). No page parameter is
                documented for Get Batch; follow `next_page_url` as given.
            labels (list[str] | Unset): URLs of the merged label PDFs (up to 100 labels each); present only once the batch
                is completed.
    """

    id: str
    status: BatchStatus
    default_service: str | Unset = UNSET
    default_shipper_id: str | Unset = UNSET
    results: BatchResults | Unset = UNSET
    items: BatchItemPage | Unset = UNSET
    labels: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        default_service = self.default_service

        default_shipper_id = self.default_shipper_id

        results: dict[str, Any] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = self.results.to_dict()

        items: dict[str, Any] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = self.items.to_dict()

        labels: list[str] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if default_service is not UNSET:
            field_dict["default_service"] = default_service
        if default_shipper_id is not UNSET:
            field_dict["default_shipper_id"] = default_shipper_id
        if results is not UNSET:
            field_dict["results"] = results
        if items is not UNSET:
            field_dict["items"] = items
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item_page import BatchItemPage  # noqa: PLC0415
        from ..models.batch_results import BatchResults  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = BatchStatus(d.pop("status"))

        default_service = d.pop("default_service", UNSET)

        default_shipper_id = d.pop("default_shipper_id", UNSET)

        _results = d.pop("results", UNSET)
        results: BatchResults | Unset
        if isinstance(_results, Unset):
            results = UNSET
        else:
            results = BatchResults.from_dict(_results)

        _items = d.pop("items", UNSET)
        items: BatchItemPage | Unset
        if isinstance(_items, Unset):
            items = UNSET
        else:
            items = BatchItemPage.from_dict(_items)

        labels = cast(list[str], d.pop("labels", UNSET))

        batch = cls(
            id=id,
            status=status,
            default_service=default_service,
            default_shipper_id=default_shipper_id,
            results=results,
            items=items,
            labels=labels,
        )

        batch.additional_properties = d
        return batch

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
