"""TikTokAuth's signed URL is byte for byte what rebuilding the whole query with httpx gives.

The flow remembers, per URL, the request's own query (parsed, filtered, encoded) and the signed URL up to
the timestamp, and writes only the timestamp and sign on each call, parsing the result once; these tests
hold it to the straightforward way, for awkward queries and URLs, on the first call and on the remembered
ones.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from shipspec.carriers.tiktok_shop import TikTokAuth, sign
from shipspec.carriers.tiktok_shop.auth import AUTH_QUERY_KEYS

from .helpers import APP_KEY, APP_SECRET, SHIP_URL, Clock, make_tokens, record

QUERIES = [
    {"shop_cipher": "CIPHER"},
    {"shop_cipher": "a b+c&d=e%41/?#ü~"},
    {"shop_cipher": "CIPHER", "sign": "stale", "timestamp": "1", "app_key": "other"},
    [("shop_cipher", "CIPHER"), ("x", "1"), ("y", ""), ("x", "2")],
]


def _straightforward(request: httpx.Request, now: float) -> httpx.URL:
    """The URL the flow made before it remembered queries: parse, filter, append, sign, rebuild."""
    query = [(k, v) for k, v in request.url.params.multi_items() if k not in AUTH_QUERY_KEYS]
    query += [("app_key", APP_KEY), ("timestamp", str(int(now)))]
    signature = sign(request.url.path, query, request.headers["content-type"], request.content, APP_SECRET)
    return request.url.copy_with(params=[*query, ("sign", signature)])


SHIP_PATH = httpx.URL(SHIP_URL).path
URLS = [
    SHIP_URL,
    f"http://127.0.0.1:8080{SHIP_PATH}",
    f"http://[::1]:8443{SHIP_PATH}",
    f"https://user:p%40ss@open-api.example.test{SHIP_PATH}",
    f"https://ÖPEN-api.example.test{SHIP_PATH}",
    f"{SHIP_URL}#fragment",  # never sent; the flow keeps it, as copy_with does
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("params", QUERIES)
def test_signed_url_matches_a_full_rebuild(params: Any, url: str) -> None:
    clock = Clock()
    tokens, _ = make_tokens(clock, record())
    auth = TikTokAuth(tokens)
    for step in range(3):  # the first call fills the memo, the others read it
        clock.now += step
        request = httpx.Request(
            "POST",
            url,
            params=params,
            content=b'{"packages":[]}',
            headers={"Content-Type": "application/json"},
        )
        expected = _straightforward(request, clock.now)
        sent = next(auth.sync_auth_flow(request))
        assert str(sent.url) == str(expected)
        assert sent.url.raw_path == expected.raw_path


def test_configured_shop_cipher_is_encoded_like_httpx_does() -> None:
    tokens, _ = make_tokens(Clock(), record())
    auth = TikTokAuth(tokens, shop_cipher="with space&amp")
    request = httpx.Request("POST", SHIP_URL, content=b"{}", headers={"Content-Type": "application/json"})
    sent = next(auth.sync_auth_flow(request))
    assert sent.url.params["shop_cipher"] == "with space&amp"
    assert sent.url.query.startswith(b"shop_cipher=with+space%26amp&app_key=")
