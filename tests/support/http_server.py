"""A scripted HTTP server for tests: real sockets on 127.0.0.1, a free port, nothing left running.

``ScriptedServer`` answers each request with the next scripted ``Reply`` (JSON or raw bytes, any status and
headers), optionally after a delay, or drops/resets the connection without answering, and records every
request it read. Use it as a context manager or through the ``scripted_server`` fixture helper::

    @pytest.fixture
    def server() -> Iterator[ScriptedServer]:
        yield from scripted_server()

Delays wait on an event that ``stop()`` sets, so stopping never waits for a slow scripted answer, and
``stop()`` joins every handler thread.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Recorded", "Reply", "ScriptedServer", "scripted_server"]

JOIN_TIMEOUT_SECONDS = 5.0
POLL_SECONDS = 0.02  # how often serve_forever checks for shutdown: stopping waits at most this long


@dataclass(frozen=True)
class Reply:
    """One scripted answer; ``drop`` closes the connection without a byte, ``reset`` aborts it (RST),
    ``hang_up`` closes it after answering without saying so (a server's own keep-alive timeout)."""

    status: int = 200
    body: Any = b""
    """bytes or str are sent as they are; anything else is sent as JSON."""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait after reading the request and before answering (or dropping)."""
    drop: bool = False
    reset: bool = False
    hang_up: bool = False

    def payload(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), "text/html; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json"


@dataclass(frozen=True)
class Recorded:
    """A request as the server read it."""

    method: str
    path: str
    """Path and query, as sent."""
    headers: Mapping[str, str]
    """Lower-cased names."""
    body: bytes


UNSCRIPTED = Reply(status=599, body={"error": "no scripted reply left"})


class ScriptedServer:
    """A ThreadingHTTPServer answering from a script (see the module docstring)."""

    def __init__(self, port: int = 0) -> None:
        self._replies: deque[Reply] = deque()
        self._otherwise = UNSCRIPTED
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self.requests: list[Recorded] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        # Handler threads are joined on stop: nothing may outlive the test that started it.
        self._httpd.daemon_threads = False
        self._httpd.block_on_close = True
        self.port = int(self._httpd.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(POLL_SECONDS,), name=f"scripted-{self.port}"
        )

    def script(self, *replies: Reply) -> None:
        """Queue answers, used in order; a request beyond the script gets HTTP 599."""
        with self._lock:
            self._replies.extend(replies)

    def always(self, reply: Reply) -> None:
        """Answer every request beyond the script with ``reply`` (instead of HTTP 599)."""
        with self._lock:
            self._otherwise = reply

    def next_reply(self) -> Reply:
        with self._lock:
            return self._replies.popleft() if self._replies else self._otherwise

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True when the server is stopping (so a delayed answer is abandoned)."""
        return self._stopping.wait(seconds)

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        with self._lock:
            open_connections = list(self._connections)
        for connection in open_connections:  # wake handlers idling on a kept-alive connection
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()  # joins the handler threads (block_on_close)
        self._thread.join(JOIN_TIMEOUT_SECONDS)

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def scripted_server() -> Iterator[ScriptedServer]:
    """Body of a pytest fixture: a started server, stopped when the test ends."""
    with ScriptedServer() as server:
        yield server


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = JOIN_TIMEOUT_SECONDS  # a safety net: an idle kept-alive connection is also shut on stop

        def setup(self) -> None:
            super().setup()
            server.track(self.connection, open_=True)

        def finish(self) -> None:
            server.track(self.connection, open_=False)
            with contextlib.suppress(OSError):
                super().finish()

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            server.record(Recorded(self.command, self.path, headers, body))
            reply = server.next_reply()
            if reply.delay and server.wait(reply.delay):
                self.close_connection = True
                return
            if reply.reset:
                # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            if reply.drop:
                self.close_connection = True
                return
            payload, content_type = reply.payload()
            try:
                self.send_response(reply.status)
                if not any(name.lower() == "content-type" for name in reply.headers):
                    self.send_header("Content-Type", content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                if reply.hang_up:
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up first (its read timeout)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows failures, not access logs."""

    return Handler
