"""Connections that break before the request is written are "not sent"; the pool keeps a connection alive
for each concurrent call (500 of them at once: test_concurrent_calls.py)."""

from __future__ import annotations

import httpx
import pytest
from shipspec.errors import AmbiguousTimeoutError
from shipspec.settings import instant_backoff
from shipspec.transport import RetryingTransport
from shipspec.wiring import pool_limits


class HeadNeverWritten(httpx.BaseTransport):
    """Fails the first attempt the way httpcore does when a kept-alive connection is already broken: the
    write of the request's head fails (httpcore traces it and swallows it), then the read fails too. Then
    answers 200. A real socket cannot be made to fail this way on demand (httpcore drops a connection it
    sees closed before reusing it), so the failure is staged here, exactly as httpcore reports it."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls == 1:
            trace = request.extensions["trace"]
            trace("http11.send_request_headers.started", {"request": request})
            trace("http11.send_request_headers.failed", {"exception": OSError(9, "Bad file descriptor")})
            raise httpx.ReadError("[Errno 9] Bad file descriptor", request=request)
        return httpx.Response(200, content=self.body, headers={"content-type": "application/json"})


class ReadBreaks(HeadNeverWritten):
    """The head was written, then the read failed: that one may have reached the carrier."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        trace = request.extensions["trace"]
        trace("http11.send_request_headers.complete", {"return_value": None})
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)


CREATED = (
    b'{"code": 0, "message": "ok", "data": {"referenceNo": "R-1", "waybill": "T80000001", '
    b'"labelUrl": "https://labels.example/T80000001.pdf"}}'
)


def test_a_connection_broken_before_the_head_was_written_is_resent_as_not_sent() -> None:
    """createShipment is never resent after an ambiguous failure; this one was not sent, so it is."""
    staged = HeadNeverWritten(CREATED)
    http = httpx.Client(base_url="http://baaship.test", transport=RetryingTransport("baaship", staged))
    with instant_backoff(), http:
        answer = http.post("/createShipment", json={"referenceNo": "R-1"})
    assert answer.status_code == 200
    assert staged.calls == 2


def test_a_read_that_breaks_after_the_head_was_written_stays_ambiguous() -> None:
    staged = ReadBreaks(CREATED)
    http = httpx.Client(base_url="http://baaship.test", transport=RetryingTransport("baaship", staged))
    with instant_backoff(), http, pytest.raises(AmbiguousTimeoutError):
        http.post("/createShipment", json={"referenceNo": "R-1"})
    assert staged.calls == 1


def test_the_pool_keeps_a_connection_alive_for_each_concurrent_call() -> None:
    assert pool_limits(500).max_keepalive_connections == 500
    assert pool_limits(500).max_connections == 500
    assert pool_limits(8).max_connections == 100  # never fewer than httpx's own
    assert pool_limits(8).max_keepalive_connections == 100  # every one kept alive (shipspec.connections)
    assert pool_limits(None) == pool_limits(1)
