"""Pacing: how fast one carrier's requests may go, shared by the threads of a process or, through Redis, by
every process and machine that sends to that carrier.

The retrying transports ask their pacer before every attempt and tell it what the carrier answered:

- ``reserve()`` → 0.0 when a slot was taken (send now), else the seconds until one may be free (nothing was
  taken: wait, then ask again). The transport waits at most ``settings.MAX_PACING_WAIT_SECONDS`` over all
  attempts of one request, then raises ``QuotaError`` with ``retry_after`` (nothing sent).
- ``hold(seconds)``: the carrier said "not now" (``hold_seconds``: a Retry-After, an HTTP 429, a quota code
  the spec marks short-term); no request of this carrier goes before then, whoever sends it.

Without a pacer (neither ``rate_limit`` nor ``rate_store`` set: the default) the transports send exactly as
they always did. ``rate_limit`` alone gives a ``LocalPacer`` (this process's threads and tasks);
``rate_store = "redis://…"`` gives a ``RedisPacer`` shared by every process using that Redis, with the
rate limit when one is set and the shared "paused until" always.

Rates use GCRA (the generic cell rate algorithm): one number per carrier, the theoretical arrival time
(TAT). A request may go when ``now >= TAT``; it moves TAT to ``max(TAT, now) + period / count``. So
requests are spaced at least ``period / count`` apart, never more than ``count`` in any ``period``, and an
idle carrier saves up no burst. ``RedisPacer`` runs the same step in one Lua script on Redis's own clock
(``TIME``), so machines with skewed clocks still share one schedule.

Spacing the *sends* is not enough: the carrier counts *arrivals*, and the way there has jitter (a thread
that loses the CPU between its slot and its send, a slow connect), so sends spaced evenly can arrive
bunched, a few more than ``count`` in one second. So each slot also holds a ``Ticket`` in a window of the
carrier: a request counts there from its slot until ``period`` after its answer (``answered``), and no
slot is given while ``count`` requests count. A request arrives between its slot and its answer, so any
``period`` of arrivals holds at most ``count``, whatever the jitter. The price is the carrier's latency:
at most ``count`` requests per ``period`` plus latency. A ticket never answered (its process died) counts
until its bound (the attempt's longest wait) plus ``period``.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Protocol, runtime_checkable

import anyio

from . import settings
from .config import CarrierSettings
from .errors import CarrierError, ConfigError, QuotaError, ResponseDecodeError, SharedStateError
from .redis_client import connect, display, shared_state_errors
from .retry import is_short_term_quota

__all__ = [
    "LocalPacer",
    "Pacer",
    "Rate",
    "RedisPacer",
    "Ticket",
    "atake_slot",
    "gcra",
    "hold_seconds",
    "pacer_from_settings",
    "parse_rate",
    "take_slot",
]

_UNITS: Final = {
    **dict.fromkeys(("s", "sec", "second"), 1.0),
    **dict.fromkeys(("min", "minute"), 60.0),
    **dict.fromkeys(("h", "hour"), 3600.0),
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)?\s*([a-z]+?)s?\s*$")
MICROS: Final = 1_000_000
SHORTEST_WAIT: Final = 0.001
"""The least a full window asks a caller to wait before asking again (a wait of 0 means "go")."""
logger = logging.getLogger("shipspec")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` requests per ``period`` seconds."""

    count: int
    period: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.period <= 0:
            raise ValueError("a rate needs a count of at least 1 and a period of more than 0 seconds")

    @property
    def interval(self) -> float:
        """Seconds between two requests."""
        return self.period / self.count

    def __str__(self) -> str:
        return f"{self.count}/{self.period:g}s"


@dataclass(frozen=True)
class Ticket:
    """One request's place in its carrier's window: an id, and the longest it can wait for its answer."""

    id: str
    bound: float = settings.MAX_ATTEMPT_SECONDS

    @classmethod
    def new(cls, bound: float = settings.MAX_ATTEMPT_SECONDS) -> Ticket:
        return cls(uuid.uuid4().hex, bound)


def parse_rate(text: str) -> Rate:
    """``"20/s"``, ``"600/min"``, ``"5/2s"``, ``"1000/hour"`` → Rate; ValueError saying the form otherwise."""
    match = _RATE.match(text.lower())
    if match is None or match.group(3) not in _UNITS:
        raise ValueError("must be a count per time such as 20/s, 600/min or 1000/h")
    count, many, unit = match.groups()
    period = float(many or 1) * _UNITS[unit]
    try:
        return Rate(int(count), period)
    except ValueError:
        raise ValueError("must allow at least 1 request in a period of more than 0 seconds") from None


def gcra(tat: float, now: float, interval: float) -> tuple[float, float]:
    """One GCRA step: ``(wait, tat)``. ``wait`` 0: a request goes now and ``tat`` is the new TAT to keep;
    otherwise the seconds until one may go, and the TAT unchanged."""
    if tat > now:
        return tat - now, tat
    return 0.0, now + interval


