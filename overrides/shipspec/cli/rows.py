"""Shipments from a CSV or JSONL file, read one row at a time: each row becomes a Shipment or its problems.

CSV: the header names each column by its dotted field path in the Shipment model (``reference``,
``sender.address.line1``, ``parcels.0.weight.value``, ``items.1.sku``, ``platform.package_id``); a number
is a list index, counted from 0. An empty cell is an absent field, cells are trimmed, and text becomes
numbers and booleans where the model wants them (``items.0.quantity`` = ``2``, ``reverse`` = ``true``).
A header that names no model field is an error of the whole file (:class:`FileProblem`), so a typo in a
column is found before anything ships. JSONL: one Shipment JSON object per line; blank lines are skipped;
numbers are read exactly (``1.10`` stays ``"1.10"``, see ``shipping.coercion``).

A row's ``number`` is the line it starts on (CSV: the header is line 1, so a spreadsheet shows the same
number; JSONL: the line itself). Problems are keyed by field path in the model's style (``parcels[0].weight``,
``shipping.problems``), the style every message uses.

A file whose rows cannot be told apart reliably is refused whole (:class:`FileProblem`, naming the line),
from the first pass, before anything ships: a byte that is not UTF-8; a quoted CSV cell that is never closed
(it would swallow every later row) or that has text after its closing quote (``"Comp"uter``: the quotes do
not pair up); a row spanning several lines with more cells than the header (a quote closed rows too late);
a CSV cell over :data:`MAX_CELL_CHARS`. A single-line CSV row with too many cells fails on its own, keeping
the reference and carrier its leading cells give.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError
from shipspec_shipping_models import Shipment

from ..shipping.coercion import model_schema, resolve, with_numbers_as_text
from ..shipping.problems import field_path
from ..shipping.results import input_problems

__all__ = [
    "MAX_CELL_CHARS",
    "SUFFIXES",
    "FileProblem",
    "Row",
    "Scan",
    "check_file",
    "read_rows",
    "scan_file",
]

SUFFIXES = (".csv", ".jsonl")
ENCODING = "utf-8-sig"  # spreadsheet exports often start with a byte-order mark
# The csv module's default (128 KiB) refused a whole file for one long cell that JSONL takes; this bound only
# keeps a runaway cell from filling memory.
MAX_CELL_CHARS = 16 * 1024 * 1024
# Files are decoded with errors="surrogateescape": a byte that is not UTF-8 becomes one of these characters
# in its own line, so it is reported with that line (the text layer decodes 8 KiB ahead, rows too early).
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


class FileProblem(ValueError):
    """The file as a whole cannot be read as shipments (unknown suffix, bad CSV header, a byte that is not
    UTF-8, CSV quotes that do not pair up): nothing in it is shipped."""


@dataclass(frozen=True)
class Row:
    """One row of the file: its Shipment, or the problems (field path → what is wrong) that stop it."""

    number: int
    shipment: Shipment | None
    problems: dict[str, str] = field(default_factory=dict)
    reference: str | None = None  # as the row gives it, also when the row is invalid
    carrier: str | None = None


@dataclass(frozen=True)
class Scan:
    """A first, cheap pass over the file: how many rows, which carriers they name, and how many rows each."""

    rows: int
    carriers: frozenset[str]
    per_carrier: Mapping[str, int] = field(default_factory=dict)


def check_file(path: Path) -> None:
    """Raise :class:`FileProblem` when the file cannot be read as shipments at all."""
    if path.suffix.lower() not in SUFFIXES:
        raise FileProblem(f"{path.name}: expected a {' or '.join(SUFFIXES)} file")
    if path.suffix.lower() == ".csv":
        with _open(path, newline="") as handle:
            header = next(_records(handle, path.name), (1, 1, []))
        _columns(header[2], path)


def read_rows(path: Path, *, default_carrier: str | None = None) -> Iterator[Row]:
    """Yield each row of a CSV or JSONL file as it is read (the file is never held in memory)."""
    check_file(path)
    raw = _csv_rows(path) if path.suffix.lower() == ".csv" else _jsonl_rows(path)
    for number, data, problems in raw:
        if data is not None and default_carrier is not None and not data.get("carrier"):
            data["carrier"] = default_carrier
        yield _row(number, data, problems)


def scan_file(path: Path, *, default_carrier: str | None = None) -> Scan:
    """Count the rows and collect the carriers they name, without validating them; a file that is not
    UTF-8 or whose rows cannot be told apart raises :class:`FileProblem` here, before anything is shipped.

    It reads the rows exactly as :func:`read_rows` does, so both passes count the same rows."""
    check_file(path)
    raw = _csv_rows(path) if path.suffix.lower() == ".csv" else _jsonl_rows(path)
    count, per_carrier = 0, Counter[str]()
    for _, data, _ in raw:
        count += 1
        carrier = (data or {}).get("carrier") or default_carrier
        if isinstance(carrier, str):
            per_carrier[carrier] += 1
    return Scan(count, frozenset(per_carrier), dict(per_carrier))


def _row(number: int, data: dict[str, Any] | None, problems: dict[str, str]) -> Row:
    reference = (data or {}).get("reference")
    carrier = (data or {}).get("carrier")
    given = reference if isinstance(reference, str) else None
    named = carrier if isinstance(carrier, str) else None
    if data is None or problems:  # a bad row still names its reference and carrier when it gives them
        return Row(number, None, problems, given, named)
    try:
        return Row(number, Shipment.model_validate(with_numbers_as_text(data)), {}, given, named)
    except ValidationError as error:
        return Row(number, None, input_problems(error).problems, given, named)


# ---------------------------------------------------------------------------------------------- lines


def _open(path: Path, *, newline: str | None = None) -> TextIO:
    return path.open(encoding=ENCODING, errors="surrogateescape", newline=newline)


class _Lines:
    """A text file's lines, counted as they are read; a byte that is not UTF-8 stops the file at its line."""

    def __init__(self, handle: TextIO, name: str) -> None:
        self._handle = handle
        self._name = name
        self.number = 0  # lines read so far: the last one read is this line
        self.row = 0  # the line the current row starts on, when it can span lines (CSV)
        self.ended = False  # the file has no more lines

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._handle)
        except StopIteration:
            self.ended = True
            raise
        self.number += 1
        bad = _NOT_UTF8.search(line)
        if bad is not None:
            where = f"line {self.number}"
            if self.row and self.row != self.number:
                where += f" (in the row starting on line {self.row})"
            byte = ord(bad.group()) - 0xDC00
            raise FileProblem(
                f"{self._name}: {where}: byte 0x{byte:02X} (character {bad.start() + 1}) is not UTF-8;"
                " save the file as UTF-8"
            )
        return line


