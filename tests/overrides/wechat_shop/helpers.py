"""Shared test helpers: a settable clock and a MockTransport token endpoint that issues tok-1, tok-2 …"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.tokens import MemoryTokenStore

from .fake_wechat import APPID, SECRET

BASE_URL = "https://api.weixin.qq.com"


@dataclass
class Clock:
    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class TokenServer:
    """A MockTransport handler issuing tok-1, tok-2 … and recording each request."""

    answer: Callable[[int], httpx.Response] | None = None
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = len(self.requests)
        if self.answer is not None:
            return self.answer(number)
        return httpx.Response(200, json={"access_token": f"tok-{number}", "expires_in": 7200})

    def body(self, index: int) -> object:
        return json.loads(self.requests[index].content)


def make_manager(
    server: TokenServer, store: MemoryTokenStore | None = None, clock: Clock | None = None, **kwargs: object
) -> WeChatTokenManager:
    return WeChatTokenManager(
        APPID,
        SECRET,
        store if store is not None else MemoryTokenStore(),
        base_url=BASE_URL,
        clock=clock or Clock(),
        transport=httpx.MockTransport(server),
        async_transport=httpx.MockTransport(server),
        **kwargs,  # type: ignore[arg-type]
    )