def hold_seconds(verdict: CarrierError | ResponseDecodeError | None) -> float | None:
    """How long every sender of the carrier should hold off after this answer; None when it asks nothing.

    A Retry-After is taken as given (capped by ``MAX_CARRIER_PAUSE_SECONDS``), on any status; a short-term
    quota without one (HTTP 429, a ``short_term`` code) holds for ``QUOTA_PAUSE_SECONDS``. A quota that is
    not short-term (WeChat 45009, the daily allowance) sets no pause: no wait makes it pass, and every call
    fails fast with its own QuotaError meanwhile.
    """
    if not isinstance(verdict, CarrierError):
        return None
    if verdict.retry_after is not None:
        return min(max(verdict.retry_after, 0.0), settings.MAX_CARRIER_PAUSE_SECONDS)
    if verdict.kind == "quota" and is_short_term_quota(verdict):
        return settings.QUOTA_PAUSE_SECONDS
    return None


@runtime_checkable
class Pacer(Protocol):
    """Slots and pauses for one carrier (see the module docstring). ``reserve`` without a ticket takes an
    anonymous one (it counts until its bound: nobody tells its answer)."""

    def reserve(self, ticket: Ticket | None = None) -> float: ...

    def answered(self, ticket: Ticket) -> None: ...

    def hold(self, seconds: float) -> None: ...

    async def areserve(self, ticket: Ticket | None = None) -> float: ...

    async def aanswered(self, ticket: Ticket) -> None: ...

    async def ahold(self, seconds: float) -> None: ...


class LocalPacer:
    """GCRA and the pause in this process: shared by its threads and tasks (a lock held for a few lines)."""

    def __init__(self, rate: Rate | None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._lock = threading.Lock()
        self._tat = 0.0
        self._paused_until = 0.0
        self._window: dict[str, float] = {}  # ticket id -> until when it counts

    def __repr__(self) -> str:
        return f"LocalPacer(rate={str(self.rate) if self.rate else None!r})"

    def reserve(self, ticket: Ticket | None = None) -> float:
        with self._lock:
            now = self._clock()
            if self._paused_until > now:
                return self._paused_until - now
            if self.rate is None:
                return 0.0
            if self._tat > now:
                return self._tat - now
            self._window = {key: until for key, until in self._window.items() if until > now}
            if len(self._window) >= self.rate.count:
                return max(min(min(self._window.values()) - now, self.rate.interval), SHORTEST_WAIT)
            _, self._tat = gcra(self._tat, now, self.rate.interval)
            taken = ticket or Ticket.new()
            self._window[taken.id] = now + taken.bound + self.rate.period
            return 0.0

    def answered(self, ticket: Ticket) -> None:
        with self._lock:
            if self.rate is not None and ticket.id in self._window:
                self._window[ticket.id] = self._clock() + self.rate.period

    def hold(self, seconds: float) -> None:
        with self._lock:
            until = self._clock() + min(seconds, settings.MAX_CARRIER_PAUSE_SECONDS)
            self._paused_until = max(self._paused_until, until)

    async def areserve(self, ticket: Ticket | None = None) -> float:
        return self.reserve(ticket)  # a lock held for microseconds: no thread needed

    async def aanswered(self, ticket: Ticket) -> None:
        self.answered(ticket)

    async def ahold(self, seconds: float) -> None:
        self.hold(seconds)


# KEYS: tat, paused-until (microseconds on Redis's clock), the window (a sorted set: ticket -> until when it
# counts). ARGV: interval in microseconds (0: no rate), count, period, the ticket, its bound (microseconds).
# Returns the microseconds to wait; 0 when a slot was taken. Numbers are written with %.0f: Lua's tostring
# would round a microsecond timestamp to 14 digits.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local interval = tonumber(ARGV[1])
if interval <= 0 then return 0 end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now then return tat - now end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now))
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return math.max(math.min(tonumber(first[2]) - now, interval), 1000)
end
redis.call('SET', KEYS[1], string.format('%.0f', now + interval), 'PX', math.ceil(interval / 1000) + 1000)
local counts = tonumber(ARGV[5]) + tonumber(ARGV[3])
redis.call('ZADD', KEYS[3], string.format('%.0f', now + counts), ARGV[4])
local keep = math.ceil(counts / 1000) + 1000
if redis.call('PTTL', KEYS[3]) < keep then redis.call('PEXPIRE', KEYS[3], keep) end
return 0
"""
# KEYS: the window. ARGV: the ticket, period (microseconds). The answered ticket counts one period more.
_ANSWERED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[2])), ARGV[1])
end
return 0
"""
# KEYS: paused-until. ARGV: microseconds to hold. Only ever moves the pause later.
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local hold = tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + hold > paused then
  redis.call('SET', KEYS[1], string.format('%.0f', now + hold), 'PX', math.ceil(hold / 1000) + 1000)
