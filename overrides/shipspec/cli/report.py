"""Counting outcomes per carrier and status, and the lines and tables ``shipspec ship`` prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rich.table import Table

from ..config import CARRIERS
from .output import Outcome

__all__ = ["EARLIER", "STATUSES", "Tally", "outcome_line"]

STATUSES = ("shipped", "already_shipped", "failed", "pending")
EARLIER = "earlier_run"  # rows a results file of an earlier run records as done: counted, not sent again
NO_CARRIER = "(none)"  # rows that name no carrier
UNKNOWN = " (unknown)"  # after a carrier name no shipper has: shown as the row and the results file give it


@dataclass
class Tally:
    """Outcome counts by (carrier, status); rows done in an earlier run count under ``EARLIER``."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Outcomes this run got from a carrier that the journal did not take (it failed as they were settled):
    # their results-file lines are right, but the journal still calls them uncertain.
    unrecorded: int = 0

    def add(self, outcome: Outcome, *, earlier: bool = False) -> None:
        carrier = outcome.carrier if outcome.carrier in CARRIERS else NO_CARRIER
        if outcome.carrier and outcome.carrier not in CARRIERS:
            carrier = f"{outcome.carrier}{UNKNOWN}"
        self.counts[(carrier, EARLIER if earlier else outcome.status)] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        """Every row shipped or was shipped before (an empty file is fine too)."""
        return all(status in ("shipped", "already_shipped", EARLIER) for _, status in self.counts)

    def count(self, status: str, carrier: str | None = None) -> int:
        return sum(n for (c, s), n in self.counts.items() if s == status and carrier in (None, c))

    def table(self) -> Table:
        named = {carrier for carrier, _ in self.counts}
        unknown = sorted(named - {*CARRIERS, NO_CARRIER})
        carriers = [c for c in (*CARRIERS, *unknown, NO_CARRIER) if c in named]
        table = Table(title="shipspec ship: results per carrier")
        table.add_column("carrier")
        columns = (*STATUSES, EARLIER) if self.count(EARLIER) else STATUSES
        for status in (*columns, "total"):
            table.add_column(status, justify="right")
        for carrier in carriers:
            numbers = [self.count(status, carrier) for status in columns]
            table.add_row(carrier, *map(str, numbers), str(sum(numbers)))
        totals = [self.count(status) for status in columns]
        table.add_row("all", *map(str, totals), str(sum(totals)), style="bold", end_section=True)
        return table


def outcome_line(outcome: Outcome) -> str:
    """One line about a row that did not ship: ``row 7 (BAA-1): parcels[0].weight.value: …`` for a bad row."""
    where = f"row {outcome.row}" if outcome.row is not None else "row ?"
    if outcome.reference:
        where += f" ({outcome.reference})"
    if outcome.problems:  # a bad row: one line per field path
        return "\n".join(
            f"{where}: {path}: {text}" if path else f"{where}: {text}" for path, text in outcome.problems
        )
    code = f" {outcome.error_code}" if outcome.error_code else ""
    kind = outcome.error_kind or "unknown"
    return f"{where}: {outcome.status} ({outcome.carrier}{code}, {kind}): {outcome.error_message or ''}"
