"""TikTokTokens stores absolute expiries, refreshes single-flight and turns failures into typed errors."""

from __future__ import annotations

import threading

import httpx
import pytest
from shipspec import settings
from shipspec.carriers.tiktok_shop import TikTokTokens
from shipspec.errors import AuthError, ConnectError, ResponseDecodeError

from .helpers import NOW, WEEK, AuthHost, Clock, make_tokens, record


def test_refresh_stores_the_absolute_expiry_as_given() -> None:
    """access_token_expire_in is an absolute Unix time: stored as is, not added to the current time."""
    tokens, _ = make_tokens(Clock(), record())
    fresh = tokens.refresh()
    assert fresh.expires_at == NOW + WEEK
    assert fresh.refresh_expires_at == NOW + 52 * WEEK
    assert tokens.store.load(tokens.key) == fresh


def test_refresh_keeps_the_old_refresh_token_when_none_comes_back() -> None:
    """A refresh answer without refresh_token keeps the stored one (and its expiry)."""
    clock = Clock()
    data = {"access_token": "a2", "access_token_expire_in": int(NOW) + WEEK}
    host = AuthHost(clock, answer={"code": 0, "message": "success", "data": data})
    tokens, _ = make_tokens(clock, record(), host)
    fresh = tokens.refresh()
    assert (fresh.access_token, fresh.refresh_token) == ("a2", "old-refresh")
    assert fresh.refresh_expires_at == NOW + 52 * WEEK


def test_a_duration_instead_of_an_absolute_time_is_refused() -> None:
    """An expiry in the past (a duration such as 604800) is a decode error, not a token expired in 1970."""
    clock = Clock()
    data = {"access_token": "a2", "access_token_expire_in": WEEK, "refresh_token": "r2"}
    host = AuthHost(clock, answer={"code": 0, "message": "success", "data": data})
    tokens, _ = make_tokens(clock, record(), host)
    with pytest.raises(ResponseDecodeError, match="absolute"):
        tokens.refresh()
    assert tokens.store.load(tokens.key) == record()


def test_invalid_auth_code_is_an_auth_error() -> None:
    """36004004 (auth_code invalid, expired or reused) becomes AuthError with the documented name."""
    clock = Clock()
    host = AuthHost(clock, answer={"code": 36004004, "message": "auth code invalid", "data": None})
    tokens, _ = make_tokens(clock, None, host)
    with pytest.raises(AuthError) as caught:
        tokens.exchange_auth_code("used-code")
    assert caught.value.code == 36004004
    assert caught.value.name == "INVALID_AUTH_CODE"


def test_html_answer_is_a_decode_error_that_withholds_the_body() -> None:
    """A non-JSON 200 answer from the token endpoint is a ResponseDecodeError without the body text."""
    tokens = TikTokTokens(
        app_key="k",
        app_secret="s",
        transport=httpx.MockTransport(lambda r: httpx.Response(200, text="<html>x</html>")),
    )
    with pytest.raises(ResponseDecodeError) as caught:
        tokens.exchange_auth_code("c")
    assert "<html>" not in caught.value.body_excerpt


def test_unreachable_auth_host_is_a_connect_error() -> None:
    """A connection failure on a token call is shipspec's ConnectError, not a bare httpx exception."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    tokens = TikTokTokens(app_key="k", app_secret="s", transport=httpx.MockTransport(refuse))
    with settings.instant_backoff(), pytest.raises(ConnectError):
        tokens.exchange_auth_code("c")


def test_nothing_stored_is_an_auth_error() -> None:
    """current() without any stored token asks for the seller's authorization."""
    tokens, host = make_tokens(Clock(), None)
    with pytest.raises(AuthError, match="auth_code"):
        tokens.current()
    assert host.calls == []


def test_token_inside_the_buffer_is_used_when_it_cannot_be_refreshed() -> None:
    """A still-valid token inside the buffer is returned when there is no refresh token to renew it."""
    tokens, host = make_tokens(Clock(), record(expires_in=60, refresh=None))
    assert tokens.current().access_token == "old-access"
    assert host.calls == []


class SlowHost(AuthHost):
    """An authorization host that holds each answer until the test lets it go."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self.entered = threading.Event()
        self.gate = threading.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.entered.set()
        self.gate.wait(timeout=5)
        return super().__call__(request)


def test_concurrent_callers_refresh_once() -> None:
    """Eight threads finding the token stale at once cause one refresh; all get the same new token."""
    clock = Clock()
    tokens, host = make_tokens(clock, record(expires_in=10), SlowHost(clock))
    assert isinstance(host, SlowHost)
    start = threading.Barrier(8)
    results: list[str] = []

    def call() -> None:
        start.wait(timeout=5)
        results.append(tokens.current().access_token)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert host.entered.wait(timeout=5)
    host.gate.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(host.calls) == 1
    assert results == ["fresh-access-1"] * 8


def test_failed_early_refresh_falls_back_to_the_still_valid_token() -> None:
    """Inside the buffer a failing refresh is not fatal while the current token still works."""
    clock = Clock()
    host = AuthHost(clock, answer={"code": 36009003, "message": "Internal error", "data": None})
    tokens, _ = make_tokens(clock, record(expires_in=60), host)
    with settings.instant_backoff():
        assert tokens.current().access_token == "old-access"
    assert host.calls  # the refresh was tried


def test_failed_refresh_of_an_expired_token_is_raised() -> None:
    """Once the token has expired, a failing refresh is the caller's error."""
    clock = Clock()
    host = AuthHost(clock, answer={"code": 36009004, "message": "Invalid app_key", "data": None})
    tokens, _ = make_tokens(clock, record(expires_in=-1), host)
    with pytest.raises(AuthError):
        tokens.current()
