from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccessTokenResponse")


@_attrs_define
class AccessTokenResponse:
    """Answer of both token endpoints: {access_token, expires_in} on success, {errcode, errmsg} on failure. One schema with
    every field optional (rather than a oneOf) so the generated client parses both shapes into one model; the runtime
    checks errcode before reading access_token.

        Attributes:
            access_token (str | Unset): The access token. Secret. Reserve at least 512 characters to store it (a storage
                minimum, not a documented maximum length). Example: ACCESS_TOKEN.
            expires_in (int | Unset): Lifetime of the token in seconds from now ("within 7200"); WeChat may change it, so
                also refresh reactively on 40001 / 40014 / 42001. Example: 7200.
            errcode (int | Unset): Error code, present on failure only. Example: 40013.
            errmsg (str | Unset): Error message, present on failure only. Real messages often end with " rid: <request id>"
                or " hint: [<id>]". Example: invalid appid.
    """

    access_token: str | Unset = UNSET
    expires_in: int | Unset = UNSET
    errcode: int | Unset = UNSET
    errmsg: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        errcode = self.errcode

        errmsg = self.errmsg

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in
        if errcode is not UNSET:
            field_dict["errcode"] = errcode
        if errmsg is not UNSET:
            field_dict["errmsg"] = errmsg

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("access_token", UNSET)

        expires_in = d.pop("expires_in", UNSET)

        errcode = d.pop("errcode", UNSET)

        errmsg = d.pop("errmsg", UNSET)

        access_token_response = cls(
            access_token=access_token,
            expires_in=expires_in,
            errcode=errcode,
            errmsg=errmsg,
        )

        access_token_response.additional_properties = d
        return access_token_response

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
