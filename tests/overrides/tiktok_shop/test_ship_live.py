"""The generated client's batch_ship_packages with TikTokAuth, against a real HTTP server on 127.0.0.1.

The server checks every signature with the independent PyPI signer (tiktok_shop_api.Signer), so these
tests pass only when shipspec's requests verify with a second implementation.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from shipspec import settings
from shipspec.carriers import tiktok_shop
from shipspec.carriers.tiktok_shop import TikTokAuth, TikTokTokens, package_outcomes
from shipspec.errors import AuthError, TokenExpiredError
from shipspec.hooks import araise_for_envelope, raise_for_envelope
from shipspec.tokens import MemoryTokenStore
from shipspec.transport import AsyncRetryingTransport, RetryingTransport
from shipspec_tiktok_shop import AuthenticatedClient
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import BatchShipPackagesRequest

from .fake_server import APP_KEY, APP_SECRET, SHIP_PATH, SHOP_CIPHER, FakeTikTok

BODY = BatchShipPackagesRequest.from_dict(
    {"packages": [{"id": "P1", "handover_method": "DROP_OFF"}, {"id": "P2"}, {"id": "P3"}]}
)


def _tokens(url: str, app_secret: str = APP_SECRET) -> TikTokTokens:
    tokens = TikTokTokens(app_key=APP_KEY, app_secret=app_secret, store=MemoryTokenStore(), auth_base_url=url)
    tokens.exchange_auth_code("code-1")
    return tokens


def _client(url: str, tokens: TikTokTokens, *, use_async: bool = False) -> AuthenticatedClient:
    """The client a carrier entry point builds: auth flow, retrying transport, typed-error hook, timeout."""
    httpx_args: dict[str, Any] = {"auth": TikTokAuth(tokens)}
    if use_async:
        httpx_args |= {"transport": AsyncRetryingTransport("tiktok_shop")}
        httpx_args |= {"event_hooks": {"response": [araise_for_envelope]}}
    else:
        httpx_args |= {"transport": RetryingTransport("tiktok_shop")}
        httpx_args |= {"event_hooks": {"response": [raise_for_envelope]}}
    # token="" and prefix="": the generated AuthenticatedClient insists on an Authorization header.
    return AuthenticatedClient(
        base_url=url, token="", prefix="", timeout=settings.DEFAULT_TIMEOUT, httpx_args=httpx_args
    )


def _ship_requests(fake: FakeTikTok) -> list[Any]:
    return [seen for seen in fake.seen if seen.path == SHIP_PATH]


def test_ship_requests_verify_and_partial_success_is_reported_per_package(
    fake: FakeTikTok, fake_url: str
) -> None:
    """A signed ship call verifies on the server; its answer maps to shipped / already_shipped / failed."""
    fake.package_errors = {
        "P2": (21011040, "Package has shipped. Please do not retry."),
        "P3": (21011001, "Package not found."),
    }
    with _client(fake_url, _tokens(fake_url)) as client:
        response = batch_ship_packages.sync_detailed(client=client, body=BODY, shop_cipher=SHOP_CIPHER)
    [seen] = _ship_requests(fake)
    assert seen.verdict == "ok"
    query = dict(seen.query)
    assert len(query["timestamp"]) == 10
    assert query["timestamp"].isdigit()
    assert query["shop_cipher"] == SHOP_CIPHER
    assert seen.headers["x-tts-access-token"] == "access-1"
    outcomes = package_outcomes(["P1", "P2", "P3"], response.content)
    assert [(o.package_id, o.status, o.kind) for o in outcomes] == [
        ("P1", "shipped", None),
        ("P2", "already_shipped", "already_done"),
        ("P3", "failed", "not_found"),
    ]


def test_a_tampered_secret_fails_verification(fake: FakeTikTok, fake_url: str) -> None:
    """Signed with the wrong app_secret, the server answers 401/106001: AuthError, no refresh, no resend."""
    fake.app_secret = "the-real-secret"
    tokens = TikTokTokens(
        app_key=APP_KEY, app_secret="the-real-secret", store=MemoryTokenStore(), auth_base_url=fake_url
    )
    tokens.exchange_auth_code("code-1")
    tampered = TikTokTokens(
        app_key=APP_KEY, app_secret="the-real-secreT", store=tokens.store, auth_base_url=fake_url
    )
    with _client(fake_url, tampered) as client, pytest.raises(AuthError) as caught:
        batch_ship_packages.sync_detailed(client=client, body=BODY, shop_cipher=SHOP_CIPHER)
    assert caught.value.code == 106001
    assert [seen.verdict for seen in _ship_requests(fake)] == ["106001"]


def test_expired_token_is_refreshed_and_the_ship_resent_once(fake: FakeTikTok, fake_url: str) -> None:
    """105002 on the first attempt: one refresh, one re-signed resend that verifies, and success."""
    tokens = _tokens(fake_url)
    fake.reject_tokens_times = 1
    with _client(fake_url, tokens) as client:
        response = batch_ship_packages.sync_detailed(client=client, body=BODY, shop_cipher=SHOP_CIPHER)
    assert response.parsed is not None
    assert response.parsed.code == 0
    assert [(seen.path, seen.verdict) for seen in fake.seen] == [
        ("/api/v2/token/get", "ok"),
        (SHIP_PATH, "105002"),
        ("/api/v2/token/refresh", "ok"),
        (SHIP_PATH, "ok"),
    ]
    assert _ship_requests(fake)[1].headers["x-tts-access-token"] == "access-2"


def test_a_second_105002_is_raised_not_looped(fake: FakeTikTok, fake_url: str) -> None:
    """105002 twice: the resend's answer is raised as TokenExpiredError; there is no third attempt."""
    tokens = _tokens(fake_url)
    fake.reject_tokens_times = 2
    with _client(fake_url, tokens) as client, pytest.raises(TokenExpiredError):
        batch_ship_packages.sync_detailed(client=client, body=BODY, shop_cipher=SHOP_CIPHER)
    assert [seen.verdict for seen in _ship_requests(fake)] == ["105002", "105002"]
    assert sum(seen.path == "/api/v2/token/refresh" for seen in fake.seen) == 1


def test_async_client_signs_and_refreshes(fake: FakeTikTok, fake_url: str) -> None:
    """The async client path signs, refreshes once on 105002 and resends, verifying on the server."""
    tokens = _tokens(fake_url)
    fake.reject_tokens_times = 1

    async def ship() -> int:
        async with _client(fake_url, tokens, use_async=True) as client:
            response = await batch_ship_packages.asyncio_detailed(
                client=client, body=BODY, shop_cipher=SHOP_CIPHER
            )
        assert response.parsed is not None
        return response.parsed.code

    assert asyncio.run(ship()) == 0
    assert [seen.verdict for seen in _ship_requests(fake)] == ["105002", "ok"]


def test_the_generated_function_needs_no_shop_cipher_from_a_wired_client(
    fake: FakeTikTok, fake_url: str
) -> None:
    """tiktok_shop.client(shop_cipher=…) adds it, so batch_ship_packages is called without one."""
    tokens = _tokens(fake_url)
    wired = tiktok_shop.client(
        app_key=APP_KEY,
        app_secret=APP_SECRET,
        store=tokens.store,
        key=tokens.key,
        shop_cipher=SHOP_CIPHER,
        base_url=fake_url,
        auth_base_url=fake_url,
    )
    with wired as client:
        batch_ship_packages.sync_detailed(client=client, body=BODY)
    [seen] = _ship_requests(fake)
    assert seen.verdict == "ok"
    assert dict(seen.query)["shop_cipher"] == SHOP_CIPHER
