"""The ledger: what a sandbox really created or shipped, for exactly-once checks.

Every side effect a carrier would bill or act on (a shipment created, a package or order shipped, a batch
shipped) is appended with the key the carrier itself deduplicates by (Baaship's referenceNo, TikTok's package
id, WeChat's order/waybill): a key that appears twice for the same action is a duplicate the carrier let
through. Where the carrier deduplicates nothing (DeftShip creates a new shipment order for every item sent),
the key is the new object's own id and the caller's reference rides along as ``reference``: two different
orders may well carry the same reference (the docs' own example ``ORDER-001``), so that is no duplicate of
the carrier's, while an exactly-once run, whose references are unique, counts duplicates by reference
(``duplicates(by="reference")``): the thing the exactly-once runner must never cause.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .state import Store

NAMESPACE = "ledger"

__all__ = ["Ledger", "LedgerEntry"]


@dataclass(frozen=True)
class LedgerEntry:
    """One real side effect in a sandbox."""

    seq: int
    carrier: str
    action: str  # e.g. shipment_created, package_shipped, order_shipped, batch_shipped, shipment_cancelled
    key: str  # the caller's key for the object: referenceNo, package id, order id, batch id
    result: dict[str, Any]  # what the caller can learn about it (waybill, tracking number, …)
    at: float
    reference: str | None = None  # the caller's reference, where the carrier does not dedup by it (DeftShip)

    @property
    def caller_reference(self) -> str:
        """The caller's reference of the object: ``reference`` when recorded, else the key."""
        return self.reference if self.reference is not None else self.key


class Ledger:
    """Append-only record of side effects, shared by every sandbox of one run."""

    def __init__(self, store: Store) -> None:
        self._store = store
        # The store's own (re-entrant) lock, not a second one: handlers record while holding it, and two
        # locks taken in opposite orders by two sandboxes would deadlock.
        self._lock = store.transaction()
        existing = store.items(NAMESPACE)
        self._seq = itertools.count(max((int(key) for key, _ in existing), default=0) + 1)

    def record(
        self, carrier: str, action: str, key: str, *, reference: str | None = None, **result: Any
    ) -> LedgerEntry:
        """Append one side effect and return it."""
        with self._lock:
            entry = LedgerEntry(next(self._seq), carrier, action, key, dict(result), time.time(), reference)
            self._store.put(NAMESPACE, f"{entry.seq:012d}", asdict(entry))
        return entry

    def entries(self, carrier: str | None = None, action: str | None = None) -> list[LedgerEntry]:
        """Return the side effects in order, optionally for one carrier and action."""
        found = [LedgerEntry(**value) for _, value in self._store.items(NAMESPACE)]
        return [
            entry
            for entry in found
            if (carrier is None or entry.carrier == carrier) and (action is None or entry.action == action)
        ]

    def duplicates(self, by: Literal["key", "reference"] = "key") -> dict[tuple[str, str, str], int]:
        """Return (carrier, action, key) → count for every side effect recorded more than once.

        ``by="reference"`` counts by the caller's reference instead (see the module docstring): what an
        exactly-once run, whose references are unique, checks.
        """
        counts = Counter(
            (entry.carrier, entry.action, entry.key if by == "key" else entry.caller_reference)
            for entry in self.entries()
        )
        return {key: count for key, count in counts.items() if count > 1}
