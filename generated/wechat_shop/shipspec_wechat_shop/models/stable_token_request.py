from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stable_token_request_grant_type import StableTokenRequestGrantType
from ..types import UNSET, Unset

T = TypeVar("T", bound="StableTokenRequest")


@_attrs_define
class StableTokenRequest:
    """Body of cgi-bin/stable_token.

    Attributes:
        grant_type (StableTokenRequestGrantType): Always `client_credential`. Example: client_credential.
        appid (str): The app's AppID. Example: APPID.
        secret (str): The app's AppSecret. Secret; never log it. Example: APPSECRET.
        force_refresh (bool | Unset): false (default): return the current stable token, issuing a new one only when it
            is about to expire. true: force a new token now, invalidating the current one; at most 20 a day, at least 30 s
            apart. Default: False. Example: False.
    """

    grant_type: StableTokenRequestGrantType
    appid: str
    secret: str
    force_refresh: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type.value

        appid = self.appid

        secret = self.secret

        force_refresh = self.force_refresh

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "grant_type": grant_type,
                "appid": appid,
                "secret": secret,
            }
        )
        if force_refresh is not UNSET:
            field_dict["force_refresh"] = force_refresh

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grant_type = StableTokenRequestGrantType(d.pop("grant_type"))

        appid = d.pop("appid")

        secret = d.pop("secret")

        force_refresh = d.pop("force_refresh", UNSET)

        stable_token_request = cls(
            grant_type=grant_type,
            appid=appid,
            secret=secret,
            force_refresh=force_refresh,
        )

        stable_token_request.additional_properties = d
        return stable_token_request

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
