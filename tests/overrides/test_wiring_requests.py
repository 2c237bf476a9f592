"""The wired httpx clients build the same requests as plain httpx, also where they skip its merging steps."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest
from shipspec import wiring

BASE = "https://api.example.test/v2/"
CALLS: list[dict[str, Any]] = [
    {"method": "post", "url": "/ship", "json": {"packages": [{"id": "P1", "name": "ü"}]}},
    {
        "method": "post",
        "url": "/ship",
        "params": {"c": "1"},
        "json": [],
        "headers": {"Content-Type": "application/json"},
    },
    {
        "method": "post",
        "url": "/ship",
        "content": b"raw bytes",
        "headers": {"X-Call": "1", "accept": "text/plain"},
    },
    {"method": "get", "url": "/orders/7", "params": {"page": "2"}},
    {"method": "get", "url": "/orders/7", "headers": {"X-Raw": b"7"}},  # bytes: httpx's own way
    {"method": "post", "url": "/form", "data": {"a": "1"}},  # form data: httpx's own way
    {"method": "get", "url": "/orders", "timeout": 3.0},
    {"method": "get", "url": "/orders", "extensions": {"trace": None}},
    {"method": "get", "url": "/orders", "cookies": {"c": "1"}},
]


def _shape(request: httpx.Request) -> tuple[Any, ...]:
    return (request.method, str(request.url), request.headers.raw, request.read(), request.extensions)


def _clients(**options: Any) -> tuple[httpx.Client, httpx.Client]:
    return wiring._Client(base_url=BASE, **options), httpx.Client(base_url=BASE, **options)


@pytest.mark.parametrize("call", CALLS, ids=lambda call: f"{call['method']} {sorted(call)}")
def test_the_same_request_as_plain_httpx_builds(call: dict[str, Any]) -> None:
    wired, plain = _clients(headers={"User-Agent": "shop/1"}, timeout=httpx.Timeout(5.0, connect=2.0))
    with wired, plain:
        for _ in range(3):  # the first call fills the memos, the others read them
            assert _shape(wired.build_request(**call)) == _shape(plain.build_request(**call))


def _sent(client_type: type[httpx.Client], call: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What ``client.request`` (the generated functions' call, passing every argument) sends, three times."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    with (
        client_type(base_url=BASE, transport=httpx.MockTransport(answer)) as client,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", DeprecationWarning)  # Client.request's warning for per-call cookies
        for _ in range(3):  # the first call fills the memos, the others read them
            client.request(**call)
    return [_shape(request) for request in seen]


@pytest.mark.parametrize("call", CALLS, ids=lambda call: f"{call['method']} {sorted(call)}")
def test_the_same_request_is_sent_as_plain_httpx_sends(call: dict[str, Any]) -> None:
    assert _sent(wiring._Client, call) == _sent(httpx.Client, call)


def test_a_client_holding_cookies_sends_them() -> None:
    wired, plain = _clients(cookies={"session": "s1"})
    with wired, plain:
        call = CALLS[0]
        wired.build_request(**call)
        assert _shape(wired.build_request(**call)) == _shape(plain.build_request(**call))
        assert wired.build_request(**call).headers["cookie"] == "session=s1"


def test_changed_client_headers_and_timeout_are_used_at_once() -> None:
    wired, plain = _clients()
    with wired, plain:
        call = CALLS[1]
        wired.build_request(**call)
        for client in (wired, plain):
            client.headers["X-Tenant"] = "t2"
            client.timeout = httpx.Timeout(9.0)
        assert _shape(wired.build_request(**call)) == _shape(plain.build_request(**call))
        assert wired.build_request(**call).headers["x-tenant"] == "t2"


def test_requests_do_not_share_headers() -> None:
    with wiring._Client(base_url=BASE) as wired:
        first = wired.build_request(**CALLS[2])
        first.headers["X-Changed"] = "yes"
        assert "x-changed" not in wired.build_request(**CALLS[2]).headers


def test_the_headers_memo_is_bounded() -> None:
    with wiring._Client(base_url=BASE) as wired:
        for number in range(wiring.MERGED_HEADERS_LIMIT + 10):
            wired.build_request("get", "/orders", headers={"X-Number": str(number)})
        assert len(wired._merged_urls._headers) <= wiring.MERGED_HEADERS_LIMIT


async def _async_shape(call: dict[str, Any]) -> tuple[Any, ...]:
    async with wiring._AsyncClient(base_url=BASE) as wired:
        wired.build_request(**call)
        return _shape(wired.build_request(**call))


def test_async_client_builds_the_same_requests() -> None:
    import anyio

    with httpx.Client(base_url=BASE) as plain:
        for call in CALLS:
            assert anyio.run(_async_shape, call) == _shape(plain.build_request(**call))
