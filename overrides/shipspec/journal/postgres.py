"""The shared journal: PostgreSQL (psycopg 3), for many processes on many machines at once.

The same table and semantics as SQLite. Claims read their rows ``FOR UPDATE`` inside one transaction, so
two runs given the same reference at the same moment are serialised: one holds it, the other sees it held
(``busy``) and never sends it.

Every wait is bounded, so a server that refuses, hangs or vanishes ends in a ``ConfigError`` (cannot connect)
or ``JournalError`` (a transaction failed) instead of a hung run:

- connecting: ``connect_timeout`` (``CONNECT_TIMEOUT_SECONDS`` unless the URL gives its own), which also
  covers a server that accepts the TCP connection and never answers;
- on the server: ``statement_timeout`` and ``lock_timeout`` (``STATEMENT_TIMEOUT_MS``);
- on the client: no answer within ``ANSWER_TIMEOUT_SECONDS`` (a frozen server, a silent network) closes the
  connection; TCP keepalives and ``tcp_user_timeout`` notice a peer that vanished.

A run's threads share a small pool of connections (``pool``), so their transactions overlap instead of
queueing behind one connection. A connection that broke (the server restarted, the network dropped) is
replaced at the start of the next transaction on it, before anything is written: at most one failed call,
not a failed run.

Durability is PostgreSQL's: a committed transaction survives a crash of the client and (with the server's
default ``synchronous_commit=on``) of the server. One exception, which keeps the write-ahead order: a claim
that only records intents commits without waiting for the disk (``relaxed_commit``), because nothing is
sent on an intent alone, and the ``sending`` commit that comes before any call does wait, which makes the
claim durable too: "transactions are replayed in commit order ... it is not possible for A's effects to be
lost while B's effects are preserved" (https://www.postgresql.org/docs/current/wal-async-commit.html). A
server crash in between loses the intents of shipments that were never sent, nothing else.
"""

from __future__ import annotations

import select
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Final

from ..errors import ConfigError, JournalError
from .backend import Cursor
from .pool import Loan, Pool, PoolClosed, PoolTimeout
from .schema import COMMON_COLUMNS

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresBackend"]

CONNECT_TIMEOUT_SECONDS: Final = 10
STATEMENT_TIMEOUT_MS: Final = 30_000
"""No journal statement takes long; one that does is a stuck server or a lock held by a stuck client."""
ANSWER_TIMEOUT_SECONDS: Final = STATEMENT_TIMEOUT_MS / 1000 + 15
"""How long the client waits for any answer: past the server's own bound, so it only fires when the server
or the network is gone."""
TCP_USER_TIMEOUT_MS: Final = 30_000
KEEPALIVES: Final = {
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
}
POOL_SIZE: Final = 8
"""Connections per journal: enough for a run's worker threads to overlap their commits (the server flushes
them together), few enough that many runs stay within the server's ``max_connections`` (default 100)."""
MIGRATION_LOCK: Final = 0x5348_4950_5350_4543 & 0x7FFF_FFFF_FFFF_FFFF  # "SHIPSPEC": one migrator at a time


