"""Journal calls from async code: one whose commits wait for a server runs on a worker thread.

A PostgreSQL journal's commit is a round trip and the server's log flush (milliseconds, longer when the server
is slow), during which an event loop running it inline would hold up every other batch of the run. SQLite's
take tens of microseconds in-process: those run inline, cheaper than a hop to a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread

__all__ = ["off_loop"]

T = TypeVar("T")


async def off_loop(journal: object, call: Callable[[], T]) -> T:
    """``call()`` (a call into ``journal``), on a worker thread when the journal is ``remote``. Not abandoned
    when the caller is cancelled: the write is recorded or it failed before the caller goes on."""
    if not getattr(journal, "remote", False):
        return call()
    return await anyio.to_thread.run_sync(call)
