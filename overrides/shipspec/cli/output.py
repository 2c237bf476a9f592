"""The results file of ``shipspec ship``: one line per input row, as CSV or JSONL, written as results arrive.

Every line is flushed at once, so after an interruption the file still says what shipped. Carrier messages
go through the redactor first, so they never carry a credential into the file; the identifying columns
(reference, tracking number, label URL, ids) are written as they are, since a re-run matches rows by them.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from shipspec_shipping_models import ShipmentResult

__all__ = [
    "RESULT_COLUMNS",
    "RESULT_SUFFIXES",
    "NotAResultsFile",
    "Outcome",
    "ResultsNotWritable",
    "ResultsWriter",
    "problem_text",
    "read_outcomes",
    "write_whole",
]

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
STATUSES = frozenset({*SUCCESS, "failed", "pending"})
REDACTED_COLUMN = "error.message"  # the one column of free text a carrier wrote


class NotAResultsFile(ValueError):
    """An existing file that was not written by ``shipspec ship`` (it is never read as one, nor replaced)."""


class ResultsNotWritable(ValueError):
    """The results file cannot be created or written where it was asked for (found before anything ships)."""


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
        # reference and carrier even when empty (an unreadable row): every line has the result's keys
        found: dict[str, Any] = {"reference": self.reference, "carrier": self.carrier, "status": self.status}
        found |= {
            key: value
            for key, value in self.flat().items()
            if value and "." not in key and key not in found and key != "row"
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
    """Writes outcomes to a ``.csv`` or ``.jsonl`` file, one flushed line each; a context manager.

    A new file starts with the CSV header (flushed at once); ``append=True`` adds lines to a file that
    already has its header (``shipspec.cli.results_file`` makes sure of that).
    """

    def __init__(
        self, path: Path, redact: Callable[[str], str] = lambda text: text, *, append: bool = False
    ) -> None:
        if path.suffix.lower() not in RESULT_SUFFIXES:
            raise ValueError(f"{path.name}: results are written as {' or '.join(RESULT_SUFFIXES)}")
        self.path = path
        self._redact = redact
        self._jsonl = path.suffix.lower() == ".jsonl"
        self._handle: TextIO = path.open("a" if append else "w", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._handle, fieldnames=RESULT_COLUMNS)
        if not self._jsonl and not append:
            self._csv.writeheader()
            self._handle.flush()

    def write(self, outcome: Outcome) -> None:
        if self._jsonl:
            line = outcome.nested()
            if "error" in line:
                line["error"]["message"] = self._redact(line["error"]["message"])
            self._handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            flat = outcome.flat()
            flat[REDACTED_COLUMN] = self._redact(flat[REDACTED_COLUMN])
            self._csv.writerow(flat)
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _csv_rows(path: Path, handle: TextIO) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(handle)
    missing = {"reference", "carrier", "status"} - set(reader.fieldnames or ())
    if missing:
        raise NotAResultsFile(f"{path}: not a shipspec results file (no {', '.join(sorted(missing))} column)")
    yield from reader


def _jsonl_rows(path: Path, handle: TextIO) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("error") or {}, dict):
            raise NotAResultsFile(f"{path}: not a shipspec results file (line {number} is no result object)")
        error = data.get("error") or {}
        yield {k: v for k, v in data.items() if k != "error"} | {f"error.{k}": v for k, v in error.items()}


def read_outcomes(path: Path) -> Iterator[Outcome]:
    """Read back a results file written by :class:`ResultsWriter` (CSV or JSONL), line by line.

    Raises :class:`NotAResultsFile` for a file that is not one (unreadable text, other columns, other JSON).
    """
    jsonl = path.suffix.lower() == ".jsonl"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in _jsonl_rows(path, handle) if jsonl else _csv_rows(path, handle):
                status = str(row.get("status") or "")
                if status not in STATUSES:
                    raise NotAResultsFile(f"{path}: not a shipspec results file (status {status!r})")
                number = str(row.get("row") or "")
                yield Outcome(
                    row=int(number) if number.isdigit() else None,
                    reference=str(row.get("reference") or ""),
                    carrier=str(row.get("carrier") or ""),
                    status=status,
                    tracking_number=row.get("tracking_number") or None,
                    label_url=row.get("label_url") or None,
                    carrier_shipment_id=row.get("carrier_shipment_id") or None,
                    batch_id=row.get("batch_id") or None,
                    error_kind=row.get("error.kind") or None,
                    error_code=row.get("error.code") or None,
                    error_message=row.get("error.message") or None,
                )
    except UnicodeDecodeError:
        raise NotAResultsFile(f"{path}: not a shipspec results file (not UTF-8 text)") from None
    except csv.Error as error:
        raise NotAResultsFile(f"{path}: not a shipspec results file ({error})") from None


def write_whole(
    out: Path, outcomes: Iterable[Outcome], redact: Callable[[str], str] = lambda text: text
) -> int:
    """Write ``outcomes`` to a results file that replaces ``out`` atomically; how many were written."""
    temporary = out.with_name(f".{out.stem}.partial{out.suffix}")
    count = 0
    try:
        with ResultsWriter(temporary, redact) as writer:
            for outcome in outcomes:
                writer.write(outcome)
                count += 1
            with temporary.open("rb+") as written:
                os.fsync(written.fileno())
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    return count
