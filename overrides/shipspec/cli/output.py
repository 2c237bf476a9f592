"""The results file of ``shipspec ship``: one line per input row, as CSV or JSONL, written as results arrive.

Every line is flushed at once, so after an interruption the file still says what shipped. Text goes
through the redactor first: carrier messages never carry a credential into the file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from shipspec_shipping_models import ShipmentResult

__all__ = ["RESULT_COLUMNS", "RESULT_SUFFIXES", "Outcome", "ResultsWriter", "problem_text", "read_outcomes"]

RESULT_COLUMNS = (
    "reference",
    "carrier",
    "status",
    "tracking_number",
    "label_url",
    "carrier_shipment_id",
    "batch_id",
    "error.kind",
    "error.code",
    "error.message",
    "row",
)
RESULT_SUFFIXES = (".csv", ".jsonl")
SUCCESS = frozenset({"shipped", "already_shipped"})


def problem_text(problems: dict[str, str]) -> str:
    """``path: problem; path: problem`` (a row-wide problem has no path)."""
    return "; ".join(f"{path}: {text}" if path else text for path, text in sorted(problems.items()))


@dataclass(frozen=True)
class Outcome:
    """What happened to one input row: a carrier's result, or the problems that kept the row from shipping."""

    row: int | None
    reference: str
    carrier: str
    status: str
    tracking_number: str | None = None
    label_url: str | None = None
    carrier_shipment_id: str | None = None
    batch_id: str | None = None
    error_kind: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    error_request_id: str | None = None
    problems: tuple[tuple[str, str], ...] = ()  # a bad row's (field path, problem) pairs, for the console

    @property
    def ok(self) -> bool:
        return self.status in SUCCESS

    @classmethod
    def from_result(cls, result: ShipmentResult, row: int | None) -> Outcome:
        error = result.error
        return cls(
            row=row,
            reference=result.reference,
            carrier=result.carrier,
            status=result.status,
            tracking_number=result.tracking_number,
            label_url=result.label_url,
            carrier_shipment_id=result.carrier_shipment_id,
            batch_id=result.batch_id,
            error_kind=None if error is None else error.kind,
            error_code=None if error is None else error.code,
            error_message=None if error is None else error.message,
            error_request_id=None if error is None else error.request_id,
        )

    @classmethod
    def invalid(
        cls, row: int, reference: str | None, carrier: str | None, problems: dict[str, str]
    ) -> Outcome:
        """A row that never reached a carrier: failed, kind ``invalid_request``."""
        return cls(
            row=row,
            reference=reference or "",
            carrier=carrier or "",
            status="failed",
            error_kind="invalid_request",
            error_message=problem_text(problems),
            problems=tuple(sorted(problems.items())),
        )

    def flat(self) -> dict[str, str]:
        """The CSV columns (absent values are empty cells)."""
        values = [
            self.reference,
            self.carrier,
            self.status,
            self.tracking_number,
            self.label_url,
            self.carrier_shipment_id,
            self.batch_id,
            self.error_kind,
            self.error_code,
            self.error_message,
            None if self.row is None else str(self.row),
        ]
        return {column: value or "" for column, value in zip(RESULT_COLUMNS, values, strict=True)}

    def nested(self) -> dict[str, Any]:
        """The JSONL object: the ShipmentResult shape (absent fields left out) plus ``row``."""
        found: dict[str, Any] = {
            key: value for key, value in self.flat().items() if value and "." not in key and key != "row"
        }
        if self.error_kind is not None:
            error = {
                "kind": self.error_kind,
                "code": self.error_code,
                "message": self.error_message or "",
                "request_id": self.error_request_id,
            }
            found["error"] = {key: value for key, value in error.items() if value is not None}
        found["row"] = self.row
        return found


class ResultsWriter:
    """Writes outcomes to a ``.csv`` or ``.jsonl`` file, one flushed line each; a context manager."""

    def __init__(self, path: Path, redact: Callable[[str], str] = lambda text: text) -> None:
        if path.suffix.lower() not in RESULT_SUFFIXES:
            raise ValueError(f"{path.name}: results are written as {' or '.join(RESULT_SUFFIXES)}")
        self.path = path
        self._redact = redact
        self._jsonl = path.suffix.lower() == ".jsonl"
        self._handle: TextIO = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._handle, fieldnames=RESULT_COLUMNS)
        if not self._jsonl:
            self._csv.writeheader()

    def write(self, outcome: Outcome) -> None:
        if self._jsonl:
            line = json.dumps(outcome.nested(), ensure_ascii=False)
            self._handle.write(self._redact(line) + "\n")
        else:
            self._csv.writerow({key: self._redact(value) for key, value in outcome.flat().items()})
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def read_outcomes(path: Path) -> list[Outcome]:
    """Read a results file written by :class:`ResultsWriter` (CSV or JSONL) back into outcomes."""
    outcomes: list[Outcome] = []
    with path.open(encoding="utf-8", newline="") as handle:
        if path.suffix.lower() == ".jsonl":
            rows: list[dict[str, Any]] = []
            for line in handle:
                if line.strip():
                    data = json.loads(line)
                    error = data.get("error") or {}
                    rows.append(
                        {k: v for k, v in data.items() if k != "error"}
                        | {f"error.{k}": v for k, v in error.items()}
                    )
        else:
            rows = list(csv.DictReader(handle))
    for row in rows:
        number = str(row.get("row") or "")
        outcomes.append(
            Outcome(
                row=int(number) if number.isdigit() else None,
                reference=str(row.get("reference") or ""),
                carrier=str(row.get("carrier") or ""),
                status=str(row.get("status") or ""),
                tracking_number=row.get("tracking_number") or None,
                label_url=row.get("label_url") or None,
                carrier_shipment_id=row.get("carrier_shipment_id") or None,
                batch_id=row.get("batch_id") or None,
                error_kind=row.get("error.kind") or None,
                error_code=row.get("error.code") or None,
                error_message=row.get("error.message") or None,
            )
        )
    return outcomes
