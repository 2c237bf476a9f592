"""What the journal needs from a database: transactions, a placeholder style, and its schema's DDL.

Two backends implement it: ``sqlite`` (embedded, one machine) and ``postgres`` (shared by processes on many
machines). The journal's SQL is written once with ``?`` placeholders; a backend rewrites them if it must.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

__all__ = ["Backend", "Cursor"]


class Cursor(Protocol):
    """The DB-API cursor subset the journal uses (sqlite3's and psycopg's both fit)."""

    def execute(self, sql: str, params: Sequence[object] = ..., /) -> object: ...

    def executemany(self, sql: str, params: Sequence[Sequence[object]], /) -> object: ...

    def fetchall(self) -> list[tuple[object, ...]]: ...

    @property
    def rowcount(self) -> int: ...


class Backend(Protocol):
    """A journal database. ``transaction`` yields a cursor inside one committed-or-rolled-back transaction
    that holds the write lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL row locks via ``lock_rows``)."""

    name: str
    lock_rows: str
    """Appended to a SELECT that reads rows about to be changed (``FOR UPDATE`` or nothing)."""
    relaxed_commit: str | None
    """A statement letting this transaction's commit return before it reaches the disk, where a later
    durable commit makes every earlier one durable (PostgreSQL); None where commits are cheap (SQLite)."""
    returning_rows: bool
    """Whether a statement's ``RETURNING`` rows come with its answer (PostgreSQL). SQLite hands them over
    one call at a time, each letting go of the interpreter lock (and each time the thread may wait to get
    it back), so there the journal counts the rows a statement changed instead."""
    remote: bool
    """Whether each commit waits for a server (a round trip and its log flush: milliseconds), so async
    callers run it off their event loop (PostgreSQL); SQLite's take tens of microseconds in-process."""

    def transaction(self) -> AbstractContextManager[Cursor]: ...

    def statement(self) -> AbstractContextManager[Cursor]:
        """A cursor for one writing statement that commits on its own (as durably as ``transaction``),
        for a change that needs nothing else in its transaction: fewer round trips than ``transaction``."""
        ...

    def read(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads that need no write lock."""
        ...

    def migrations(self) -> Sequence[Sequence[str]]:
        """The schema's DDL, one list of statements per version (index 0 is version 1)."""
        ...

    def sql(self, text: str) -> str:
        """``text`` with ``?`` placeholders in this backend's style."""
        ...

    def describe(self) -> str:
        """Where the journal is, for messages (no password)."""
        ...

    def close(self) -> None: ...


def chunks(values: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """``values`` in pieces small enough for one ``IN (…)`` list (SQLite allows 32,766 parameters)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
