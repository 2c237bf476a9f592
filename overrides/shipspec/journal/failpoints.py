"""Named points where a test can have the process killed, to prove recovery at every boundary.

``SHIPSPEC_FAILPOINT="journal.settled:3"`` sends SIGKILL to this process the 3rd time the point is reached
(default: the 1st). The crash-matrix tests and ``scripts/exactly_once.py --crash`` set it on a child
``shipspec ship``; nothing else should. Unset (the normal case), reaching a point costs one dict lookup.

Points: ``journal.claimed`` (after a claim's intent commit: a fleet's coordinator), ``journal.sending.before``
and ``journal.sending`` (before and after a batch is recorded ``sending``: ``Journal.start`` or ``sending``),
``journal.learnt.before`` / ``journal.learnt`` (a carrier id such as a DeftShip batch id: before and after
it is recorded), ``journal.settle.before`` (the carrier answered, the outcome is not recorded yet),
``journal.settled``, and ``results.line`` (after a line of the results file is written).
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Final

__all__ = ["ENV_VAR", "reached"]

ENV_VAR: Final = "SHIPSPEC_FAILPOINT"


def _parse(text: str) -> tuple[str, int] | None:
    if not text:
        return None
    name, _, count = text.partition(":")
    return name, int(count) if count.isdigit() and int(count) > 0 else 1


_armed = _parse(os.environ.get(ENV_VAR, ""))
_hits = 0
_lock = threading.Lock()


def reached(point: str) -> None:
    """Count a pass through ``point``; kill the process when it is the armed one's n-th pass."""
    global _hits
    if _armed is None or _armed[0] != point:
        return
    with _lock:
        _hits += 1
        if _hits == _armed[1]:
            os.kill(os.getpid(), signal.SIGKILL)