def _without_password(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "postgresql://…"
    parts.pop("password", None)
    return str(make_conninfo(**{k: str(v) for k, v in parts.items()}))


def _reason(error: BaseException, password: str | None) -> str:
    """The first line of a driver error, with the password masked should the driver ever echo it."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text.replace(password, "***") if password else text


class PostgresBackend:
    """A journal in the PostgreSQL database at ``url`` (``postgresql://user@host:port/db``).

    ``answer_timeout`` bounds every wait for the server on the client side (see the module docstring).
    """

    name = "postgresql"
    lock_rows = " FOR UPDATE"
    relaxed_commit: str | None = "SET LOCAL synchronous_commit TO OFF"
    returning_rows = True
    remote = True

    def __init__(self, url: str, *, answer_timeout: float = ANSWER_TIMEOUT_SECONDS) -> None:
        try:
            import psycopg
            from psycopg.conninfo import conninfo_to_dict
        except ModuleNotFoundError:
            raise ConfigError(
                "a PostgreSQL journal needs psycopg: pip install 'shipspec[postgres]'"
            ) from None
        self._where = _without_password(url)
        try:
            params: dict[str, Any] = conninfo_to_dict(url)
        except psycopg.Error:
            raise ConfigError(f"journal {self._where}: not a valid PostgreSQL URL") from None
        self._password = str(params["password"]) if params.get("password") else None
        bounds = f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={STATEMENT_TIMEOUT_MS}"
        # The URL's own settings win (connect_timeout, options given by the user come last).
        params["options"] = f"{bounds} {params.get('options', '')}".strip()
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        params.setdefault("tcp_user_timeout", TCP_USER_TIMEOUT_MS)
        params.setdefault("application_name", "shipspec")
        for key, value in KEEPALIVES.items():
            params.setdefault(key, value)
        self._params = params
        self._answer_timeout = answer_timeout
        self._pool: Pool[psycopg.Connection[tuple[Any, ...]]] = Pool(
            self._connect, size=POOL_SIZE, wait=answer_timeout
        )
        try:
            self._pool.add(self._connect())  # the first one now: a bad URL or server fails the run early
        except psycopg.Error as error:
            raise ConfigError(
                f"journal {self._where}: cannot connect ({_reason(error, self._password)})"
            ) from None

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        import psycopg

        connection = _bounded_connection_class()
        # Raw cursors: the journal's SQL comes with ``$n`` placeholders (see ``_numbered``).
        connected: psycopg.Connection[tuple[Any, ...]] = connection.connect(
            autocommit=True, cursor_factory=psycopg.RawCursor, **self._params
        )
        connected.answer_timeout = self._answer_timeout  # type: ignore[attr-defined]
        return connected

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        import psycopg

        with self._errors(), self._pool.connection() as loan:
            db = self._begin(loan)
            try:
                # Pipelined: statements go out without waiting for each answer (a read waits for its
                # rows), so a transaction costs a few round trips, not one per statement.
                with db.pipeline():
                    yield _StatementCursors(db)
                    db.execute("COMMIT")
            except BaseException:
                if not (db.broken or db.closed):
                    with suppress(psycopg.Error):  # the first error is the one to report
                        db.execute("ROLLBACK")
                raise

    @contextmanager
    def statement(self) -> Iterator[Cursor]:
        """One statement in its own transaction (the connection's autocommit): one round trip, no BEGIN,
        no pipeline. Durable like any commit (``synchronous_commit`` on)."""
        with self._errors(), self._pool.connection() as loan:
            if loan.db.broken or loan.db.closed or _heard_from(loan.db):
                loan.replace()  # before anything is written: a statement sent on it might or might not run
            yield _StatementCursors(loan.db)

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        with self.transaction() as cursor:  # a transaction: a broken connection is replaced first
            yield cursor

    @staticmethod
    def _begin(loan: Loan[psycopg.Connection[tuple[Any, ...]]]) -> psycopg.Connection[tuple[Any, ...]]:
        """Start a transaction on a working connection: a broken one is replaced, and a connection that
        turns out dead at ``BEGIN`` (nothing written yet) is replaced once."""
        import psycopg

        if loan.db.broken or loan.db.closed:
            loan.replace()
        try:
            loan.db.execute("BEGIN")
        except psycopg.OperationalError:
            if not (loan.db.broken or loan.db.closed):
                raise
            loan.replace().execute("BEGIN")
        return loan.db

    @contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as error:
            reason = _reason(error, self._password)
            raise JournalError(f"journal {self._where}: {type(error).__name__}: {reason}") from None
        except (PoolTimeout, PoolClosed) as error:
            raise JournalError(f"journal {self._where}: {error}") from None

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
        return _numbered(text)

    def describe(self) -> str:
        return self._where

    def close(self) -> None:
        self._pool.close()


@lru_cache(maxsize=512)
def _numbered(text: str) -> str:
    """``text`` with its ``?`` placeholders as PostgreSQL's own ``$1``, ``$2`` …, which the journal's
    connections (raw cursors, see ``_connect``) send as they are. psycopg's ``%s`` form costs a parse of
    the query on every call once it has over 50 parameters (a multi-row INSERT: it caches only smaller
    ones), about half of the client's CPU for such an insert. The journal's SQL has no ``?`` other than
    its placeholders."""
    parts = text.split("?")
    return parts[0] + "".join(f"${number}{part}" for number, part in enumerate(parts[1:], start=1))


def _heard_from(db: psycopg.Connection[tuple[Any, ...]]) -> bool:
    """Whether the server said something to this idle connection: it only does when it is going away (a
    restart, an administrator's command), so the connection is replaced rather than used. One poll, no wait:
    ``transaction``'s ``BEGIN`` finds the same at the cost of a round trip."""
    poller = select.poll()  # not select.select: it fails on descriptors past 1023
    try:
        poller.register(db.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


class _StatementCursors:
    """The journal's cursor on a pipelined connection: each statement gets a cursor of its own.

    In pipeline mode answers arrive while later statements are sent; a cursor reused for several statements
    may hold an earlier statement's rows when its ``fetchall`` comes (seen: an advisory lock's empty row
    read as the schema version). One cursor per statement keeps every answer with its statement.
    """

    def __init__(self, db: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._db = db
        self._last: psycopg.Cursor[tuple[Any, ...]] | None = None

    def execute(self, sql: str, params: Sequence[object] = (), /) -> object:
        self._last = self._db.cursor()
        return self._last.execute(sql, params)

    def executemany(self, sql: str, params: Sequence[Sequence[object]], /) -> object:
        self._last = self._db.cursor()
        self._last.executemany(sql, params)
        return None

    def fetchall(self) -> list[tuple[object, ...]]:
        assert self._last is not None, "fetchall before any statement"
        return self._last.fetchall()

    @property
    def rowcount(self) -> int:
        return -1 if self._last is None else self._last.rowcount


@cache
def _bounded_connection_class() -> type[Any]:
    """A psycopg ``Connection`` whose every wait for the server is bounded by its ``answer_timeout``.

    psycopg waits for an answer without limit; past the bound the connection is in an unknown state, so it is
    closed (the next transaction opens a new one) and the call fails with ``OperationalError``.
    """
    import psycopg
    from psycopg.abc import RV, PQGen

    # psycopg's own "wait timeout expired" (internal name; psycopg >= 3.2).
    wait_timeout: type[Exception] = psycopg.errors._WaitTimeout

    class BoundedConnection(psycopg.Connection[tuple[Any, ...]]):
        answer_timeout: float = ANSWER_TIMEOUT_SECONDS

        def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
            try:
                return super().wait(gen, interval, self.answer_timeout if timeout is None else timeout)
            except wait_timeout:
                self.pgconn.finish()
                raise psycopg.OperationalError(
                    f"no answer from the server within {self.answer_timeout:g} s"
                ) from None

    return BoundedConnection
