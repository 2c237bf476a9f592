"""The retry policy: what is retried, how long it waits, and when it stops."""

from __future__ import annotations

import random

import pytest
from shipspec import settings
from shipspec.errors import (
    AmbiguousTimeoutError,
    AuthError,
    ConnectError,
    QuotaError,
    ResponseDecodeError,
    RetryableError,
    ShipspecError,
    TokenExpiredError,
    carrier_error,
)
from shipspec.retry import RetryPolicy, is_ambiguous, is_retryable

C, OP = "baaship", "createShipment"


def busy(*, code: int | None = 1004, status: int = 200, retry_after: float | None = None) -> RetryableError:
    return RetryableError(
        code=code, message="busy", http_status=status, retry_after=retry_after, carrier=C, operation=OP
    )


def quota(retry_after: float | None) -> QuotaError:
    return QuotaError(
        code=None, message="slow down", http_status=429, retry_after=retry_after, carrier=C, operation=OP
    )


def test_defaults_come_from_settings() -> None:
    """A default policy uses the constants of shipspec.settings."""
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.base_delay, policy.max_delay) == (
        settings.MAX_ATTEMPTS,
        settings.BASE_DELAY,
        settings.MAX_DELAY,
    )
    assert (policy.max_retry_after, policy.jitter) == (settings.MAX_RETRY_AFTER, settings.JITTER)


@pytest.mark.parametrize(
    ("error", "strategy", "expected"),
    [
        (busy(), "unsafe", True),
        (quota(None), "unsafe", True),
        (ConnectError("refused", carrier=C, operation=OP), "unsafe", True),
        (AmbiguousTimeoutError("read timeout", carrier=C, operation=OP), "safe", True),
        (AmbiguousTimeoutError("read timeout", carrier=C, operation=OP), "natural_key", False),
        (AmbiguousTimeoutError("read timeout", carrier=C, operation=OP), "already_done_code", False),
        (AmbiguousTimeoutError("read timeout", carrier=C, operation=OP), "unsafe", False),
        (busy(code=None, status=502), "safe", True),
        (busy(code=None, status=502), "natural_key", False),
        (busy(code=None, status=408), "unsafe", True),
        (AuthError(code=1001, message="bad token", carrier=C, operation=OP), "safe", False),
        (TokenExpiredError(code=105002, message="expired", carrier=C, operation=OP), "safe", False),
        (carrier_error("already_done", code=1005, message="dup", carrier=C, operation=OP), "safe", False),
        (carrier_error("unknown", code=42, message="?", carrier=C, operation=OP), "safe", False),
        (
            ResponseDecodeError("html", http_status=200, body_excerpt="<html>", carrier=C, operation=OP),
            "safe",
            False,
        ),
    ],
)
def test_only_documented_outcomes_are_retryable(error: ShipspecError, strategy: str, expected: bool) -> None:
    """retry/quota kinds and connect errors always; ambiguous failures only for safe operations."""
    assert is_retryable(error, strategy) is expected


def test_a_bare_5xx_is_ambiguous_but_a_documented_busy_code_is_not() -> None:
    """A gateway 5xx without a business code may hide done work; WeChat -1 style codes do not."""
    assert is_ambiguous(busy(code=None, status=504))
    assert not is_ambiguous(busy(code=-1, status=200))
    assert not is_ambiguous(quota(None))


def test_backoff_is_exponential_and_capped_without_jitter() -> None:
    """With jitter 0 the waits double from base_delay and stop growing at max_delay."""
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0, jitter=0.0, max_attempts=10)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_full_jitter_stays_inside_zero_and_the_ceiling() -> None:
    """Every jittered wait lies in (0, ceiling] and the waits really vary."""
    policy = RetryPolicy(base_delay=1.0, max_delay=4.0, jitter=1.0, rng=random.Random(1))  # noqa: S311 - seeded for repeatable tests, not crypto
    for attempt in range(1, 6):
        waits = [policy.backoff(attempt) for _ in range(200)]
        assert all(0.0 < w <= policy.ceiling(attempt) for w in waits)
        assert max(waits) - min(waits) > policy.ceiling(attempt) / 2


def test_partial_jitter_keeps_the_lower_bound() -> None:
    """jitter=0.25 never waits less than three quarters of the ceiling."""
    policy = RetryPolicy(base_delay=2.0, jitter=0.25, rng=random.Random(3))  # noqa: S311 - seeded for repeatable tests, not crypto
    assert all(1.5 < policy.backoff(1) <= 2.0 for _ in range(200))


def test_seeded_random_source_makes_waits_reproducible() -> None:
    """Two policies with the same seed produce the same waits."""
    first = RetryPolicy(rng=random.Random(42))  # noqa: S311 - seeded for repeatable tests, not crypto
    second = RetryPolicy(rng=random.Random(42))  # noqa: S311 - seeded for repeatable tests, not crypto
    assert [first.backoff(n) for n in (1, 2, 3)] == [second.backoff(n) for n in (1, 2, 3)]


def test_attempts_are_bounded() -> None:
    """A retryable error gets a wait until max_attempts attempts were made, then None."""
    policy = RetryPolicy(max_attempts=3)
    assert policy.delay_before_retry(1, busy(), "unsafe") is not None
    assert policy.delay_before_retry(2, busy(), "unsafe") is not None
    assert policy.delay_before_retry(3, busy(), "unsafe") is None


def test_retry_after_is_honoured_exactly() -> None:
    """A Retry-After within the cap is the wait, whatever the backoff would say."""
    policy = RetryPolicy(max_retry_after=30.0, base_delay=0.01, jitter=0.0)
    assert policy.delay_before_retry(1, quota(12.0), "unsafe") == 12.0
    assert policy.delay_before_retry(1, busy(code=None, status=503, retry_after=2.0), "safe") == 2.0


def test_retry_after_beyond_the_cap_stops_retrying() -> None:
    """A Retry-After longer than the cap is not waited for: the error goes to the caller at once."""
    policy = RetryPolicy(max_retry_after=30.0)
    assert policy.delay_before_retry(1, quota(31.0), "safe") is None
    assert policy.delay_before_retry(1, quota(30.0), "safe") == 30.0


def test_quota_without_retry_after_uses_backoff() -> None:
    """A quota error without Retry-After waits like any other retryable error."""
    policy = RetryPolicy(base_delay=0.5, jitter=0.0)
    assert policy.delay_before_retry(2, quota(None), "unsafe") == 1.0


def test_a_quota_code_in_a_normal_answer_is_not_resent() -> None:
    """A quota error in an HTTP 200 envelope without Retry-After (WeChat 45009, daily) is final."""
    daily = QuotaError(
        code=45009, message="reach max api daily quota limit", http_status=200, carrier=C, operation=OP
    )
    assert not is_retryable(daily, "safe")
    assert RetryPolicy().delay_before_retry(1, daily, "safe") is None


def test_non_retryable_errors_get_no_wait() -> None:
    """An error the policy does not retry stops at the first attempt."""
    assert (
        RetryPolicy().delay_before_retry(1, AuthError(code=1, message="no", carrier=C, operation=OP), "safe")
        is None
    )


@pytest.mark.parametrize("bad", [{"max_attempts": 0}, {"jitter": 1.5}, {"jitter": -0.1}])
def test_nonsense_policies_are_refused(bad: dict[str, float]) -> None:
    """Zero attempts or a jitter outside [0, 1] is a configuration error."""
    with pytest.raises(ValueError, match=r"max_attempts|jitter"):
        RetryPolicy(**bad)  # type: ignore[arg-type]
