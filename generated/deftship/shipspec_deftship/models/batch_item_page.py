from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_item import BatchItem


T = TypeVar("T", bound="BatchItemPage")


@_attrs_define
class BatchItemPage:
    """One page of batch items (Laravel simple-pagination fields). No page parameter is documented for Get Batch; follow
    `next_page_url` as given.

        Attributes:
            current_page (int | Unset): Number of this page.
            data (list[BatchItem] | Unset): The items on this page.
            first_page_url (str | Unset): URL of the first page.
            from_ (int | None | Unset): Position of the first item on this page (null when the page is empty).
            next_page_url (None | str | Unset): URL of the next page, null on the last page.
            path (str | Unset): URL of the item list without the page query.
            per_page (int | Unset): Items per page.
            prev_page_url (None | str | Unset): URL of the previous page, null on the first page.
            to (int | None | Unset): Position of the last item on this page (null when the page is empty).
    """

    current_page: int | Unset = UNSET
    data: list[BatchItem] | Unset = UNSET
    first_page_url: str | Unset = UNSET
    from_: int | None | Unset = UNSET
    next_page_url: None | str | Unset = UNSET
    path: str | Unset = UNSET
    per_page: int | Unset = UNSET
    prev_page_url: None | str | Unset = UNSET
    to: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current_page = self.current_page

        data: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = []
            for data_item_data in self.data:
                data_item = data_item_data.to_dict()
                data.append(data_item)

        first_page_url = self.first_page_url

        from_: int | None | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        else:
            from_ = self.from_

        next_page_url: None | str | Unset
        if isinstance(self.next_page_url, Unset):
            next_page_url = UNSET
        else:
            next_page_url = self.next_page_url

        path = self.path

        per_page = self.per_page

        prev_page_url: None | str | Unset
        if isinstance(self.prev_page_url, Unset):
            prev_page_url = UNSET
        else:
            prev_page_url = self.prev_page_url

        to: int | None | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        else:
            to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if current_page is not UNSET:
            field_dict["current_page"] = current_page
        if data is not UNSET:
            field_dict["data"] = data
        if first_page_url is not UNSET:
            field_dict["first_page_url"] = first_page_url
        if from_ is not UNSET:
            field_dict["from"] = from_
        if next_page_url is not UNSET:
            field_dict["next_page_url"] = next_page_url
        if path is not UNSET:
            field_dict["path"] = path
        if per_page is not UNSET:
            field_dict["per_page"] = per_page
        if prev_page_url is not UNSET:
            field_dict["prev_page_url"] = prev_page_url
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item import BatchItem  # noqa: PLC0415

        d = dict(src_dict)
        current_page = d.pop("current_page", UNSET)

        _data = d.pop("data", UNSET)
        data: list[BatchItem] | Unset = UNSET
        if _data is not UNSET:
            data = []
            for data_item_data in _data:
                data_item = BatchItem.from_dict(data_item_data)

                data.append(data_item)

        first_page_url = d.pop("first_page_url", UNSET)

        def _parse_from_(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_next_page_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_page_url = _parse_next_page_url(d.pop("next_page_url", UNSET))

        path = d.pop("path", UNSET)

        per_page = d.pop("per_page", UNSET)

        def _parse_prev_page_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prev_page_url = _parse_prev_page_url(d.pop("prev_page_url", UNSET))

        def _parse_to(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        batch_item_page = cls(
            current_page=current_page,
            data=data,
            first_page_url=first_page_url,
            from_=from_,
            next_page_url=next_page_url,
            path=path,
            per_page=per_page,
            prev_page_url=prev_page_url,
            to=to,
        )

        batch_item_page.additional_properties = d
        return batch_item_page

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
