"""Baaship's API page: one section per endpoint (``Request URL: host:/name``) with a request table whose rows
the dump wraps over several lines, objects nested as the JSON example shows, and an error code table.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .facts import Container, DocField, DocOperation, Location, VendorDocError, error_rows, required_flag

_TABLE = "Parameter Name | Description | Required | Data Type | Field Length |"
_NAMELESS = {r"(Sender|Recipient)'s email": "email"}  # rows whose name cell the dump dropped


def _cells(lines: list[str], what: str) -> tuple[list[tuple[list[str], str]], int]:
    """Join wrapped rows into lists of 5 cells (each with its first line); return them and the end index."""
    rows: list[tuple[list[str], str]] = []
    pending: list[str] = []
    first = ""
    index = len(lines)
    for number, line in enumerate(lines):
        if "|" not in line:
            index = number
            break
        cells = [c.strip() for c in line.rstrip().removesuffix("|").split("|")]
        first = first if pending else line
        pending.extend(cells)
        if len(pending) == 5:
            rows.append((pending, first))
            pending = []
        elif len(pending) > 5:
            raise VendorDocError(f"{what}: row with too many cells near {line!r}", at=line)
    if pending:
        raise VendorDocError(f"{what}: unfinished row {pending!r}", at=first)
    return rows, index


def _operation(chunk: str) -> DocOperation:
    lines = chunk.splitlines()
    name = lines[0].strip()
    what = f"baaship /{name}"
    method = re.fullmatch(r"Request Method: (GET|POST)", lines[1].strip()) if len(lines) > 1 else None
    if method is None or _TABLE not in lines:
        raise VendorDocError(
            f"{what}: method line or request table not found", at=f"Request URL: host:/{lines[0]}"
        )
    start = lines.index(_TABLE) + 2
    rows, end = _cells(lines[start:], what)
    location: Location = "query" if method.group(1) == "GET" else "body"
    example: Any = None
    fields: list[DocField] = []
    parent: tuple[str, ...] = ()
    for cells, row in rows:
        if re.fullmatch(r"(?i)yes|no", cells[1]) and cells[4] == "":  # name cell missing
            alias = next((v for k, v in _NAMELESS.items() if re.fullmatch(k, cells[0])), None)
            if alias is None:
                raise VendorDocError(f"{what}: nameless row {cells!r}", at=row)
            cells = [alias, *cells[:4]]
        field_name, _, required_cell, kind, length = cells
        if not re.fullmatch(r"[a-zA-Z]\w*", field_name):
            raise VendorDocError(f"{what}: bad field name in {cells!r}", at=row)
        required, conditional = required_flag(required_cell, f"{what} {field_name}", row)
        if re.search(r"(?i)choose one of them", cells[1]):  # getShipmentLabel: waybill or referenceNo
            required, conditional = False, True
        container: Container | None = None
        if kind == "Object" or kind.startswith("Array["):
            container = "object" if kind == "Object" else "array"
            if example is None:
                example = _example("\n".join(lines[start + end :]), what, row)
            parent = _key_path(example, field_name, what, row)[:-1]
        elif not re.fullmatch(r"String|Number", kind) or not length.isdigit():
            raise VendorDocError(f"{what}: unrecognised type/length in {cells!r}", at=row)
        path = (*parent, field_name)
        fields.append(
            DocField(path, location, required, conditional, int(length) if length else None, container)
        )
        if container is not None:
            parent = path
    after = lines[start + end :]
    header = next((i for i, line in enumerate(after) if line.startswith("Error Code | Error Desc")), None)
    if header is None:
        raise VendorDocError(f"{what}: error code table not found", at=f"Request URL: host:/{lines[0]}")
    codes = error_rows(after[header + 2 :], r"(\d+) \| (.+?) \|", what)
    return DocOperation("baaship", method.group(1), f"/{name}", tuple(fields), codes)


def _example(text: str, what: str, row: str) -> Any:
    """The request example after the table: the first JSON value in the text."""
    brace = text.find("{")
    try:
        return json.JSONDecoder().raw_decode(text[brace:])[0] if brace >= 0 else None
    except json.JSONDecodeError as exc:
        raise VendorDocError(f"{what}: the request example is not JSON ({exc.msg})", at=row) from exc


def _key_path(node: Any, key: str, what: str, row: str) -> tuple[str, ...]:
    """Path of dict keys (lists are transparent) to the first ``key`` in a JSON example."""
    if isinstance(node, list):
        for item in node:
            try:
                return _key_path(item, key, what, row)
            except VendorDocError:
                continue
    elif isinstance(node, dict):
        if key in node:
            return (key,)
        for name, value in node.items():
            try:
                return (name, *_key_path(value, key, what, row))
            except VendorDocError:
                continue
    raise VendorDocError(f"{what}: object {key!r} not found in the request example", at=row)


def parse_baaship(text: str) -> list[DocOperation]:
    """Parse the Baaship doc into one operation per endpoint section."""
    chunks = re.split(r"^Request URL: host:/", text, flags=re.MULTILINE)
    if len(chunks) < 2:
        raise VendorDocError("baaship: no 'Request URL: host:/' sections")
    return [_operation(chunk) for chunk in chunks[1:]]
