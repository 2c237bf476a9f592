"""Shipments from a CSV or JSONL file, read one row at a time: each row becomes a Shipment or its problems.

CSV: the header names each column by its dotted field path in the Shipment model (``reference``,
``sender.address.line1``, ``parcels.0.weight.value``, ``items.1.sku``, ``platform.package_id``); a number
is a list index, counted from 0. An empty cell is an absent field, cells are trimmed, and text becomes
numbers and booleans where the model wants them (``items.0.quantity`` = ``2``, ``reverse`` = ``true``).
A header that names no model field is an error of the whole file (:class:`FileProblem`), so a typo in a
column is found before anything ships. JSONL: one Shipment JSON object per line; blank lines are skipped.

A row's ``number`` is the line it starts on (CSV: the header is line 1, so a spreadsheet shows the same
number; JSONL: the line itself). Problems are keyed by field path, as the CSV columns are named.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from shipspec_shipping_models import Shipment

from ..shipping.results import input_problems

__all__ = ["SUFFIXES", "FileProblem", "Row", "Scan", "check_file", "read_rows", "scan_file"]

SUFFIXES = (".csv", ".jsonl")
ENCODING = "utf-8-sig"  # spreadsheet exports often start with a byte-order mark


class FileProblem(ValueError):
    """The file as a whole cannot be read as shipments (unknown suffix, bad CSV header)."""


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
    """A first, cheap pass over the file: how many rows, and which carriers they name."""

    rows: int
    carriers: frozenset[str]


def check_file(path: Path) -> None:
    """Raise :class:`FileProblem` when the file cannot be read as shipments at all."""
    if path.suffix.lower() not in SUFFIXES:
        raise FileProblem(f"{path.name}: expected a {' or '.join(SUFFIXES)} file")
    if path.suffix.lower() == ".csv":
        try:
            with path.open(encoding=ENCODING, newline="") as handle:
                header = next(csv.reader(handle), [])
        except (csv.Error, UnicodeDecodeError) as error:
            raise FileProblem(f"{path.name}: unreadable header: {error}") from None
        _columns(header, path)


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
    UTF-8 or not well-formed CSV raises :class:`FileProblem` here, before anything is shipped."""
    check_file(path)
    raw = _csv_rows(path) if path.suffix.lower() == ".csv" else _jsonl_rows(path)
    count, carriers = 0, set()
    try:
        for _, data, _ in raw:
            count += 1
            carrier = (data or {}).get("carrier") or default_carrier
            if isinstance(carrier, str):
                carriers.add(carrier)
    except (csv.Error, UnicodeDecodeError) as error:  # the file breaks off: nothing in it is shipped
        raise FileProblem(f"{path.name}: unreadable after row {count}: {error}") from None
    return Scan(count, frozenset(carriers))


def _row(number: int, data: dict[str, Any] | None, problems: dict[str, str]) -> Row:
    reference = (data or {}).get("reference")
    carrier = (data or {}).get("carrier")
    given = reference if isinstance(reference, str) else None
    named = carrier if isinstance(carrier, str) else None
    if data is None or problems:
        return Row(number, None, problems, given, named)
    try:
        return Row(number, Shipment.model_validate(data), {}, given, named)
    except ValidationError as error:
        return Row(number, None, input_problems(error).problems, given, named)


# ---------------------------------------------------------------------------------------------- JSONL


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, dict[str, str]]]:
    with path.open(encoding=ENCODING) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, None, {"": f"invalid JSON: {error.msg} (column {error.colno})"}
                continue
            if not isinstance(data, dict):
                yield number, None, {"": f"expected a JSON object, got {type(data).__name__}"}
                continue
            yield number, data, {}


# ---------------------------------------------------------------------------------------------- CSV


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, dict[str, str]]]:
    with path.open(encoding=ENCODING, newline="") as handle:
        reader = csv.reader(handle)
        columns = _columns(next(reader, []), path)
        start = reader.line_num + 1
        for cells in reader:
            number, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # blank lines and rows of empty cells (spreadsheets export them)
            if len(cells) > len(columns):
                problem = f"{len(cells)} cells but the header has {len(columns)} columns"
                yield number, None, {"": problem}
                continue
            pairs = [
                (path_, cell.strip()) for path_, cell in zip(columns, cells, strict=False) if cell.strip()
            ]
            data, problems = _nest(pairs)
            yield number, data, problems


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


@cache
def _schema() -> dict[str, Any]:
    return Shipment.model_json_schema()


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref`` and step into the non-null branch of ``anyOf`` (optional fields)."""
    while True:
        if "$ref" in node:
            node = _schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            branches = [b for b in node["anyOf"] if b.get("type") != "null"]
            if len(branches) != 1:
                return node
            node = branches[0]
        else:
            return node


def _column_problem(name: str) -> str | None:
    """Why a dotted column path names no single value of a Shipment, or None when it does."""
    node = _resolve(_schema())
    done: list[str] = []
    for segment in name.split("."):
        where = ".".join(done) or "a shipment"
        if node.get("type") == "array":
            if not segment.isdigit() or (segment != "0" and segment.startswith("0")):
                return f"needs a list index after {where} (e.g. {where}.0)"
            node = _resolve(node["items"])
        elif "properties" in node:
            if segment not in node["properties"]:
                return f"is not a field: {where} has {', '.join(node['properties'])}"
            node = _resolve(node["properties"][segment])
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


def _nest(pairs: list[tuple[tuple[str, ...], str]]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Dotted paths and their values → the nested object; numeric segments become lists."""
    tree: dict[str, Any] = {}
    for segments, value in pairs:
        node = tree
        for segment in segments[:-1]:
            node = node.setdefault(segment, {})
        node[segments[-1]] = value
    problems: dict[str, str] = {}
    nested = _listify(tree, "", problems)
    return (nested if not problems else None), problems


def _listify(node: Any, where: str, problems: dict[str, str]) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        indexes = sorted(int(key) for key in node)
        for expected, index in enumerate(indexes):
            if index != expected:
                problems[f"{where}{expected}"] = f"missing, but {where}{index} is given (lists start at 0)"
                break
        return [_listify(node[str(i)], f"{where}{i}.", problems) for i in indexes]
    return {key: _listify(value, f"{where}{key}.", problems) for key, value in node.items()}
