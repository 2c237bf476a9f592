"""The end-of-run table: rows done in an earlier run are not shipped now; unknown carriers by name."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from shipspec.cli.report import EARLIER, Tally
from shipspec.cli.ship import ship_file

from .support import BAASHIP_ROW, FakeShipper, write_csv


def rendered(tally: Tally) -> str:
    text = io.StringIO()
    Console(file=text, width=140).print(tally.table())
    return text.getvalue()


def test_a_rerun_counts_earlier_rows_apart_from_this_runs_shipments(tmp_path: Path) -> None:
    """Resuming, the rows shipped before are "earlier_run", not "shipped": this run shipped one row."""
    rows = [{**BAASHIP_ROW, "reference": "E-1"}, {**BAASHIP_ROW, "reference": "E-2"}]
    orders = write_csv(tmp_path / "orders.csv", rows[:1])
    out = tmp_path / "orders.results.csv"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    write_csv(orders, rows)
    again = FakeShipper("baaship")
    tally = ship_file(orders, out=out, shippers={"baaship": again}, settings={})
    assert again.shipped == ["E-2"]
    assert (tally.count("shipped"), tally.count(EARLIER), tally.total) == (1, 1, 2)
    assert tally.ok
    assert "earlier_run" in rendered(tally)


def test_rows_the_journal_records_as_shipped_count_as_earlier_too(tmp_path: Path) -> None:
    """Without the results file (--no-resume), the journal's earlier outcomes are not shipped this run."""
    orders = write_csv(tmp_path / "orders.csv", [{**BAASHIP_ROW, "reference": "J-1"}])
    out = tmp_path / "orders.results.csv"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    again = FakeShipper("baaship")
    tally = ship_file(orders, out=out, shippers={"baaship": again}, settings={}, resume=False)
    assert again.shipped == []
    assert (tally.count("shipped"), tally.count(EARLIER), tally.total) == (0, 1, 1)
    assert "J-1" in out.read_text(encoding="utf-8")


def test_an_unknown_carrier_is_shown_by_the_name_the_results_file_keeps(tmp_path: Path) -> None:
    """A row for "fedex" shows as "fedex (unknown)" in the table (the results file says fedex), not (none)."""
    orders = write_csv(tmp_path / "o.csv", [{**BAASHIP_ROW, "reference": "F-1", "carrier": "fedex"}])
    tally = ship_file(orders, out=tmp_path / "r.csv", shippers={}, settings={})
    table = rendered(tally)
    assert "fedex (unknown)" in table
    assert "(none)" not in table
    assert "fedex" in (tmp_path / "r.csv").read_text(encoding="utf-8")
