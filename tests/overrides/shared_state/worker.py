"""One process of the multi-process Redis tests: ``python -m tests.overrides.shared_state.worker MODE JSON``.

Every worker waits until the parent sets the Redis key ``go`` names (so all start together), does its
part from several threads, and prints one JSON line for the parent:

- ``tokens``: WeChat tokens through a ``RedisTokenStore``; prints the tokens got and the errors' types;
- ``send``: Baaship requests through a ``RetryingTransport`` with a ``RedisPacer``; prints, per request,
  the wall-clock time its answer (or error) came back, its HTTP status (0 for an error) and the error type.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import redis
from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.pacing import RedisPacer, parse_rate
from shipspec.retry import RetryPolicy
from shipspec.tokens import RedisTokenStore
from shipspec.transport import RetryingTransport
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN

WAIT_SECONDS = 60.0


def wait_for_go(redis_url: str, go: str) -> None:
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + WAIT_SECONDS
    while not client.exists(go):
        if time.monotonic() > deadline:
            raise TimeoutError("the parent never said go")
        time.sleep(0.01)


def in_threads(threads: int, work: Callable[[int], list[Any]]) -> list[Any]:
    results: list[Any] = []
    workers = [threading.Thread(target=lambda n=n: results.extend(work(n))) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(WAIT_SECONDS)
    return results


def tokens(args: dict[str, Any]) -> dict[str, Any]:
    store = RedisTokenStore(args["redis_url"], prefix=args["prefix"])
    manager = WeChatTokenManager(args["appid"], args["secret"], store, base_url=args["base_url"])
    wait_for_go(args["redis_url"], args["go"])

    def ask(_: int) -> list[str]:
        try:
            return [manager.get_token()]
        except Exception as exc:  # reported to the parent, which fails the test
            return [f"error:{type(exc).__name__}"]

    return {"tokens": in_threads(args["threads"], ask)}


def send(args: dict[str, Any]) -> dict[str, Any]:
    rate = parse_rate(args["rate"]) if args.get("rate") else None
    pacer = RedisPacer(args["redis_url"], "baaship", rate, prefix=args["prefix"])
    transport = RetryingTransport(
        "baaship", pacer=pacer, policy=RetryPolicy(max_attempts=args.get("max_attempts", 4))
    )
    client = httpx.Client(base_url=args["base_url"], transport=transport, headers={"token": DEFAULT_TOKEN})
    wait_for_go(args["redis_url"], args["go"])
    until = time.time() + args.get("seconds", 0.0)

    def one(n: int, i: int) -> list[Any]:
        try:
            response = client.get(args["path"], params={args["param"]: f"W{n}-{i}"})
            return [[time.time(), response.status_code, None]]
        except Exception as exc:  # reported to the parent, which judges it
            return [[time.time(), 0, type(exc).__name__]]

    def work(n: int) -> list[Any]:
        done: list[Any] = []
        i = 0
        while i < args.get("requests", 0) or time.time() < until:
            done += one(n, i)
            i += 1
        return done

    try:
        return {"answers": in_threads(args["threads"], work)}
    finally:
        client.close()


MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"tokens": tokens, "send": send}

if __name__ == "__main__":
    print(json.dumps(MODES[sys.argv[1]](json.loads(sys.argv[2]))), flush=True)  # noqa: T201
