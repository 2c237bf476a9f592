"""Make a generated package's spec checks raise shipspec's typed errors.

Each generated package checks every request against its spec before sending and every answer before
parsing (``shipspec_<carrier>.checks``). It cannot import shipspec, so on its own it raises its own
``RequestValidationError`` and ``UnexpectedAnswerError``. ``install`` (run by ``shipspec.wiring.wire``) makes
it raise errors that are both: an ``InputError`` (with the field paths) that is also the package's
``RequestValidationError``, and a ``ResponseDecodeError`` that is also its ``UnexpectedAnswerError``. A wired
client's errors then all belong to shipspec's tree, and code written against the bare package still
catches what it caught before.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from typing import Any

from .classify import BODY_EXCERPT_CHARS
from .errors import InputError, ResponseDecodeError
from .secrets import redact

__all__ = ["install"]


@cache
def install(carrier: str) -> None:
    """Have ``shipspec_<carrier>``'s checks raise shipspec's errors (once per carrier)."""
    checks = importlib.import_module(f"shipspec_{carrier}.checks")

    class SpecInputError(InputError, checks.RequestValidationError):  # type: ignore[misc, name-defined]
        """A request the spec forbids, refused before sending (shipspec's and the package's type)."""

        def __init__(self, operation_id: str, problems: Mapping[str, str]) -> None:
            InputError.__init__(self, dict(problems))
            self.operation_id = operation_id

    class SpecDecodeError(ResponseDecodeError, checks.UnexpectedAnswerError):  # type: ignore[misc, name-defined]
        """An answer that is not the documented success (shipspec's and the package's type)."""

        def __init__(self, operation_id: str, status_code: int, problem: str, content: bytes) -> None:
            excerpt = redact(content[:BODY_EXCERPT_CHARS].decode("utf-8", "replace"))
            ResponseDecodeError.__init__(
                self,
                problem,
                carrier=carrier,
                operation=operation_id,
                http_status=status_code,
                body_excerpt=excerpt,
            )
            self.operation_id, self.status_code, self.problem = operation_id, status_code, problem

    def request_error(operation_id: str, problems: Mapping[str, str]) -> Any:
        return SpecInputError(operation_id, problems)

    def answer_error(operation_id: str, status_code: int, problem: str, content: bytes) -> Any:
        return SpecDecodeError(operation_id, status_code, problem, content)

    checks.use_errors(request_error, answer_error)
