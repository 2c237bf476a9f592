"""Retrying transports with a pacer, against the Baaship sandbox: a slot before sending, a hold after 429."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from shipspec.errors import QuotaError, SharedStateError
from shipspec.pacing import LocalPacer, Pacer, Rate, RedisPacer
from shipspec.retry import RetryPolicy
from shipspec.transport import AsyncRetryingTransport, RetryingTransport
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN
from shipspec_sandbox.runner import Sandboxes

from tests.support.servers import free_port

from .arrivals import LABEL_RETRY_AFTER, TRACKING, RecordingPlan, most_in_any_window


def client(sandboxes: Sandboxes, pacer: Pacer | None) -> httpx.Client:
    transport = RetryingTransport("baaship", pacer=pacer, policy=RetryPolicy(max_attempts=1))
    url = sandboxes.url("baaship")
    return httpx.Client(base_url=url, transport=transport, headers={"token": DEFAULT_TOKEN})


def track(http: httpx.Client, n: int) -> None:
    assert http.get("/tracking", params={"waybill": f"W{n}"}).status_code == 200


def test_a_rate_limit_spaces_the_requests_that_reach_the_carrier(
    baaship: Sandboxes, plan: RecordingPlan
) -> None:
    """At 10/s, six back-to-back requests arrive at least about 0.1 s apart (0.5 s in all)."""
    with client(baaship, LocalPacer(Rate(10, 1.0))) as http:
        for n in range(6):
            track(http, n)
    times = plan.times(TRACKING)
    assert len(times) == 6
    assert times[-1] - times[0] >= 0.4  # 0.5 s by the pacer; unpaced they take milliseconds


def make_pacer(shared: bool, rate: Rate | None, request: pytest.FixtureRequest) -> Pacer:
    if not shared:
        return LocalPacer(rate)
    url = request.getfixturevalue("redis_url")
    return RedisPacer(url, "baaship", rate, prefix=f"t-{uuid.uuid4().hex}:")


@pytest.mark.parametrize("shared", [False, True], ids=["local", "redis"])
def test_a_429_with_retry_after_holds_every_later_request(
    baaship: Sandboxes, plan: RecordingPlan, shared: bool, request: pytest.FixtureRequest
) -> None:
    """After a 429 asking for 3 s, the next request (another operation, another client) waits it out."""
    pacer = make_pacer(shared, None, request)
    with client(baaship, pacer) as first, client(baaship, pacer) as second:
        with pytest.raises(QuotaError):
            first.get("/getShipmentLabel", params={"referenceNo": "R1"})
        limited_at = time.time()
        track(second, 1)
    (tracked,) = plan.times(TRACKING)
    assert tracked - limited_at >= LABEL_RETRY_AFTER - 0.3  # waited for the hold (clock steps are coarse)


class LateFirst(httpx.HTTPTransport):
    """Holds the first request it is given for ``seconds`` before sending it: a sender that lost the CPU
    between its pacer slot and its send."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self._seconds = seconds
        self._first = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._first.acquire(blocking=False):
            time.sleep(self._seconds)
        return super().handle_request(request)


@pytest.mark.parametrize("shared", [False, True], ids=["local", "redis"])
def test_a_request_that_arrives_late_still_leaves_no_second_over_the_limit(
    baaship: Sandboxes, plan: RecordingPlan, shared: bool, request: pytest.FixtureRequest
) -> None:
    """At 5/s, the first of eight requests reaches the carrier 0.9 s after its slot, among the next ones:
    spaced sends alone would put six arrivals in one second; counting each request until a second after
    its answer keeps every second of arrivals at five or fewer."""
    limit = 5
    pacer = make_pacer(shared, Rate(limit, 1.0), request)
    transport = RetryingTransport("baaship", LateFirst(0.9), pacer=pacer, policy=RetryPolicy(max_attempts=1))
    url, headers = baaship.url("baaship"), {"token": DEFAULT_TOKEN}
    with (
        httpx.Client(base_url=url, transport=transport, headers=headers) as http,
        ThreadPoolExecutor(8) as pool,
    ):
        list(pool.map(lambda n: track(http, n), range(8)))
    times = plan.times(TRACKING)
    assert len(times) == 8
    assert most_in_any_window(times, 1.0) <= limit


def test_without_a_pacer_nothing_waits_after_a_429(baaship: Sandboxes, plan: RecordingPlan) -> None:
    """The default: a 429 answers its own caller; the next request goes at once (as before pacing)."""
    with client(baaship, None) as http:
        with pytest.raises(QuotaError):
            http.get("/getShipmentLabel", params={"referenceNo": "R1"})
        limited_at = time.time()
        track(http, 1)
    (tracked,) = plan.times(TRACKING)
    assert tracked - limited_at < LABEL_RETRY_AFTER - 0.3


def test_a_hold_longer_than_the_pacing_budget_fails_unsent(baaship: Sandboxes, plan: RecordingPlan) -> None:
    """A carrier paused for an hour: the request raises QuotaError with retry_after and is never sent."""
    pacer = LocalPacer(None)
    pacer.hold(3600)
    with client(baaship, pacer) as http, pytest.raises(QuotaError) as caught:
        http.get("/tracking", params={"waybill": "W1"})
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 3000
    assert plan.times(TRACKING) == []


@pytest.mark.parametrize("shared", [False, True], ids=["local", "redis"])
def test_the_async_transport_paces_and_holds_too(
    baaship: Sandboxes, plan: RecordingPlan, shared: bool, request: pytest.FixtureRequest
) -> None:
    """AsyncRetryingTransport: a 429 holds the pacer, and the next async request waits it out."""
    pacer = make_pacer(shared, Rate(50, 1.0), request)

    async def run() -> float:
        transport = AsyncRetryingTransport("baaship", pacer=pacer, policy=RetryPolicy(max_attempts=1))
        url, headers = baaship.url("baaship"), {"token": DEFAULT_TOKEN}
        async with httpx.AsyncClient(base_url=url, transport=transport, headers=headers) as http:
            with pytest.raises(QuotaError):
                await http.get("/getShipmentLabel", params={"referenceNo": "R1"})
            limited_at = time.time()
            assert (await http.get("/tracking", params={"waybill": "W1"})).status_code == 200
            return limited_at

    limited_at = asyncio.run(run())
    (tracked,) = plan.times(TRACKING)
    assert tracked - limited_at >= LABEL_RETRY_AFTER - 0.3


def test_a_shared_pacer_whose_redis_is_down_sends_nothing(baaship: Sandboxes, plan: RecordingPlan) -> None:
    """Redis unreachable: SharedStateError before sending; the sandbox sees no request."""
    pacer = RedisPacer(f"redis://127.0.0.1:{free_port()}/0", "baaship", Rate(10, 1.0), connect_timeout=0.5)
    with client(baaship, pacer) as http, pytest.raises(SharedStateError):
        http.get("/tracking", params={"waybill": "W1"})
    assert plan.times(TRACKING) == []
