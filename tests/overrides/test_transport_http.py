"""RetryingTransport over real HTTP on 127.0.0.1: dropped connections, late answers, refused connections."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from shipspec import settings
from shipspec.errors import AmbiguousTimeoutError, ConnectError
from shipspec.transport import AsyncRetryingTransport, RetryingTransport

from tests.support.http_server import Reply, ScriptedServer, scripted_server
from tests.support.servers import free_port

READ_TIMEOUT = 0.2
LATE = READ_TIMEOUT * 5  # the server answers well after the client stopped waiting
TIMEOUT = httpx.Timeout(2.0, read=READ_TIMEOUT)
TRACKED = {"success": True, "code": 200, "data": {"waybill": "W1"}}
SHIP_CALLS = [("tiktok_shop", "/fulfillment/202309/packages/ship"), ("baaship", "/createShipment")]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from scripted_server()


@pytest.fixture(autouse=True)
def instant() -> Iterator[None]:
    with settings.instant_backoff():
        yield


class CountingTransport(httpx.BaseTransport):
    """A real HTTPTransport that counts the attempts made through it."""

    def __init__(self) -> None:
        self.calls = 0
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def client(carrier: str, url: str) -> httpx.Client:
    return httpx.Client(base_url=url, transport=RetryingTransport(carrier), timeout=TIMEOUT)


@pytest.mark.parametrize(("carrier", "path"), SHIP_CALLS)
@pytest.mark.parametrize("trouble", [Reply(drop=True), Reply(delay=LATE, body={})], ids=["dropped", "late"])
def test_ship_call_is_sent_once_when_the_answer_is_lost(
    server: ScriptedServer, carrier: str, path: str, trouble: Reply
) -> None:
    """Accepted then closed, or answered after the read timeout: AmbiguousTimeoutError, one request only."""
    server.script(trouble, Reply(body={}))
    with client(carrier, server.url) as http, pytest.raises(AmbiguousTimeoutError):
        http.post(path, json={"referenceNo": "R-1"})
    assert len(server.requests) == 1
    assert server.requests[0].method == "POST"


@pytest.mark.parametrize("trouble", [Reply(drop=True), Reply(delay=LATE, body={})], ids=["dropped", "late"])
def test_safe_read_is_resent_when_the_answer_is_lost(server: ScriptedServer, trouble: Reply) -> None:
    """GET tracking is safe: the same situations are retried and the next answer is returned."""
    server.script(trouble, Reply(body=TRACKED))
    with client("baaship", server.url) as http:
        assert http.get("/tracking", params={"waybill": "W1"}).json() == TRACKED
    assert [r.path for r in server.requests] == ["/tracking?waybill=W1"] * 2


def test_retry_envelope_over_http_resends_identical_bytes(server: ScriptedServer) -> None:
    """A documented transient code is retried; the server receives the same body and headers twice."""
    busy = {"success": False, "code": 1004, "message": "Interface exception.", "requestId": "r"}
    server.script(Reply(body=busy), Reply(body={"success": True, "code": 200, "data": []}))
    with client("baaship", server.url) as http:
        response = http.post("/createShipment", json={"referenceNo": "R-1"}, headers={"token": "t"})
    assert response.json()["success"] is True
    first, second = server.requests
    assert first.body == second.body == b'{"referenceNo":"R-1"}'
    assert first.headers["token"] == second.headers["token"] == "t"


def test_refused_connection_is_retried_then_typed() -> None:
    """Nothing listens on the port: every attempt is made, then shipspec's ConnectError is raised."""
    counting = CountingTransport()
    transport = RetryingTransport("baaship", counting)
    with (
        httpx.Client(
            base_url=f"http://127.0.0.1:{free_port()}", transport=transport, timeout=TIMEOUT
        ) as http,
        pytest.raises(ConnectError) as caught,
    ):
        http.post("/createShipment", json={})
    assert counting.calls == settings.MAX_ATTEMPTS
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_async_transport_behaves_the_same(server: ScriptedServer) -> None:
    """The async transport sends a dropped ship call once and resends a dropped tracking read."""
    server.script(Reply(drop=True), Reply(drop=True), Reply(body=TRACKED))

    async def scenario() -> httpx.Response:
        transport = AsyncRetryingTransport("baaship")
        async with httpx.AsyncClient(base_url=server.url, transport=transport, timeout=TIMEOUT) as http:
            with pytest.raises(AmbiguousTimeoutError):
                await http.post("/createShipment", json={})
            return await http.get("/tracking", params={"waybill": "W1"})

    assert asyncio.run(scenario()).json() == TRACKED
    assert [r.method for r in server.requests] == ["POST", "GET", "GET"]
