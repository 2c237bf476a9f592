"""Opening a journal: SQLite files and folders, URL schemes, durability; a foreign file is refused."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from shipspec.errors import ConfigError, InputError, JournalError
from shipspec.journal import Journal, open_journal
from shipspec.shipping.results import failed
from shipspec_shipping_models import Shipment


def test_a_file_that_is_no_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"shopping list\n" * 100)
    with pytest.raises(ConfigError, match="not a shipspec journal"):
        open_journal(path)
    assert path.read_bytes() == b"shopping list\n" * 100


def test_a_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        open_journal(tmp_path / "nowhere" / "j.sqlite")


@pytest.mark.parametrize("where", ["mysql://db/x", "redis://127.0.0.1/0"])
def test_unsupported_url_schemes_are_refused(where: str) -> None:
    with pytest.raises(ConfigError, match="unsupported URL scheme"):
        open_journal(where)


@pytest.mark.parametrize(("durability", "expected"), [("normal", 1), ("full", 2)])
def test_sqlite_runs_in_wal_mode_with_the_chosen_durability(
    tmp_path: Path, durability: str, expected: int
) -> None:
    path = tmp_path / "j.sqlite"
    with open_journal(path, durability=durability) as opened, opened._backend.read() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchall() == [(expected,)]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_unknown_durability_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="durability"):
        open_journal(tmp_path / "j.sqlite", durability="fast")


def test_runs_opening_a_new_sqlite_journal_at_once_all_open_it(tmp_path: Path) -> None:
    """Switching a new file to WAL mode does not wait for another connection's lock (SQLite answers
    "database is locked" at once); three runs opening the same new journal at once, 60 times over, all
    open it (before the retry about one open in 45 failed)."""
    failures: list[BaseException] = []

    def open_when(ready: threading.Barrier, path: Path) -> None:
        ready.wait(timeout=30)
        try:
            with open_journal(path):
                pass
        except Exception as error:  # the outcome under test
            failures.append(error)

    for trial in range(60):
        ready = threading.Barrier(3)
        path = tmp_path / f"j{trial}.sqlite"
        threads = [threading.Thread(target=open_when, args=(ready, path)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert failures == []


def _shipment() -> Shipment:
    return Shipment.model_validate({"reference": "Z-1", "carrier": "baaship"})


USES_AFTER_CLOSE: dict[str, Callable[[Journal], object]] = {
    "start": lambda journal: journal.start([_shipment()]),
    "claim": lambda journal: journal.claim([_shipment()]),
    "settle": lambda journal: journal.settle([failed(_shipment(), InputError({"reference": "x"}))]),
    "learnt": lambda journal: journal.learnt(["Z-1"], batch_id="B-1"),
    "unstart": lambda journal: journal.unstart(["Z-1"]),
    "find": lambda journal: journal.find(["Z-1"]),
    "entries": lambda journal: list(journal.entries()),
}


@pytest.mark.parametrize("use", sorted(USES_AFTER_CLOSE))
def test_a_closed_journal_refuses_every_use_with_a_journal_error(journal_url: str, use: str) -> None:
    """Not an untyped error (SQLite's closed connection), and no new connection behind the caller's back
    (PostgreSQL's pool): a write after ``close`` is recorded nowhere, so it must fail loudly."""
    journal = open_journal(journal_url)
    journal.start([_shipment()])
    journal.close()

    with pytest.raises(JournalError, match="closed"):
        USES_AFTER_CLOSE[use](journal)
