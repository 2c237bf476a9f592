"""Pacing without servers: rate texts, the GCRA step, the local pacer, what an answer asks, the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from shipspec import settings
from shipspec.config import CarrierSettings, ConfigError
from shipspec.errors import CarrierError, QuotaError, RetryableError
from shipspec.pacing import (
    LocalPacer,
    Rate,
    RedisPacer,
    Ticket,
    gcra,
    hold_seconds,
    pacer_from_settings,
    parse_rate,
)
from shipspec.tokens import FileTokenStore, RedisTokenStore, store_from_settings


@pytest.mark.parametrize(
    ("text", "count", "period"),
    [
        ("20/s", 20, 1.0),
        ("600/min", 600, 60.0),
        (" 5 / 2s ", 5, 2.0),
        ("1000/hour", 1000, 3600.0),
        ("3/secs", 3, 1.0),
        ("7/h", 7, 3600.0),
        ("1/0.5s", 1, 0.5),
    ],
)
def test_rates_read_from_text(text: str, count: int, period: float) -> None:
    """A count per period in the forms the README lists."""
    assert parse_rate(text) == Rate(count, period)


@pytest.mark.parametrize("text", ["", "20", "20/ms", "0/s", "-1/s", "x/s", "20/0s", "20 per second", "20/m"])
def test_bad_rates_are_refused(text: str) -> None:
    """Anything else is a ValueError saying the expected form (milliseconds and a bare "m" included)."""
    with pytest.raises(ValueError, match=r"20/s|at least 1"):
        parse_rate(text)


def test_gcra_spaces_requests_by_the_interval() -> None:
    """A request goes when the TAT has passed and pushes it one interval on; otherwise the wait is the gap."""
    assert gcra(0.0, 100.0, 0.5) == (0.0, 100.5)
    assert gcra(100.5, 100.2, 0.5) == pytest.approx((0.3, 100.5))
    assert gcra(100.5, 100.5, 0.5) == (0.0, 101.0)
    assert gcra(100.5, 200.0, 0.5) == (0.0, 200.5)  # an idle spell saves up no burst


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_local_pacer_allows_the_rate_and_no_more() -> None:
    """At 4/s: one slot now, the next in 0.25 s; a wait takes no slot; after the gap one goes again."""
    clock = Clock()
    pacer = LocalPacer(Rate(4, 1.0), clock=clock)
    assert pacer.reserve() == 0.0
    assert pacer.reserve() == pytest.approx(0.25)
    assert pacer.reserve() == pytest.approx(0.25)  # asking again took nothing
    clock.now += 0.25
    assert pacer.reserve() == 0.0


def test_local_pacer_counts_a_request_until_a_period_after_its_answer() -> None:
    """At 2/s: two requests in flight fill the window however long ago they went; an answered one leaves it
    one period after its answer (it arrived at the carrier at some point before that answer)."""
    clock = Clock()
    pacer = LocalPacer(Rate(2, 1.0), clock=clock)
    first = Ticket.new(60.0)
    assert pacer.reserve(first) == 0.0
    clock.now += 0.5
    assert pacer.reserve(Ticket.new(60.0)) == 0.0
    clock.now += 5.0
    assert pacer.reserve(Ticket.new()) == pytest.approx(0.5)  # full: ask again one interval later
    pacer.answered(first)
    clock.now += 0.9
    assert pacer.reserve(Ticket.new()) == pytest.approx(0.1)  # the answered one counts 1 s after its answer
    clock.now += 0.1
    assert pacer.reserve(Ticket.new()) == 0.0


def test_local_pacer_counts_an_unanswered_request_until_its_bound() -> None:
    """A request whose answer never comes (its sender died) counts until its bound plus one period."""
    clock = Clock()
    pacer = LocalPacer(Rate(1, 1.0), clock=clock)
    assert pacer.reserve(Ticket.new(10.0)) == 0.0
    clock.now += 10.5
    assert pacer.reserve(Ticket.new()) == pytest.approx(0.5)
    clock.now += 0.5
    assert pacer.reserve(Ticket.new()) == 0.0


def test_local_pacer_hold_stops_everyone_until_it_passes() -> None:
    """A hold makes reserve wait it out even without a rate; a shorter hold never shortens it."""
    clock = Clock()
    pacer = LocalPacer(None, clock=clock)
    assert pacer.reserve() == 0.0
    pacer.hold(3.0)
    pacer.hold(1.0)
    assert pacer.reserve() == pytest.approx(3.0)
    clock.now += 3.0
    assert pacer.reserve() == 0.0


def quota(**extra: object) -> CarrierError:
    fields: dict[str, object] = {"carrier": "baaship", "operation": "op", "code": None, "message": "m"}
    return QuotaError(**(fields | extra))  # type: ignore[arg-type]


def test_what_an_answer_asks_of_every_sender() -> None:
    """Retry-After on any error holds that long (capped); a 429 or short-term code 1 s; else nothing."""
    assert hold_seconds(quota(retry_after=2.5, http_status=429)) == 2.5
    assert hold_seconds(quota(retry_after=10**9)) == settings.MAX_CARRIER_PAUSE_SECONDS
    assert hold_seconds(quota(http_status=429)) == settings.QUOTA_PAUSE_SECONDS
    assert hold_seconds(quota(code=36009002, short_term=True)) == settings.QUOTA_PAUSE_SECONDS
    busy = RetryableError(carrier="c", operation="o", code=None, message="m", http_status=503, retry_after=4)
    assert hold_seconds(busy) == 4
    assert hold_seconds(quota(code=45009)) is None  # a daily allowance: no wait makes it pass
    assert hold_seconds(None) is None


def read(**values: str) -> CarrierSettings:
    return CarrierSettings("wechat_shop", values, trim=True)


def test_pacing_settings_pick_the_pacer(redis_url: str) -> None:
    """Nothing set: no pacer (as before); rate_limit: a local pacer; rate_store: one in Redis."""
    assert pacer_from_settings(read()) is None
    local = pacer_from_settings(read(rate_limit="20/s"))
    assert isinstance(local, LocalPacer)
    assert local.rate == Rate(20, 1.0)
    shared = pacer_from_settings(read(rate_limit="600/min", rate_store=redis_url))
    assert isinstance(shared, RedisPacer)
    assert shared.rate == Rate(600, 60.0)
    pauses_only = pacer_from_settings(read(rate_store=redis_url))
    assert isinstance(pauses_only, RedisPacer)
    assert pauses_only.rate is None


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"rate_limit": "fast"}, "'rate_limit' must be a count per time"),
        ({"rate_store": "http://127.0.0.1:6379"}, "'rate_store' is not a Redis URL"),
        ({"rate_store": "redis://127.0.0.1:port"}, "'rate_store' is not a usable Redis URL"),
        ({"token_store": "/var/tokens"}, "'token_store' is not a Redis URL"),
        ({"token_store": "redis://:pw@127.0.0.1:x"}, "'token_store' is not a usable Redis URL"),
        ({"token_store": "redis://127.0.0.1:1", "token_dir": "/tmp/t"}, "'token_store' and 'token_dir'"),
    ],
)
def test_bad_settings_name_the_setting(values: dict[str, str], named: str) -> None:
    """Each bad value is a ConfigError naming carrier and setting, never the value."""
    settings = read(**values)
    build = store_from_settings if "token_store" in values else pacer_from_settings
    with pytest.raises(ConfigError, match=named) as caught:
        build(settings)
    assert "wechat_shop" in str(caught.value)
    assert ":pw@" not in str(caught.value)


def test_token_settings_pick_the_store(redis_url: str, tmp_path: Path) -> None:
    """token_store gives a RedisTokenStore, token_dir a FileTokenStore, neither None."""
    assert isinstance(store_from_settings(read(token_store=redis_url)), RedisTokenStore)
    assert isinstance(store_from_settings(read(token_dir=str(tmp_path))), FileTokenStore)
    assert store_from_settings(read()) is None
