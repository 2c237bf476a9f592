"""When to send a request again, and how long to wait first: pure policy, no I/O.

Retried, and nothing else:

- ``CarrierError`` of kind ``retry`` or ``quota`` (the carrier said "not now"), waiting what ``Retry-After``
  asks when it asks for at most ``max_retry_after`` seconds, but never less than the usual jittered backoff
  (so ``Retry-After: 0`` or a date already past is not an instant resend); a longer ask is not retried here,
  the error keeps ``retry_after`` for the caller to schedule;
- ``ConnectError``: the request never reached the server;
- an *ambiguous* failure (sent, then no usable answer: a read timeout, a dropped connection, or an HTTP 5xx
  that carries no business code) only for operations whose ``x-idempotency`` strategy is ``safe``. A ship or
  create is never resent blindly: the exactly-once runner reconciles it using its strategy.

Waits are capped exponential backoff with full jitter; the random source is a parameter so tests are
deterministic (``RetryPolicy(rng=random.Random(seed))``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Final

from . import settings
from .errors import AmbiguousTimeoutError, CarrierError, ConnectError, ShipspecError

__all__ = [
    "RETRYABLE_KINDS",
    "SAFE_STRATEGY",
    "RetryPolicy",
    "is_ambiguous",
    "is_retryable",
    "is_short_term_quota",
]

RETRYABLE_KINDS: Final = frozenset({"retry", "quota"})
SAFE_STRATEGY: Final = "safe"


def is_ambiguous(error: ShipspecError) -> bool:
    """True when the request was sent and the carrier may have done the work without telling us."""
    if isinstance(error, AmbiguousTimeoutError):
        return True
    # A bare 5xx (a gateway page or a crash, no documented code) says nothing about whether the work happened;
    # a documented code such as WeChat -1 "system busy" is the carrier's own word that it did not.
    return (
        isinstance(error, CarrierError)
        and error.code is None
        and error.http_status is not None
        and error.http_status >= 500
    )


def is_short_term_quota(error: CarrierError) -> bool:
    """A rate limit that passes soon: the carrier said when (Retry-After), answered HTTP 429, or the spec
    marks the code ``short_term`` (TikTok 36009002, documented as "429 and/or 36009002": retry with backoff).

    A quota code inside a normal answer with no Retry-After (WeChat 45009, the daily allowance) does not
    pass within any sensible wait: resending only burns more of tomorrow's allowance.
    """
    return error.retry_after is not None or error.http_status == 429 or error.short_term


def is_retryable(error: ShipspecError, strategy: str) -> bool:
    """Whether this outcome may be sent again for an operation with this idempotency strategy."""
    if isinstance(error, ConnectError):
        return True
    if is_ambiguous(error):
        return strategy == SAFE_STRATEGY
    if not isinstance(error, CarrierError) or error.kind not in RETRYABLE_KINDS:
        return False
    return error.kind != "quota" or is_short_term_quota(error)


@dataclass(frozen=True, eq=False)
class RetryPolicy:
    """Bounded attempts and capped, jittered waits (defaults from ``shipspec.settings``)."""

    max_attempts: int = settings.MAX_ATTEMPTS
    base_delay: float = settings.BASE_DELAY
    max_delay: float = settings.MAX_DELAY
    max_retry_after: float = settings.MAX_RETRY_AFTER
    jitter: float = settings.JITTER
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter is a fraction between 0 and 1")

    def ceiling(self, attempt: int) -> float:
        """The un-jittered wait after failed attempt number ``attempt`` (1-based): base * 2**(n-1), capped."""
        return min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))

    def backoff(self, attempt: int) -> float:
        """The wait after failed attempt ``attempt``: the ceiling minus a random share of ``jitter`` of it."""
        ceiling = self.ceiling(attempt)
        # random() lies in [0, 1): the wait lies in (ceiling * (1 - jitter), ceiling], so even full jitter
        # never waits exactly zero (no hot loop against an overloaded carrier).
        return ceiling * (1.0 - self.jitter * self.rng.random())

    def delay_before_retry(self, attempt: int, error: ShipspecError, strategy: str) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to stop and surface ``error``."""
        if attempt >= self.max_attempts or not is_retryable(error, strategy):
            return None
        retry_after = error.retry_after if isinstance(error, CarrierError) else None
        if retry_after is None:
            return self.backoff(attempt)
        if retry_after > self.max_retry_after:
            return None  # waiting less would be refused again; waiting more blocks the caller
        # Retry-After is the earliest the carrier accepts, not an order to come back at that instant. Taken
        # as it is, "0" resent at once (a hot loop against a carrier that keeps saying "now") and every
        # client told the same time came back together. The backoff this attempt would have waited anyway
        # is the floor: jittered, and growing with the attempts like any other retry.
        return max(retry_after, self.backoff(attempt))
