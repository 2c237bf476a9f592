"""One entry point per carrier: credentials per spec, typed errors, default timeouts, no secrets shown."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from shipspec.carriers import baaship, deftship, tiktok_shop, wechat_shop
from shipspec.errors import AuthError, ConfigError, NotFoundError, TokenExpiredError
from shipspec.settings import DEFAULT_TIMEOUT, instant_backoff
from shipspec_baaship.api.baaship import get_tracking
from shipspec_deftship.api.deftship import get_batch
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import BatchShipPackagesRequest
from shipspec_wechat_shop.api.wechat_shop import get_delivery_company_list

from tests.support.http_server import Reply, ScriptedServer

SECRETS = (
    "app-secret-123",
    "access-tok-456",
    "baaship-tok-789",
    "deft-tok-012",
    "wx-secret-345",
    "wx-tok-678",
)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """A scripted server on a free port of 127.0.0.1, stopped after the test."""
    with ScriptedServer() as running, instant_backoff():
        yield running


def _no_secret_in(*objects: object) -> None:
    text = " ".join(repr(obj) + str(obj) for obj in objects)
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, f"secrets shown: {leaked}"


def test_baaship_sends_the_token_header_and_raises_typed_errors(server: ScriptedServer) -> None:
    """The token goes in the `token` header; 1004 on /tracking becomes NotFoundError."""
    server.script(
        Reply(body={"success": False, "code": 1004, "message": "no such waybill", "requestId": "r1"})
    )
    client = baaship.client(token="baaship-tok-789", base_url=server.url)
    with client, pytest.raises(NotFoundError) as caught:
        get_tracking.sync(client=client, waybill="W1")
    assert server.requests[0].headers["token"] == "baaship-tok-789"
    assert caught.value.request_id == "r1"
    _no_secret_in(client, caught.value)


def test_baaship_defaults_to_the_test_server() -> None:
    """Without base_url the documented test host is used; production must be asked for."""
    assert baaship.client(token="t").get_httpx_client().base_url.host == "apitest.baaship.com"
    assert baaship.client(token="t", environment="production").get_httpx_client().base_url.host == (
        "api.baaship.com"
    )
    with pytest.raises(ConfigError, match="baaship: environment must be one of production, test, not 'prod'"):
        baaship.client(token="t", environment="prod")  # type: ignore[arg-type]


def test_wechat_client_takes_the_setting_name_and_the_old_keyword_warns() -> None:
    """use_classic_token= matches the setting; use_stable_token= still works with a DeprecationWarning."""
    classic = wechat_shop.client(appid="wx", secret="s", use_classic_token=True)
    assert not _token_manager(classic).use_stable_token
    assert _token_manager(wechat_shop.client(appid="wx", secret="s")).use_stable_token
    with pytest.warns(DeprecationWarning, match="use_classic_token"):
        old = wechat_shop.client(appid="wx", secret="s", use_stable_token=False)
    assert not _token_manager(old).use_stable_token


def _token_manager(client: Any) -> Any:
    return client.get_httpx_client().auth._tokens


def test_deftship_needs_a_base_url_and_sends_a_bearer_token(server: ScriptedServer) -> None:
    """DeftShip has no default host; the token goes in Authorization: Bearer."""
    with pytest.raises(ValueError, match="base_url"):
        deftship.client(api_token="deft-tok-012", base_url="")
    server.script(Reply(status=401, body={"success": False, "message": "Unauthenticated."}))
    client = deftship.client(api_token="deft-tok-012", base_url=server.url)
    with client, pytest.raises(AuthError):
        get_batch.sync("B1", client=client)
    assert server.requests[0].headers["authorization"] == "Bearer deft-tok-012"
    _no_secret_in(client)


def test_tiktok_signs_and_adds_common_parameters(server: ScriptedServer) -> None:
    """The TikTok client adds app_key, timestamp, shop_cipher and sign, and the token header."""
    server.script(Reply(body={"code": 0, "message": "Success", "request_id": "r", "data": {"errors": []}}))
    client = tiktok_shop.client(
        app_key="key1",
        app_secret="app-secret-123",
        access_token="access-tok-456",
        shop_cipher="SHOP1",
        base_url=server.url,
    )
    body = BatchShipPackagesRequest.from_dict({"packages": [{"id": "P1"}]})
    with client:
        result = batch_ship_packages.sync(client=client, body=body, shop_cipher="SHOP1")
    assert result is not None
    sent = server.requests[0]
    query = parse_qs(urlsplit(sent.path).query)
    assert set(query) == {"app_key", "timestamp", "shop_cipher", "sign"}
    assert len(query["timestamp"][0]) == 10
    assert len(query["sign"][0]) == 64
    assert sent.headers["x-tts-access-token"] == "access-tok-456"
    _no_secret_in(client, client.get_httpx_client().auth)


def test_wechat_fetches_a_token_and_refreshes_once_on_expiry(server: ScriptedServer) -> None:
    """The WeChat client gets a stable token, and on 42001 refreshes once and resends once."""
    server.script(
        Reply(body={"access_token": "wx-tok-678", "expires_in": 7200}),
        Reply(body={"errcode": 42001, "errmsg": "access_token expired rid: 1"}),
        Reply(body={"access_token": "wx-tok-999", "expires_in": 7200}),
        Reply(
            body={
                "errcode": 0,
                "errmsg": "ok",
                "company_list": [{"delivery_id": "SF", "delivery_name": "SF"}],
            }
        ),
    )
    client = wechat_shop.client(appid="wx1", secret="wx-secret-345", base_url=server.url)
    with client:
        answer = get_delivery_company_list.sync(client=client)
    assert answer is not None
    paths = [urlsplit(request.path) for request in server.requests]
    assert [path.path for path in paths] == [
        "/cgi-bin/stable_token",
        "/product/delivery/get_company_list",
        "/cgi-bin/stable_token",
        "/product/delivery/get_company_list",
    ]
    assert parse_qs(paths[3].query)["access_token"] == ["wx-tok-999"]
    assert json.loads(server.requests[0].body)["secret"] == "wx-secret-345"
    _no_secret_in(client)


def test_wechat_gives_up_after_one_refresh(server: ScriptedServer) -> None:
    """A second token-expired answer after the refresh raises instead of looping."""
    expired = Reply(body={"errcode": 42001, "errmsg": "access_token expired"})
    token = Reply(body={"access_token": "wx-tok-678", "expires_in": 7200})
    server.script(token, expired, token, expired)
    client = wechat_shop.client(appid="wx1", secret="wx-secret-345", base_url=server.url)
    with client, pytest.raises(TokenExpiredError):
        get_delivery_company_list.sync(client=client)
    assert len(server.requests) == 4


@pytest.mark.parametrize("carrier", ["baaship", "deftship", "tiktok_shop", "wechat_shop"])
def test_every_client_has_a_default_timeout_sync_and_async(carrier: str) -> None:
    """No client is ever built without a timeout, sync or async."""
    factories: dict[str, Callable[[], Any]] = {
        "baaship": lambda: baaship.client(token="t"),
        "deftship": lambda: deftship.client(api_token="t", base_url="http://127.0.0.1:9"),
        "tiktok_shop": lambda: tiktok_shop.client(app_key="k", app_secret="s", access_token="a"),
        "wechat_shop": lambda: wechat_shop.client(appid="wx", secret="s"),
    }
    built = factories[carrier]()
    for http in (built.get_httpx_client(), built.get_async_httpx_client()):
        assert http.timeout == DEFAULT_TIMEOUT
        assert http.timeout.read is not None


def test_async_path_raises_typed_errors_too(server: ScriptedServer) -> None:
    """The async httpx client of an entry point has the same auth and typed errors."""
    server.script(
        Reply(body={"success": False, "code": 1001, "message": "Token incorrect", "requestId": "r"})
    )
    client = baaship.client(token="baaship-tok-789", base_url=server.url)

    async def call() -> None:
        async with client:
            await get_tracking.asyncio(client=client, waybill="W1")

    with pytest.raises(AuthError):
        asyncio.run(call())
    assert server.requests[0].headers["token"] == "baaship-tok-789"


def test_a_custom_timeout_is_used() -> None:
    """A timeout passed to an entry point replaces the default."""
    custom = httpx.Timeout(3.0)
    assert baaship.client(token="t", timeout=custom).get_httpx_client().timeout == custom
