"""How a bad input is worded: one field path style, and messages a person understands.

Field paths are written the way the carrier mappings report them (``parcels[0].weight.value``), whatever
found the problem (pydantic, a mapping, the CSV reader). pydantic says "String should match pattern
'^(0|[1-9]…'" for a value of the wrong form: the constraint itself lives in ``specs/shipping.yaml``, and
what it means in words lives here, keyed by the pattern (``PATTERN_WORDS``; a test checks that every pattern
of the spec has its words, so a new constraint cannot fall back to showing a regular expression).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from pydantic import ValidationError

from ..errors import InputError

__all__ = ["PATTERN_WORDS", "field_path", "input_problems", "problem_words"]

# Control and bidirectional-override characters, as the spec's Text and Identifier patterns exclude them.
_UNPRINTABLE: Final = r"\x00-\x1F\x7F\u0085\u2028\u2029\u202A-\u202E\u2066-\u2069"

PATTERN_WORDS: Final[dict[str, str]] = {
    r"^(0|[1-9][0-9]*)(\.[0-9]+)?$": "must be a decimal number of 0 or more, e.g. 29.90",
    r"^([1-9][0-9]*(\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)$": "must be a decimal number greater than 0, e.g. 1.25",
    r"^[A-Z]{2}$": "must be a two-letter ISO 3166-1 country code in capitals, e.g. US",
    r"^[A-Z]{3}$": "must be a three-letter ISO 4217 currency code in capitals, e.g. USD",
    r"^[0-9]{1,19}$": "must be an id of 1 to 19 digits, e.g. 1152921504606846977",
    r"^\+?[0-9][0-9 ().-]*[0-9]$": "must be a phone number: digits, spaces, ( ) . - and a leading +",
    r"^[^@\s]+@[^@\s]+$": "must be an email address, e.g. name@example.com",
    r"^[A-Z0-9_]+$": "must be capital letters, digits and _ only, e.g. VAT",
    r"^[0-9]{6,10}$": "must be a tariff code of 6 to 10 digits, e.g. 420212",
    r"^https?://\S+$": "must be a web address starting with http:// or https://",
    r"^[!-~]+$": "must be printable ASCII without spaces, e.g. ORDER-1001",
    rf"^[^{_UNPRINTABLE}]*[^\s{_UNPRINTABLE}][^{_UNPRINTABLE}]*$": (
        "must have a visible character and no control or direction-override characters"
    ),
    rf"^[^\s{_UNPRINTABLE}]+$": "must be 1 to 64 characters without spaces or control characters, e.g. A-1",
}
"""Each pattern of ``specs/shipping.yaml`` → what a value must look like, in words."""

# pydantic's own wording that reads badly out of context, by error type.
_TYPE_WORDS: Final[dict[str, str]] = {
    "extra_forbidden": "is not a field here (check the spelling)",
    "missing": "is required",
}


def field_path(loc: Sequence[str | int]) -> str:
    """``("parcels", 0, "weight")`` → ``parcels[0].weight``."""
    path = ""
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def problem_words(error: Any) -> str:
    """One pydantic error (an ``ErrorDetails``) in words."""
    kind = error["type"]
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return PATTERN_WORDS.get(pattern, "is not in the expected form")
    return _TYPE_WORDS.get(kind, str(error["msg"]))


def input_problems(error: ValidationError) -> InputError:
    """Turn pydantic's errors into an InputError keyed by field path (``parcels[0].weight.value``)."""
    return InputError({field_path(item["loc"]) or "shipment": problem_words(item) for item in error.errors()})
