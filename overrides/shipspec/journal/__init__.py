"""The write-ahead shipment journal: exactly-once across crashes, Ctrl-C and restarts.

Every shipment's state is written before each side-effecting call and right after every answer that names
something the carrier created (see ``states`` for the machine, ``store`` for the transitions). A later run
(or ``shipspec recover``) reconciles whatever was left uncertain with its carrier before anything is sent
again, and the results file can always be regenerated from it (``shipspec results``).

``open_journal(where)`` opens one: a path (SQLite, the embedded default) or a ``postgresql://`` URL
(shared by processes on many machines).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from .entries import Claim, Entry, request_hash
from .hooks import alearnt, learnt, recording
from .owner import LEASE_SECONDS
from .sqlite import SqliteBackend
from .states import FINAL, RECONCILE, Action, State
from .store import Journal

__all__ = [
    "FINAL",
    "LEASE_SECONDS",
    "RECONCILE",
    "Action",
    "Claim",
    "Entry",
    "Journal",
    "State",
    "alearnt",
    "learnt",
    "open_journal",
    "recording",
    "request_hash",
]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_journal(where: str | Path, *, durability: str = "normal", lease: float = LEASE_SECONDS) -> Journal:
    """Open (creating if needed) the journal at ``where``: a SQLite file path, or a PostgreSQL URL.

    ``durability`` applies to SQLite: ``"normal"`` survives any crash of the process, ``"full"`` also a
    power cut or OS crash (see ``shipspec.journal.sqlite``). ``lease``: how long this run's holds last
    without renewal (see ``shipspec.journal.owner``).
    """
    text = str(where)
    if text.startswith(POSTGRES_SCHEMES):
        from .postgres import PostgresBackend

        return Journal(PostgresBackend(text), lease=lease)
    if "://" in text:
        raise ConfigError(
            f"journal: unsupported URL scheme in {text.split('://')[0]}:// (use a path or postgresql://)"
        )
    if durability not in ("normal", "full"):
        raise ConfigError(f"journal: durability must be normal or full, not {durability!r}")
    return Journal(
        SqliteBackend(Path(text), durability="full" if durability == "full" else "normal"), lease=lease
    )
