"""Start worker processes (``worker.py``) for the multi-process tests, release them together, collect them."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import redis

from tests.support.servers import REPO, stop

RUN_TIMEOUT_SECONDS = 120.0


class Workers:
    """Worker processes waiting for one go signal; ``go()`` releases them, ``results()`` reads their lines."""

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self.go_key = f"test-go-{uuid.uuid4().hex}"
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, mode: str, args: dict[str, Any], count: int = 1) -> None:
        payload = json.dumps({**args, "redis_url": self.redis_url, "go": self.go_key})
        for _ in range(count):
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.overrides.shared_state.worker", mode, payload],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    cwd=REPO,
                    start_new_session=True,
                )
            )

    def go(self) -> None:
        redis.Redis.from_url(self.redis_url).set(self.go_key, 1, ex=600)

    def results(self) -> list[dict[str, Any]]:
        found = []
        for process in self.processes:
            out, err = process.communicate(timeout=RUN_TIMEOUT_SECONDS)
            assert process.returncode == 0, err.decode(errors="replace")[-2000:]
            found.append(json.loads(out.decode().strip().splitlines()[-1]))
        return found


@contextlib.contextmanager
def workers(redis_url: str) -> Iterator[Workers]:
    """Workers that are all stopped when the block ends, however it ends."""
    group = Workers(redis_url)
    try:
        yield group
    finally:
        for process in group.processes:
            stop(process)
