from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccessTokenData")


@_attrs_define
class AccessTokenData:
    """Tokens and the authorizing user.

    Attributes:
        access_token (str | Unset): Access token for the x-tts-access-token header. Never log it.
        access_token_expire_in (int | Unset): When the access token expires, as an absolute Unix timestamp in seconds.
            Despite the name this is NOT a duration. Default lifetime is 7 days.
        refresh_token (str | Unset): Refresh token for refreshAccessToken. Never log it.
        refresh_token_expire_in (int | Unset): When the refresh token expires, as an absolute Unix timestamp in seconds
            (NOT a duration); equals the end of the authorization period the seller granted.
        open_id (str | Unset): The authorizing user's open ID.
        seller_name (str | Unset): The seller's name.
        seller_base_region (str | Unset): The seller's base region.
        user_type (int | Unset): Kind of user who authorized: 0 seller, 1 creator, 3 partner.
        granted_scopes (list[str] | Unset): Scopes granted to the token (compare when an API answers 105005).
    """

    access_token: str | Unset = UNSET
    access_token_expire_in: int | Unset = UNSET
    refresh_token: str | Unset = UNSET
    refresh_token_expire_in: int | Unset = UNSET
    open_id: str | Unset = UNSET
    seller_name: str | Unset = UNSET
    seller_base_region: str | Unset = UNSET
    user_type: int | Unset = UNSET
    granted_scopes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        access_token_expire_in = self.access_token_expire_in

        refresh_token = self.refresh_token

        refresh_token_expire_in = self.refresh_token_expire_in

        open_id = self.open_id

        seller_name = self.seller_name

        seller_base_region = self.seller_base_region

        user_type = self.user_type

        granted_scopes: list[str] | Unset = UNSET
        if not isinstance(self.granted_scopes, Unset):
            granted_scopes = self.granted_scopes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if access_token_expire_in is not UNSET:
            field_dict["access_token_expire_in"] = access_token_expire_in
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
        if refresh_token_expire_in is not UNSET:
            field_dict["refresh_token_expire_in"] = refresh_token_expire_in
        if open_id is not UNSET:
            field_dict["open_id"] = open_id
        if seller_name is not UNSET:
            field_dict["seller_name"] = seller_name
        if seller_base_region is not UNSET:
            field_dict["seller_base_region"] = seller_base_region
        if user_type is not UNSET:
            field_dict["user_type"] = user_type
        if granted_scopes is not UNSET:
            field_dict["granted_scopes"] = granted_scopes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("access_token", UNSET)

        access_token_expire_in = d.pop("access_token_expire_in", UNSET)

        refresh_token = d.pop("refresh_token", UNSET)

        refresh_token_expire_in = d.pop("refresh_token_expire_in", UNSET)

        open_id = d.pop("open_id", UNSET)

        seller_name = d.pop("seller_name", UNSET)

        seller_base_region = d.pop("seller_base_region", UNSET)

        user_type = d.pop("user_type", UNSET)

        granted_scopes = cast(list[str], d.pop("granted_scopes", UNSET))

        access_token_data = cls(
            access_token=access_token,
            access_token_expire_in=access_token_expire_in,
            refresh_token=refresh_token,
            refresh_token_expire_in=refresh_token_expire_in,
            open_id=open_id,
            seller_name=seller_name,
            seller_base_region=seller_base_region,
            user_type=user_type,
            granted_scopes=granted_scopes,
        )

        access_token_data.additional_properties = d
        return access_token_data

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
