"""A small pool of database connections, so that a run's threads do not queue behind one connection.

Each worker thread records its shipments' states in its own short transactions; with one connection they
would run one after another, each waiting for the previous commit to reach the disk. With a few connections
they overlap, and the database flushes their commits together. The pool opens connections as they are first
needed, up to ``size``; a thread finding all of them busy waits for one (at most ``wait`` seconds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, Protocol, TypeVar

__all__ = ["Loan", "Pool", "PoolClosed", "PoolTimeout"]


class Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=Closable)


class Loan(Generic[C]):
    """A connection lent by the pool; ``replace`` closes it and puts a new one in its place."""

    def __init__(self, db: C, connect: Callable[[], C]) -> None:
        self.db = db
        self._connect = connect

    def replace(self) -> C:
        self.db.close()
        self.db = self._connect()  # the loan's place in the pool is kept: a failure here gives the
        return self.db  # closed one back, and the next loan replaces it again


class PoolTimeout(Exception):
    """No connection became free within the pool's wait."""


class PoolClosed(Exception):
    """The pool was closed: it lends nothing any more."""


class Pool(Generic[C]):
    """At most ``size`` connections made by ``connect``, lent one at a time (the last returned first)."""

    def __init__(self, connect: Callable[[], C], *, size: int, wait: float) -> None:
        self._connect = connect
        self._size = size
        self._wait = wait
        self._idle: list[C] = []
        self._opened = 0
        self._closed = False
        self._changed = threading.Condition()

    def add(self, connection: C) -> None:
        """Hand the pool a connection made elsewhere (e.g. the first one, made to fail early)."""
        with self._changed:
            self._opened += 1
            self._idle.append(connection)
            self._changed.notify()

    @contextmanager
    def connection(self) -> Iterator[Loan[C]]:
        """Lend a connection for the block (``loan.db``; ``loan.replace()`` swaps a broken one)."""
        loan = Loan(self._take(), self._connect)
        try:
            yield loan
        finally:
            self._give_back(loan.db)

    def _take(self) -> C:
        deadline = time.monotonic() + self._wait
        with self._changed:
            while True:  # a use after close fails at once: it must not reconnect behind the caller
                if self._closed:
                    raise PoolClosed("closed")
                if self._idle or self._opened < self._size:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PoolTimeout(f"no connection free within {self._wait:g} s")
                self._changed.wait(left)
            if self._idle:
                return self._idle.pop()
            self._opened += 1  # a place for a new one, made outside the lock
        try:
            return self._connect()
        except BaseException:
            with self._changed:
                self._opened -= 1
                self._changed.notify()
            raise

    def _give_back(self, connection: C) -> None:
        with self._changed:
            if self._closed:
                connection.close()
                self._opened -= 1
            else:
                self._idle.append(connection)
            self._changed.notify()

    def close(self) -> None:
        """Close the idle connections now and each lent one as it comes back."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            self._opened -= len(idle)
            self._changed.notify_all()
        for connection in idle:
            connection.close()
