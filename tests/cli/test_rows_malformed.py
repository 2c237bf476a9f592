"""Malformed input files: every row is either read (once, in both passes) or the whole file is refused,
naming the line; no row disappears into another one."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console
from shipspec.cli import main, rows
from shipspec.cli.rows import FileProblem, read_rows, scan_file
from shipspec.cli.ship import ship_file

from .support import BAASHIP_ROW, FakeShipper, read_results, write_csv

SMALL = ["reference", "carrier", "remark", "items.0.name"]


def small_csv(path: Path, *lines: str) -> Path:
    """A CSV with the SMALL header and the given raw lines, exactly as written (quotes included)."""
    path.write_text(",".join(SMALL) + "\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def unclosed_quote(tmp_path: Path) -> Path:
    """The reviewer's file: Q-1, then Q-2 whose item name opens a quote it never closes, then Q-3."""
    return small_csv(tmp_path / "quote.csv", "Q-1,baaship,,Bag", 'Q-2,baaship,,"Comp', "Q-3,baaship,,Strap")


def test_an_unclosed_quote_refuses_the_file_naming_the_row_it_starts_on(tmp_path: Path) -> None:
    """Q-3 used to vanish into Q-2's item name (2 rows counted, Q-2 failing on a missing quantity)."""
    path = unclosed_quote(tmp_path)
    for read in (scan_file, lambda p: list(read_rows(p))):
        with pytest.raises(FileProblem) as raised:
            read(path)
        assert "row starting on line 3 opens a quoted cell that is never closed" in str(raised.value)
        assert str(raised.value).startswith("quote.csv: ")


def test_an_unclosed_quote_ships_nothing_and_the_command_exits_2(tmp_path: Path) -> None:
    """The first pass refuses the file: no shipper is called, no results file is written, no traceback."""
    path = unclosed_quote(tmp_path)
    fake = FakeShipper("baaship")
    out = tmp_path / "r.csv"
    with pytest.raises(FileProblem):
        ship_file(path, out=out, shippers={"baaship": fake}, settings={}, console=Console(file=io.StringIO()))
    assert fake.shipped == []
    assert not out.exists()
    result = CliRunner().invoke(main, ["ship", str(path), "--no-progress"], env={}, catch_exceptions=False)
    assert result.exit_code == 2
    assert "line 3" in result.stderr
    assert "never closed" in result.stderr
    assert "Traceback" not in result.output


def test_a_quote_that_closes_rows_too_late_refuses_the_file(tmp_path: Path) -> None:
    """Q-4's opening quote closes Q-2's open one and text follows it: the rows cannot be told apart."""
    path = small_csv(
        tmp_path / "o.csv",
        "Q-1,baaship,,Bag",
        'Q-2,baaship,,"Comp',
        "Q-3,baaship,,Case",
        'Q-4,baaship,,"Strap"',
    )
    with pytest.raises(FileProblem, match=r"line 5: text follows a closing quote.* row starting on line 3"):
        scan_file(path)


def test_a_row_merged_over_lines_with_too_many_cells_refuses_the_file(tmp_path: Path) -> None:
    """A stray quote in Q-2's remark and another in Q-3's reference merge the two rows into six cells."""
    path = small_csv(tmp_path / "o.csv", 'Q-2,baaship,"oops,Bag', 'Q-3",baaship,,Strap', "Q-4,baaship,,Box")
    with pytest.raises(FileProblem, match=r"row starting on line 2 runs to line 3 and has 6 cells"):
        scan_file(path)


