"""Group commit: the journal writes that a run's threads ask for at about the same time, in one transaction.

A run's worker threads each record their batch's ``sending`` before the send and its outcome after it; with
per-item carriers that is two commits per shipment, and commits are what a journal costs (each one writes
and syncs pages, or is a round trip to PostgreSQL and a flush of its log). Here a thread that asks for a
write while another thread's transaction is running queues it; when that transaction ends, the first thread
in the queue runs every queued write in one transaction and wakes the others. Nobody waits for a timer: a
write that finds no transaction running goes at once, so the delay is at most one transaction's time, and
the busier the run the more writes share a commit. Each caller returns only once its own write is committed
(as durably as before), so "recorded before sending" holds for each one.

If a group's transaction fails, every write in it fails with the same error (it was rolled back).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from ..errors import JournalError

__all__ = ["GroupCommit"]

T = TypeVar("T")
R = TypeVar("R")


class _Write(Generic[T, R]):
    """One queued caller's write: what to write, then its result or error; ``wake`` (a lock its caller
    waits to acquire) is released when it is done or when its caller is to run the next group."""

    __slots__ = ("done", "error", "item", "result", "wake")

    def __init__(self, item: T) -> None:
        self.item = item
        self.result: R | None = None
        self.error: BaseException | None = None
        self.done = False
        self.wake = threading.Lock()
        self.wake.acquire()


class GroupCommit(Generic[T, R]):
    """Runs ``commit(items)`` (one transaction, one result per item, in order) over the writes queued while
    the previous group was committing. ``where`` names the journal in errors."""

    def __init__(self, commit: Callable[[Sequence[T]], Sequence[R]], where: str) -> None:
        self._commit = commit
        self._where = where
        self._lock = threading.Lock()
        self._queue: list[_Write[T, R]] = []
        self._running = False

    def write(self, item: T) -> R:
        """Queue ``item``, wait until it is committed (running its group, when its turn comes), and return
        its result; raises the group's error. A write that finds no transaction running goes at once, in a
        group of its own (the usual case when writes are sparse: nothing is queued, nobody waits)."""
        with self._lock:
            lead = not self._running
            self._running = True
            if not lead:
                write: _Write[T, R] = _Write(item)
                self._queue.append(write)
        if lead:
            try:
                return self._commit([item])[0]
            finally:
                self._pass_on()
        write.wake.acquire()  # bounded by the running transaction's own timeouts
        if not write.done:  # its turn: it runs the queue, its own write included
            try:
                self._run_group()
            finally:
                self._pass_on()
        if write.error is not None:
            raise write.error
        return write.result  # type: ignore[return-value]  # set with done when there is no error

    def _run_group(self) -> None:
        with self._lock:
            group, self._queue = self._queue, []
        try:
            results = self._commit([write.item for write in group])
        except BaseException as error:
            for write in group:
                write.error = error if isinstance(error, Exception) else self._interrupted(error)
                write.done = True
                write.wake.release()  # held since it was queued (by its own thread, for this group's lead)
            raise
        for write, result in zip(group, results, strict=True):
            write.result = result
            write.done = True
            write.wake.release()

    def _pass_on(self) -> None:
        """Hand the next group to the first thread waiting, or let the next write run at once."""
        with self._lock:
            if self._queue:
                self._queue[0].wake.release()
            else:
                self._running = False

    def _interrupted(self, error: BaseException) -> JournalError:
        """What the other writes of a group get when its transaction was interrupted (Ctrl-C in the thread
        that ran it): it was rolled back, so they were not recorded."""
        return JournalError(f"journal {self._where}: interrupted ({type(error).__name__}); not recorded")
