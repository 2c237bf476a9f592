"""Following the carrier batches an earlier run left pending, on a re-run of ``shipspec ship``.

A row pending inside a carrier batch (DeftShip) must not be sent again: that could ship it twice. The re-run
gathers such rows by batch while it reads the file and, once the other rows are done, follows each batch
once (``resume_batch``: ship it if it is ready, wait for it to finish).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from shipspec_shipping_models import Shipment, ShipmentResult

from ..shipping.capabilities import BatchResumer, Shipper
from .output import Outcome

__all__ = ["FollowUps"]


@dataclass
class FollowUps:
    """Rows an earlier run left pending in a carrier batch, gathered by batch, then followed once each."""

    batches: dict[tuple[str, str], list[tuple[Outcome, Shipment]]] = field(default_factory=dict)

    def add(self, earlier: Outcome, shipment: Shipment) -> None:
        assert earlier.batch_id is not None
        self.batches.setdefault((earlier.carrier, earlier.batch_id), []).append((earlier, shipment))

    def run(
        self, shippers: Mapping[str, Shipper], row_of: Mapping[str, int]
    ) -> Iterator[tuple[Outcome, bool]]:
        """Follow each batch; yields (outcome, learnt): ``learnt`` is False for an earlier pending outcome
        kept as it was (no shipper that can follow batches, or the shipper broke its contract)."""
        for (carrier, batch_id), members in self.batches.items():
            shipper = shippers.get(carrier)
            results: list[ShipmentResult] | None = None
            if isinstance(shipper, BatchResumer):
                try:
                    results = shipper.resume_batch(batch_id, [shipment for _, shipment in members])
                except Exception:  # the shipper broke its contract: keep what the earlier run knew
                    results = None
            if results is None or len(results) != len(members):
                yield from ((earlier, False) for earlier, _ in members)
                continue
            for result in results:
                yield Outcome.from_result(result, row_of.get(result.reference)), True
