"""A kept-alive connection that the pool found expired, or that the server closed while idle, is refused to
the request it was handed (``ConnectionNotAvailable``: httpcore opens another, nothing was written), and
never closed under a request (``shipspec.connections``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import httpcore
import httpx
import pytest
from shipspec import connections
from shipspec.connections import AsyncGuardedConnection, GuardedConnection, GuardedHTTPTransport

from ..support.http_server import Reply, ScriptedServer

EXPIRY = 0.01  # seconds of keep-alive: short, so the test need not wait
WAIT_BOUND = 10.0  # seconds: a bound no healthy run comes near


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        running.always(Reply(body={"ok": True}))
        yield running


def _request(server: ScriptedServer, number: int) -> httpcore.Request:
    host = f"127.0.0.1:{server.port}".encode()
    return httpcore.Request("GET", f"{server.url}/call/{number}", headers=[(b"Host", host)])


def _origin(server: ScriptedServer) -> httpcore.Origin:
    return httpcore.URL(server.url).origin


def _answered(connection: GuardedConnection, server: ScriptedServer, number: int) -> httpcore.Response:
    response = connection.handle_request(_request(server, number))
    response.read()
    response.close()
    return response


def _until(condition: Callable[[], object]) -> None:
    ends = time.monotonic() + WAIT_BOUND
    while not condition():
        assert time.monotonic() < ends, "condition not met within the bound"
        time.sleep(0.005)


def test_a_connection_the_pool_found_expired_is_refused_to_the_request_it_was_handed(
    server: ScriptedServer,
) -> None:
    """The pool's pass and a request's claim cannot both win: once expired, the connection sends nothing."""
    connection = GuardedConnection(origin=_origin(server), keepalive_expiry=EXPIRY)
    _answered(connection, server, 1)
    time.sleep(EXPIRY * 2)
    assert connection.has_expired()  # the pass that then closes it, outside the pool's lock
    with pytest.raises(httpcore.ConnectionNotAvailable):
        connection.handle_request(_request(server, 2))
    assert not connection.is_available()
    assert [r.path for r in server.requests] == ["/call/1"]
    connection.close()


def test_a_connection_the_server_closed_while_idle_is_refused_before_anything_is_written(
    server: ScriptedServer,
) -> None:
    """A server's own keep-alive timeout closed it: written to, it would fail after the write (ambiguous)."""
    server.script(Reply(body={"ok": True}, hang_up=True))
    connection = GuardedConnection(origin=_origin(server))
    stream = _answered(connection, server, 1).extensions["network_stream"]
    _until(lambda: stream.get_extra_info("is_readable"))  # the server's FIN arrived
    with pytest.raises(httpcore.ConnectionNotAvailable):
        connection.handle_request(_request(server, 2))
    assert len(server.requests) == 1
    connection.close()


def test_a_live_connection_is_reused_and_kept_while_a_request_is_on_it(server: ScriptedServer) -> None:
    """Claims do not get in the way of the healthy path: one connection, many requests."""
    connection = GuardedConnection(origin=_origin(server))
    for number in range(5):
        _answered(connection, server, number)
        assert connection.is_idle()
        assert not connection.has_expired()
    response = connection.handle_request(_request(server, 5))
    assert not connection.is_idle()
    assert not connection.has_expired()
    response.read()
    response.close()
    assert len(server.requests) == 6
    connection.close()


def test_the_pools_view_may_be_stale_but_a_claim_checks_afresh(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between full checks the pool hears "not expired" (no poll per pass); the claim still refuses."""
    monkeypatch.setattr(connections, "POOL_RECHECK_SECONDS", 60.0)  # no full check again in this test
    connection = GuardedConnection(origin=_origin(server), keepalive_expiry=EXPIRY)
    assert not connection.has_expired()  # the pool's first question: a full check
    _answered(connection, server, 1)
    time.sleep(EXPIRY * 2)
    assert not connection.has_expired()  # stale: expired by now, but not checked again yet
    with pytest.raises(httpcore.ConnectionNotAvailable):
        connection.handle_request(_request(server, 2))
    assert connection.has_expired()  # retired by the claim: the pool drops it on its next pass
    assert [r.path for r in server.requests] == ["/call/1"]
    connection.close()


def test_a_request_handed_a_stale_connection_is_sent_once_on_another(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the whole pool: the refused claim sends nothing and httpcore gives the request a new one."""
    monkeypatch.setattr(connections, "POOL_RECHECK_SECONDS", 60.0)
    limits = httpx.Limits(max_connections=4, keepalive_expiry=EXPIRY)
    with httpx.Client(transport=GuardedHTTPTransport(limits=limits), base_url=server.url) as client:
        first = client.get("/call/1")
        time.sleep(EXPIRY * 2)  # the kept-alive connection expires; the pool is not told
        second = client.get("/call/2")
    assert (first.status_code, second.status_code) == (200, 200)
    assert [r.path for r in server.requests] == ["/call/1", "/call/2"]
    assert first.extensions["network_stream"] is not second.extensions["network_stream"]


def test_the_async_connection_refuses_an_expired_connection_too(server: ScriptedServer) -> None:
    async def scenario() -> None:
        connection = AsyncGuardedConnection(origin=_origin(server), keepalive_expiry=EXPIRY)
        response = await connection.handle_async_request(_request(server, 1))
        await response.aread()
        await response.aclose()
        await asyncio.sleep(EXPIRY * 2)
        assert connection.has_expired()
        with pytest.raises(httpcore.ConnectionNotAvailable):
            await connection.handle_async_request(_request(server, 2))
        await connection.aclose()

    asyncio.run(scenario())
    assert len(server.requests) == 1
