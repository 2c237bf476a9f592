"""One carrier sandbox as a real HTTP server on 127.0.0.1: routing, faults, validation, then the carrier.

Order per request: admin paths → the configured latency (``latency_seconds``: every carrier request waits
that long before it is answered, as a real carrier's network and servers make it wait; unlike the
``latency`` fault it applies to every request, not to a seeded share) → the carrier's extra GET paths (label
files) → route to an operationId (from the generated tables; a request for no operation gets the carrier's
own answer) → pre-commit faults → the carrier's own auth check → request validation against the spec
(problems the carrier documents as found later are handed to it instead) → the carrier's handler (which
commits and writes the ledger) → post-commit faults → the answer. Each connection is served by its own
thread, so the latency delays each answer without limiting how many are in progress at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import struct
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from .app import CarrierSandbox, SandboxRequest, SandboxResponse
from .faults import FaultPlan, FaultRule
from .ledger import Ledger
from .validation import SpecValidator

ADMIN_PREFIX = "/__sandbox"
HTML_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"

__all__ = ["SandboxServer"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections as they would with the real API
    server: _Server
    error_content_type = "application/json"
    error_message_format = '{"message": "%(message)s"}'
    disable_nagle_algorithm = True
    default_request_version = "HTTP/1.1"
    dispatch_names: ClassVar[tuple[str, ...]] = ("GET", "POST", "PUT", "DELETE", "PATCH")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging (the ledger and faults are the sandbox's record)."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        sandbox = self.server.sandbox
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        if split.path.startswith(ADMIN_PREFIX):
            self._send(sandbox.admin(self.command, split.path.removeprefix(ADMIN_PREFIX)))
            return
        if sandbox.latency_seconds:
            time.sleep(sandbox.latency_seconds)
        extra = sandbox.app.extra_get(split.path) if self.command == "GET" else None
        if extra is not None:  # files the carrier serves beside its API (label PDFs): no faults, no auth
            self._send(extra)
            return
        request = sandbox.route(
            self.command, split.path, parse_qsl(split.query, keep_blank_values=True), self.headers, body
        )
        if request is None:
            self._send(sandbox.app.unrouted(self.command, split.path))
            return
        fault = sandbox.faults.decide(sandbox.app.carrier, request.operation_id, request.identity)
        if fault is not None and fault.kind == "reset":
            self._reset()
            return
        before = sandbox.pre_commit_fault(fault, request)
        if before is not None:
            self._send(before)
            return
        response = sandbox.answer(request)
        if fault is not None and fault.kind == "timeout_after_commit":
            time.sleep(fault.hold_seconds)
            self._reset()
            return
        if fault is not None and fault.kind == "truncated":
            response = SandboxResponse(response.status, response.body[: max(1, len(response.body) // 2)])
        self._send(response)

    def _send(self, response: SandboxResponse) -> None:
        self.send_response(response.status)
        headers = {"Content-Type": "application/json; charset=utf-8", **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset (SO_LINGER 0), as a crashed proxy would."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Connections the kernel holds for accept(): a client opening hundreds at once (a pool sized to its
    # concurrency) overflows a short queue, and Linux then drops the handshake's last ACK. The client, which
    # counts itself connected, sends its request, which waits in limbo until a SYN-ACK retransmit (1, 2, 4,
    # 8, 16 s...) gets it accepted, or fails with a reset: an outcome no real carrier's server gives, and one
    # the client can only call ambiguous. The kernel caps this at net.core.somaxconn (4096 by default).
    request_queue_size = 1024
    sandbox: SandboxServer

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that went away mid-request (killed, timed out) is what a real carrier sees too: not worth
        # a traceback on stderr. Anything else still prints one.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SandboxServer:
    """A carrier sandbox served on a free port of 127.0.0.1 (or the port given)."""

    def __init__(
        self,
        app: CarrierSandbox,
        *,
        ledger: Ledger,
        faults: FaultPlan | None = None,
        validate: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_seconds: float = 0.0,
    ) -> None:
        if not 0 <= latency_seconds < float("inf"):
            raise ValueError(f"latency_seconds must be 0 or more, got {latency_seconds}")
        self.latency_seconds = latency_seconds
        self.app = app
        self.ledger = ledger
        self.faults = faults or FaultPlan()
        self._host, self._port = host, port
        self._validator = (
            SpecValidator(app.carrier, body_media_type=app.body_media_type) if validate else None
        )
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("sandbox not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SandboxServer:
        """Bind and serve in a background thread; return self."""
        self._httpd = _Server((self._host, self._port), _Handler)
        self._httpd.sandbox = self
        httpd = self._httpd
        self._thread = threading.Thread(
            # A short poll interval makes stop() quick; idle polling costs next to nothing.
            target=lambda: httpd.serve_forever(poll_interval=0.05),
            name=f"sandbox-{self.app.carrier}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._httpd = self._thread = None

    def route(
        self, method: str, path: str, query: list[tuple[str, str]], headers: Any, body: bytes
    ) -> SandboxRequest | None:
        """Build the request object for the operation at method + path, or None when there is none."""
        operation = self.app.tables.operation_for(method, path)
        if operation is None:
            return None
        template = operation.path.rstrip("/").split("/")
        params = {
            t[1:-1]: s
            for t, s in zip(template, path.rstrip("/").split("/"), strict=True)
            if t.startswith("{")
        }
        return SandboxRequest(
            carrier=self.app.carrier,
            operation_id=operation.operation_id,
            method=method,
            path=path,
            path_params=params,
            query_items=tuple(query),
            headers={key.lower(): value for key, value in headers.items()},
            body=body,
            volatile_query=self.app.volatile_query,
        )

    def pre_commit_fault(self, fault: FaultRule | None, request: SandboxRequest) -> SandboxResponse | None:
        """Answer a fault that happens before any work, or None to go on."""
        if fault is None:
            return None
        if fault.kind == "latency":
            time.sleep(fault.latency_ms / 1000)
            return None
        if fault.kind == "error_5xx":
            return SandboxResponse(503, HTML_PAGE, {"Content-Type": "text/html"})
        if fault.kind == "rate_limit":
            return self.app.rate_limited(request, fault.retry_after_seconds)
        if fault.kind == "malformed":
            return SandboxResponse(200, b'{"code": 0, "message": "ok", "data": {"errors": [', {})
        if fault.kind == "html":
            return SandboxResponse(200, HTML_PAGE, {"Content-Type": "text/html"})
        if fault.kind == "token_expiry":
            return self.app.token_expired(request)
        return None

    def answer(self, request: SandboxRequest) -> SandboxResponse:
        """Authenticate, validate against the spec, then let the carrier handle it."""
        denied = self.app.authenticate(request)
        if denied is not None:
            return denied
        if self._validator is not None:
            problems = self._validator.problems(request)
            deferred = self.app.defer(request, problems) if problems else []
            refused = [problem for problem in problems if problem not in deferred]
            if refused:
                return self.app.invalid(request, refused)
            if deferred:
                request = dataclasses.replace(request, deferred=tuple(deferred))
        return self.app.handle(request, self.ledger)

    def admin(self, method: str, path: str) -> SandboxResponse:
        """Small admin API: ``GET /__sandbox/ledger``, ``GET /__sandbox/health``."""
        if method == "GET" and path == "/ledger":
            entries = [dataclasses.asdict(entry) for entry in self.ledger.entries(carrier=self.app.carrier)]
            return SandboxResponse.json({"entries": entries})
        if method == "GET" and path == "/health":
            return SandboxResponse.json({"carrier": self.app.carrier, "status": "ok"})
        return SandboxResponse.json({"message": f"no admin route {method} {path}"}, HTTPStatus.NOT_FOUND)