# ---------------------------------------------------------------------------------------------- JSONL


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, dict[str, str]]]:
    with _open(path) as handle:
        lines = _Lines(handle, path.name)
        for line in lines:
            if not line.strip():
                continue
            # Without its line ending: json counts the "\n" as a line of its own, so a line that stops early
            # was reported at "column 1" (of that second line) instead of where it stops.
            text = line.rstrip("\r\n")
            try:
                data = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
            except json.JSONDecodeError as error:
                where = "at the end of the line, " if error.pos >= len(text) else ""
                yield lines.number, None, {"": f"invalid JSON: {error.msg} ({where}column {error.colno})"}
                continue
            if not isinstance(data, dict):
                problem = f"expected a JSON object (a Shipment), got {_json_kind(data)}"
                yield lines.number, None, {"": problem}
                continue
            yield lines.number, data, {}


def _json_kind(value: object) -> str:
    """A parsed JSON value's kind as JSON names it (not Python's NoneType, list …)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float | Decimal):
        return "a number"
    return "a string" if isinstance(value, str) else "an array"


# ---------------------------------------------------------------------------------------------- CSV


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, dict[str, str]]]:
    with _open(path, newline="") as handle:
        records = _records(handle, path.name)
        columns = _columns(next(records, (1, 1, []))[2], path)
        for first, last, cells in records:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines and rows of empty cells (spreadsheets export them)
            extra = len(cells) > len(columns)
            if extra and last > first:  # a quote that closed late merged rows: later rows would vanish
                raise FileProblem(
                    f"{path.name}: the row starting on line {first} runs to line {last} and has "
                    f"{len(cells)} cells but the header has {len(columns)} columns: a quoted cell in it "
                    "probably lacks its closing quote"
                )
            # zip stops at the header's end: the leading cells still give the row's reference and carrier
            pairs = [(name, cell.strip()) for name, cell in zip(columns, cells, strict=False) if cell.strip()]
            data, problems = _nest(pairs)
            if extra:
                problems = {"": f"{len(cells)} cells but the header has {len(columns)} columns"}
            yield first, data, problems


def _records(handle: TextIO, name: str) -> Iterator[tuple[int, int, list[str]]]:
    """Each CSV record as (first line, last line, cells); :class:`FileProblem` where quoting breaks down.

    Strict mode makes a quote left open an error instead of one cell that takes in the rest of the file."""
    lines = _Lines(handle, name)
    reader = csv.reader(lines, strict=True)
    while True:
        first = lines.row = lines.number + 1
        # The limit is process-wide: raise it only while this reader parses, then give back the caller's.
        limit = csv.field_size_limit(MAX_CELL_CHARS)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileProblem(f"{name}: {_quoting_problem(first, lines, error)}") from None
        finally:
            csv.field_size_limit(limit)
        yield first, lines.number, cells


def _quoting_problem(first: int, lines: _Lines, error: csv.Error) -> str:
    if lines.ended:  # strict mode's "unexpected end of data": only an open quote reaches the end
        return (
            f"the row starting on line {first} opens a quoted cell that is never closed (it runs to the end "
            f"of the file, line {lines.number}), so the rows after it cannot be told apart; close the quote "
            'or write a quote inside a quoted cell as ""'
        )
    if "field limit" in str(error):
        return (
            f"the row starting on line {first} has a cell over {MAX_CELL_CHARS:,} characters, the most a "
            "CSV cell may hold"
        )
    if "expected after" in str(error):
        opened = ""
        if first != lines.number:  # the row spans lines: the quote that pairs wrongly may be far above
            opened = f"a quote opened in the row starting on line {first} may be closed only here; "
        return (
            f"line {lines.number}: text follows a closing quote, so the quotes do not pair up ({opened}a "
            'quoted cell must end at its closing quote, and a quote inside it is written "")'
        )
    return f"line {lines.number}: not a well-formed CSV row: {error}"


def _columns(header: list[str], path: Path) -> list[tuple[str, ...]]:
    """The header's column paths, checked against the Shipment model."""
    names = [name.strip() for name in header]
    if not any(names):
        raise FileProblem(f"{path.name}: the first line must be a header of field paths (reference, …)")
    problems = []
    seen: set[str] = set()
    for index, name in enumerate(names, start=1):
        if name in seen:
            problems.append(f"column {index} ({name}) appears twice")
        seen.add(name)
        problem = _column_problem(name) if name else "has no name"
        if problem is not None:
            problems.append(f"column {index} ({name or '-'}) {problem}")
    if problems:
        raise FileProblem(f"{path.name}: bad header: " + "; ".join(problems))
    return [tuple(name.split(".")) for name in names]


