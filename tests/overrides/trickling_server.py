"""An HTTP server on 127.0.0.1 that sends its answer's body a byte at a time, for per-attempt deadline tests.

httpx's timeouts bound each read, so a body trickled a byte just inside every read timeout never times out
by itself; this server does exactly that (``ScriptedServer`` only writes whole answers). Every request gets
the same ``Trickle`` answer with ``Connection: close``; ``requests`` records ``"METHOD path"`` per request.
Use it as a context manager: leaving it sets the event that waits between bytes wait on (so nothing waits out
a slow answer) and joins every thread it started.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Trickle", "TricklingServer"]

POLL_SECONDS = 0.02  # how often the accept loop looks at the stop flag
JOIN_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Trickle:
    """One answer: ``every`` seconds before each byte of ``body`` (0: the whole body at once)."""

    body: bytes
    every: float = 0.0
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


class TricklingServer:
    """Answers every request with ``answer`` (see the module docstring)."""

    def __init__(self, answer: Trickle) -> None:
        self.answer = answer
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._handlers: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(POLL_SECONDS)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._acceptor = threading.Thread(target=self._accept, name="trickling-accept")

    def __enter__(self) -> TricklingServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._acceptor.join(JOIN_TIMEOUT_SECONDS)
        self._listener.close()
        for handler in self._handlers:
            handler.join(JOIN_TIMEOUT_SECONDS)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            handler = threading.Thread(target=self._serve, args=(connection,), name="trickling-serve")
            self._handlers.append(handler)
            handler.start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(JOIN_TIMEOUT_SECONDS)
            try:
                request_line = self._read_request(connection)
                with self._lock:
                    self.requests.append(request_line)
                self._answer(connection)
            except OSError:
                return  # the client gave up (its deadline or read timeout): nothing more to send

    @staticmethod
    def _read_request(connection: socket.socket) -> str:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(4096)
            if not chunk:
                raise ConnectionResetError("client closed before sending a request")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next(
            (int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")), 0
        )
        while len(body) < length:
            chunk = connection.recv(4096)
            if not chunk:
                break
            body += chunk
        method, path, _ = lines[0].split(" ", 2)
        return f"{method} {path}"

    def _answer(self, connection: socket.socket) -> None:
        answer = self.answer
        head = [f"HTTP/1.1 {answer.status} OK", f"Content-Length: {len(answer.body)}", "Connection: close"]
        head += [f"{name}: {value}" for name, value in answer.headers.items()]
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if not answer.every:
            connection.sendall(answer.body)
            return
        for index in range(len(answer.body)):
            if self._stopping.wait(answer.every):
                return
            connection.sendall(answer.body[index : index + 1])
