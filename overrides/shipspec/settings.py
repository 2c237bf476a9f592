"""Every tunable number of the runtime, in one module, each with the reason for its value.

Sections: timeouts, retries and the test switch (core). Other parts of shipspec append their own
clearly separated section below the last one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Final

import httpx

__all__ = [
    "BASE_DELAY",
    "CIRCUIT_MIN_FAILURES",
    "CIRCUIT_PROBE_SECONDS",
    "CIRCUIT_RETRY_SECONDS",
    "DEFAULT_DEADLINE_SECONDS",
    "DEFAULT_TIMEOUT",
    "INSTANT_BACKOFF_ENV",
    "JITTER",
    "MAX_ATTEMPTS",
    "MAX_ATTEMPT_SECONDS",
    "MAX_DEADLINE_SECONDS",
    "MAX_DELAY",
    "MAX_RETRY_AFTER",
    "STOP_GRACE_SECONDS",
    "backoff_is_instant",
    "instant_backoff",
]

# --- Timeouts ------------------------------------------------------------------------------------------

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
"""Always set: openapi-python-client defaults to no timeout, and a stuck carrier then hangs a caller forever.

connect 10 s: a TCP+TLS handshake to a healthy API takes well under a second even across the Pacific; longer
means the host is unreachable, and a connect failure is safe to retry (nothing was sent), so waiting longer
buys nothing. read/write/pool 30 s: ship calls do real work server-side (label creation, carrier booking),
and a read timeout on a ship call is the expensive, ambiguous case (see ``shipspec.retry``), so we give the
carrier generous time before declaring it. httpx's read timeout is per read, not per whole answer, so the
retrying transports also give each attempt a deadline (see MAX_ATTEMPT_SECONDS).
"""

MAX_ATTEMPT_SECONDS: Final = 120.0
"""Seconds: the most one attempt of a retrying transport has to get its whole answer, whatever the timeout.

