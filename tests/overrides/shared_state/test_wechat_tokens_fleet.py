"""Processes sharing one Redis fetch one WeChat token per expiry from the WeChat sandbox, between them."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.tokens import RedisTokenStore, TokenRecord
from shipspec_sandbox.runner import Sandboxes, start_sandboxes

from .processes import workers

PROCESSES = 4
THREADS = 4
STABLE = "getStableAccessToken"


@pytest.fixture
def wechat_sandbox() -> Iterator[Sandboxes]:
    with start_sandboxes(("wechat_shop",)) as sandboxes:
        yield sandboxes


def ask_from_processes(redis_url: str, args: dict[str, Any]) -> list[str]:
    with workers(redis_url) as group:
        group.start("tokens", args, PROCESSES)
        group.go()
        return [token for result in group.results() for token in result["tokens"]]


def test_one_token_fetch_per_expiry_across_processes(redis_url: str, wechat_sandbox: Sandboxes) -> None:
    """4 processes x 4 threads, two rounds: one stable_token call per round (the 2nd after an expiry)."""
    app: Any = wechat_sandbox.app("wechat_shop")
    credentials = app.credentials
    args = {
        "prefix": f"test-{uuid.uuid4().hex}:",
        "base_url": wechat_sandbox.url("wechat_shop"),
        "appid": credentials["appid"],
        "secret": credentials["secret"],
        "threads": THREADS,
    }
    first = ask_from_processes(redis_url, args)
    assert app.token_requests(STABLE) == 1
    assert len(first) == PROCESSES * THREADS
    assert len(set(first)) == 1
    assert not first[0].startswith("error:")

    store = RedisTokenStore(redis_url, prefix=args["prefix"])
    key = WeChatTokenManager(credentials["appid"], credentials["secret"], store).key
    stored = store.load(key)
    assert stored is not None
    assert stored.access_token == first[0]
    store.save(key, TokenRecord(access_token=first[0], expires_at=time.time() - 1))  # the token expired

    second = ask_from_processes(redis_url, args)
    assert app.token_requests(STABLE) == 2
    assert len(second) == PROCESSES * THREADS
    assert len(set(second)) == 1
    assert not second[0].startswith("error:")
