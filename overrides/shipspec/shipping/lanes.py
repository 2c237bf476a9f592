"""Shipments an earlier run left uncertain, gathered per carrier batch for reconciling: the runner's lanes.

With a journal, each batch is claimed in the worker, in the same commit that records ``sending``
(``journaled``), so the runner's reading thread never waits for the journal. What an earlier run left
uncertain comes back from the worker as claims (held by this run now) and waits in its carrier's lane, in a
group per carrier batch id, until the group fills (``batch_size``) or, once the input has ended, until no
batch of that carrier is still out being claimed (nothing more can join): the shipments of one carrier batch
are reconciled together, once. Without a journal nothing comes back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from shipspec_shipping_models import Shipment

from ..journal import Claim
from .journaled import Done, Work, reported

__all__ = ["Lane", "Lanes", "reported"]


@dataclass
class Lane:
    """One carrier's reconcile groups, and how many of its batches are out being claimed."""

    batch_size: int
    reconciling: dict[str | None, list[Shipment]] = field(default_factory=dict)
    starting: int = 0

    def regroup(self, claims: list[Claim]) -> Iterator[Work]:
        """Add claims to reconcile to their groups; the groups that are full now."""
        for claim in claims:
            assert claim.entry is not None  # an uncertain state is an existing entry
            batch_id = claim.entry.batch_id
            group = self.reconciling.setdefault(batch_id, [])
            group.append(claim.entry.shipment())  # the request as recorded: what may have been sent
            if len(group) >= self.batch_size:
                yield Work(self.reconciling.pop(batch_id), reconcile=True, batch_id=batch_id)

    def rest(self) -> Iterator[Work]:
        """The partial groups (when nothing more can join them)."""
        groups, self.reconciling = self.reconciling, {}
        for batch_id, shipments in groups.items():
            yield Work(shipments, reconcile=True, batch_id=batch_id)


class Lanes:
    """Every carrier's lane; safe to share between the runner's thread and its linger thread."""

    def __init__(self) -> None:
        self._lanes: dict[str, Lane] = {}
        self._ended = False
        self._lock = threading.Lock()

    def open(self, carrier: str, batch_size: int) -> None:
        with self._lock:
            self._lanes[carrier] = Lane(batch_size)

    def submitted(self, carrier: str, work: Work) -> None:
        """A batch goes to a worker: until it is back, its claims may add to the carrier's groups."""
        if not work.reconcile:
            with self._lock:
                self._lanes[carrier].starting += 1

    def finished(self, done: Done) -> list[Work]:
        """A batch is back: what it brought to reconcile joins its groups; the groups ready to go now."""
        with self._lock:
            lane = self._lanes[done.carrier]
            if not done.work.reconcile:
                lane.starting -= 1
            ready = list(lane.regroup(done.reconcile))
            if self._ended and not lane.starting:
                ready.extend(lane.rest())
            return ready

    def end(self) -> list[tuple[str, Work]]:
        """The input ended: the partial groups of every carrier with no batch out being claimed (the
        others go when their last batch is back, see ``finished``)."""
        with self._lock:
            self._ended = True
            return [
                (carrier, work)
                for carrier, lane in self._lanes.items()
                if not lane.starting
                for work in lane.rest()
            ]

    def waiting(self) -> list[Shipment]:
        """The shipments held for reconciling that were never sent to a worker (the run stopped early)."""
        with self._lock:
            return [s for lane in self._lanes.values() for group in lane.reconciling.values() for s in group]
