"""The runner's batches in flight, handed back as they finish without looking at every one each time.

The runner checks for finished batches after every input item. ``concurrent.futures.wait`` (and
``asyncio.wait``) build a waiter and lock or hook every pending future on each call, which py-spy showed
as about a sixth of the threaded runner's CPU per shipment; here each future reports itself once, when it
finishes, onto a queue, and a check is a queue read. Like the dict it replaces, it maps each pending future
to its work and iterates over the pending futures (for the hand-over when the caller stops early).
"""

from __future__ import annotations

import asyncio
import collections
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Generic, TypeVar

__all__ = ["AsyncCompletions", "Completions"]

T = TypeVar("T")
W = TypeVar("W")


class Completions(Generic[T, W]):
    """Futures submitted and not yet collected, with their work; safe to add to from the linger thread."""

    def __init__(self) -> None:
        self._pending: dict[Future[T], W] = {}
        self._finished: queue.SimpleQueue[Future[T]] = queue.SimpleQueue()
        self._lock = threading.Lock()

    def __setitem__(self, future: Future[T], work: W) -> None:
        with self._lock:
            self._pending[future] = work
        future.add_done_callback(self._finished.put)

    def __len__(self) -> int:
        return len(self._pending)

    def __iter__(self) -> Iterator[Future[T]]:
        with self._lock:
            return iter(list(self._pending))

    def items(self) -> list[tuple[Future[T], W]]:
        with self._lock:
            return list(self._pending.items())

    def finished(self, block: bool) -> Iterator[Future[T]]:
        """The futures that finished, each taken out first (waiting for one when ``block``)."""
        try:
            future = self._finished.get(block=block and bool(self._pending))
        except queue.Empty:
            return
        while True:
            with self._lock:
                known = future in self._pending
                self._pending.pop(future, None)
            if known:
                yield future
            try:
                future = self._finished.get_nowait()
            except queue.Empty:
                return


class AsyncCompletions(Generic[T, W]):
    """Tasks started and not yet collected, with their work (one event loop, no locks)."""

    def __init__(self) -> None:
        self._pending: dict[asyncio.Task[T], W] = {}
        self._finished: collections.deque[asyncio.Task[T]] = collections.deque()
        self._signal: asyncio.Event | None = None

    def __setitem__(self, task: asyncio.Task[T], work: W) -> None:
        self._pending[task] = work
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[T]) -> None:
        self._finished.append(task)
        if self._signal is not None:
            self._signal.set()

    def __len__(self) -> int:
        return len(self._pending)

    def __iter__(self) -> Iterator[asyncio.Task[T]]:
        return iter(list(self._pending))

    def items(self) -> list[tuple[asyncio.Task[T], W]]:
        return list(self._pending.items())

    async def finished(self, block: bool) -> list[asyncio.Task[T]]:
        """The tasks that finished, each taken out (waiting for one first when ``block``)."""
        if block and not self._finished and self._pending:
            self._signal = self._signal or asyncio.Event()
            while not self._finished:
                self._signal.clear()
                await self._signal.wait()
        found: list[asyncio.Task[T]] = []
        while self._finished:
            task = self._finished.popleft()
            if task in self._pending:
                del self._pending[task]
                found.append(task)
        return found
