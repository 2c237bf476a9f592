from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SendDeliveryResponse")


@_attrs_define
class SendDeliveryResponse:
    """Result of product/delivery/send: errcode 0 and errmsg "ok" on success. errcode is required: the doc's response table
    and both its examples carry it, and an answer without it cannot say the order shipped (the runtime refuses it as
    undocumented rather than reading it as success). errmsg stays optional.

        Example:
            {'errcode': 0, 'errmsg': 'ok'}

        Attributes:
            errcode (int): Error code; 0 means success (doc type "number"). Example: 0.
            errmsg (str | Unset): Error message. Real messages often end with " rid: <request id>" or " hint: [<id>]"; match
                on the start of the text and use the suffix only as a request id for support. Example: ok.
    """

    errcode: int
    errmsg: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errcode = self.errcode

        errmsg = self.errmsg

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errcode": errcode,
            }
        )
        if errmsg is not UNSET:
            field_dict["errmsg"] = errmsg

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        errcode = d.pop("errcode")

        errmsg = d.pop("errmsg", UNSET)

        send_delivery_response = cls(
            errcode=errcode,
            errmsg=errmsg,
        )

        send_delivery_response.additional_properties = d
        return send_delivery_response

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
