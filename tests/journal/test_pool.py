"""The journal's connection pool: connections opened as needed up to its size, lent one at a time, a broken
one replaced in place, and a bounded wait when all are busy."""

from __future__ import annotations

import itertools
import threading

import pytest
from shipspec.journal.pool import Pool, PoolClosed, PoolTimeout


class Connection:
    numbers = itertools.count(1)

    def __init__(self) -> None:
        self.number = next(self.numbers)
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_concurrent_loans_get_their_own_connections_up_to_the_size() -> None:
    """Two loans at once hold two connections; a third waits, and fails after the pool's wait."""
    pool = Pool(Connection, size=2, wait=0.2)
    with pool.connection() as first, pool.connection() as second:
        assert first.db is not second.db
        with pytest.raises(PoolTimeout), pool.connection():
            pass
    with pool.connection() as again:  # given back: reused, not a third one
        assert again.db in (first.db, second.db)


def test_a_waiting_loan_gets_the_connection_given_back() -> None:
    pool = Pool(Connection, size=1, wait=30)
    got: list[Connection] = []
    with pool.connection() as held:
        waiter = threading.Thread(target=lambda: got.append(pool.connection().__enter__().db))
        waiter.start()
        waiter.join(0.2)
        assert got == []  # still waiting while the only connection is lent
    waiter.join(30)
    assert got == [held.db]


def test_a_replaced_connection_takes_the_broken_ones_place() -> None:
    pool = Pool(Connection, size=1, wait=0.2)
    with pool.connection() as loan:
        broken = loan.db
        fresh = loan.replace()
    assert broken.closed
    with pool.connection() as next_loan:
        assert next_loan.db is fresh


def test_closing_closes_idle_connections_and_lent_ones_on_return() -> None:
    pool = Pool(Connection, size=2, wait=0.2)
    with pool.connection() as lent:
        with pool.connection() as idle:
            pass
        pool.close()
        assert idle.db.closed
        assert not lent.db.closed
    assert lent.db.closed


def test_a_closed_pool_lends_nothing_and_makes_no_connection() -> None:
    made: list[Connection] = []

    def connect() -> Connection:
        made.append(Connection())
        return made[-1]

    pool = Pool(connect, size=2, wait=30)
    with pool.connection():
        pass
    pool.close()
    with pytest.raises(PoolClosed), pool.connection():
        pass
    assert len(made) == 1  # it did not reconnect behind the caller's back


def test_a_loan_waiting_when_the_pool_closes_fails_at_once() -> None:
    pool = Pool(Connection, size=1, wait=30)
    failures: list[BaseException] = []

    def wait_for_a_loan() -> None:
        try:
            with pool.connection():
                pass
        except PoolClosed as error:
            failures.append(error)

    with pool.connection():
        waiter = threading.Thread(target=wait_for_a_loan)
        waiter.start()
        waiter.join(0.2)
        pool.close()
        waiter.join(5)  # not the pool's 30 s wait
        assert not waiter.is_alive()
    assert len(failures) == 1
