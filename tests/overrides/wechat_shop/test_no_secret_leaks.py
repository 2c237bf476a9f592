"""The app secret and access tokens never show in reprs, exception texts or log output (httpx's included)."""

from __future__ import annotations

import logging

import httpx
import pytest
from shipspec.carriers.wechat_shop import WeChatAuth, WeChatTokenManager
from shipspec.errors import AuthError
from shipspec.tokens import MemoryTokenStore, TokenRecord
from shipspec_wechat_shop import Client
from shipspec_wechat_shop.api.wechat_shop import get_delivery_company_list
from shipspec_wechat_shop.models import GetDeliveryCompanyListRequest

from .fake_wechat import APPID, SECRET, FakeWeChat


def test_logs_reprs_and_errors_carry_no_secret(wechat: FakeWeChat, caplog: pytest.LogCaptureFixture) -> None:
    """A classic-token fetch (secret in the URL), a rejected token, a refresh and a failure leak nothing."""
    store = MemoryTokenStore()
    manager = WeChatTokenManager(APPID, SECRET, store, base_url=wechat.url, use_stable_token=False)
    store.save(manager.key, TokenRecord(access_token="tok-old", expires_at=1e12))
    auth = WeChatAuth(manager)
    client = Client(base_url=wechat.url, timeout=httpx.Timeout(10.0), httpx_args={"auth": auth})
    with caplog.at_level(logging.DEBUG), client:
        get_delivery_company_list.sync_detailed(client=client, body=GetDeliveryCompanyListRequest())
        record = store.load(manager.key)
        wechat.token_errcode = 40013
        store.clear(manager.key)
        with pytest.raises(AuthError) as caught:
            manager.get_token()
    assert wechat.business_tokens == ["tok-old", "tok-1"]
    assert record is not None
    assert "HTTP Request: GET" in caplog.text  # httpx's URL lines were captured, then masked
    shown = " ".join(
        [
            caplog.text,
            str(caught.value),
            repr(caught.value),
            repr(manager),
            repr(auth),
            repr(record),
        ]
    )
    for secret in (SECRET, "tok-old", "tok-1"):
        assert secret not in shown
