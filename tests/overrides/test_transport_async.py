"""AsyncRetryingTransport with httpx.MockTransport: the same policy as the sync transport."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from shipspec import settings
from shipspec.errors import AmbiguousTimeoutError, ConnectError, RetryableError
from shipspec.transport import AsyncRetryingTransport

from tests.support.scripted_mock import Script, fail, reply

BASE = "https://api.baaship.com"
BUSY = {"success": False, "code": 1004, "message": "Interface exception."}
CREATED = {"success": True, "code": 200, "data": {"waybill": "W1"}}


def run(script: Script, method: str, path: str) -> tuple[httpx.Response, list[float]]:
    sleeps: list[float] = []

    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    async def send() -> httpx.Response:
        transport = AsyncRetryingTransport("baaship", script.transport, sleep=sleep)
        async with httpx.AsyncClient(base_url=BASE, transport=transport) as http:
            return await http.request(method, path, content=b'{"referenceNo":"R-1"}')

    return asyncio.run(send()), sleeps


def test_retries_a_retry_kind_envelope_then_succeeds() -> None:
    """A transient code is retried with the same bytes after one awaited wait."""
    script = Script(reply(BUSY), reply(CREATED))
    response, sleeps = run(script, "POST", "/createShipment")
    assert response.json() == CREATED
    assert script.bodies == [b'{"referenceNo":"R-1"}'] * 2
    assert len(sleeps) == 1


def test_stops_after_max_attempts() -> None:
    """A transient code that never clears ends in RetryableError after MAX_ATTEMPTS sends."""
    script = Script(reply(BUSY))
    with pytest.raises(RetryableError):
        run(script, "POST", "/createShipment")
    assert len(script.requests) == settings.MAX_ATTEMPTS


def test_ship_call_after_a_read_timeout_is_not_resent() -> None:
    """POST createShipment is sent once and raises AmbiguousTimeoutError."""
    script = Script(fail(httpx.ReadTimeout), reply(CREATED))
    with pytest.raises(AmbiguousTimeoutError):
        run(script, "POST", "/createShipment")
    assert len(script.requests) == 1


def test_connect_errors_are_retried_then_typed() -> None:
    """Refused connections are retried MAX_ATTEMPTS times and end in shipspec's ConnectError."""
    script = Script(fail(httpx.ConnectError))
    with pytest.raises(ConnectError):
        run(script, "GET", "/tracking?waybill=W1")
    assert len(script.requests) == settings.MAX_ATTEMPTS


def test_default_async_sleep_honours_the_instant_switch() -> None:
    """Without an injected sleep, a 25 s Retry-After is skipped when instant_backoff() is on."""
    script = Script(reply("slow down", status=429, headers={"Retry-After": "25"}), reply(CREATED))

    async def send() -> httpx.Response:
        transport = AsyncRetryingTransport("baaship", script.transport)
        async with httpx.AsyncClient(base_url=BASE, transport=transport) as http:
            return await asyncio.wait_for(http.post("/createShipment", json={}), timeout=5.0)

    with settings.instant_backoff():
        assert asyncio.run(send()).json() == CREATED
    assert len(script.requests) == 2
