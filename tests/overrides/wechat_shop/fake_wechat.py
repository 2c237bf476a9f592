"""A small WeChat on 127.0.0.1 for tests: token endpoints that count calls, business calls that check tokens.

- ``POST /cgi-bin/stable_token`` and ``GET /cgi-bin/token`` check appid/secret (40001 otherwise, as WeChat
  does for a wrong secret), wait ``token_delay`` seconds (to make callers overlap) and issue ``tok-<n>``,
  n counting every token call. ``token_errcode`` makes them fail with that code instead.
- ``POST /product/delivery/get_company_list`` and ``/send`` answer the next code of ``business_script`` if
  any, else ``errcode 0`` when the access_token is one this server issued (or ``accept``-ed), and
  ``reject_code`` (42001) otherwise. Every access_token they see is recorded in order.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.servers import free_port

APPID = "wx-test-app"
SECRET = "app-secret-value-0042"
STOP_TIMEOUT = 10.0


@dataclass
class FakeWeChat:
    token_delay: float = 0.0
    token_errcode: int | None = None
    reject_code: int = 42001
    business_script: list[int] = field(default_factory=list)
    token_calls: list[dict[str, Any]] = field(default_factory=list)  # the parsed request of each token call
    business_tokens: list[str | None] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accept(self, *tokens: str) -> None:
        with self.lock:
            self.accepted.update(tokens)

    @property
    def token_count(self) -> int:
        with self.lock:
            return len(self.token_calls)

    def token_answer(self, request: dict[str, Any]) -> dict[str, Any]:
        with self.lock:  # count on arrival, so overlapping calls are all counted
            self.token_calls.append(request)
            number = len(self.token_calls)
        time.sleep(self.token_delay)
        if self.token_errcode is not None:
            code = self.token_errcode
            return {"errcode": code, "errmsg": f"fake error {code} rid: r-{number}"}
        if request.get("appid") != APPID or request.get("secret") != SECRET:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        token = f"tok-{number}"
        self.accept(token)
        return {"access_token": token, "expires_in": 7200}

    def business_answer(self, token: str | None) -> dict[str, Any]:
        with self.lock:
            self.business_tokens.append(token)
            code = self.business_script.pop(0) if self.business_script else None
            if code is None:
                code = 0 if token in self.accepted else self.reject_code
        if code:
            return {"errcode": code, "errmsg": f"fake error {code} rid: b-1"}
        return {"errcode": 0, "errmsg": "ok", "company_list": [{"delivery_id": "SF", "delivery_name": "SF"}]}


def _handler(fake: FakeWeChat) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # the request line carries tokens and, for cgi-bin/token, the secret

        def _reply(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _query(self) -> dict[str, str]:
            return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

        def do_GET(self) -> None:
            if urlsplit(self.path).path == "/cgi-bin/token":
                self._reply(fake.token_answer({"endpoint": "classic", **self._query()}))
            else:
                self.send_error(404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            if path == "/cgi-bin/stable_token":
                self._reply(fake.token_answer({"endpoint": "stable", **json.loads(raw)}))
            elif path in ("/product/delivery/get_company_list", "/product/delivery/send"):
                self._reply(fake.business_answer(self._query().get("access_token")))
            else:
                self.send_error(404)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # hundreds of callers may connect at once if single-flight were broken


@contextmanager
def running_fake_wechat(fake: FakeWeChat | None = None) -> Iterator[FakeWeChat]:
    """Serve a FakeWeChat on a free 127.0.0.1 port for the duration of the block."""
    fake = fake or FakeWeChat()
    port = free_port()
    server = _Server(("127.0.0.1", port), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(STOP_TIMEOUT)
