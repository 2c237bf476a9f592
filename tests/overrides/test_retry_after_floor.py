"""Retry-After is a lower bound, not the wait: "0" (or a past date) still waits the jittered backoff."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest
from shipspec import settings
from shipspec.errors import QuotaError
from shipspec.retry import RetryPolicy
from shipspec.transport import AsyncRetryingTransport, RetryingTransport

from tests.support.scripted_mock import Script, reply

C, OP = "baaship", "createShipment"
BASE = "https://api.baaship.com"
NOW = reply("slow down", status=429, headers={"Retry-After": "0"})


def quota(retry_after: float) -> QuotaError:
    return QuotaError(
        code=None, message="slow down", http_status=429, retry_after=retry_after, carrier=C, operation=OP
    )


def test_retry_after_zero_waits_the_backoff_growing_with_the_attempts() -> None:
    """Without jitter the floor is the plain backoff: base, then doubled, as for any other retry."""
    policy = RetryPolicy(base_delay=0.5, jitter=0.0)
    assert [policy.delay_before_retry(n, quota(0.0), "unsafe") for n in (1, 2, 3)] == [0.5, 1.0, 2.0]


def test_retry_after_zero_with_full_jitter_never_waits_zero() -> None:
    """With full jitter every wait lies in (0, ceiling]: no instant resend, and clients told "now" spread."""
    policy = RetryPolicy(rng=random.Random(5))  # noqa: S311 - seeded for repeatable tests, not crypto
    waits = [policy.delay_before_retry(1, quota(0.0), "unsafe") for _ in range(200)]
    assert all(w is not None and 0.0 < w <= policy.ceiling(1) for w in waits)


@pytest.mark.parametrize(("retry_after", "expected"), [(0.2, 0.5), (0.5, 0.5), (3.0, 3.0), (30.0, 30.0)])
def test_the_larger_of_retry_after_and_the_backoff_is_waited(retry_after: float, expected: float) -> None:
    """A Retry-After above the backoff is honoured exactly; below it, the backoff is waited."""
    policy = RetryPolicy(base_delay=0.5, jitter=0.0)
    assert policy.delay_before_retry(1, quota(retry_after), "unsafe") == expected


def test_sync_transport_does_not_resend_at_once_on_retry_after_zero() -> None:
    """Three "now" answers: three waits, each above zero, then the QuotaError."""
    script = Script(NOW)
    sleeps: list[float] = []
    transport = RetryingTransport(C, script.transport, sleep=sleeps.append)
    with httpx.Client(base_url=BASE, transport=transport) as http, pytest.raises(QuotaError):
        http.post("/createShipment", json={})
    assert len(script.requests) == settings.MAX_ATTEMPTS
    assert len(sleeps) == settings.MAX_ATTEMPTS - 1
    assert all(wait > 0.0 for wait in sleeps)


def test_async_transport_does_not_resend_at_once_on_retry_after_zero() -> None:
    """The async transport waits the same floor."""
    script = Script(NOW)
    sleeps: list[float] = []

    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    async def scenario() -> None:
        transport = AsyncRetryingTransport(C, script.transport, sleep=sleep)
        async with httpx.AsyncClient(base_url=BASE, transport=transport) as http:
            await http.post("/createShipment", json={})

    with pytest.raises(QuotaError):
        asyncio.run(scenario())
    assert len(script.requests) == settings.MAX_ATTEMPTS
    assert len(sleeps) == settings.MAX_ATTEMPTS - 1
    assert all(wait > 0.0 for wait in sleeps)
