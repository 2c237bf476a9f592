"""Token exchange and refresh against a real HTTP authorization host on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time

import pytest
from shipspec.carriers.tiktok_shop import TikTokTokens
from shipspec.errors import AuthError, ResponseDecodeError
from shipspec.tokens import MemoryTokenStore

from .fake_server import APP_KEY, APP_SECRET, FakeTikTok


def _tokens(url: str) -> TikTokTokens:
    return TikTokTokens(app_key=APP_KEY, app_secret=APP_SECRET, store=MemoryTokenStore(), auth_base_url=url)


def test_exchange_then_refresh(fake: FakeTikTok, fake_url: str) -> None:
    """An auth_code becomes stored tokens with the server's absolute expiry; refresh replaces them."""
    tokens = _tokens(fake_url)
    before = time.time()
    first = tokens.exchange_auth_code("code-1")
    assert first.access_token == "access-1"
    # Absolute: about now + 7 days, not now + (now + 7 days).
    assert before + 7 * 24 * 3600 - 5 <= first.expires_at <= time.time() + 7 * 24 * 3600 + 5
    second = tokens.refresh()
    assert (second.access_token, second.refresh_token) == ("access-2", "refresh-2")
    assert tokens.current() == second
    paths = [(seen.path, seen.verdict) for seen in fake.seen]
    assert paths == [("/api/v2/token/get", "ok"), ("/api/v2/token/refresh", "ok")]


def test_token_calls_are_unsigned_and_carry_the_documented_grant_types(
    fake: FakeTikTok, fake_url: str
) -> None:
    """Token calls send app_key/app_secret and the literal grant types, and no sign/timestamp/shop_cipher."""
    tokens = _tokens(fake_url)
    tokens.exchange_auth_code("code-1")
    tokens.refresh()
    get, refresh = (dict(seen.query) for seen in fake.seen)
    assert get["grant_type"] == "authorized_code"
    assert refresh["grant_type"] == "refresh_token"
    for query in (get, refresh):
        assert {"sign", "timestamp", "shop_cipher"}.isdisjoint(query)
        assert query["app_secret"] == APP_SECRET
    assert all("x-tts-access-token" not in seen.headers for seen in fake.seen)


def test_reused_auth_code_is_an_auth_error(fake: FakeTikTok, fake_url: str) -> None:
    """The second use of an auth_code answers 36004004, raised as AuthError."""
    tokens = _tokens(fake_url)
    tokens.exchange_auth_code("code-1")
    with pytest.raises(AuthError) as caught:
        tokens.exchange_auth_code("code-1")
    assert caught.value.code == 36004004


def test_duration_shaped_expiry_from_the_server_is_refused(fake: FakeTikTok, fake_url: str) -> None:
    """A server that sends a duration where an absolute time belongs gets a decode error, nothing stored."""
    fake.expire_in_override = 7 * 24 * 3600
    tokens = _tokens(fake_url)
    with pytest.raises(ResponseDecodeError):
        tokens.exchange_auth_code("code-1")
    assert tokens.store.load(tokens.key) is None


def test_async_exchange_and_refresh(fake: FakeTikTok, fake_url: str) -> None:
    """The async methods do the same work from an event loop."""
    tokens = _tokens(fake_url)

    async def run() -> tuple[str, str]:
        first = await tokens.aexchange_auth_code("code-1")
        second = await tokens.arefresh(stale_access_token=first.access_token)
        current = await tokens.acurrent()
        assert current == second
        return first.access_token, second.access_token

    assert asyncio.run(run()) == ("access-1", "access-2")
