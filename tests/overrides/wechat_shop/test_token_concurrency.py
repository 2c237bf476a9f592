"""Single-flight refresh against a slow, counting token server on 127.0.0.1: threads, tasks, processes."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.tokens import FileTokenStore, MemoryTokenStore, TokenRecord, TokenStore

from .fake_wechat import APPID, SECRET, FakeWeChat
from .helpers import TokenServer, make_manager
from .token_worker import get_tokens_in_threads

CALLERS = 200  # threads, and as many asyncio tasks
PROCESSES = 4
THREADS_PER_PROCESS = 8
TOKEN_DELAY = 0.2  # the server answers slowly so every caller meets the refresh in flight
JOIN_TIMEOUT = 60.0


def expired_store(store: TokenStore, manager: WeChatTokenManager) -> None:
    store.save(manager.key, TokenRecord(access_token="tok-expired", expires_at=time.time() - 60))


def test_threads_and_tasks_meeting_an_expired_token_cause_one_token_request(wechat: FakeWeChat) -> None:
    """200 threads and 200 asyncio tasks (one loop in another thread), released together: one token call."""
    wechat.token_delay = TOKEN_DELAY
    store = MemoryTokenStore()
    manager = WeChatTokenManager(APPID, SECRET, store, base_url=wechat.url)
    expired_store(store, manager)
    start = threading.Barrier(CALLERS + 1)
    got: list[str] = []
    failures: list[BaseException] = []

    def thread_caller() -> None:
        try:
            start.wait(JOIN_TIMEOUT)
            got.append(manager.get_token())
        except BaseException as exc:
            failures.append(exc)

    async def task_callers() -> list[str]:
        return await asyncio.gather(*(manager.aget_token() for _ in range(CALLERS)))

    def loop_thread() -> None:
        try:
            start.wait(JOIN_TIMEOUT)
            got.extend(asyncio.run(task_callers()))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=thread_caller) for _ in range(CALLERS)]
    threads.append(threading.Thread(target=loop_thread))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    elapsed = time.monotonic() - began
    assert not [t for t in threads if t.is_alive()]
    assert failures == []
    assert wechat.token_count == 1
    assert got == ["tok-1"] * (2 * CALLERS)
    assert elapsed < 10 * TOKEN_DELAY + 5  # one refresh plus thread start-up, never one per caller
    print(f"\n{2 * CALLERS} callers, token calls={wechat.token_count}, {elapsed:.2f}s")  # noqa: T201


def test_processes_sharing_a_file_store_cause_one_token_request(wechat: FakeWeChat, tmp_path: Path) -> None:
    """4 spawned processes x 8 threads meeting an expired token in one FileTokenStore: one token call."""
    wechat.token_delay = TOKEN_DELAY
    store = FileTokenStore(tmp_path)
    expired_store(store, WeChatTokenManager(APPID, SECRET, store, base_url=wechat.url))
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [
        context.Process(
            target=get_tokens_in_threads,
            args=(str(tmp_path), wechat.url, THREADS_PER_PROCESS, start, results),
        )
        for _ in range(PROCESSES)
    ]
    began = time.monotonic()
    try:
        for process in processes:
            process.start()
        collected: dict[int, list[str]] = {}
        waits: list[float] = []
        deadline = time.monotonic() + JOIN_TIMEOUT
        while len(collected) < PROCESSES:
            try:
                pid, tokens, seconds = results.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            collected[pid] = tokens
            waits.append(seconds)
        for process in processes:
            process.join(JOIN_TIMEOUT)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(JOIN_TIMEOUT)
        results.close()
    elapsed = time.monotonic() - began
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    assert len(collected) == PROCESSES
    assert sorted(t for tokens in collected.values() for t in tokens) == ["tok-1"] * (
        PROCESSES * THREADS_PER_PROCESS
    )
    assert wechat.token_count == 1
    assert store.load(WeChatTokenManager(APPID, SECRET, store).key) is not None
    callers, calls, slowest = PROCESSES * THREADS_PER_PROCESS, wechat.token_count, max(waits)
    # elapsed includes spawning the processes; slowest runs from the threads' release to their tokens.
    print(f"\n{callers} callers, token calls={calls}, {elapsed:.2f}s, release-to-token {slowest:.2f}s")  # noqa: T201


class WaiterCountingStore(MemoryTokenStore):
    """Counts the threads that wait for a key's lock at the same time."""

    def __init__(self) -> None:
        super().__init__(lock_timeout=5.0)  # a regression fails fast instead of hanging
        self.waiting = self.most_waiting = 0
        self._counter = threading.Lock()

    def _count(self, step: int) -> None:
        with self._counter:
            self.waiting += step
            self.most_waiting = max(self.most_waiting, self.waiting)

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        self._count(+1)
        try:
            held = super().lock(key)
            held.__enter__()
        finally:
            self._count(-1)
        try:
            yield
        finally:
            held.__exit__(None, None, None)


def test_tasks_of_one_loop_queue_before_the_blocking_lock() -> None:
    """While another thread holds the lock, 50 tasks of one loop tie up one worker thread, not 50."""
    store, server = WaiterCountingStore(), TokenServer()
    manager = make_manager(server, store)
    store.save(manager.key, TokenRecord(access_token="tok-expired", expires_at=0.0))
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.lock(manager.key):
            held.set()
            release.wait(JOIN_TIMEOUT)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(JOIN_TIMEOUT)

    async def callers() -> list[str]:
        tasks = [asyncio.ensure_future(manager.aget_token()) for _ in range(50)]
        await asyncio.sleep(0.1)  # every task has started and queued
        release.set()
        return await asyncio.gather(*tasks)

    try:
        assert asyncio.run(callers()) == ["tok-1"] * 50
    finally:
        release.set()
        holder.join(JOIN_TIMEOUT)
    assert store.most_waiting == 1  # one worker thread waited for the lock on behalf of all 50 tasks
    assert len(server.requests) == 1
