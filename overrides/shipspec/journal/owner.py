"""Which run holds a journal entry, and whether that run is still alive.

An entry being shipped is held by its run: ``owner`` names it (host, process id and the process's start
time, so a reused process id is not mistaken for the run that died) and ``lease_until`` says how long the
hold lasts without renewal. A live run renews its leases (``LEASE_SECONDS``, renewed every third of it).

Another run may take an entry over when the lease has run out, or at once when the holder ran on this host
and its process is gone (``kill -9`` then an immediate re-run must not wait for the lease). Leases are
compared on each machine's own wall clock: keep the clocks of machines sharing a journal in sync (NTP); a
skew well under the lease is harmless.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

__all__ = ["LEASE_SECONDS", "Owner", "this_run"]

LEASE_SECONDS: Final = 60.0
"""How long a hold lasts without renewal: long enough that a busy machine renews in time, short enough that
a machine that vanished holds its shipments for a minute only."""


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None where it cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    return stat[stat.rindex(")") + 2 :].split()[19]


@dataclass(frozen=True)
class Owner:
    """A run's identity as stored in the journal: ``host/pid/start/nonce``."""

    host: str
    pid: int
    start: str
    nonce: str

    def __str__(self) -> str:
        return f"{self.host}/{self.pid}/{self.start}/{self.nonce}"

    @classmethod
    def parse(cls, text: str) -> Owner | None:
        parts = text.rsplit("/", 3)
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2], parts[3])

    def gone(self) -> bool:
        """True when this owner ran on this host and its process no longer runs (safe to take over)."""
        if self.host != _host():
            return False  # another machine: only its lease tells
        return _start_time(self.pid) != self.start


@cache
def _host() -> str:
    return socket.gethostname()


def this_run() -> Owner:
    """A fresh identity for a run of this process (each journal opened gets its own)."""
    pid = os.getpid()
    return Owner(_host(), pid, _start_time(pid) or "?", uuid.uuid4().hex[:12])
