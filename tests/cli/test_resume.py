"""Re-running a file resumes it: rows an earlier run shipped are never sent again (DeftShip included)."""

from __future__ import annotations

import csv
from pathlib import Path

from shipspec.cli.ship import ship_file
from shipspec_sandbox.clients import sandbox_settings

from ..shipping.support_deftship import STEP_SECONDS
from ..shipping.support_deftship import sandbox as deftship_sandbox
from .support import BAASHIP_ROW, FakeShipper, read_results, sandboxes, write_csv

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "orders.csv"


def test_a_rerun_sends_only_what_did_not_ship(tmp_path: Path) -> None:
    """After fixing a bad row, the second run ships that row alone and keeps the earlier results."""
    rows = [
        {**BAASHIP_ROW, "reference": "B-1"},
        {**BAASHIP_ROW, "reference": "B-2", "parcels.0.weight.value": "-1"},
    ]
    orders = write_csv(tmp_path / "orders.csv", rows)
    out = tmp_path / "orders.results.csv"
    first = FakeShipper("baaship")
    ship_file(orders, out=out, shippers={"baaship": first}, settings={})
    assert first.shipped == ["B-1"]

    rows[1]["parcels.0.weight.value"] = "1"
    write_csv(orders, rows)
    second = FakeShipper("baaship")
    tally = ship_file(orders, out=out, shippers={"baaship": second}, settings={})
    assert second.shipped == ["B-2"]
    assert tally.ok
    assert {row["reference"]: row["status"] for row in read_results(out)} == {
        "B-1": "shipped",
        "B-2": "shipped",
    }
    assert {row["reference"]: row["tracking_number"] for row in read_results(out)}["B-1"] == "T-B-1"


def test_no_resume_starts_a_fresh_results_file_but_the_journal_still_guards(tmp_path: Path) -> None:
    """--no-resume (resume=False) ignores the earlier results file; the journal still knows B-1 shipped."""
    orders = write_csv(tmp_path / "orders.csv", [{**BAASHIP_ROW, "reference": "B-1"}])
    out = tmp_path / "r.csv"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    out.write_text(out.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")  # lines lost
    again = FakeShipper("baaship")
    ship_file(orders, out=out, shippers={"baaship": again}, settings={}, resume=False)
    assert again.shipped == []
    assert [(r["reference"], r["status"], r["tracking_number"]) for r in read_results(out)] == [
        ("B-1", "shipped", "T-B-1")
    ]


def test_another_journal_sends_again(tmp_path: Path) -> None:
    """Without the results file and with a new journal, nothing remembers B-1: it is sent again."""
    orders = write_csv(tmp_path / "orders.csv", [{**BAASHIP_ROW, "reference": "B-1"}])
    out = tmp_path / "r.csv"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    again = FakeShipper("baaship")
    fresh = tmp_path / "other.sqlite"
    ship_file(orders, out=out, shippers={"baaship": again}, settings={}, resume=False, journal=fresh)
    assert again.shipped == ["B-1"]


def test_deftship_rows_ship_once_across_two_runs(tmp_path: Path) -> None:
    """DeftShip cannot recognise a resend across runs; the results file keeps the second run from shipping."""
    with EXAMPLES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["carrier"] == "deftship"]
    orders = write_csv(tmp_path / "deft.csv", rows)
    out = tmp_path / "deft.results.csv"
    with sandboxes("deftship") as (running, _):
        settings = sandbox_settings(running)
        assert ship_file(orders, out=out, settings=settings).ok
        shipped = len(running.ledger.entries(action="item_shipped"))
        assert shipped == len(rows)
        assert ship_file(orders, out=out, settings=settings).ok
        assert len(running.ledger.entries(action="item_shipped")) == shipped
        assert running.ledger.duplicates() == {}


def test_a_rerun_follows_a_pending_deftship_batch_instead_of_resending(tmp_path: Path) -> None:
    """Rows left pending in a batch are followed (resume_batch) on the re-run: no new batch, shipped once."""
    with EXAMPLES.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["carrier"] == "deftship"]
    orders = write_csv(tmp_path / "deft.csv", rows)
    out = tmp_path / "deft.results.csv"
    with deftship_sandbox() as env:
        env.app.validation_delay = 600.0  # validation outlasts the deadline however slow the machine
        try:
            impatient = env.direct(deadline=2.0)
            first = ship_file(orders, out=out, shippers={"deftship": impatient}, settings={})
        finally:
            env.app.validation_delay = STEP_SECONDS
        assert not first.ok
        pending = read_results(out)
        assert {row["status"] for row in pending} == {"pending"}
        assert len({row["batch_id"] for row in pending}) == 1
        assert env.shipped() == []
        created = env.plan.calls["createBatch"]

        second = ship_file(orders, out=out, shippers={"deftship": env.direct()}, settings={})
        assert second.ok
        assert env.plan.calls["createBatch"] == created  # followed, not created again
        assert sorted(env.shipped()) == sorted(row["reference"] for row in rows)
        followed = read_results(out)
        assert {row["status"] for row in followed} == {"shipped"}
        assert {row["batch_id"] for row in followed} == {pending[0]["batch_id"]}
        assert sorted(row["row"] for row in followed) == sorted(row["row"] for row in pending)

        third = ship_file(orders, out=out, shippers={"deftship": env.direct()}, settings={})
        assert third.ok
        assert env.plan.calls["createBatch"] == created
        assert env.ledger.duplicates() == {}


def test_a_pending_batch_that_cannot_be_followed_stays_pending(tmp_path: Path) -> None:
    """Without a shipper that can follow batches the earlier pending line is kept, never resent."""
    orders = write_csv(tmp_path / "orders.csv", [{**BAASHIP_ROW, "reference": "B-1"}])
    out = tmp_path / "orders.results.csv"
    out.write_text(
        "reference,carrier,status,batch_id,error.kind,error.message,row\n"
        "B-1,baaship,pending,BATCH-9,retry,not settled in time,2\n",
        encoding="utf-8",
    )
    shipper = FakeShipper("baaship")  # no resume_batch
    tally = ship_file(orders, out=out, shippers={"baaship": shipper}, settings={})
    assert shipper.shipped == []
    assert not tally.ok
    [line] = read_results(out)
    assert (line["status"], line["batch_id"], line["row"]) == ("pending", "BATCH-9", "2")
