"""The body of one process in the cross-process token test (imported by spawned children, so top level)."""

from __future__ import annotations

import os
import threading
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.tokens import FileTokenStore

from .fake_wechat import APPID, SECRET

WAIT_SECONDS = 30.0


def get_tokens_in_threads(
    directory: str, base_url: str, threads: int, start: Barrier, results: Queue[tuple[int, list[str], float]]
) -> None:
    """Start ``threads`` threads, wait until every process is ready, then let them all ask for the token."""
    manager = WeChatTokenManager(APPID, SECRET, FileTokenStore(Path(directory)), base_url=base_url)
    ready = threading.Barrier(threads + 1)
    tokens: list[str] = []
    failures: list[str] = []

    def ask() -> None:
        ready.wait(WAIT_SECONDS)
        try:
            tokens.append(manager.get_token())
        except Exception as exc:  # reported to the parent, which fails the test
            failures.append(type(exc).__name__)

    workers = [threading.Thread(target=ask) for _ in range(threads)]
    for worker in workers:
        worker.start()
    start.wait(WAIT_SECONDS)  # every process has its threads parked
    ready.wait(WAIT_SECONDS)  # release this process's threads together
    released = time.monotonic()
    for worker in workers:
        worker.join(WAIT_SECONDS)
    seconds = time.monotonic() - released  # from release to the last thread holding its token
    results.put((os.getpid(), tokens + [f"error:{name}" for name in failures], seconds))
