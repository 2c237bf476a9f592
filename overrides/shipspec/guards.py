"""Make a generated package's spec checks raise shipspec's typed errors.

Each generated package checks every request against its spec before sending and every answer before
parsing (``shipspec_<carrier>.checks``). It cannot import shipspec, so on its own it raises its own
``RequestValidationError`` and ``UnexpectedAnswerError``; ``install`` (run by ``shipspec.wiring.wire``)
makes it raise ``InputError`` (with the field paths) and ``ResponseDecodeError`` instead, so a wired client's
errors all belong to one tree.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache, partial

from .classify import decode_error
from .errors import InputError

__all__ = ["install"]


def _input_error(operation_id: str, problems: Mapping[str, str]) -> InputError:
    return InputError(dict(problems))


@cache
def install(carrier: str) -> None:
    """Have ``shipspec_<carrier>``'s checks raise shipspec's errors (once per carrier)."""
    checks = importlib.import_module(f"shipspec_{carrier}.checks")
    checks.use_errors(_input_error, partial(decode_error, carrier))
