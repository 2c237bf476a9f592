"""Ids that go out as JSON int64 numbers (WeChat order and product ids, DeftShip saved address ids).

``str.isdigit`` takes fullwidth and Arabic-Indic digits, which ``int`` then reads as 123, and ``int`` of a
string over 4,300 digits raises a bare ValueError: an id is checked here first, by length and by ASCII.
"""

from __future__ import annotations

from typing import Final

__all__ = ["INT64_MAX", "int64_of"]

INT64_MAX: Final = 2**63 - 1
_INT64_DIGITS: Final = len(str(INT64_MAX))


def int64_of(value: str) -> int | None:
    """The non-negative int64 an id of ASCII digits stands for; None when it is not one."""
    if not value.isascii() or not value.isdigit() or len(value.lstrip("0")) > _INT64_DIGITS:
        return None
    number = int(value)
    return number if number <= INT64_MAX else None
