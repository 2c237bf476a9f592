"""Kill -9 at every journal boundary, for each carrier, then re-run: 0 duplicates, 0 lost, 0 mismatched ids.

SQLite runs the whole matrix; PostgreSQL the boundaries around the carrier's answer (where a crash is most
dangerous) for each carrier. ``make crash-check`` runs the whole matrix on both, plus random kill moments.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from shipspec_sandbox import Sandboxes, start_sandboxes

from scripts.crash_matrix import Harness, points
from scripts.exactly_once import CARRIERS
from tests.support.postgres import fresh_database

SQLITE_CASES = [(carrier, point, hit) for carrier in CARRIERS for point, hit in points(carrier)]
POSTGRES_CASES = [
    *((carrier, "journal.settle.before", 1) for carrier in CARRIERS),
    ("deftship", "journal.learnt.before", 1),
    ("deftship", "journal.learnt", 1),
    ("baaship", "results.line", 2),
]
_databases = itertools.count(1)


@pytest.fixture(scope="module")
def sandboxes() -> Iterator[Sandboxes]:
    with start_sandboxes(CARRIERS) as running:
        yield running


@pytest.mark.parametrize(("carrier", "point", "hit"), SQLITE_CASES)
def test_sqlite_journal_survives_a_kill(
    sandboxes: Sandboxes, tmp_path: Path, carrier: str, point: str, hit: int
) -> None:
    case = Harness(sandboxes, tmp_path).case(carrier, point, hit)
    assert case.killed, "the run did not reach the boundary"
    assert case.ok, case.line()
    assert sandboxes.ledger.duplicates() == {}
    assert sandboxes.ledger.duplicates(by="reference") == {}


@pytest.mark.parametrize(("carrier", "point", "hit"), POSTGRES_CASES)
def test_postgres_journal_survives_a_kill(
    sandboxes: Sandboxes, postgres_url: str, tmp_path: Path, carrier: str, point: str, hit: int
) -> None:
    made: dict[str, str] = {}

    def database(name: str) -> str:  # one database per case, the same for its first run and its re-runs
        if name not in made:
            made[name] = fresh_database(postgres_url, f"crash_{next(_databases)}")
        return made[name]

    case = Harness(sandboxes, tmp_path, database).case(carrier, point, hit)
    assert case.killed, "the run did not reach the boundary"
    assert case.ok, case.line()
    assert sandboxes.ledger.duplicates() == {}
    assert sandboxes.ledger.duplicates(by="reference") == {}


def test_a_run_killed_at_a_random_moment_ships_nothing_twice(sandboxes: Sandboxes, tmp_path: Path) -> None:
    harness = Harness(sandboxes, tmp_path)
    for carrier, delay in zip(CARRIERS, (0.9, 1.3, 1.1, 2.5), strict=True):
        case = harness.case(carrier, "random", kill_after=delay)
        assert case.ok, case.line()
    assert sandboxes.ledger.duplicates() == {}
    assert sandboxes.ledger.duplicates(by="reference") == {}
