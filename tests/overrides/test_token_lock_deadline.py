"""A shipment waiting for a token lock gives up at its deadline, not after the store's lock_timeout: the
memory, file (flock) and Redis stores, and WeChat's async single-flight (its loop lock and the store lock
taken in a worker thread). Every holder here never releases until the test ends; the waits under test
are short, the stores' own timeouts long, so a wait that ignored the deadline would fail the bound."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from shipspec.carriers.wechat_shop.tokens import WeChatTokenManager
from shipspec.deadline import Deadline, bounded_by
from shipspec.errors import TokenStoreError
from shipspec.tokens import FileTokenStore, MemoryTokenStore, RedisTokenStore, TokenStore

from ..support.silent_server import SilentServer

DEADLINE = 0.3  # seconds the waiting shipment has
LOCK_TIMEOUT = 60.0  # seconds the stores would wait without a deadline
BOUND = 30.0  # seconds: far below LOCK_TIMEOUT, far above DEADLINE on a loaded machine
KEY = "wechat_shop.wx0001.stable"

# Two stores on the same storage: the holder's and the waiter's (for the file and Redis stores they are two
# instances, so the waiter meets the flock or the Redis lock, not the in-process thread lock).
StorePair = Callable[[Path, pytest.FixtureRequest], tuple[TokenStore, TokenStore]]


def _memory(_tmp: Path, _request: pytest.FixtureRequest) -> tuple[TokenStore, TokenStore]:
    store = MemoryTokenStore(lock_timeout=LOCK_TIMEOUT)
    return store, store


def _file(tmp: Path, _request: pytest.FixtureRequest) -> tuple[TokenStore, TokenStore]:
    return FileTokenStore(tmp, lock_timeout=LOCK_TIMEOUT), FileTokenStore(tmp, lock_timeout=LOCK_TIMEOUT)


def _redis(_tmp: Path, request: pytest.FixtureRequest) -> tuple[TokenStore, TokenStore]:
    url, prefix = request.getfixturevalue("redis_url"), f"test-{uuid.uuid4().hex}:"
    holder = RedisTokenStore(url, prefix=prefix, lock_timeout=LOCK_TIMEOUT, lock_ttl=LOCK_TIMEOUT)
    return holder, RedisTokenStore(url, prefix=prefix, lock_timeout=LOCK_TIMEOUT)


PAIRS: dict[str, StorePair] = {"memory": _memory, "file": _file, "redis": _redis}


@contextmanager
def _held_forever(store: TokenStore) -> Iterator[None]:
    """The key's lock, held by another thread until the block ends (a refresh that never finishes)."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.lock(KEY):
            taken.set()
            release.wait(BOUND * 2)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(BOUND)
        yield
    finally:
        release.set()
        holder.join(BOUND)


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_a_lock_wait_ends_at_the_shipment_deadline(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    holder, waiter = PAIRS[kind](tmp_path, request)
    with _held_forever(holder), bounded_by(Deadline(DEADLINE)):
        started = time.monotonic()
        with pytest.raises(TokenStoreError, match="deadline of this shipment passed"), waiter.lock(KEY):
            pass
        assert time.monotonic() - started < BOUND


def test_without_a_deadline_the_store_timeout_still_applies(tmp_path: Path) -> None:
    holder, waiter = FileTokenStore(tmp_path, lock_timeout=0.05), FileTokenStore(tmp_path, lock_timeout=0.05)
    with _held_forever(holder), pytest.raises(TokenStoreError, match=r"within 0\.05s"), waiter.lock(KEY):
        pass


def test_a_wechat_task_behind_another_tasks_hung_refresh_ends_at_its_deadline() -> None:
    """The other task holds the loop's single-flight lock while its token call hangs on a silent server."""
    with SilentServer() as silent:
        manager = WeChatTokenManager("wx0001", "s3cret", base_url=silent.url, timeout=LOCK_TIMEOUT)

        async def scenario() -> float:
            hung = asyncio.create_task(manager.aget_token())
            while not silent.requests:  # the token call went out: its task holds the lock
                assert not hung.done()
                await asyncio.sleep(0.01)
            started = time.monotonic()
            with bounded_by(Deadline(DEADLINE)), pytest.raises(TokenStoreError, match="deadline"):
                await manager.aget_token()
            hung.cancel()
            return time.monotonic() - started

        assert asyncio.run(asyncio.wait_for(scenario(), BOUND)) < BOUND


def test_a_wechat_task_waiting_for_the_store_lock_in_a_worker_ends_at_its_deadline(tmp_path: Path) -> None:
    """The file lock is held by another process's refresh (here: another store on the same directory)."""
    holder = FileTokenStore(tmp_path, lock_timeout=LOCK_TIMEOUT)
    manager = WeChatTokenManager("wx0001", "s3cret", FileTokenStore(tmp_path, lock_timeout=LOCK_TIMEOUT))

    async def scenario() -> None:
        with bounded_by(Deadline(DEADLINE)), pytest.raises(TokenStoreError, match="deadline"):
            await manager.aget_token()

    with _held_forever(holder):
        started = time.monotonic()
        asyncio.run(asyncio.wait_for(scenario(), BOUND))
        assert time.monotonic() - started < BOUND
