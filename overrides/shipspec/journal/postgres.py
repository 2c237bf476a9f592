"""The shared journal: PostgreSQL (psycopg 3), for many processes on many machines at once.

The same table and semantics as SQLite. Claims read their rows ``FOR UPDATE`` inside one transaction, so
two runs given the same reference at the same moment are serialised: one holds it, the other sees it held
(``busy``) and never sends it. Every connection has bounded connect, statement and lock waits, so a server
that hangs or refuses ends in a ``ConfigError``/``JournalError`` instead of a hung run.

Durability is PostgreSQL's: a committed transaction survives a crash of the client and (with the server's
default ``synchronous_commit=on``) of the server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final

from ..errors import ConfigError, JournalError
from .backend import Cursor
from .schema import COMMON_COLUMNS

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresBackend"]

CONNECT_TIMEOUT_SECONDS: Final = 10
STATEMENT_TIMEOUT_MS: Final = 30_000
"""No journal statement takes long; one that does is a stuck server or a lock held by a stuck client."""
MIGRATION_LOCK: Final = 0x5348_4950_5350_4543 & 0x7FFF_FFFF_FFFF_FFFF  # "SHIPSPEC": one migrator at a time


def _without_password(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "postgresql://…"
    parts.pop("password", None)
    return str(make_conninfo(**{k: str(v) for k, v in parts.items()}))


class PostgresBackend:
    """A journal in the PostgreSQL database at ``url`` (``postgresql://user@host:port/db``)."""

    name = "postgresql"
    lock_rows = " FOR UPDATE"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ModuleNotFoundError:
            raise ConfigError(
                "a PostgreSQL journal needs psycopg: pip install 'shipspec[postgres]'"
            ) from None
        self._where = _without_password(url)
        try:
            self._db: psycopg.Connection[tuple[object, ...]] = psycopg.connect(
                url,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={STATEMENT_TIMEOUT_MS}",
                application_name="shipspec",
            )
        except psycopg.Error as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ConfigError(f"journal {self._where}: cannot connect ({reason})") from None
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        with self._lock, self._errors(), self._db.transaction(), self._db.cursor() as cursor:
            yield cursor

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        with self._lock, self._errors(), self._db.cursor() as cursor:
            yield cursor

    @contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as error:
            reason = str(error).splitlines()[0] if str(error) else ""
            raise JournalError(f"journal {self._where}: {type(error).__name__}: {reason}") from None

    def migrations(self) -> Sequence[Sequence[str]]:
        return [
            [
                f"CREATE TABLE shipspec_journal (seq BIGSERIAL PRIMARY KEY, {COMMON_COLUMNS})",
                "CREATE INDEX shipspec_journal_state ON shipspec_journal (state)",
            ]
        ]

    def migration_lock(self) -> str:
        return f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def describe(self) -> str:
        return self._where

    def close(self) -> None:
        with self._lock:
            self._db.close()
