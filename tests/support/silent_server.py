"""Servers that misbehave the way real carriers do, on 127.0.0.1, for tests of runs that must still end.

``SilentServer`` accepts connections and reads requests, then never answers (a carrier that hangs); it
records each request it read. ``closed_port()`` is a port nothing listens on (a carrier that is down).
Every connection and thread is closed by ``stop()``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from .http_server import Recorded
from .servers import free_port

__all__ = ["SilentServer", "closed_port", "silent_server"]

JOIN_TIMEOUT_SECONDS = 5.0
POLL_SECONDS = 0.05  # how often the acceptor checks for stop


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now (connections are refused)."""
    return free_port()


class SilentServer:
    """Reads every request (head and Content-Length body), records it, and never answers."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[Recorded] = []
        self.received = threading.Condition()
        self._connections: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, name=f"silent-{self.port}")

    def start(self) -> SilentServer:
        self._acceptor.start()
        return self

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until at least ``count`` requests were read (False when ``timeout`` passed first)."""
        with self.received:
            return self.received.wait_for(lambda: len(self.requests) >= count, timeout)

    def _accept(self) -> None:
        self._listener.settimeout(POLL_SECONDS)  # a blocked accept() would not see the listener closed
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed: stopping
            connection.settimeout(None)
            with self.received:
                self._connections.append(connection)
            thread = threading.Thread(target=self._read, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _read(self, connection: socket.socket) -> None:
        buffer = b""
        with contextlib.suppress(OSError):
            while not self._stopping.is_set():
                head, separator, rest = buffer.partition(b"\r\n\r\n")
                if separator:
                    request = _parsed(head)
                    length = int(request.headers.get("content-length") or 0)
                    if len(rest) >= length:
                        with self.received:
                            self.requests.append(
                                Recorded(request.method, request.path, request.headers, rest[:length])
                            )
                            self.received.notify_all()
                        buffer = rest[length:]
                        continue
                chunk = connection.recv(65536)
                if not chunk:
                    return
                buffer += chunk

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self.received:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                connection.close()
        self._acceptor.join(JOIN_TIMEOUT_SECONDS)
        for thread in self._threads:
            thread.join(JOIN_TIMEOUT_SECONDS)

    def __enter__(self) -> SilentServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def silent_server() -> Iterator[SilentServer]:
    """Body of a pytest fixture: a started server, stopped when the test ends."""
    with SilentServer() as server:
        yield server


def _parsed(head: bytes) -> Recorded:
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = [*lines[0].split(" ", 2), "", ""][:3]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Recorded(method, path, headers, b"")
