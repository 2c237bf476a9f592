"""Writes nobody waits for: queued by any thread, committed together by one background thread.

A run's worker records a batch's outcome right after the carrier answers, but nothing the worker does next
depends on that commit (its next batch's ``sending`` is a commit of its own, and the caller gets the results
only once they are recorded: the runner hands them over from ``then``). Waiting for it in the worker cost a
commit per shipment on the per-item carriers, each one a call into SQLite that lets go of the interpreter
lock and then waits to get it back (or a round trip and a log flush on PostgreSQL). Here the worker queues
the outcome and goes on; one thread commits, every ``linger`` seconds, whatever gathered meanwhile in one
transaction, then tells each caller. A crash before that commit leaves those shipments ``sending`` in the
journal, which a later run reconciles with the carrier (never a blind resend): the same as a crash just
before a commit the worker waited for.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from ..errors import JournalError

__all__ = ["Later"]

logger = logging.getLogger("shipspec")

T = TypeVar("T")
Then = Callable[[JournalError | None], None]
"""Told once the write is committed (``None``) or failed (the error): in the background thread."""


class Later(Generic[T]):
    """Runs ``commit(items)`` (one transaction) over the items queued during the last ``linger`` seconds,
    in a daemon thread started with the first item. ``where`` names the journal in errors."""

    def __init__(self, commit: Callable[[Sequence[T]], object], where: str, linger: float) -> None:
        self._commit = commit
        self._where = where
        self._linger = linger
        self._ready = threading.Condition(threading.Lock())
        self._queue: list[tuple[T, Then]] = []
        self._thread: threading.Thread | None = None
        self._closing = False

    def submit(self, item: T, then: Then) -> None:
        """Queue ``item``; ``then`` is told its fate. After ``close`` the write fails at once (closed)."""
        with self._ready:
            if self._closing:
                closed = JournalError(f"journal {self._where}: closed; not recorded")
            else:
                self._queue.append((item, then))
                if self._thread is None:
                    self._start_thread()
                elif len(self._queue) == 1:
                    self._ready.notify()  # the thread may be waiting for work
                return
        then(closed)

    def _start_thread(self) -> None:  # holding ``_ready``
        self._thread = threading.Thread(target=self._run, name="journal-later", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Commit what is queued now, then stop the thread (waits for it: bounded by the backend's own
        timeouts, like any commit)."""
        with self._ready:
            self._closing = True
            if self._queue and self._thread is None:  # the thread ended on an interruption: drain anyway
                self._start_thread()
            thread = self._thread
            self._ready.notify()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        try:
            while True:
                with self._ready:
                    while not self._queue and not self._closing:
                        self._ready.wait()
                    if not self._queue:
                        return
                    if not self._closing:  # let the group grow (writers are not waiting); close cuts it short
                        self._ready.wait(self._linger)
                    group, self._queue = self._queue, []
                self._write(group)
        finally:  # however it ends, the next write starts a thread again rather than waiting for nobody
            with self._ready:
                if self._thread is threading.current_thread():
                    self._thread = None

    def _write(self, group: list[tuple[T, Then]]) -> None:
        error: JournalError | None = None
        try:
            self._commit([item for item, _ in group])
        except JournalError as failure:
            error = failure
        except Exception as failure:  # a defect: every caller hears of it, the thread goes on
            error = JournalError(f"journal {self._where}: {type(failure).__name__}: {failure}")
        except BaseException as failure:  # the callers still hear (never left waiting); the thread ends
            self._tell(group, JournalError(f"journal {self._where}: interrupted ({type(failure).__name__})"))
            raise
        self._tell(group, error)

    def _tell(self, group: list[tuple[T, Then]], error: JournalError | None) -> None:
        for _, then in group:
            try:
                then(error)
            except Exception:
                logger.exception("journal %s: telling a caller its write's fate failed", self._where)
