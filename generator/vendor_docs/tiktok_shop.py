"""TikTok Shop's Batch Ship Packages page: Query and Body tables (``parent.child`` rows), error code table."""

from __future__ import annotations

import re

from .facts import Container, DocField, DocOperation, Location, VendorDocError, error_rows, section


def _rows(table: str, location: Location, what: str) -> list[DocField]:
    fields: list[DocField] = []
    for line in table.splitlines():
        if not line.startswith("|") or re.match(r"\|\s*(Properties|-+)\s*\|", line):
            continue
        cells = line.split("|")
        name = re.search(r"`([\w.]+)`", cells[1])
        kind = re.search(r"`([^`]+)`", cells[2]) if len(cells) > 2 else None
        if name is None or kind is None:
            raise VendorDocError(f"{what}: unrecognised row {line[:80]!r}", at=line)
        parts = name.group(1).split(".")
        path = tuple(parts)
        if len(parts) > 1:  # "parent.child": parent is the latest field named like that
            parents = [f.path for f in fields if f.path[-1] == parts[0]]
            if len(parts) != 2 or not parents:
                raise VendorDocError(f"{what}: no parent for {name.group(1)!r}", at=line)
            path = (*parents[-1], parts[1])
        kind_text = kind.group(1)
        container: Container | None = (
            "array" if "[]" in kind_text else "object" if "object" in kind_text else None
        )
        required = re.search(r"\bRequired\b", cells[1]) is not None
        fields.append(DocField(path, location, required, container=container))
    if not fields:
        raise VendorDocError(f"{what}: no {location} rows")
    return fields


def parse_tiktok(text: str) -> list[DocOperation]:
    """Parse the TikTok Shop doc into its one operation."""
    what = "tiktok_shop"
    url = re.search(r"## URL\s+`(POST|GET|PUT|DELETE) (/\S+)`", text)
    if url is None:
        raise VendorDocError(f"{what}: URL line not found")
    query = _rows(section(text, "### Query", "### Body", what), "query", what)
    body = _rows(section(text, "### Body", "## Examples", what), "body", what)
    errors = section(text, "## Error Codes", None, what).splitlines()
    header = next((i for i, line in enumerate(errors) if re.match(r"-+\|-+", line)), None)
    if header is None:
        raise VendorDocError(f"{what}: error code table header not found", at="## Error Codes")
    codes = error_rows(errors[header + 1 :], r"(\d+) \| (.+)", what)
    return [DocOperation(what, url.group(1), url.group(2), tuple(query + body), codes)]
