"""ship_file (what ``shipspec ship`` runs) with fake shippers: bad rows, results file, counts, messages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from shipspec.cli.output import RESULT_COLUMNS
from shipspec.cli.ship import default_results_path, ship_file
from shipspec.errors import ConfigError

from .support import BAASHIP_ROW, FakeShipper, read_results, write_csv


def console() -> tuple[Console, io.StringIO]:
    text = io.StringIO()
    return Console(file=text, width=200, markup=False, highlight=False), text


def orders(tmp_path: Path) -> Path:
    """Three Baaship rows, the second with a negative weight, and one TikTok row."""
    rows = [
        {**BAASHIP_ROW, "reference": "B-1"},
        {**BAASHIP_ROW, "reference": "B-2", "parcels.0.weight.value": "-0.5"},
        {**BAASHIP_ROW, "reference": "B-3"},
        {"reference": "T-1", "carrier": "tiktok_shop", "platform.package_id": "P1"},
    ]
    return write_csv(tmp_path / "orders.csv", rows)


def test_a_bad_row_is_reported_and_failed_while_the_good_rows_ship(tmp_path: Path) -> None:
    """Row 3's weight is named with its row number and path; rows 2, 4 and 5 still ship."""
    fakes = {"baaship": FakeShipper("baaship"), "tiktok_shop": FakeShipper("tiktok_shop")}
    screen, text = console()
    out = tmp_path / "r.csv"
    tally = ship_file(orders(tmp_path), out=out, shippers=fakes, settings={}, console=screen)
    assert text.getvalue().startswith(
        "row 3 (B-2): parcels[0].weight.value: must be a decimal number greater than 0"
    )
    assert sorted(fakes["baaship"].shipped + fakes["tiktok_shop"].shipped) == ["B-1", "B-3", "T-1"]
    assert not tally.ok
    assert (tally.count("shipped"), tally.count("failed"), tally.total) == (3, 1, 4)
    by_reference = {row["reference"]: row for row in read_results(out)}
    assert by_reference["B-2"]["status"] == "failed"
    assert by_reference["B-2"]["error.kind"] == "invalid_request"
    assert by_reference["B-2"]["error.message"].startswith("parcels[0].weight.value: ")
    assert by_reference["B-2"]["row"] == "3"


def test_the_results_csv_has_the_documented_columns_and_one_line_per_row(tmp_path: Path) -> None:
    """Every input row gets one line, with its row number, tracking number and error columns."""
    fakes = {"baaship": FakeShipper("baaship"), "tiktok_shop": FakeShipper("tiktok_shop")}
    out = tmp_path / "r.csv"
    ship_file(orders(tmp_path), out=out, shippers=fakes, settings={}, console=console()[0])
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(RESULT_COLUMNS)
    rows = {row["reference"]: row for row in read_results(out)}
    assert {ref: (row["row"], row["status"]) for ref, row in rows.items()} == {
        "B-1": ("2", "shipped"),
        "B-2": ("3", "failed"),
        "B-3": ("4", "shipped"),
        "T-1": ("5", "shipped"),
    }
    assert rows["T-1"]["tracking_number"] == "T-T-1"
    assert rows["T-1"]["carrier"] == "tiktok_shop"


def test_results_as_jsonl_keep_the_result_shape_plus_the_row(tmp_path: Path) -> None:
    """A .jsonl results file holds ShipmentResult objects (nested error) with a row number each."""
    rows = [{**BAASHIP_ROW, "reference": "NO-1"}, {**BAASHIP_ROW, "reference": "B-9"}]
    out = tmp_path / "r.jsonl"
    ship_file(
        write_csv(tmp_path / "o.csv", rows),
        out=out,
        shippers={"baaship": FakeShipper("baaship")},
        settings={},
        console=console()[0],
    )
    results = {line["reference"]: line for line in map(json.loads, out.read_text().splitlines())}
    assert results["NO-1"] == {
        "reference": "NO-1",
        "carrier": "baaship",
        "status": "failed",
        "error": {"kind": "invalid_request", "code": "1008", "message": "nope"},
        "row": 2,
    }
    assert results["B-9"]["status"] == "shipped"
    assert results["B-9"]["row"] == 3


def test_a_carrier_failure_is_printed_with_row_reference_and_code(tmp_path: Path) -> None:
    """A shipment the carrier refuses is one line: row, reference, carrier, code, kind, message."""
    screen, text = console()
    ship_file(
        write_csv(tmp_path / "o.csv", [{**BAASHIP_ROW, "reference": "NO-7"}]),
        out=tmp_path / "r.csv",
        shippers={"baaship": FakeShipper("baaship")},
        settings={},
        console=screen,
    )
    assert text.getvalue().strip() == "row 2 (NO-7): failed (baaship 1008, invalid_request): nope"


def test_a_repeated_reference_fails_the_later_row(tmp_path: Path) -> None:
    """Two rows with one reference would be one shipment: the second is refused, naming the first."""
    rows = [{**BAASHIP_ROW, "reference": "D-1"}, {**BAASHIP_ROW, "reference": "D-1"}]
    fake = FakeShipper("baaship")
    out = tmp_path / "r.csv"
    ship_file(
        write_csv(tmp_path / "o.csv", rows),
        out=out,
        shippers={"baaship": fake},
        settings={},
        console=console()[0],
    )
    assert fake.shipped == ["D-1"]
    second = [row for row in read_results(out) if row["row"] == "3"]
    assert second[0]["error.message"] == "reference: repeats row 2 (each shipment needs its own reference)"


def test_a_carrier_without_settings_stops_before_anything_ships(tmp_path: Path) -> None:
    """No Baaship token: ConfigError naming the setting, and no results file is started."""
    out = tmp_path / "r.csv"
    fake = FakeShipper("tiktok_shop")
    with pytest.raises(ConfigError, match="token"):
        ship_file(
            orders(tmp_path), out=out, shippers={"tiktok_shop": fake}, settings={}, console=console()[0]
        )
    assert fake.shipped == []
    assert not out.exists()


def test_an_empty_file_is_a_success_and_the_default_results_path_sits_next_to_it(tmp_path: Path) -> None:
    """A header alone ships nothing and is fine; orders.csv's results go to orders.results.csv."""
    path = tmp_path / "orders.csv"
    path.write_text("reference,carrier\n", encoding="utf-8")
    out = default_results_path(path)
    assert out == tmp_path / "orders.results.csv"
    tally = ship_file(path, out=out, settings={}, console=console()[0])
    assert tally.ok
    assert tally.total == 0
    assert read_results(out) == []
