"""The embedded journal: one SQLite file, in WAL mode.

Durability: ``synchronous=NORMAL`` in WAL mode (the default here) keeps every committed transaction through
a crash of the process (``kill -9``, Ctrl-C, an exception), which is what exactly-once needs on one machine;
after a power cut or an OS crash the last transactions before it may be lost. ``durability="full"``
(``synchronous=FULL``) survives those too, at the cost of a flush to disk per commit.

Several processes on one machine may share the file (SQLite's lock serialises writers; each transaction is
short). For processes on several machines, use PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Final, Literal

from ..errors import ConfigError, JournalError
from .backend import Cursor
from .schema import COMMON_COLUMNS

__all__ = ["SqliteBackend"]

BUSY_TIMEOUT_MS: Final = 30_000
"""How long a write waits for another process's transaction (they are short: milliseconds)."""
WAL_SWITCH_RETRY_SECONDS: Final = 0.005

Durability = Literal["normal", "full"]


def _enter_wal_mode(db: sqlite3.Connection) -> None:
    """Switch a new database to WAL mode (a no-op for one in it already). The switch takes the database's
    exclusive lock without waiting for it: several runs opening a new journal at once see "database is
    locked" there (seen about once in 45 opens of three at once), so a busy answer is retried for as long
    as any write waits for another process."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL").fetchall()
            return
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", None) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(WAL_SWITCH_RETRY_SECONDS)


class SqliteBackend:
    """A journal in the SQLite file ``path`` (created with its folder's permissions; never a foreign file)."""

    name = "sqlite"
    lock_rows = ""  # BEGIN IMMEDIATE already holds the database's write lock
    relaxed_commit: str | None = None
    returning_rows = False
    remote = False

    def __init__(self, path: Path, *, durability: Durability = "normal") -> None:
        self.path = path
        if not path.parent.is_dir():
            raise ConfigError(f"journal {path}: folder {path.parent} does not exist")
        try:
            self._db = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            _enter_wal_mode(self._db)
            self._db.execute(f"PRAGMA synchronous={durability.upper()}")
            self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # A file that is not a database fails here, before anything is written to it.
            self._db.execute("SELECT name FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.DatabaseError as error:
            raise ConfigError(f"journal {path}: not a shipspec journal ({error})") from None
        self._lock = threading.Lock()  # one connection, one transaction at a time

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        with self._lock, self._errors():
            cursor = self._db.cursor()
            try:  # BEGIN inside: a Ctrl-C landing right after it must not leave the transaction open
                cursor.execute("BEGIN IMMEDIATE")
                yield cursor
            except BaseException:
                if self._db.in_transaction:
                    cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    @contextmanager
    def statement(self) -> Iterator[Cursor]:
        """One writing statement in autocommit mode: SQLite runs it as a transaction of its own, committed
        when it completes. Its first step takes the write lock, waiting for other processes through the
        busy handler as ``BEGIN IMMEDIATE`` does (a write statement outside a transaction starts a fresh
        snapshot on every retry), so it is one call into SQLite instead of three (BEGIN, the statement,
        COMMIT): each call lets go of the interpreter lock, and each time the thread may wait to get it
        back. The cursor is closed on the way out: a statement left unfinished (its rows not all read)
        would keep the shared connection in a transaction."""
        with self._lock:
            with self._errors():  # a closed journal's, for one
                cursor = self._db.cursor()
            try:
                yield cursor
            except sqlite3.Error as error:
                raise self._failed(error) from None
            finally:
                cursor.close()

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        with self._lock, self._errors():
            yield self._db.cursor()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise self._failed(error) from None

    def _failed(self, error: sqlite3.Error) -> JournalError:
        return JournalError(f"journal {self.path}: {type(error).__name__}: {error}")

    def migrations(self) -> Sequence[Sequence[str]]:
        return [
            [
                f"CREATE TABLE shipspec_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, {COMMON_COLUMNS})",
                "CREATE INDEX shipspec_journal_state ON shipspec_journal (state)",
            ]
        ]

    def sql(self, text: str) -> str:
        return text

    def describe(self) -> str:
        return str(self.path)

    def close(self) -> None:
        with self._lock:
            self._db.close()
