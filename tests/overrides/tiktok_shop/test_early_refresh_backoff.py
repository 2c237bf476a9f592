"""A failed EARLY refresh backs off: callers keep the still-valid token instead of refreshing on every call.

Real HTTP on 127.0.0.1 (the in-process fake), counting the refresh requests the authorization host saw; the
clock of the token manager is moved by hand, so nothing depends on how long the test takes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from shipspec import settings
from shipspec.carriers.tiktok_shop import TikTokTokens
from shipspec.errors import ShipspecError
from shipspec.tokens import MemoryTokenStore, TokenRecord

from .fake_server import APP_KEY, APP_SECRET, FakeTikTok, Seen, envelope, running_fake
from .helpers import Clock

REFRESH_PATH = "/api/v2/token/refresh"
KEY = "tiktok_shop.backoff"


class FailingAuthHost(FakeTikTok):
    """The fake API whose refresh endpoint answers ``failure`` (status, envelope) until it is set to None."""

    failure: tuple[int, dict[str, Any]] | None = None

    def _token_refresh(self, seen: Seen, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if self.failure is not None:
            return self.failure
        return super()._token_refresh(seen, query)

    def refreshes(self) -> int:
        with self.lock:
            return sum(seen.path == REFRESH_PATH for seen in self.seen)


UNAVAILABLE = (503, envelope(36009003, "Service unavailable."))
INVALID_REFRESH = (200, envelope(36004004, "refresh_token is invalid, expired or already used."))


@pytest.fixture
def host() -> FailingAuthHost:
    host = FailingAuthHost()
    host.valid_refresh.add("refresh-0")
    return host


@pytest.fixture
def url(host: FailingAuthHost) -> Iterator[str]:
    with running_fake(host) as running, settings.instant_backoff():
        yield running


def _tokens(url: str, clock: Clock, seconds_left: float = 300.0) -> TikTokTokens:
    """A manager holding a token with ``seconds_left`` (inside the 600 s early-refresh window)."""
    store = MemoryTokenStore()
    store.save(KEY, TokenRecord("access-0", clock() + seconds_left, "refresh-0", clock() + 86_400))
    return TikTokTokens(
        app_key=APP_KEY, app_secret=APP_SECRET, store=store, key=KEY, auth_base_url=url, clock=clock
    )


@pytest.mark.parametrize("failure", [UNAVAILABLE, INVALID_REFRESH], ids=["503", "36004004"])
def test_sequential_calls_try_one_early_refresh(
    host: FailingAuthHost, url: str, failure: tuple[int, dict[str, Any]]
) -> None:
    """Ten calls while the early refresh fails: one refresh attempt (its transport retries), not ten."""
    host.failure = failure
    tokens = _tokens(url, Clock(time.time()))
    assert tokens.current().access_token == "access-0"
    one_attempt = host.refreshes()
    assert one_attempt >= 1
    for _ in range(9):
        assert tokens.current().access_token == "access-0"
    assert host.refreshes() == one_attempt


def test_concurrent_callers_try_one_early_refresh(host: FailingAuthHost, url: str) -> None:
    """Ten threads at once: the ones that waited on the lock take the still-valid token, no new attempt."""
    host.failure = UNAVAILABLE
    tokens = _tokens(url, Clock(time.time()))
    start = threading.Barrier(10)
    results: list[str] = []

    def call() -> None:
        start.wait(timeout=5)
        results.append(tokens.current().access_token)

    threads = [threading.Thread(target=call) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == ["access-0"] * 10
    assert host.refreshes() == settings.MAX_ATTEMPTS  # one refresh, retried by the transport


def test_early_attempts_come_back_at_growing_intervals_then_succeed(host: FailingAuthHost, url: str) -> None:
    """After a failure the next early attempt waits a while, the one after longer; success ends it."""
    host.failure = INVALID_REFRESH
    clock = Clock(time.time())
    tokens = _tokens(url, clock)
    tokens.current()
    assert host.refreshes() == 1
    clock.now += 5  # well inside the first pause
    tokens.current()
    assert host.refreshes() == 1
    clock.now += 60  # past the first pause: one new attempt, which fails again
    tokens.current()
    assert host.refreshes() == 2
    clock.now += 20  # the first pause would have passed again, the grown one has not
    tokens.current()
    assert host.refreshes() == 2
    host.failure = None
    clock.now += 120
    assert tokens.current().access_token == "access-1"
    assert host.refreshes() == 3


def test_an_expired_token_is_refreshed_despite_the_pause(host: FailingAuthHost, url: str) -> None:
    """The pause only spares a token that still works: once it has expired, the refresh is tried again."""
    host.failure = INVALID_REFRESH
    clock = Clock(time.time())
    tokens = _tokens(url, clock, seconds_left=30)
    tokens.current()
    assert host.refreshes() == 1
    clock.now += 31
    with pytest.raises(ShipspecError):
        tokens.current()
    assert host.refreshes() == 2
    host.failure = None
    assert tokens.current().access_token == "access-1"
    assert host.refreshes() == 3


def test_a_rejected_token_is_refreshed_despite_the_pause(host: FailingAuthHost, url: str) -> None:
    """refresh(stale_access_token=...) after a 105002 does not wait for the early-refresh pause."""
    host.failure = INVALID_REFRESH
    tokens = _tokens(url, Clock(time.time()))
    tokens.current()
    host.failure = None
    assert tokens.refresh(stale_access_token="access-0").access_token == "access-1"
    assert host.refreshes() == 2