httpx bounds each socket read, not an answer: a server sending a byte just inside every read timeout holds a
caller for as long as it likes. So an attempt's answer must be read in full within connect + read of the
request's timeout (40 s with DEFAULT_TIMEOUT), counted from the attempt's start (a wait for a pooled
connection counts too), and never more than this cap, which also bounds an attempt whose timeout is None. The
deadline is checked as each piece of the body arrives, so the read in flight when it passes still ends by
its own read timeout: a stalled attempt stops at most one read timeout after its deadline. 120 s: the
slowest documented calls (label creation) answer within a minute; more is a stuck connection, not work.
"""

# --- Retries -------------------------------------------------------------------------------------------
# Budget check: the auth flow signs a request once (TikTok's timestamp is part of the signature) and the
# transport resends the same bytes, and TikTok rejects a timestamp older than 300 s. With DEFAULT_TIMEOUT:
# - an attempt that got an answer got all of it within its 40 s deadline (connect + read); only an answer
#   (429/503) can carry Retry-After, so its wait is at most 30 s (MAX_RETRY_AFTER): 70 s together;
# - an attempt without an answer ends by 70 s: before the answer starts httpx bounds connect 10 s + write
#   30 s + read 30 s (one read for the status line and headers), and a body still arriving at the 40 s
#   deadline is abandoned when the read in flight ends, within 30 s more. Its wait is a backoff (no
#   Retry-After without an answer) of at most 0.5, 1 and 2 s before attempts 2, 3 and 4: 72 s together.
# So the 4th attempt starts within 3 x 72 = 216 s and its request is on the wire within 216 + 10 + 30 = 256 s,
# inside the 300 s window with room for clock skew. Not counted: waits for a free pooled connection (up to
# the pool timeout, only when a client runs more requests at once than its connection limit) and a response
# head trickled over many reads (bounded per read by httpx; the deadline applies from the body's first piece).

MAX_ATTEMPTS: Final = 4
"""Attempts in total (1 try + 3 retries): enough to ride out a blip or a short overload; more only piles load
onto a carrier that is down, and a batch runner one level up retries the whole item later anyway."""

BASE_DELAY: Final = 0.5
"""Seconds: the ceiling of the first wait (then 1, 2, 4 ... up to MAX_DELAY). Half a second lets a busy
gateway (WeChat -1 "system busy", TikTok 36009003) drain without making a healthy batch noticeably slower."""

MAX_DELAY: Final = 8.0
"""Seconds: the largest ceiling of a computed wait, so a retry loop never sleeps longer than a person would
wait watching a progress bar; longer outages are the runner's job, not a single request's."""

MAX_RETRY_AFTER: Final = 30.0
"""Seconds: the longest Retry-After the transport waits for. A carrier that asks for more (a daily quota,
an hour-long throttle) gets no retry: the QuotaError carries ``retry_after`` so the caller can schedule the
work instead of blocking a thread. 30 s also keeps the TikTok budget above."""

JITTER: Final = 1.0
"""Fraction of each wait that is random: 1.0 is "full jitter" (a uniform wait in (0, ceiling]), which spreads
many clients hit by the same outage the most (AWS Architecture Blog, "Exponential Backoff and Jitter")."""

# --- Test switch: instant backoff ----------------------------------------------------------------------

INSTANT_BACKOFF_ENV: Final = "SHIPSPEC_INSTANT_BACKOFF"
"""Set to ``1`` to make every retry wait zero seconds (read once, when this module is imported)."""

# A process-wide flag rather than a ContextVar: retries may run in worker threads, which do not inherit
# the context of the thread that turned the switch on.
_instant_backoff = os.environ.get(INSTANT_BACKOFF_ENV, "") == "1"


def backoff_is_instant() -> bool:
    """True when retry waits are skipped (tests)."""
    return _instant_backoff


@contextlib.contextmanager
def instant_backoff(enabled: bool = True) -> Iterator[None]:
    """Skip retry waits inside the block (``enabled=False``: wait again); then restore the previous state."""
    global _instant_backoff  # process-wide on purpose (see above)
    previous = _instant_backoff
    _instant_backoff = enabled
    try:
        yield
    finally:
        _instant_backoff = previous


# --- Token storage (tokens.py) ------------------------------------------------------------------------

TOKEN_LOCK_TIMEOUT_SECONDS: Final = 120.0
"""Seconds a caller waits for another thread or process that is refreshing the same token before giving up
with TokenStoreError. The holder does one token call: DEFAULT_TIMEOUT allows 10 s connect + 30 s read, and a
retrying transport may add a couple of attempts, so 120 s waits out a slow but live refresh; a dead holder
process frees its flock at once, so the limit only bites when the holder is stuck."""

TOKEN_LOCK_POLL_SECONDS: Final = 0.05
"""Longest pause between tries for a FileTokenStore's flock (a blocking flock cannot time out, so it is polled
with a backoff starting at an eighth of this). Only one thread per process polls (the others wait on the
in-process lock), each try is one non-blocking syscall, and waiters pick up a refreshed token within 50 ms."""

# --- TikTok --------------------------------------------------------------------------------------------

TIKTOK_TOKEN_REFRESH_BUFFER_SECONDS: Final = 600.0
"""Refresh the access token this long before its absolute expiry. Tokens live 7 days, so refreshing 10 minutes
early costs nothing and covers clock differences between the processes that share one token file."""

# --- WeChat --------------------------------------------------------------------------------------------

WECHAT_TOKEN_REFRESH_BUFFER_SECONDS: Final = 300.0
"""Refresh a cached access_token this long before its expiry. Five minutes matches WeChat's own overlap: the
stable_token endpoint issues the next token about 5 minutes before the current one expires, and a classic
token keeps working for about 5 minutes after a new one is issued (vendor-facts §2.1)."""

# --- Shared state in Redis (redis_client.py, redis_tokens.py, pacing.py) ------------------------------

REDIS_CONNECT_TIMEOUT_SECONDS: Final = 2.0
"""Seconds to open a connection to Redis. Redis sits next to the workers (same host or network): a healthy
one accepts within milliseconds, so 2 s means it is down or unreachable, and the caller gets a
SharedStateError instead of waiting out a carrier-sized timeout on every request."""

REDIS_COMMAND_TIMEOUT_SECONDS: Final = 5.0
"""Seconds for one Redis command's answer. Every command here is O(1) or a few-line script; 5 s covers a
Redis busy with a fork for a snapshot, and a stuck one gives a typed error instead of a hang."""

REDIS_COMMAND_RETRIES: Final = 1
"""Extra tries of a Redis command after a connection failure (a dropped pooled connection is the usual one).
redis-py's own default retries with backoff for up to tens of seconds; one quick retry keeps "Redis is down"
a fast, clear error."""

REDIS_TOKEN_LOCK_TTL_SECONDS: Final = 30.0
"""Seconds a RedisTokenStore lock lives unless its holder releases it first. It frees the lock of a holder
that died (a process killed mid-refresh, a lost machine): waiters then get it within this time, well inside
TOKEN_LOCK_TIMEOUT_SECONDS. A live holder slower than this (a token call with retries) is not a danger:
what it writes after its lock expired carries a fencing number the store refuses once a newer holder took
the lock."""

QUOTA_PAUSE_SECONDS: Final = 1.0
"""Seconds every sender of a carrier waits after one of them got a short-term rate limit without a
Retry-After (HTTP 429, or a code the spec marks short_term): carrier limits are counted per second."""

MAX_CARRIER_PAUSE_SECONDS: Final = 3600.0
"""The longest shared pause a Retry-After can set. Requests that would wait longer than MAX_RETRY_AFTER fail
at once with a QuotaError carrying retry_after (nothing is sent); the cap keeps a bogus header from
stopping a carrier for days."""

MAX_PACING_WAIT_SECONDS: Final = 30.0
"""Seconds one request may wait for its carrier's pacer, over all its attempts; past that it fails with a
QuotaError carrying retry_after, unsent, for the caller to schedule. Like MAX_RETRY_AFTER it keeps a
thread from blocking for long, and it keeps TikTok's signature inside its 300 s window: the retry budget
above (256 s) plus 30 s of pacing is 286 s."""

# --- Runs that end: the deadline per shipment and the carrier circuit ---------------------------------

DEFAULT_DEADLINE_SECONDS: Final = 120.0
"""Seconds: everything done for one shipment (or the carrier batch it travels in) ends within this, sends,
lookups, resends and pauses included; then it comes back ``pending`` (or ``failed`` when nothing was sent)
and a later run resolves it. Two minutes is three healthy answers of the slowest documented call (label
creation, under a minute) with room to spare, and is what a person watching a run is ready to wait for a
carrier that stopped answering. Each carrier's ``deadline_seconds`` setting changes it."""

MAX_DEADLINE_SECONDS: Final = 3600.0
"""The largest ``deadline_seconds`` setting taken: an hour, for a DeftShip batch of 1,000 labels."""

CIRCUIT_PROBE_SECONDS: Final = 10.0
"""Seconds of nothing but connection failures (refused, DNS, TLS: nothing was sent) after which a carrier's
circuit opens and its requests are refused without being sent. Ten seconds outlast a blip or a restart's
brief refusal (each request's own retries cover the first few seconds) and stop a run against a closed
port or a wrong host within a quarter of a minute instead of hours."""

CIRCUIT_MIN_FAILURES: Final = 3
"""Connection failures the probe needs besides its duration: one slow DNS failure is no pattern."""

CIRCUIT_RETRY_SECONDS: Final = 5.0
"""Seconds between the single requests an open circuit still lets through: one that reaches the carrier
(any answer) closes the circuit, and the shipments after it are sent again."""

STOP_GRACE_SECONDS: Final = 5.0
"""Seconds the runner waits, past the longest deadline, for batches in flight after the caller stopped:
the deadline already bounds them, this covers the scheduling of the threads that finish them."""
