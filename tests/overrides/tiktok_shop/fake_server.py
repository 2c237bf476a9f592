"""A small in-process TikTok Shop stand-in on 127.0.0.1 that checks every request like the real API would.

Signatures are verified with the independent PyPI signer ``tiktok_shop_api.Signer`` (not shipspec's), so a
request only passes when two implementations agree. Token endpoints issue numbered tokens with ABSOLUTE
expiry timestamps; the ship endpoint answers per package from a script.
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
from urllib.parse import parse_qsl, urlsplit

from tiktok_shop_api import Signer

from tests.support.servers import free_port, serving

APP_KEY = "test-app-key"
APP_SECRET = "s3cr3t-app-secret-value"
SHOP_CIPHER = "ROW_test_cipher"
TOKEN_LIFETIME = 7 * 24 * 3600
SHIP_PATH = "/fulfillment/202309/packages/ship"


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    verdict: str  # "ok" or the rejection code as text


@dataclass
class FakeTikTok:
    """Server state: issued tokens, scripted failures and every request seen."""

    app_secret: str = APP_SECRET
    auth_codes: set[str] = field(default_factory=lambda: {"code-1"})
    expire_in_override: int | None = None  # e.g. a duration instead of an absolute time
    package_errors: dict[str, tuple[int, str]] = field(default_factory=dict)
    reject_tokens_times: int = 0  # answer 105002 this many times although the token is valid
    issued: int = 0
    valid_access: set[str] = field(default_factory=set)
    valid_refresh: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self) -> dict[str, Any]:
        self.issued += 1
        now = int(time.time())
        access, refresh = f"access-{self.issued}", f"refresh-{self.issued}"
        self.valid_access = {access}
        self.valid_refresh.add(refresh)
        expire = self.expire_in_override if self.expire_in_override is not None else now + TOKEN_LIFETIME
        return {
            "access_token": access,
            "access_token_expire_in": expire,
            "refresh_token": refresh,
            "refresh_token_expire_in": now + 365 * 24 * 3600,
            "open_id": "open-1",
            "seller_name": "Test Seller",
        }

    def answer(self, seen: Seen) -> tuple[int, dict[str, Any]]:
        query = dict(seen.query)
        if seen.path == "/api/v2/token/get":
            return self._token_get(seen, query)
        if seen.path == "/api/v2/token/refresh":
            return self._token_refresh(seen, query)
        if seen.path == SHIP_PATH and seen.method == "POST":
            return self._ship(seen, query)
        return 404, envelope(36009009, "Invalid path.")

    def _token_get(self, seen: Seen, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if unsigned_problem := self._unsigned_problem(seen, query, "authorized_code"):
            return 200, envelope(36009004, unsigned_problem)
        if query.get("auth_code") not in self.auth_codes:
            return 200, envelope(36004004, "auth_code is invalid, expired or already used.")
        self.auth_codes.discard(query["auth_code"])
        return 200, envelope(0, "success", self.issue())

    def _token_refresh(self, seen: Seen, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if unsigned_problem := self._unsigned_problem(seen, query, "refresh_token"):
            return 200, envelope(36009004, unsigned_problem)
        if query.get("refresh_token") not in self.valid_refresh:
            return 200, envelope(36009004, "Invalid refresh_token.")
        return 200, envelope(0, "success", self.issue())

    def _unsigned_problem(self, seen: Seen, query: dict[str, str], grant_type: str) -> str | None:
        if query.get("app_key") != APP_KEY or query.get("app_secret") != self.app_secret:
            return "Invalid app_key or app_secret."
        if query.get("grant_type") != grant_type:
            return "Invalid grant_type."
        unexpected = {"sign", "timestamp", "shop_cipher"} & set(query)
        if unexpected or "x-tts-access-token" in seen.headers:
            return f"Unexpected identifier: {sorted(unexpected)}"
        return None

    def _ship(self, seen: Seen, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        expected = Signer.sign(
            path=seen.path,
            query=[pair for pair in seen.query if pair[0] != "sign"],
            content_type=seen.headers.get("content-type"),
            body=seen.body,
            app_secret=self.app_secret,
        )
        if query.get("sign") != expected:
            return 401, envelope(106001, "Invalid credentials. The 'sign' query parameter is invalid.")
        timestamp = query.get("timestamp", "")
        if len(timestamp) != 10 or not timestamp.isdigit() or abs(int(timestamp) - time.time()) > 300:
            return 200, envelope(36009004, "Invalid timestamp.")
        if query.get("app_key") != APP_KEY:
            return 200, envelope(36009004, "Invalid app_key.")
        if query.get("shop_cipher") != SHOP_CIPHER:
            return 200, envelope(106013, "shop_cipher is required but missing.")
        if seen.headers.get("x-tts-access-token") not in self.valid_access:
            return 200, envelope(105002, "Access token expired.")
        if self.reject_tokens_times > 0:
            self.reject_tokens_times -= 1
            return 200, envelope(105002, "Access token expired.")
        packages = json.loads(seen.body)["packages"]
        errors = [
            {"code": code, "message": message, "detail": {"package_id": package["id"]}}
            for package in packages
            if (scripted := self.package_errors.get(package["id"])) is not None
            for code, message in [scripted]
        ]
        return 200, envelope(0, "Success", {"errors": errors})


def envelope(code: int, message: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "request_id": "req-1", "data": data}


def _handler(state: FakeTikTok) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(
                method=self.command,
                path=parts.path,
                query=parse_qsl(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                verdict="",
            )
            with state.lock:
                status, payload = state.answer(seen)
                seen.verdict = "ok" if payload["code"] == 0 else str(payload["code"])
                state.seen.append(seen)
            raw = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read ``state.seen`` instead."""

    return Handler


@contextmanager
def running_fake(state: FakeTikTok) -> Iterator[str]:
    """Serve ``state`` on a free 127.0.0.1 port for the block; yield the base URL; always shut down."""
    with serving(ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(state))) as url:
        yield url
