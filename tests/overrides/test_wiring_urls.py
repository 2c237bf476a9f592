"""The wired httpx clients remember the URLs they build, and build exactly the URLs plain httpx builds."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from shipspec import wiring
from shipspec.carriers.baaship import client as baaship_client

BASES = ["https://api.example.test", "https://api.example.test/v2/", "http://127.0.0.1:8080/sub"]
CALLS: list[tuple[str, Any]] = [
    ("/orders", None),
    ("/orders", {}),
    ("/orders?keep=1", None),
    ("/orders?keep=1", {}),
    ("/orders?keep=1", {"page": 2}),
    ("orders/7", {"flag": True, "none": None, "many": [1, 2], "text": "a b&c/ü"}),
    ("/orders", [("a", "1"), ("b", "2"), ("a", "3")]),
    ("/orders", "a=1&b=&a=2"),
    ("/orders", b"z=9"),
    ("/orders", {"page": 1}),
    ("/orders", {"page": "1"}),
    ("/orders", {"page": 1.0}),
    ("https://elsewhere.example.test/x", {"q": "1"}),
]


def _plain(base: str, url: str, params: Any) -> httpx.URL:
    with httpx.Client(base_url=base) as plain:
        return plain.build_request("GET", url, params=params).url


@pytest.mark.parametrize("base", BASES)
def test_same_urls_as_plain_httpx_first_time_and_remembered(base: str) -> None:
    with wiring._Client(base_url=base) as client:
        for _ in range(2):
            for url, params in CALLS:
                assert str(client.build_request("GET", url, params=params).url) == str(
                    _plain(base, url, params)
                )


def test_a_new_base_url_is_not_served_from_the_old_one() -> None:
    with wiring._Client(base_url=BASES[0]) as client:
        client.build_request("GET", "/orders", params={"a": "1"})
        client.base_url = httpx.URL(BASES[1])
        assert client.build_request("GET", "/orders", params={"a": "1"}).url == _plain(
            BASES[1], "/orders", {"a": "1"}
        )


def test_client_params_are_merged_as_httpx_merges_them() -> None:
    with (
        wiring._Client(base_url=BASES[0], params={"a": "client", "c": "3"}) as client,
        httpx.Client(base_url=BASES[0], params={"a": "client", "c": "3"}) as plain,
    ):
        for _ in range(2):
            for url, params in CALLS:
                assert (
                    client.build_request("GET", url, params=params).url
                    == plain.build_request("GET", url, params=params).url
                )


def test_bad_params_fail_as_in_httpx() -> None:
    bad: Any = object()
    with httpx.Client(base_url=BASES[0]) as plain:
        try:
            plain.build_request("GET", "/orders", params=bad)
        except Exception as exc:  # whatever httpx raises for it, the wired client raises too
            expected = type(exc)
    with wiring._Client(base_url=BASES[0]) as client, pytest.raises(expected):
        client.build_request("GET", "/orders", params=bad)


def test_each_request_gets_its_own_request_object() -> None:
    with wiring._Client(base_url=BASES[0]) as client:
        first = client.build_request("GET", "/orders", params={"a": "1"})
        second = client.build_request("GET", "/orders", params={"a": "1"})
        first.url = first.url.copy_with(params={"a": "changed"})
        assert second.url == _plain(BASES[0], "/orders", {"a": "1"})
        assert client.build_request("GET", "/orders", params={"a": "1"}).url == second.url


def test_the_memo_is_bounded() -> None:
    with wiring._Client(base_url=BASES[0]) as client:
        for number in range(wiring.MERGED_URLS_LIMIT + 10):
            client.build_request("GET", f"/orders/{number}")
        assert len(client._merged_urls._urls) <= wiring.MERGED_URLS_LIMIT


async def _async_url(base: str, url: str, params: Any) -> httpx.URL:
    async with wiring._AsyncClient(base_url=base) as client:
        client.build_request("GET", url, params=params)
        return client.build_request("GET", url, params=params).url


def test_async_client_builds_the_same_urls() -> None:
    import anyio

    for url, params in CALLS:
        assert anyio.run(_async_url, BASES[1], url, params) == _plain(BASES[1], url, params)


def test_wired_clients_use_the_remembering_clients() -> None:
    generated = baaship_client(token="t" * 16)
    assert isinstance(generated.get_httpx_client(), wiring._Client)
    assert isinstance(generated.get_async_httpx_client(), wiring._AsyncClient)
