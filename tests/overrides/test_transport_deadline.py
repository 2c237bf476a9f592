"""The per-attempt deadline over real HTTP on 127.0.0.1: a body trickled inside every read timeout is dropped.

Each byte comes well inside the read timeout, so httpx alone would wait for the whole body (52 bytes x 40 ms,
about 2 s, against a 1.2 s bound). The error message names the bound, which tells the deadline apart from an
ordinary read timeout. The pytest timeout marks are hang guards only; nothing asserts on wall time.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from shipspec import settings
from shipspec.errors import AmbiguousTimeoutError, ResponseDecodeError
from shipspec.transport import AsyncRetryingTransport, RetryingTransport, attempt_bound

from tests.overrides.trickling_server import Trickle, TricklingServer

TRACKED = {"success": True, "code": 200, "data": {"waybill": "W1"}}
TRACKED_BYTES = json.dumps(TRACKED).encode()
TIGHT = httpx.Timeout(1.0, connect=0.2)  # bound: connect + read = 1.2 s (the whole answer takes 2 s)
ROOMY = httpx.Timeout(2.0)  # bound: 4 s, far more than a quick trickle needs
TRICKLE = Trickle(TRACKED_BYTES, every=0.04)  # 25x inside the 1.0 s read timeout, even on a busy machine
SHIP = ("POST", "/createShipment")  # unsafe: never resent after it was sent
TRACK = ("GET", "/tracking?waybill=W1")  # safe: resent after a lost answer
HANG_GUARD = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def instant() -> Iterator[None]:
    with settings.instant_backoff():
        yield


def send(server: TricklingServer, call: tuple[str, str], timeout: httpx.Timeout) -> httpx.Response:
    transport = RetryingTransport("baaship")
    with httpx.Client(base_url=server.url, transport=transport, timeout=timeout) as http:
        return http.request(*call, json={} if call[0] == "POST" else None)


def asend(server: TricklingServer, call: tuple[str, str], timeout: httpx.Timeout) -> httpx.Response:
    async def scenario() -> httpx.Response:
        transport = AsyncRetryingTransport("baaship")
        async with httpx.AsyncClient(base_url=server.url, transport=transport, timeout=timeout) as http:
            return await http.request(*call, json={} if call[0] == "POST" else None)

    return asyncio.run(scenario())


Sender = Callable[[TricklingServer, tuple[str, str], httpx.Timeout], httpx.Response]
SENDERS = pytest.mark.parametrize("sender", [send, asend], ids=["sync", "async"])


@HANG_GUARD
@SENDERS
def test_a_trickled_answer_to_a_ship_call_ends_at_the_deadline_sent_once(sender: Sender) -> None:
    """An unsafe call whose answer outlasts its bound raises AmbiguousTimeoutError after one request."""
    with TricklingServer(TRICKLE) as server, pytest.raises(AmbiguousTimeoutError) as caught:
        sender(server, SHIP, TIGHT)
    assert server.requests == ["POST /createShipment"]
    assert "bound of 1.2 s" in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


@HANG_GUARD
@SENDERS
def test_a_trickled_answer_to_a_safe_read_is_retried_then_typed(sender: Sender) -> None:
    """A safe read is resent like after any read timeout: MAX_ATTEMPTS requests, then the typed error."""
    with TricklingServer(TRICKLE) as server, pytest.raises(AmbiguousTimeoutError) as caught:
        sender(server, TRACK, TIGHT)
    assert server.requests == ["GET /tracking?waybill=W1"] * settings.MAX_ATTEMPTS
    assert f"attempt {settings.MAX_ATTEMPTS}" in str(caught.value)
    assert "bound of 1.2 s" in str(caught.value)


@HANG_GUARD
@SENDERS
def test_an_answer_in_pieces_within_the_bound_is_read_and_decoded(sender: Sender) -> None:
    """The body is read piece by piece with response.read() semantics: gzip across pieces still decodes."""
    packed = gzip.compress(TRACKED_BYTES)
    answer = Trickle(
        packed, every=0.005, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )
    with TricklingServer(answer) as server:
        response = sender(server, TRACK, ROOMY)
    assert response.json() == TRACKED
    assert server.requests == ["GET /tracking?waybill=W1"]


@HANG_GUARD
@SENDERS
def test_a_broken_gzip_body_is_still_a_decode_error(sender: Sender) -> None:
    """A Content-Encoding that does not decode stays ResponseDecodeError, not a timeout, and is not resent."""
    answer = Trickle(
        b"not gzip at all", headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )
    with TricklingServer(answer) as server, pytest.raises(ResponseDecodeError):
        sender(server, TRACK, ROOMY)
    assert server.requests == ["GET /tracking?waybill=W1"]


@pytest.mark.parametrize(
    ("timeout", "bound"),
    [
        (httpx.Timeout(1.0), 2.0),
        (settings.DEFAULT_TIMEOUT, 40.0),
        (httpx.Timeout(300.0), settings.MAX_ATTEMPT_SECONDS),
        (httpx.Timeout(None), settings.MAX_ATTEMPT_SECONDS),
        (httpx.Timeout(5.0, connect=None), settings.MAX_ATTEMPT_SECONDS),
    ],
)
def test_the_bound_is_connect_plus_read_capped(timeout: httpx.Timeout, bound: float) -> None:
    """connect + read of the request's timeout; a missing or huge one is capped by MAX_ATTEMPT_SECONDS."""
    request = httpx.Client(timeout=timeout).build_request("GET", "https://api.baaship.com/tracking")
    assert attempt_bound(request) == bound


def test_a_request_built_without_a_client_gets_the_cap() -> None:
    """A bare httpx.Request carries no timeout extension: the cap still bounds its attempts."""
    assert (
        attempt_bound(httpx.Request("GET", "https://api.baaship.com/tracking"))
        == settings.MAX_ATTEMPT_SECONDS
    )