def test_a_row_with_an_extra_cell_keeps_its_reference_and_carrier(tmp_path: Path) -> None:
    """EX-1's result line names EX-1 and baaship (it was written with both empty, counted under "(none)")."""
    path = write_csv(
        tmp_path / "o.csv", [{**BAASHIP_ROW, "reference": "EX-1"}, {**BAASHIP_ROW, "reference": "EX-2"}]
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1] + ",surplus", lines[2]]) + "\n", encoding="utf-8")
    bad, _ = read_rows(path)
    assert (bad.reference, bad.carrier, bad.shipment) == ("EX-1", "baaship", None)
    assert bad.problems == {"": f"{len(BAASHIP_ROW) + 1} cells but the header has {len(BAASHIP_ROW)} columns"}
    fake = FakeShipper("baaship")
    out = tmp_path / "r.csv"
    tally = ship_file(
        path, out=out, shippers={"baaship": fake}, settings={}, console=Console(file=io.StringIO())
    )
    assert fake.shipped == ["EX-2"]
    assert (tally.count("failed", "baaship"), tally.count("shipped", "baaship"), tally.total) == (1, 1, 2)
    results = {row["reference"]: (row["carrier"], row["status"], row["row"]) for row in read_results(out)}
    assert results == {"EX-1": ("baaship", "failed", "2"), "EX-2": ("baaship", "shipped", "3")}


def test_a_list_gap_keeps_the_reference_and_carrier_too(tmp_path: Path) -> None:
    """items.1 without items.0 is a row problem; the row still says which shipment it was."""
    path = tmp_path / "gap.csv"
    path.write_text("reference,carrier,items.1.name\nG-1,baaship,Strap\n", encoding="utf-8")
    [row] = read_rows(path)
    assert (row.reference, row.carrier, row.shipment) == ("G-1", "baaship", None)
    assert list(row.problems) == ["items[0]"]


def lines_with_bad_byte(path: Path, count: int, bad_line: int) -> Path:
    """``count`` Baaship rows, with byte 0xE9 (Latin-1 "é") in the item name on file line ``bad_line``."""
    write_csv(path, [{**BAASHIP_ROW, "reference": f"L-{n}"} for n in range(count)])
    lines = path.read_bytes().splitlines(keepends=True)
    lines[bad_line - 1] = lines[bad_line - 1].replace(b"Computer bag", b"Computer b\xe9g")
    path.write_bytes(b"".join(lines))
    return path


@pytest.mark.parametrize(("count", "bad_line"), [(300, 202), (1, 2), (5, 6)])
def test_a_byte_that_is_not_utf8_is_reported_on_its_own_line(
    tmp_path: Path, count: int, bad_line: int
) -> None:
    """Line 202 used to be "unreadable after row 181" and row 2 of a Latin-1 file an "unreadable header"."""
    path = lines_with_bad_byte(tmp_path / "o.csv", count, bad_line)
    for read in (scan_file, lambda p: list(read_rows(p))):
        with pytest.raises(FileProblem) as raised:
            read(path)
        assert str(raised.value).startswith(f"o.csv: line {bad_line}: byte 0xE9 (character ")
        assert "is not UTF-8" in str(raised.value)


def test_a_bad_byte_inside_a_multiline_cell_names_the_line_and_its_row(tmp_path: Path) -> None:
    """The row number is the line the row starts on; the bad byte is two lines further down."""
    path = tmp_path / "o.csv"
    path.write_bytes(b'reference,carrier,remark\nA,baaship,"first\nsecond\nthird \xff"\nB,baaship,\n')
    with pytest.raises(FileProblem, match=r"line 4 \(in the row starting on line 2\): byte 0xFF"):
        scan_file(path)


def test_a_bad_byte_in_the_header_is_line_1_and_in_jsonl_its_line(tmp_path: Path) -> None:
    """The header is line 1; JSONL lines count blank ones too."""
    header = tmp_path / "h.csv"
    header.write_bytes(b"reference,carrier,rem\xe4rk\nA,baaship,x\n")
    with pytest.raises(FileProblem, match=r"^h\.csv: line 1: byte 0xE4"):
        scan_file(header)
    lines = tmp_path / "o.jsonl"
    good = json.dumps({"reference": "J", "carrier": "baaship"}).encode()
    lines.write_bytes(good + b"\n\n" + good.replace(b"J", b"J\xe9") + b"\n")
    with pytest.raises(FileProblem, match=r"^o\.jsonl: line 3: byte 0xE9"):
        list(read_rows(lines))


