"""httpx transports whose connection pool never closes a kept-alive connection under a request.

httpcore 1.0's pool (encode/httpcore#1110, open) hands an idle connection to a queued request inside its
lock, but the connection stays ``IDLE`` until that request's thread or task gets round to sending on it.
Meanwhile another caller's pass over the pool may find the same connection past its keep-alive expiry (or
"readable", i.e. closed by the server) and close it, outside the lock. When the close lands after the
request was written, the request dies with ``ReadError: [Errno 9] Bad file descriptor``: it may or may
not have reached the server (measured against the Baaship sandbox with a 10 ms keep-alive: 4 of 1,000
calls failed so, 2 of them created), so the retrying transport can only call it ambiguous. Under load,
with httpx's 5 s expiry, about one call in a thousand hit it.

``GuardedConnection`` closes the window: the pool's "has this connection expired?" and a request's claim
on it are taken under one lock per connection. A connection found expired is retired at once, and a
request that comes to it later is told ``ConnectionNotAvailable`` (httpcore then gives it another
connection: nothing was sent); a connection a request has claimed is not expired until it is idle again.
The claim itself checks once more that an idle connection is neither expired nor closed by the server,
which shortens the window for a server's own keep-alive close to the few microseconds before the write.

Since every claim checks, the pool's own question needs no fresh answer: httpcore asks it of every pooled
connection two or three times per request, and for an idle connection httpcore's answer is a ``poll``
system call (which also lets go of the interpreter lock: another thread's turn, on every call). So the pool
gets a full check of a connection at most every ``POOL_RECHECK_SECONDS``; in between an idle connection
counts as not expired, and a request that then claims an expired one is told ``ConnectionNotAvailable``
and gets another. Found by profiling ``bench throughput`` (py-spy): the pool's walk was most of the
connection layer's own cost with 20 shipper threads.

The pool closes idle connections for two more reasons, surplus keep-alive and making room at
``max_connections``; those choices cannot be guarded from the connection's side, so these transports keep
every connection they may open alive (``max_keepalive_connections = max_connections``): neither then
happens to a usable HTTP/1.1 connection.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import httpcore
import httpx

__all__ = ["POOL_RECHECK_SECONDS", "AsyncGuardedHTTPTransport", "GuardedHTTPTransport"]

# How stale the pool's view of an idle connection may be: a stale "not expired" costs a request one more
# pass over the pool (its claim finds the truth); a connection closed by the server is noticed this late.
POOL_RECHECK_SECONDS = 1.0


class _Claims:
    """One connection's guard: requests starting on it, and whether the pool has retired it.

    Each check gets the connection's own (httpcore's) answer as a function, called under the lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # held for flag updates and a zero-timeout poll, never across I/O
        self._starting = 0  # requests between their claim and their answer's head (or failure)
        self.retired = False
        self._recheck_at = 0.0  # when the pool's question next gets a full check (monotonic seconds)

    def claim(self, expired: Callable[[], bool]) -> None:
        """Take the connection for a request, or raise ``ConnectionNotAvailable`` (nothing is sent)."""
        with self._lock:
            if self.retired or (self._starting == 0 and expired()):
                self.retired = True
                raise httpcore.ConnectionNotAvailable()
            self._starting += 1

    def release(self) -> None:
        """The request's answer head came (the connection is busy by its own state now), or it failed."""
        with self._lock:
            self._starting -= 1

    def expired(self, expired: Callable[[], bool]) -> bool:
        """The pool's question: expired connections are retired for good; a claimed one is not expired.

        Read without the lock first: the flags are single reads, and an answer of "not expired" is safe at
        any time, because a claim checks afresh under the lock (module doc).
        """
        if self.retired:
            return True
        if self._starting:
            return False
        now = time.monotonic()
        if now < self._recheck_at:
            return False
        with self._lock:
            if not self.retired and self._starting == 0 and expired():
                self.retired = True
            self._recheck_at = now + POOL_RECHECK_SECONDS
            return self.retired

    def idle(self, idle: Callable[[], bool]) -> bool:
        """Idle by httpcore's state and unclaimed (a single read: the pool decides under its own lock)."""
        return self._starting == 0 and idle()


class GuardedConnection(httpcore.HTTPConnection):
    """An ``httpcore.HTTPConnection`` whose expiry and claims exclude each other (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._claims = _Claims()

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        self._claims.claim(super().has_expired)
        try:
            return super().handle_request(request)
        finally:
            self._claims.release()

    def has_expired(self) -> bool:
        return self._claims.expired(super().has_expired)

    def is_available(self) -> bool:
        return not self._claims.retired and super().is_available()

    def is_idle(self) -> bool:
        return self._claims.idle(super().is_idle)


class AsyncGuardedConnection(httpcore.AsyncHTTPConnection):
    """The async twin of ``GuardedConnection`` (its lock is never held across an ``await``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._claims = _Claims()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        self._claims.claim(super().has_expired)
        try:
            return await super().handle_async_request(request)
        finally:
            self._claims.release()

    def has_expired(self) -> bool:
        return self._claims.expired(super().has_expired)

    def is_available(self) -> bool:
        return not self._claims.retired and super().is_available()

    def is_idle(self) -> bool:
        return self._claims.idle(super().is_idle)


def _all_kept_alive(limits: httpx.Limits) -> dict[str, Any]:
    """The pool arguments of ``limits``, keeping alive every connection the pool may open."""
    return {
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


class _GuardedPool(httpcore.ConnectionPool):
    """A plain HTTP/1.1 pool (no proxy, no unix socket) of ``GuardedConnection``s."""

    def __init__(self, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(ssl_context=ssl_context, **_all_kept_alive(limits))
        self._connection_options = {"ssl_context": ssl_context, "keepalive_expiry": limits.keepalive_expiry}

    def create_connection(self, origin: httpcore.Origin) -> httpcore.ConnectionInterface:
        return GuardedConnection(origin=origin, **self._connection_options)


class _AsyncGuardedPool(httpcore.AsyncConnectionPool):
    """The async twin of ``_GuardedPool``."""

    def __init__(self, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(ssl_context=ssl_context, **_all_kept_alive(limits))
        self._connection_options = {"ssl_context": ssl_context, "keepalive_expiry": limits.keepalive_expiry}

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        return AsyncGuardedConnection(origin=origin, **self._connection_options)


class GuardedHTTPTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` over a pool of ``GuardedConnection``s, every one kept alive.

    httpx builds its own pool in ``__init__``; it is replaced before any use (the only reach into httpx).
    """

    def __init__(self, *, limits: httpx.Limits) -> None:
        ssl_context = httpx.create_ssl_context()  # once, for httpx's throwaway pool and ours
        super().__init__(verify=ssl_context, limits=limits)
        self._pool = _GuardedPool(ssl_context, limits)


class AsyncGuardedHTTPTransport(httpx.AsyncHTTPTransport):
    """The async twin of ``GuardedHTTPTransport``."""

    def __init__(self, *, limits: httpx.Limits) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context, limits=limits)
        self._pool = _AsyncGuardedPool(ssl_context, limits)
