"""A typed view of one generated package's tables (error codes, envelope, operations).

Each generated package defines its own dataclasses; the Protocols here describe their common shape so the
runtime handles every carrier the same way without importing one carrier's types for another.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, cast


class ErrorCodeEntry(Protocol):
    @property
    def code(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def short_term(self) -> bool: ...
    def kind_for(self, message: str) -> str: ...


class ErrorMessageEntry(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def message(self) -> str | None: ...
    @property
    def contains(self) -> str | None: ...
    @property
    def data_field(self) -> str | None: ...


class IdempotencyEntry(Protocol):
    @property
    def strategy(self) -> str: ...
    @property
    def key(self) -> str | None: ...
    @property
    def codes(self) -> tuple[int, ...]: ...
    @property
    def via(self) -> str | None: ...


class PartialSuccessEntry(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def item_key(self) -> str: ...


class ParameterEntry(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def required(self) -> bool: ...


class OperationEntry(Protocol):
    @property
    def operation_id(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def idempotency(self) -> IdempotencyEntry: ...
    @property
    def partial_success(self) -> PartialSuccessEntry | None: ...
    @property
    def error_messages(self) -> Sequence[ErrorMessageEntry]: ...
    @property
    def parameters(self) -> Sequence[ParameterEntry]: ...
    @property
    def servers(self) -> tuple[str, ...]: ...
    @property
    def security(self) -> tuple[tuple[str, ...], ...]: ...


class EnvelopeEntry(Protocol):
    @property
    def code(self) -> str | None: ...
    @property
    def success_codes(self) -> tuple[int, ...]: ...
    @property
    def success_flag(self) -> str | None: ...
    @property
    def message(self) -> str | None: ...
    @property
    def request_id(self) -> str | None: ...


@dataclass(frozen=True)
class CarrierTables:
    """The tables of one carrier, loaded from its generated package."""

    carrier: str
    envelope: EnvelopeEntry
    operations: Mapping[str, OperationEntry]
    carrier_codes: Mapping[int, ErrorCodeEntry]
    operation_codes: Mapping[str, Mapping[int, ErrorCodeEntry]]
    # The generated package's answer check (checks.answer_problem): why a decoded 2xx/3xx answer is not the
    # operation's documented success, or None.
    answer_problem: Callable[[str, int, Any], str | None] = field(default=lambda *_: None, compare=False)
    # operation_for's answers by (method, path): every request is matched twice (auth flow, transport), and
    # a client calls few distinct paths. Bounded, since paths with IDs in them are each a new key.
    _matched: dict[tuple[str, str], OperationEntry | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def lookup(self, operation_id: str, code: int) -> ErrorCodeEntry | None:
        """Return the documented entry for a code, preferring the operation's own table."""
        own = self.operation_codes.get(operation_id, {})
        return own.get(code) or self.carrier_codes.get(code)

    def operation_for(self, method: str, path: str) -> OperationEntry | None:
        """Find the operation a request is for, matching path templates segment by segment."""
        key = (method, path)
        try:
            return self._matched[key]
        except KeyError:
            pass
        operation = self._match(method, path)
        if len(self._matched) >= _MATCHED_LIMIT:
            self._matched.clear()
        self._matched[key] = operation
        return operation

    def _match(self, method: str, path: str) -> OperationEntry | None:
        segments = path.rstrip("/").split("/")
        for operation in self.operations.values():
            if operation.method != method.upper():
                continue
            template = operation.path.rstrip("/").split("/")
            if len(template) == len(segments) and all(
                t == s or (t.startswith("{") and t.endswith("}") and s)
                for t, s in zip(template, segments, strict=True)
            ):
                return operation
        return None


_MATCHED_LIMIT = 1024


@cache
def tables_for(carrier: str) -> CarrierTables:
    """Load the tables of a carrier's generated package (``shipspec_<carrier>``)."""
    codes = importlib.import_module(f"shipspec_{carrier}.error_codes")
    checks = importlib.import_module(f"shipspec_{carrier}.checks")
    operations = importlib.import_module(f"shipspec_{carrier}.operations")
    return CarrierTables(
        carrier=carrier,
        envelope=cast(EnvelopeEntry, operations.ENVELOPE),
        operations=cast(Mapping[str, OperationEntry], operations.OPERATIONS),
        carrier_codes=cast(Mapping[int, ErrorCodeEntry], codes.CARRIER_ERROR_CODES),
        operation_codes=cast(Mapping[str, Mapping[int, ErrorCodeEntry]], codes.OPERATION_ERROR_CODES),
        answer_problem=checks.answer_problem,
    )
