"""WeChatAuth inside the full stack (shipspec.wiring: retrying transport + raise_for_envelope hook)."""

from __future__ import annotations

import asyncio

import pytest
from shipspec.carriers.wechat_shop import WeChatAuth, WeChatTokenManager
from shipspec.errors import TokenExpiredError
from shipspec.tokens import MemoryTokenStore, TokenRecord
from shipspec.wiring import wire
from shipspec_wechat_shop import Client
from shipspec_wechat_shop.api.wechat_shop import get_delivery_company_list
from shipspec_wechat_shop.models import GetDeliveryCompanyListRequest

from .fake_wechat import APPID, SECRET, FakeWeChat


def wired_client(wechat: FakeWeChat) -> Client:
    store = MemoryTokenStore()
    manager = WeChatTokenManager(APPID, SECRET, store, base_url=wechat.url)
    store.save(manager.key, TokenRecord(access_token="tok-old", expires_at=1e12))  # unknown to the server
    return wire(
        Client(base_url=wechat.url), carrier="wechat_shop", base_url=wechat.url, auth=WeChatAuth(manager)
    )


def test_hook_lets_the_flow_refresh_a_rejected_token(wechat: FakeWeChat) -> None:
    """The typed-error hook defers the first 42001 to the auth flow, which refreshes and resends once."""
    with wired_client(wechat) as client:
        answer = get_delivery_company_list.sync(client=client, body=GetDeliveryCompanyListRequest())
    assert answer is not None
    assert answer.errcode == 0
    assert wechat.business_tokens == ["tok-old", "tok-1"]
    assert wechat.token_count == 1


def test_a_second_rejection_is_raised_by_the_hook(wechat: FakeWeChat) -> None:
    """When the resend is rejected too, the hook raises TokenExpiredError: one refresh, two calls, no loop."""
    wechat.business_script = [42001, 42001, 0]
    with wired_client(wechat) as client, pytest.raises(TokenExpiredError) as caught:
        get_delivery_company_list.sync(client=client, body=GetDeliveryCompanyListRequest())
    assert caught.value.code == 42001
    assert wechat.business_tokens == ["tok-old", "tok-1"]
    assert wechat.token_count == 1


def test_async_wired_client_refreshes_a_rejected_token(wechat: FakeWeChat) -> None:
    """The same through the async client and async hook."""
    client = wired_client(wechat)

    async def call() -> int | None:
        async with client:
            answer = await get_delivery_company_list.asyncio(
                client=client, body=GetDeliveryCompanyListRequest()
            )
        return None if answer is None else answer.errcode  # type: ignore[return-value]

    assert asyncio.run(call()) == 0
    assert wechat.business_tokens == ["tok-old", "tok-1"]
    assert wechat.token_count == 1
