"""A deadline per shipment: one bound on everything done for it (sends, lookups, resends, pauses).

A shipper starts a :class:`Deadline` when it starts a shipment (or the batch it travels in) and checks it
before each step: no send, lookup or resend starts once it has passed, and pauses are cut at it. The calls
themselves are bounded too: a shipper runs them inside :func:`bounded_by`, and the retrying transport reads
:func:`current_deadline` to shrink each attempt's timeouts to the time left and to start no attempt (and
wait for no retry) past it. A ``ContextVar`` carries it, so it follows the shipment into the thread or the
asyncio task that sends it, and a client used outside a shipper is not bounded by anything but its own
timeouts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar

from .scoped import scoped

__all__ = ["Deadline", "bounded_by", "current_deadline"]


class Deadline:
    """``seconds`` from now on ``clock`` (monotonic: a wall-clock jump neither ends nor stretches it)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        if seconds <= 0:
            raise ValueError("a deadline is a positive number of seconds")
        self.seconds = seconds
        self._clock = clock
        self.at = clock() + seconds

    def left(self) -> float:
        """Seconds left (negative once it has passed)."""
        return self.at - self._clock()

    def passed(self) -> bool:
        return self.left() <= 0

    def cut(self, wait: float) -> float:
        """``wait``, shortened so that it ends at the deadline at the latest (never negative)."""
        return max(0.0, min(wait, self.left()))

    def why(self) -> str:
        """Words for a result left open by it."""
        return f"the {self.seconds:g} s deadline of this shipment passed"

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g} s, {self.left():.3f} s left)"


_CURRENT: ContextVar[Deadline | None] = ContextVar("shipspec_deadline", default=None)


def bounded_by(deadline: Deadline | None) -> AbstractContextManager[None]:
    """Within the block (this thread or task), the retrying transport keeps every call inside ``deadline``."""
    return scoped(_CURRENT, deadline)


def current_deadline() -> Deadline | None:
    """The deadline of the shipment being sent in this thread or task, if any."""
    return _CURRENT.get()
