"""The facts a vendor doc states about an operation, and the table readers every doc parser shares.

A parser is a pure function of the doc text. When the text does not have the structure it knows, it raises
:class:`VendorDocError` (carrying the text of the offending line when there is one) instead of returning
fewer facts, so a doc change cannot pass unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Location = Literal["query", "body"]
Container = Literal["object", "array"]


class VendorDocError(ValueError):
    """A vendor doc does not have the structure its parser expects.

    ``at`` is the text of the line the parser stopped at, when there is one; ``line`` is its number (from 1),
    filled in once the whole doc is known (``vendor_docs.parse_doc``).
    """

    def __init__(self, message: str, at: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.at = at
        self.line = line


@dataclass(frozen=True)
class DocField:
    """One documented request field: its path at its nesting (array items are transparent)."""

    path: tuple[str, ...]
    location: Location
    required: bool
    conditional: bool = False  # required only under a condition the doc states
    length: int | None = None
    container: Container | None = None

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class DocOperation:
    """One documented operation: its request fields, error codes with messages and item caps."""

    carrier: str
    method: str
    path: str
    fields: tuple[DocField, ...]
    error_codes: Mapping[int, str]
    max_items: Mapping[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def section(text: str, start: str, end: str | None, what: str) -> str:
    """The text between two markers; a missing marker is a VendorDocError."""
    begin = text.find(start)
    if begin < 0:
        raise VendorDocError(f"{what}: marker {start!r} not found")
    begin += len(start)
    if end is None:
        return text[begin:]
    stop = text.find(end, begin)
    if stop < 0:
        raise VendorDocError(f"{what}: end marker {end!r} not found", at=start)
    return text[begin:stop]


def required_flag(cell: str, what: str, row: str) -> tuple[bool, bool]:
    """Map a Required cell to (required, conditional)."""
    value = cell.strip()
    if re.fullmatch(r"(?i)yes", value):
        return True, False
    if re.fullmatch(r"(?i)no", value):
        return False, False
    if re.fullmatch(r"(?i)yes \(.+\)|no\*", value):
        return False, True
    raise VendorDocError(f"{what}: unknown Required value {value!r}", at=row)


def error_rows(lines: list[str], pattern: str, what: str) -> dict[int, str]:
    """Read an error table's rows (code, message) up to the first line that is not one."""
    codes: dict[int, str] = {}
    for line in lines:
        match = re.fullmatch(pattern, line.strip())
        if match is None:
            break
        code = int(match.group(1))
        if code in codes:
            raise VendorDocError(f"{what}: error code {code} listed twice", at=line)
        codes[code] = match.group(2).strip()
    if not codes:
        raise VendorDocError(f"{what}: error code table is empty", at=lines[0] if lines else None)
    return codes
