"""WeChatAuth: token in the query, refresh once and resend once on 40001/40014/42001, never a loop."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from shipspec.carriers.wechat_shop import WeChatAuth, WeChatTokenManager
from shipspec.carriers.wechat_shop.auth import DEFERRED_KINDS_EXTENSION
from shipspec.errors import AuthError
from shipspec.tokens import MemoryTokenStore, TokenRecord
from shipspec_wechat_shop import Client
from shipspec_wechat_shop.api.wechat_shop import get_delivery_company_list
from shipspec_wechat_shop.models import GetDeliveryCompanyListRequest

from .fake_wechat import APPID, SECRET, FakeWeChat
from .helpers import BASE_URL, TokenServer, make_manager

REFRESH_CODES = [40001, 40014, 42001]
SEND_URL = f"{BASE_URL}/product/delivery/send"


def manager_holding(token: str, server: TokenServer) -> WeChatTokenManager:
    """A manager whose store already holds a valid-looking token the carrier may reject."""
    store = MemoryTokenStore()
    manager = make_manager(server, store)
    store.save(manager.key, TokenRecord(access_token=token, expires_at=1e12))
    return manager


def send_request() -> httpx.Request:
    # The caller's own access_token must be replaced, not duplicated.
    return httpx.Request("POST", f"{SEND_URL}?access_token=caller-value&x=1", json={"order_id": 1})


def errcode(request: httpx.Request, code: int) -> httpx.Response:
    return httpx.Response(200, json={"errcode": code, "errmsg": f"code {code}"}, request=request)


@pytest.mark.parametrize("code", REFRESH_CODES)
def test_sync_flow_by_hand_refreshes_once_and_resends_once(code: int) -> None:
    """A refresh code invalidates the used token, fetches one, resends once; a second failure ends it."""
    server = TokenServer()
    manager = manager_holding("tok-old", server)
    flow = WeChatAuth(manager).sync_auth_flow(send_request())
    first = next(flow)
    assert first.url.params.get_list("access_token") == ["tok-old"]
    assert first.url.params["x"] == "1"
    assert first.extensions[DEFERRED_KINDS_EXTENSION] == ("refresh_token",)
    second = flow.send(errcode(first, code))
    assert second.url.params.get_list("access_token") == ["tok-1"]
    assert second.content == first.content
    assert DEFERRED_KINDS_EXTENSION not in second.extensions
    with pytest.raises(StopIteration):
        flow.send(errcode(second, 42001))  # bounded: no second refresh
    assert len(server.requests) == 1
    assert manager.store.load(manager.key) == TokenRecord(access_token="tok-1", expires_at=1_000.0 + 7200)


@pytest.mark.parametrize("code", [0, -1, 45009, 41001, 109001])
def test_other_answers_end_the_flow_without_a_refresh(code: int) -> None:
    """Success and errors of other kinds are returned at once; no token is fetched or dropped."""
    server = TokenServer()
    manager = manager_holding("tok-old", server)
    flow = WeChatAuth(manager).sync_auth_flow(send_request())
    first = next(flow)
    with pytest.raises(StopIteration):
        flow.send(errcode(first, code))
    assert server.requests == []
    assert manager.get_token() == "tok-old"


def test_token_calls_pass_through_untouched() -> None:
    """A token call gets no access_token, and its 40001 (wrong secret) never triggers a refresh."""
    server = TokenServer()
    manager = manager_holding("tok-old", server)
    request = httpx.Request("POST", f"{BASE_URL}/cgi-bin/stable_token", json={"appid": APPID})
    flow = WeChatAuth(manager).sync_auth_flow(request)
    sent = next(flow)
    assert "access_token" not in sent.url.params
    with pytest.raises(StopIteration):
        flow.send(errcode(sent, 40001))
    assert server.requests == []


@pytest.mark.parametrize("code", REFRESH_CODES)
def test_async_flow_by_hand_refreshes_once_and_resends_once(code: int) -> None:
    """The async flow does the same with the async token fetch."""
    server = TokenServer()
    manager = manager_holding("tok-old", server)

    async def drive() -> list[str]:
        flow = WeChatAuth(manager).async_auth_flow(send_request())
        first = await flow.__anext__()
        second = await flow.asend(errcode(first, code))
        with pytest.raises(StopAsyncIteration):
            await flow.asend(errcode(second, code))
        return [first.url.params["access_token"], second.url.params["access_token"]]

    assert asyncio.run(drive()) == ["tok-old", "tok-1"]
    assert len(server.requests) == 1


def wechat_client(wechat: FakeWeChat, manager: WeChatTokenManager) -> Client:
    return Client(base_url=wechat.url, timeout=httpx.Timeout(10.0), httpx_args={"auth": WeChatAuth(manager)})


def local_manager(wechat: FakeWeChat, secret: str = SECRET) -> WeChatTokenManager:
    store = MemoryTokenStore()
    manager = WeChatTokenManager(APPID, secret, store, base_url=wechat.url)
    store.save(manager.key, TokenRecord(access_token="tok-old", expires_at=1e12))  # unknown to the server
    return manager


@pytest.mark.parametrize("code", REFRESH_CODES)
def test_generated_client_recovers_from_a_rejected_token(wechat: FakeWeChat, code: int) -> None:
    """Through the generated client on 127.0.0.1: the server sees the old token, then the new one, once."""
    wechat.reject_code = code
    with wechat_client(wechat, local_manager(wechat)) as client:
        answer = get_delivery_company_list.sync_detailed(client=client, body=GetDeliveryCompanyListRequest())
    assert answer.parsed is not None
    assert answer.parsed.errcode == 0
    assert wechat.business_tokens == ["tok-old", "tok-1"]
    assert wechat.token_count == 1


def test_generated_client_returns_a_second_rejection_as_is(wechat: FakeWeChat) -> None:
    """Two 42001 in a row: one refresh, two business calls, and the second answer comes back unchanged."""
    wechat.business_script = [42001, 42001, 0]
    with wechat_client(wechat, local_manager(wechat)) as client:
        answer = get_delivery_company_list.sync_detailed(client=client, body=GetDeliveryCompanyListRequest())
    assert answer.parsed is not None
    assert answer.parsed.errcode == 42001
    assert wechat.business_tokens == ["tok-old", "tok-1"]
    assert wechat.token_count == 1


def test_a_failing_token_call_inside_the_flow_raises_without_looping(wechat: FakeWeChat) -> None:
    """A wrong secret (40001 on the token call) raises AuthError after one token call, one business call."""
    with (
        wechat_client(wechat, local_manager(wechat, secret="wrong-secret")) as client,
        pytest.raises(AuthError) as caught,
    ):
        get_delivery_company_list.sync_detailed(client=client, body=GetDeliveryCompanyListRequest())
    assert caught.value.code == 40001
    assert wechat.token_count == 1
    assert wechat.business_tokens == ["tok-old"]


def test_generated_async_client_recovers_from_a_rejected_token(wechat: FakeWeChat) -> None:
    """The async generated call refreshes through the async flow the same way."""
    client = wechat_client(wechat, local_manager(wechat))

    async def call() -> int | None:
        async with client:
            answer = await get_delivery_company_list.asyncio_detailed(
                client=client, body=GetDeliveryCompanyListRequest()
            )
        return answer.parsed.errcode if answer.parsed is not None else None  # type: ignore[return-value]

    assert asyncio.run(call()) == 0
    assert wechat.business_tokens == ["tok-old", "tok-1"]
    assert wechat.token_count == 1