def test_a_cell_over_128_kib_is_read_as_jsonl_would_and_the_csv_limit_is_given_back(tmp_path: Path) -> None:
    """csv's default 128 KiB limit refused the whole file; it is raised only while our reader parses."""
    remark = "x" * 200_000
    before = csv.field_size_limit()
    [row] = read_rows(write_csv(tmp_path / "o.csv", [{**BAASHIP_ROW, "remark": remark}]))
    assert row.shipment is not None, row.problems
    assert row.shipment.remark == remark
    jsonl = tmp_path / "o.jsonl"
    jsonl.write_text(json.dumps({"reference": "B-1", "carrier": "baaship", "remark": remark}) + "\n")
    [twin] = read_rows(jsonl)
    assert twin.shipment is not None
    assert twin.shipment.remark == remark
    assert csv.field_size_limit() == before


def test_a_cell_over_the_documented_bound_refuses_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_CELL_CHARS the reader cannot tell where the row ends, so the file is refused, naming it."""
    monkeypatch.setattr(rows, "MAX_CELL_CHARS", 1_000)
    path = small_csv(tmp_path / "o.csv", "A,baaship,,Bag", f"B,baaship,{'x' * 1_001},Bag")
    with pytest.raises(FileProblem, match="row starting on line 3 has a cell over 1,000 characters"):
        scan_file(path)


@pytest.mark.parametrize(
    ("line", "kind"),
    [("null", "null"), ("true", "true"), ('"R-1"', "a string"), ("3.5", "a number"), ("[]", "an array")],
)
def test_a_jsonl_line_that_is_no_object_says_what_it_is_in_json_terms(
    tmp_path: Path, line: str, kind: str
) -> None:
    """`null` used to be "got NoneType": the message speaks JSON, as the file does."""
    path = tmp_path / "o.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    [row] = read_rows(path)
    assert row.problems == {"": f"expected a JSON object (a Shipment), got {kind}"}


def write_raw(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


HEAD = ",".join(SMALL).encode() + b"\n"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(unclosed_quote, "never closed", id="unclosed"),
        pytest.param(
            write_raw("late.csv", HEAD + b'A,baaship,,"Bag\nB,baaship,,"Box"\n'), "text follows", id="late"
        ),
        pytest.param(write_raw("latin.csv", HEAD + b"A,baaship,,B\xe4g\n"), "line 2: byte 0xE4", id="latin"),
        pytest.param(
            write_raw("l.jsonl", b'{"reference": "A"}\n"\xe4"\n'), "line 2: byte 0xE4", id="latin-jsonl"
        ),
        pytest.param(
            write_raw("m.csv", HEAD + b'A,baaship,"two\nlines",Bag\n,,,\n\nB,baaship,,Bag'), 2, id="multiline"
        ),
        pytest.param(
            write_raw("extra.csv", HEAD + b"A,baaship,,Bag,surplus\nB,baaship,,Bag\n"), 2, id="extra"
        ),
        pytest.param(
            write_raw("crlf.csv", HEAD.replace(b"\n", b"\r\n") + b"A,,,\r\nB,,,Bag\r\n"), 2, id="crlf"
        ),
        pytest.param(write_raw("cr.csv", HEAD.replace(b"\n", b"\r") + b'A,,"x\ry",\rB,,,Bag\r'), 2, id="cr"),
        pytest.param(
            write_raw("o.jsonl", b'{"reference": "A"}\nnull\n\n{"reference": \n[1]\n'), 4, id="jsonl"
        ),
    ],
)
def test_the_scan_and_the_read_agree_on_every_file(
    tmp_path: Path, make: Callable[[Path], Path], expected: int | str
) -> None:
    """The progress total and the tally come from the two passes: the same rows, or the same refusal."""
    path = make(tmp_path)
    try:
        scanned: int | str = scan_file(path).rows
    except FileProblem as problem:
        scanned = str(problem)
    try:
        read: int | str = len(list(read_rows(path)))
    except FileProblem as problem:
        read = str(problem)
    assert scanned == read
    if isinstance(expected, int):
        assert scanned == expected
    else:
        assert expected in str(scanned)
