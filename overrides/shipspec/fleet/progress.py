"""How workers tell the coordinator what they settled: a Redis set of references per run.

A set, not a counter: a task delivered twice (its worker died after reporting, before acknowledging) adds
the same references again without counting them twice, so "done" means every reference is in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import redis

__all__ = ["Progress"]

KEEP_SECONDS: Final = 7 * 24 * 3600
"""A run's set outlives any run: the coordinator may be restarted to wait again."""
TIMEOUT_SECONDS: Final = 30.0


class Progress:
    """The settled references of fleet runs, in the broker's Redis."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )

    @staticmethod
    def _key(run_id: str) -> str:
        return f"shipspec:fleet:{run_id}:settled"

    def report(self, run_id: str, references: Iterable[str]) -> None:
        found = list(references)
        if found:
            key = self._key(run_id)
            with self._client.pipeline() as pipe:
                pipe.sadd(key, *found)
                pipe.expire(key, KEEP_SECONDS)
                pipe.execute()

    def settled(self, run_id: str) -> int:
        return int(self._client.scard(self._key(run_id)))

    def waiting(self, queue: str) -> int:
        """Tasks still in the broker's ``queue`` (kombu's Redis transport keeps a list named after it)."""
        return int(self._client.llen(queue))

    def forget(self, run_id: str) -> None:
        self._client.delete(self._key(run_id))

    def close(self) -> None:
        self._client.close()