def _column_problem(name: str) -> str | None:
    """Why a dotted column path names no single value of a Shipment, or None when it does."""
    node = resolve(model_schema())
    done: list[str] = []
    for segment in name.split("."):
        where = ".".join(done) or "a shipment"
        if node.get("type") == "array":
            if not segment.isdigit() or (segment != "0" and segment.startswith("0")):
                return f"needs a list index after {where} (e.g. {where}.0)"
            node = resolve(node["items"])
        elif "properties" in node:
            if segment not in node["properties"]:
                return f"is not a field: {where} has {', '.join(node['properties'])}"
            node = resolve(node["properties"][segment])
        else:
            return f"goes below {where}, which is a single value"
        done.append(segment)
    if "properties" in node or node.get("type") == "array":
        return "is a group of fields: name one of its fields (e.g. " + _example(name, node) + ")"
    return None


def _example(name: str, node: Mapping[str, Any]) -> str:
    if node.get("type") == "array":
        return f"{name}.0…"
    return f"{name}.{next(iter(node['properties']))}"


def _nest(pairs: list[tuple[tuple[str, ...], str]]) -> tuple[dict[str, Any], dict[str, str]]:
    """Dotted paths and their values → the nested object (numeric segments become lists) and its problems;
    the object is returned with problems too, for the reference and carrier a bad row still gives."""
    tree: dict[str, Any] = {}
    for segments, value in pairs:
        node = tree
        for segment in segments[:-1]:
            node = node.setdefault(segment, {})
        node[segments[-1]] = value
    problems: dict[str, str] = {}
    nested: dict[str, Any] = _listify(tree, (), problems)
    return nested, problems


def _listify(node: Any, where: tuple[str | int, ...], problems: dict[str, str]) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        indexes = sorted(int(key) for key in node)
        for expected, index in enumerate(indexes):
            if index != expected:
                given = field_path((*where, index))
                problems[field_path((*where, expected))] = f"missing, but {given} is given (lists start at 0)"
                break
        return [_listify(node[str(i)], (*where, i), problems) for i in indexes]
    return {key: _listify(value, (*where, key), problems) for key, value in node.items()}
