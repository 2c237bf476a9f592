"""Reading a DeftShip batch through its item pages: a page that comes back broken is asked for again alone,
not the whole read from the first page (a 1,000-item batch has 10 pages; under faults, whole reads rarely
came through)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from shipspec_sandbox import FaultRule

from .support_deftship import sandbox, shipment
from .support_faults import CountingPlan

BROKEN = FaultRule("malformed", 1.0)


class FirstSightOfEachPageBroken(CountingPlan):
    """Every following item page (``page=2`` on) answers a body that is not JSON the first time it is
    asked for, and normally after that; ``pages`` counts how often each was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: Counter[bytes] = Counter()

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        super().decide(carrier, operation, identity)
        if operation != "getBatch" or b"('page', " not in identity:
            return None
        self.pages[identity] += 1
        return BROKEN if self.pages[identity] == 1 else None


def test_a_broken_item_page_is_asked_for_again_alone() -> None:
    """Seven items at two per page: pages 2 to 4 each fail once; each is asked for twice (never once more
    per later page, as when a failed page restarted the read), and every item is found and shipped."""
    plan = FirstSightOfEachPageBroken()
    with sandbox(plan) as env:
        env.app.per_page = 2
        shipper = env.shipper()
        try:
            results = shipper.ship_batch([shipment(f"BP-{n}") for n in range(7)])
        finally:
            shipper.close()
    assert [r.status for r in results] == ["shipped"] * 7
    assert len(plan.pages) == 3
    assert set(plan.pages.values()) == {2}
