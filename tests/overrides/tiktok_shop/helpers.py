"""Shared pieces of the TikTok unit tests: a settable clock and a scripted authorization host."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from shipspec.carriers.tiktok_shop import TikTokTokens
from shipspec.tokens import MemoryTokenStore, TokenRecord

NOW = 1_700_000_000.0
WEEK = 7 * 24 * 3600
APP_KEY = "unit-app-key"
APP_SECRET = "unit-app-secret-0123"
KEY = "tiktok_shop.unit"
AUTH_BASE = "https://auth.example.test"
SHIP_URL = "https://open-api.tiktokglobalshop.com/fulfillment/202309/packages/ship"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class AuthHost:
    """A MockTransport handler for the token endpoints that issues numbered tokens with absolute expiry."""

    clock: Clock
    calls: list[httpx.Request] = field(default_factory=list)
    issued: int = 0
    answer: dict[str, Any] | None = None  # a fixed envelope instead of fresh tokens

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.answer is not None:
            return httpx.Response(200, json=self.answer)
        self.issued += 1
        data = {
            "access_token": f"fresh-access-{self.issued}",
            "access_token_expire_in": int(self.clock()) + WEEK,
            "refresh_token": f"fresh-refresh-{self.issued}",
            "refresh_token_expire_in": int(self.clock()) + 52 * WEEK,
        }
        return httpx.Response(200, json={"code": 0, "message": "success", "request_id": "r", "data": data})


def make_tokens(
    clock: Clock,
    record: TokenRecord | None,
    host: AuthHost | None = None,
) -> tuple[TikTokTokens, AuthHost]:
    """A TikTokTokens over a memory store holding ``record``, whose token calls go to a scripted host."""
    host = host or AuthHost(clock)
    store = MemoryTokenStore()
    if record is not None:
        store.save(KEY, record)
    tokens = TikTokTokens(
        app_key=APP_KEY,
        app_secret=APP_SECRET,
        store=store,
        key=KEY,
        auth_base_url=AUTH_BASE,
        transport=httpx.MockTransport(host),
        clock=clock,
    )
    return tokens, host


def record(
    access: str = "old-access",
    expires_in: float = WEEK,
    refresh: str | None = "old-refresh",
    refresh_expires_in: float | None = 52 * WEEK,
) -> TokenRecord:
    """A stored token record relative to NOW."""
    return TokenRecord(
        access_token=access,
        expires_at=NOW + expires_in,
        refresh_token=refresh,
        refresh_expires_at=None if refresh_expires_in is None else NOW + refresh_expires_in,
    )


def ship_request(shop_cipher: str | None = "CIPHER", body: dict[str, Any] | None = None) -> httpx.Request:
    """A Batch Ship Packages request as the generated client builds it (JSON body, shop_cipher in query)."""
    params = {} if shop_cipher is None else {"shop_cipher": shop_cipher}
    content = json.dumps(body or {"packages": [{"id": "P1"}]}).encode("utf-8")
    return httpx.Request(
        "POST", SHIP_URL, params=params, content=content, headers={"Content-Type": "application/json"}
    )


def envelope_response(
    request: httpx.Request, code: int, message: str = "", status: int = 200
) -> httpx.Response:
    """An API answer with the common envelope."""
    body = {"code": code, "message": message, "request_id": "req", "data": None}
    return httpx.Response(status, json=body, request=request)
