"""The journal's state machine: one for every carrier, and the decision a run takes from a shipment's entry.

::

    (none) ──claim──▶ intent ──sending──▶ sending ──learnt──▶ created
                        │                    │                   │
                        └───────── settle ───┴───────────────────┴──▶ shipped | already_shipped  (final)
                                                                  ──▶ failed   (not shipped: a re-run tries)
                                                                  ──▶ pending  (unknown: reconcile)

- ``intent``: recorded before anything is sent; nothing was sent yet (``sending`` is written first).
- ``sending``: a side-effecting call may have reached the carrier; its answer is not recorded.
- ``created``: the carrier named something it created (a DeftShip batch id) before the outcome was known.
- ``shipped`` / ``already_shipped``: done; never sent again.
- ``failed``: the carrier did not ship it (bad input, refused); a later run sends it again.
- ``pending``: the outcome could not be learnt in time; a later run reconciles before anything else.

A run that finds an entry in ``sending``, ``created`` or ``pending`` never resends it blindly: the carrier's
shipper reconciles it (``Reconciler``), starting from the ids the journal kept.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = [
    "FINAL",
    "RECONCILE",
    "Action",
    "State",
    "decide",
]

State = Literal["intent", "sending", "created", "shipped", "already_shipped", "failed", "pending"]
Action = Literal["send", "reconcile", "done", "busy"]
"""What a run does with a shipment: send it, reconcile it first, report the recorded outcome, or leave it
to the live run that holds it."""

FINAL: Final[frozenset[State]] = frozenset({"shipped", "already_shipped"})
RECONCILE: Final[frozenset[State]] = frozenset({"sending", "created", "pending"})
STATES: Final = frozenset({"intent", "sending", "created", "shipped", "already_shipped", "failed", "pending"})


def decide(state: State | None, held_by_other: bool) -> Action:
    """The action for an entry in ``state`` (None: new), held by another live run or not."""
    if state is None:
        return "send"
    if state in FINAL:
        return "done"
    if held_by_other:
        return "busy"
    if state in RECONCILE:
        return "reconcile"
    return "send"  # intent (nothing was sent) or failed (not shipped: a new attempt)