end
return 0
"""


class RedisPacer:
    """GCRA and the pause for ``carrier`` in the Redis at ``url``: one schedule for every process using it.

    ``name`` keys the schedule (default: the carrier); give two accounts of one carrier with separate
    limits their own names. Redis failures raise ``SharedStateError`` before anything is sent.
    """

    def __init__(
        self,
        url: str,
        carrier: str,
        rate: Rate | None,
        *,
        name: str | None = None,
        prefix: str = "shipspec:",
        connect_timeout: float = settings.REDIS_CONNECT_TIMEOUT_SECONDS,
        command_timeout: float = settings.REDIS_COMMAND_TIMEOUT_SECONDS,
    ) -> None:
        self.carrier = carrier
        self.rate = rate
        self.server = display(url)
        redis = connect(url, connect_timeout=connect_timeout, command_timeout=command_timeout)
        base = f"{prefix}pace:{name or carrier}"
        self._tat_key, self._paused_key = f"{base}:tat", f"{base}:paused"
        self._window_key = f"{base}:window"
        self._interval_us = round(rate.interval * MICROS) if rate is not None else 0
        self._period_us = round(rate.period * MICROS) if rate is not None else 0
        self._reserve = redis.register_script(_RESERVE)
        self._answered = redis.register_script(_ANSWERED)
        self._hold = redis.register_script(_HOLD)

    def __repr__(self) -> str:
        rate = str(self.rate) if self.rate else None
        return f"RedisPacer({self.server!r}, {self.carrier!r}, rate={rate!r})"

    def reserve(self, ticket: Ticket | None = None) -> float:
        taken = ticket or Ticket.new()
        count = self.rate.count if self.rate is not None else 0
        args: list[int | str] = [
            self._interval_us,
            count,
            self._period_us,
            taken.id,
            round(taken.bound * MICROS),
        ]
        with shared_state_errors(self.server, f"pacing {self.carrier}"):
            waited = self._reserve(keys=[self._tat_key, self._paused_key, self._window_key], args=args)
        return int(waited) / MICROS

    def answered(self, ticket: Ticket) -> None:
        """Never raises: the answer is in; a note Redis did not take keeps the ticket counted to its bound."""
        if self.rate is None:
            return
        try:
            with shared_state_errors(self.server, f"pacing {self.carrier}"):
                self._answered(keys=[self._window_key], args=[ticket.id, self._period_us])
        except SharedStateError as error:
            logger.warning("%s; the request counts against the pace until its bound", error)

    def hold(self, seconds: float) -> None:
        micros = round(min(max(seconds, 0.0), settings.MAX_CARRIER_PAUSE_SECONDS) * MICROS)
        with shared_state_errors(self.server, f"pausing {self.carrier}"):
            self._hold(keys=[self._paused_key], args=[micros])

    async def areserve(self, ticket: Ticket | None = None) -> float:
        # One Redis round trip in a worker thread: the event loop never waits on the network here.
        return await anyio.to_thread.run_sync(self.reserve, ticket)

    async def aanswered(self, ticket: Ticket) -> None:
        if self.rate is not None:
            await anyio.to_thread.run_sync(self.answered, ticket)

    async def ahold(self, seconds: float) -> None:
        await anyio.to_thread.run_sync(self.hold, seconds)


def pacer_from_settings(read: CarrierSettings) -> Pacer | None:
    """The pacer a carrier's ``rate_limit`` and ``rate_store`` settings ask for; None when neither is set."""
    text = read.optional("rate_limit")
    try:
        rate = parse_rate(text) if text is not None else None
    except ValueError as exc:
        raise read.error("rate_limit", str(exc)) from None
    url = read.optional("rate_store")
    if url is None:
        return LocalPacer(rate) if rate is not None else None
    try:
        return RedisPacer(url, read.carrier, rate)
    except ConfigError as exc:
        raise read.error("rate_store", str(exc)) from None


def _held_back(carrier: str, operation: str, wait: float) -> QuotaError:
    return QuotaError(
        carrier=carrier,
        operation=operation,
        code=None,
        message=f"not sent: the carrier's pacing allows no request for {wait:.1f} s",
        retry_after=wait,
    )


def take_slot(
    pacer: Pacer, budget: float, carrier: str, operation: str, ticket: Ticket | None = None
) -> float:
    """Wait for a slot (real time: pacing is not backoff); the seconds waited. QuotaError past ``budget``."""
    waited = 0.0
    while (wait := pacer.reserve(ticket)) > 0:
        if waited + wait > budget:
            raise _held_back(carrier, operation, wait)
        time.sleep(wait)
        waited += wait
    return waited


async def atake_slot(
    pacer: Pacer, budget: float, carrier: str, operation: str, ticket: Ticket | None = None
) -> float:
    """Async ``take_slot``."""
    waited = 0.0
    while (wait := await pacer.areserve(ticket)) > 0:
        if waited + wait > budget:
            raise _held_back(carrier, operation, wait)
        await anyio.sleep(wait)
        waited += wait
    return waited
