"""One message when a carrier stops for the run, instead of one identical line per row.

A carrier stops when its circuit opens (``shipspec.circuit``): it refused our credentials (kind ``auth``),
or no connection to it could be made. Its remaining rows then fail without being sent; they are all in the
results file, and the console gets one message saying what happened and what to check, and a count at
the end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..config import credential_hint
from ..errors import CarrierUnreachableError
from .output import Outcome

__all__ = ["CarrierStops"]

UNREACHABLE_MARK = f"{CarrierUnreachableError.__name__}:"  # how results.normalized_error names it
NOT_SENT = "not sent: "  # how the circuit's refusals begin


@dataclass
class CarrierStops:
    """The carriers that stopped in this run, and how many of their rows each stop covers."""

    refused: Counter[str] = field(default_factory=Counter)  # carrier → rows failed with kind auth
    unreachable: Counter[str] = field(default_factory=Counter)  # carrier → rows refused by the circuit

    def notice(self, outcome: Outcome) -> tuple[str | None, bool]:
        """``(message, quiet)``: the one message to print when ``outcome`` is its carrier's first stop
        (else None), and whether the row's own line adds nothing to it."""
        carrier = outcome.carrier
        if outcome.ok:
            return None, False
        if outcome.error_kind == "auth":
            first = carrier not in self.refused
            self.refused[carrier] += 1
            return (self._refused_message(outcome) if first else None), True
        if (outcome.error_message or "").startswith(UNREACHABLE_MARK):
            first = carrier not in self.unreachable
            self.unreachable[carrier] += 1
            return (self._unreachable_message(outcome) if first else None), True
        return None, False

    def summary(self) -> list[str]:
        """A line per stopped carrier, for the end of the run."""
        lines = [
            f"{carrier}: {count} rows failed with kind auth (credentials refused); {credential_hint(carrier)}"
            for carrier, count in self.refused.items()
        ]
        lines += [
            f"{carrier}: {count} rows not sent (carrier unreachable); run again once it answers"
            for carrier, count in self.unreachable.items()
        ]
        return lines

    @staticmethod
    def _refused_message(outcome: Outcome) -> str:
        carrier, message = outcome.carrier, outcome.error_message or ""
        if message.startswith(NOT_SENT):  # a row refused by the circuit: its message tells it all
            what = message.removeprefix(NOT_SENT)
        else:
            code = f" {outcome.error_code}" if outcome.error_code else ""
            what = (
                f"{carrier} refused the credentials ({carrier}{code}: {message}); {credential_hint(carrier)}"
            )
        return (
            f"{what}. No further {carrier} request is sent in this run: its other rows fail with kind auth, "
            "not sent (all in the results file)."
        )

    @staticmethod
    def _unreachable_message(outcome: Outcome) -> str:
        return (
            f"{outcome.carrier} is unreachable: {outcome.error_message}. Its other rows fail as not sent "
            f"unless it answers again (all in the results file); check SHIPSPEC_{outcome.carrier.upper()}"
            "_BASE_URL and the network, then run again."
        )
