"""WeChatTokenManager: caching, expiry with the refresh buffer, invalidation, both endpoints, typed errors."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from shipspec import settings
from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.errors import (
    AmbiguousTimeoutError,
    AuthError,
    CarrierError,
    ConnectError,
    QuotaError,
    ResponseDecodeError,
    RetryableError,
)
from shipspec.tokens import FileTokenStore, MemoryTokenStore, TokenRecord

from .fake_wechat import APPID, SECRET
from .helpers import Clock, TokenServer, make_manager


def test_fresh_token_is_fetched_once_and_cached() -> None:
    """The first call POSTs stable_token with the documented body; later calls use the stored token."""
    server, clock, store = TokenServer(), Clock(1_000.0), MemoryTokenStore()
    manager = make_manager(server, store, clock)
    assert manager.get_token() == "tok-1"
    assert manager.get_token() == "tok-1"
    assert len(server.requests) == 1
    request = server.requests[0]
    assert (request.method, request.url.path) == ("POST", "/cgi-bin/stable_token")
    assert server.body(0) == {
        "grant_type": "client_credential",
        "appid": APPID,
        "secret": SECRET,
        "force_refresh": False,
    }
    assert store.load(manager.key) == TokenRecord(access_token="tok-1", expires_at=1_000.0 + 7200)


def test_expiry_minus_buffer_triggers_refresh() -> None:
    """The token is reused until expires_at - refresh_buffer, then fetched again."""
    server, clock = TokenServer(), Clock(1_000.0)
    manager = make_manager(server, clock=clock)
    assert manager.get_token() == "tok-1"  # expires at 8200
    clock.now = 8_200.0 - settings.WECHAT_TOKEN_REFRESH_BUFFER_SECONDS - 0.5
    assert manager.get_token() == "tok-1"
    clock.now = 8_200.0 - settings.WECHAT_TOKEN_REFRESH_BUFFER_SECONDS
    assert manager.get_token() == "tok-2"
    assert len(server.requests) == 2


def test_invalidate_clears_only_the_token_that_failed() -> None:
    """Invalidating an older token keeps the current one; invalidating the current one forces a fetch."""
    server = TokenServer()
    manager = make_manager(server)
    assert manager.get_token() == "tok-1"
    manager.invalidate("tok-0")  # someone else's stale token: tok-1 must survive
    assert manager.get_token() == "tok-1"
    manager.invalidate("tok-1")
    assert manager.get_token() == "tok-2"
    assert len(server.requests) == 2


def test_async_invalidate_clears_only_the_token_that_failed() -> None:
    """The async invalidate has the same compare-and-clear meaning."""
    server = TokenServer()
    manager = make_manager(server)

    async def scenario() -> list[str]:
        first = await manager.aget_token()
        await manager.ainvalidate("tok-0")
        kept = await manager.aget_token()
        await manager.ainvalidate("tok-1")
        return [first, kept, await manager.aget_token()]

    assert asyncio.run(scenario()) == ["tok-1", "tok-1", "tok-2"]


def test_force_refresh_only_when_asked() -> None:
    """force_refresh=true is sent only by get_token(force_refresh=True), even over a valid token."""
    server = TokenServer()
    manager = make_manager(server)
    manager.get_token()
    assert manager.get_token(force_refresh=True) == "tok-2"
    assert [server.body(i)["force_refresh"] for i in range(2)] == [False, True]  # type: ignore[index]


class RacingStore(MemoryTokenStore):
    """A store where another caller saves ``tok-other`` while this one waits for the lock."""

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        with super().lock(key):
            self.save(key, TokenRecord(access_token="tok-other", expires_at=1e12))
            yield


@pytest.mark.parametrize("force_refresh", [False, True])
def test_recheck_after_the_lock_uses_the_token_another_caller_saved(force_refresh: bool) -> None:
    """After waiting for the lock the store is read again, and a token saved meanwhile is used as is."""
    server = TokenServer()

    def manager_over_stale_token() -> WeChatTokenManager:
        store = RacingStore()
        store.save("k", TokenRecord(access_token="tok-stale", expires_at=1e12 if force_refresh else 0.0))
        return make_manager(server, store, key="k")

    assert manager_over_stale_token().get_token(force_refresh=force_refresh) == "tok-other"
    assert asyncio.run(manager_over_stale_token().aget_token(force_refresh=force_refresh)) == "tok-other"
    assert server.requests == []


def test_async_fetch_once_and_cache() -> None:
    """aget_token fetches through the async client once, then reads the store."""
    server = TokenServer()
    manager = make_manager(server)

    async def twice() -> tuple[str, str]:
        return await manager.aget_token(), await manager.aget_token()

    assert asyncio.run(twice()) == ("tok-1", "tok-1")
    assert len(server.requests) == 1


def test_classic_endpoint_is_a_get_with_query_and_its_own_key() -> None:
    """use_stable_token=False calls GET cgi-bin/token and stores under a key apart from stable tokens."""
    server = TokenServer()
    manager = make_manager(server, use_stable_token=False)
    assert manager.get_token() == "tok-1"
    request = server.requests[0]
    assert (request.method, request.url.path) == ("GET", "/cgi-bin/token")
    assert dict(request.url.params) == {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    assert manager.key.endswith(".classic")
    assert make_manager(server).key.endswith(".stable")


def test_token_calls_carry_the_default_timeout() -> None:
    """No token call goes out without a timeout (settings.DEFAULT_TIMEOUT unless given)."""
    server = TokenServer()
    make_manager(server).get_token()
    asyncio.run(make_manager(server).aget_token())
    expected = settings.DEFAULT_TIMEOUT.as_dict()
    assert [r.extensions["timeout"] for r in server.requests] == [expected, expected]


@pytest.mark.parametrize(
    ("errcode", "error_type", "attempts"),
    [
        (40013, AuthError, 1),
        (40001, AuthError, 1),
        (40164, AuthError, 1),
        (45009, QuotaError, 1),  # the daily quota: resending only burns more of it
        (-1, RetryableError, settings.MAX_ATTEMPTS),
    ],
)
def test_errcodes_of_token_calls_are_typed(
    errcode: int, error_type: type[CarrierError], attempts: int | None
) -> None:
    """Token-call errcodes become the documented kind; only -1 is retried; 40001 (wrong secret) is auth."""
    server = TokenServer(answer=lambda _: httpx.Response(200, json={"errcode": errcode, "errmsg": "no"}))
    manager = make_manager(server)
    with pytest.raises(error_type) as caught:
        manager.get_token()
    assert type(caught.value) is error_type
    assert (caught.value.code, caught.value.operation) == (errcode, "getStableAccessToken")
    assert attempts is None or len(server.requests) == attempts
    assert manager.store.load(manager.key) is None


def test_busy_token_endpoint_is_retried_until_it_answers() -> None:
    """A -1 "system busy" answer is retried by the transport, and the next token is used."""
    busy = httpx.Response(200, json={"errcode": -1, "errmsg": "system busy"})
    token = httpx.Response(200, json={"access_token": "tok-2", "expires_in": 60})
    server = TokenServer(answer=lambda n: busy if n == 1 else token)
    assert asyncio.run(make_manager(server).aget_token()) == "tok-2"
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>gateway</html>"),
        httpx.Response(200, json={"access_token": "leaky-token-1"}),
        httpx.Response(200, json={"access_token": "leaky-token-1", "expires_in": "soon"}),
        httpx.Response(200, json=["leaky-token-1"]),
    ],
)
def test_undocumented_answers_are_decode_errors_that_withhold_the_body(answer: httpx.Response) -> None:
    """A success answer without a usable token is a ResponseDecodeError whose text never quotes the body."""
    manager = make_manager(TokenServer(answer=lambda _: answer))
    with pytest.raises(ResponseDecodeError) as caught:
        manager.get_token()
    assert "leaky-token-1" not in f"{caught.value} {caught.value!r} {caught.value.body_excerpt}"


@pytest.mark.parametrize(
    ("failure", "error_type"),
    [(httpx.ConnectError("refused"), ConnectError), (httpx.ReadTimeout("slow"), AmbiguousTimeoutError)],
)
@pytest.mark.parametrize("use_stable_token", [True, False])
def test_transport_failures_are_retried_then_typed_without_secrets(
    failure: Exception, error_type: type[Exception], use_stable_token: bool
) -> None:
    """Network failures of a token call are retried, then raised typed, naming no secret (GET has it)."""

    def fail(_: int) -> httpx.Response:
        raise failure

    server = TokenServer(answer=fail)
    manager = make_manager(server, use_stable_token=use_stable_token)
    with pytest.raises(error_type) as caught:
        manager.get_token()
    assert SECRET not in f"{caught.value} {caught.value!r}"
    assert len(server.requests) == settings.MAX_ATTEMPTS


def test_a_forced_refresh_is_not_resent_after_an_ambiguous_failure() -> None:
    """force_refresh spends a daily quota: after a read timeout it is not sent again."""

    def fail(_: int) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    server = TokenServer(answer=fail)
    with pytest.raises(AmbiguousTimeoutError):
        make_manager(server).get_token(force_refresh=True)
    assert len(server.requests) == 1


def test_repr_hides_the_secret() -> None:
    """The manager's repr names the app and key, never the secret."""
    manager = make_manager(TokenServer())
    assert SECRET not in repr(manager)
    assert APPID in repr(manager)


def test_a_short_lived_token_is_reused_for_half_its_life() -> None:
    """expires_in 120 s (under twice the 300 s buffer): kept for 60 s, not fetched again on every call."""
    server = TokenServer(
        answer=lambda n: httpx.Response(200, json={"access_token": f"tok-{n}", "expires_in": 120})
    )
    clock = Clock(1_000.0)
    manager = make_manager(server, MemoryTokenStore(), clock)
    assert [manager.get_token() for _ in range(10)] == ["tok-1"] * 10
    clock.now += 59
    assert manager.get_token() == "tok-1"
    clock.now += 2  # past half its life: refreshed
    assert manager.get_token() == "tok-2"
    assert len(server.requests) == 2


def test_issued_at_round_trips_through_the_file_store(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path)
    store.save("k", TokenRecord(access_token="a", expires_at=2_000.0, issued_at=1_880.0))
    loaded = store.load("k")
    assert loaded is not None
    assert loaded.issued_at == 1_880.0
    assert loaded.is_fresh(1_930.0, buffer=300.0)
    assert not loaded.is_fresh(1_941.0, buffer=300.0)
