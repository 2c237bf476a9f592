"""A journal that refuses the outcome of a shipment the carrier did ship: ``shipspec ship`` writes the right
results line but says the journal is behind and exits 1 (not 0), and ``shipspec recover`` settles it then.

The journal's database is real (a SQLite file, or a database on the test's PostgreSQL server); the refusal is
a trigger the test adds while the call is at the carrier, after the run recorded ``sending``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
from shipspec_sandbox import start_sandboxes
from shipspec_sandbox.clients import sandbox_settings

from scripts.exactly_once import shipments
from tests.cli.support import environment, read_results
from tests.shipping.support_faults import CountingPlan

SHIPSPEC = str(Path(sys.executable).with_name("shipspec"))
BOUND = 120  # seconds any one command may take here

SQLITE_REFUSAL = (
    "CREATE TRIGGER refuse_settles BEFORE UPDATE ON shipspec_journal "
    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
)
POSTGRES_REFUSAL = (
    "CREATE FUNCTION refuse_settles() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; "
    "CREATE TRIGGER refuse_settles BEFORE UPDATE ON shipspec_journal "
    "FOR EACH STATEMENT EXECUTE FUNCTION refuse_settles()"
)


def _execute(journal: str, sql: str) -> None:
    """Run the test's own DDL (no parameters) on the journal's database."""
    if journal.startswith("postgresql://"):
        with psycopg.connect(journal, autocommit=True) as db:
            db.execute(sql.encode())  # bytes: several statements in one
        return
    with contextlib.closing(sqlite3.connect(journal, timeout=30, isolation_level=None)) as db:
        db.execute(sql)


def _state(journal: str, reference: str) -> list[tuple[Any, ...]]:
    if journal.startswith("postgresql://"):
        with psycopg.connect(journal) as db:
            return db.execute(
                "SELECT state FROM shipspec_journal WHERE reference = %s", (reference,)
            ).fetchall()
    with contextlib.closing(sqlite3.connect(journal, timeout=30)) as db:
        return db.execute("SELECT state FROM shipspec_journal WHERE reference = ?", (reference,)).fetchall()


class RefusesSettles(CountingPlan):
    """Makes the journal refuse every update once the sandbox receives the first shipment."""

    def __init__(self, journal: str) -> None:
        super().__init__()
        self.journal = journal
        self.armed = False

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        if operation == "createShipment" and not self.armed:
            self.armed = True
            _execute(
                self.journal, POSTGRES_REFUSAL if self.journal.startswith("postgresql") else SQLITE_REFUSAL
            )
        return super().decide(carrier, operation, identity)


def test_an_outcome_the_journal_refused_makes_the_run_exit_1_and_recover_settles_it(
    tmp_path: Path, journal_url: str
) -> None:
    shipment = next(s for s in shipments(8) if s.carrier == "baaship")
    orders = tmp_path / "orders.jsonl"
    orders.write_text(shipment.model_dump_json(exclude_none=True) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    plan = RefusesSettles(journal_url)
    with start_sandboxes(("baaship",), faults=plan) as running:
        env = os.environ | environment(sandbox_settings(running))

        def shipspec(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [SHIPSPEC, *args], env=env, capture_output=True, text=True, timeout=BOUND, check=False
            )

        done = shipspec("ship", str(orders), "--out", str(out), "--journal", journal_url, "--no-progress")
        assert plan.armed
        assert done.returncode == 1, done.stdout + done.stderr
        assert "1 outcomes are in the results file but not recorded in the journal" in done.stderr
        assert "shipspec recover" in done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert [line["status"] for line in read_results(out)] == ["shipped"]
        assert _state(journal_url, shipment.reference) == [("sending",)]  # still uncertain there

        _execute(
            journal_url,
            "DROP TRIGGER refuse_settles" + (" ON shipspec_journal" if "://" in journal_url else ""),
        )
        again = shipspec("recover", "--journal", journal_url)
        assert again.returncode == 0, again.stdout + again.stderr
        assert _state(journal_url, shipment.reference) == [("shipped",)]
        created = [entry.key for entry in running.ledger.entries(action="shipment_created")]
        assert created == [shipment.reference]
