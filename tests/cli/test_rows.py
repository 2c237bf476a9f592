"""Reading shipments from CSV (dotted column paths) and JSONL, one row at a time, with row numbers."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from shipspec.cli.rows import FileProblem, read_rows, scan_file

from .support import BAASHIP_ROW, write_csv


def test_dotted_columns_build_nested_objects_and_lists(tmp_path: Path) -> None:
    """parcels.0.weight.value and items.1.sku become lists of objects; text becomes numbers where needed."""
    row = {**BAASHIP_ROW, "items.1.name": "Strap", "items.1.quantity": "2", "reverse": "false"}
    [parsed] = read_rows(write_csv(tmp_path / "o.csv", [row]))
    shipment = parsed.shipment
    assert shipment is not None, parsed.problems
    assert shipment.parcels is not None
    assert shipment.parcels[0].weight.value == "1.2"
    assert shipment.items is not None
    assert [(i.name, i.quantity) for i in shipment.items] == [
        ("Computer bag", 1),
        ("Strap", 2),
    ]
    assert shipment.sender is not None
    assert shipment.sender.address is not None
    assert shipment.sender.address.city == "Guangzhou"
    assert shipment.reverse is False


def test_empty_cells_are_absent_and_cells_are_trimmed(tmp_path: Path) -> None:
    """An empty column leaves the field out (no "" values), and spaces around a value do not count."""
    rows = [{"reference": " R-1 ", "carrier": "tiktok_shop", "platform.package_id": "P1", "remark": ""}]
    [parsed] = read_rows(write_csv(tmp_path / "o.csv", rows))
    assert parsed.shipment is not None
    assert parsed.shipment.reference == "R-1"
    assert parsed.shipment.remark is None


def test_row_numbers_are_file_lines_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    """The header is line 1; a quoted cell spanning two lines moves the next row's number on by two."""
    path = tmp_path / "o.csv"
    path.write_text(
        'reference,carrier,platform.package_id,remark\nA,tiktok_shop,P1,"two\nlines"\n,,,\n\nB,tiktok_shop,P2,\n',
        encoding="utf-8",
    )
    assert [(row.number, row.reference) for row in read_rows(path)] == [(2, "A"), (6, "B")]


def test_a_bad_row_names_its_field_paths(tmp_path: Path) -> None:
    """A negative weight and a missing carrier are both reported by field path; the row is not a Shipment."""
    row = {**BAASHIP_ROW, "parcels.0.weight.value": "-1", "carrier": ""}
    [parsed] = read_rows(write_csv(tmp_path / "o.csv", [row]))
    assert parsed.shipment is None
    assert set(parsed.problems) == {"parcels[0].weight.value", "carrier"}
    assert parsed.problems["parcels[0].weight.value"] == "must be a decimal number greater than 0, e.g. 1.25"
    assert parsed.reference == "B-1"


def test_the_default_carrier_fills_empty_carrier_cells(tmp_path: Path) -> None:
    """--carrier's value stands in for a missing carrier, not for a given one."""
    rows = [{"reference": "R-1", "platform.package_id": "P1"}]
    [parsed] = read_rows(write_csv(tmp_path / "o.csv", rows), default_carrier="tiktok_shop")
    assert parsed.shipment is not None
    assert parsed.shipment.carrier == "tiktok_shop"


@pytest.mark.parametrize(
    ("column", "words"),
    [
        ("sender.adress.line1", "is not a field"),
        ("parcels.weight.value", "needs a list index"),
        ("parcels.01.weight.value", "needs a list index"),
        ("sender", "is a group of fields"),
        ("reference.x", "single value"),
    ],
)
def test_a_bad_header_stops_the_whole_file(tmp_path: Path, column: str, words: str) -> None:
    """A column naming no Shipment field is a file problem, found before any row is read."""
    path = write_csv(tmp_path / "o.csv", [{"reference": "R", column: "x"}])
    with pytest.raises(FileProblem, match=words):
        list(read_rows(path))


def test_a_column_twice_is_a_file_problem(tmp_path: Path) -> None:
    """Two columns with one path would silently overwrite each other."""
    path = tmp_path / "o.csv"
    path.write_text("reference,reference\nA,B\n", encoding="utf-8")
    with pytest.raises(FileProblem, match="appears twice"):
        scan_file(path)


def test_list_gaps_and_extra_cells_are_row_problems(tmp_path: Path) -> None:
    """items.1 without items.0 and a row longer than the header are reported for that row only."""
    path = tmp_path / "o.csv"
    path.write_text(
        "reference,carrier,items.0.name,items.1.name\nA,tiktok_shop,,Strap\nB,tiktok_shop,x,y,z\n",
        encoding="utf-8",
    )
    first, second = read_rows(path)
    assert first.problems == {"items[0]": "missing, but items[1] is given (lists start at 0)"}
    assert "3" not in second.problems
    assert "5 cells but the header has 4 columns" in second.problems[""]


def test_jsonl_rows_are_shipments_with_their_line_numbers(tmp_path: Path) -> None:
    """One JSON object a line; bad JSON and non-objects are row problems; blank lines are skipped."""
    path = tmp_path / "o.jsonl"
    good = {"reference": "J-1", "carrier": "tiktok_shop", "platform": {"package_id": "P1"}}
    path.write_text(
        f'{json.dumps(good)}\n\n{{"reference": \n[1, 2]\n{json.dumps({**good, "parcels": []})}\n',
        encoding="utf-8",
    )
    rows = list(read_rows(path))
    assert [row.number for row in rows] == [1, 3, 4, 5]
    assert rows[0].shipment is not None
    assert rows[0].shipment.reference == "J-1"
    assert rows[1].problems[""].startswith("invalid JSON")
    assert rows[2].problems == {"": "expected a JSON object (a Shipment), got an array"}
    assert list(rows[3].problems) == ["parcels"]


def test_scan_counts_rows_and_collects_carriers(tmp_path: Path) -> None:
    """The first pass sees every row and the carriers they name (the default for empty cells)."""
    rows = [{"reference": "A", "carrier": "baaship"}, {"reference": "B", "carrier": ""}]
    scan = scan_file(write_csv(tmp_path / "o.csv", rows), default_carrier="deftship")
    assert (scan.rows, scan.carriers) == (2, frozenset({"baaship", "deftship"}))


def test_other_suffixes_and_broken_files_are_file_problems(tmp_path: Path) -> None:
    """Only .csv and .jsonl are read; a file that is not UTF-8 stops before anything ships."""
    with pytest.raises(FileProblem, match=r"\.csv or \.jsonl"):
        scan_file(tmp_path / "orders.xlsx")
    broken = tmp_path / "o.jsonl"
    broken.write_bytes(b'{"reference": "A"}\n\xff\xfe\n')
    with pytest.raises(FileProblem, match=r"line 2: byte 0xFF .* is not UTF-8"):
        scan_file(broken)


def test_rows_are_streamed_not_loaded(tmp_path: Path) -> None:
    """Reading 3,000 rows holds about one row at a time: the peak stays far below the file's size."""
    path = tmp_path / "big.csv"
    template = {**BAASHIP_ROW, "remark": "x" * 2000}
    write_csv(path, [{**template, "reference": f"R-{n}"} for n in range(3_000)])
    list(read_rows(write_csv(tmp_path / "warm.csv", [BAASHIP_ROW])))  # caches (schema, validators) first
    tracemalloc.start()
    count = sum(1 for row in read_rows(path) if row.shipment is not None)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 3_000
    assert peak < path.stat().st_size / 20
