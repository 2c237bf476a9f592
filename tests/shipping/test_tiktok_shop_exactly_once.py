"""TikTok exactly-once: under seeded faults every package ships at most once and no shipment is lost."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
from shipspec.settings import instant_backoff
from shipspec.shipping.runner import aship, ship
from shipspec_sandbox import FaultRule
from shipspec_shipping_models import Shipment, ShipmentResult

from .support_faults import CountingPlan, quick_faults
from .support_tiktok_shop import Env, sandbox, seller_shipped, shipment


def _seed(env: Env) -> list[Shipment]:
    """60 shipments: 50 platform-shipped, 5 seller-shipped, 3 cancelled and 2 unknown packages."""
    batch = []
    for number in range(60):
        package_id = f"PKG{number:03d}"
        if number < 50:
            env.app.add_package(package_id)
            batch.append(shipment(f"REF{number:03d}", package_id, handover={"method": "drop_off"}))
        elif number < 55:
            env.app.add_package(package_id, shipping_type="SELLER")
            batch.append(seller_shipped(f"REF{number:03d}", package_id, f"TRK{number:03d}"))
        elif number < 58:
            env.app.add_package(package_id, state="CANCELLED")
            batch.append(shipment(f"REF{number:03d}", package_id))
        else:
            batch.append(shipment(f"REF{number:03d}", package_id))  # never seeded: 21011001
    return batch


def _check(env: Env, batch: list[Shipment], results: list[ShipmentResult]) -> Counter[str]:
    """The exactly-once assertions of the brief; returns the status counts."""
    by_reference = {result.reference: result for result in results}
    assert len(results) == len(batch)
    assert set(by_reference) == {s.reference for s in batch}  # none lost, none invented
    assert env.ledger.duplicates() == {}
    shipped = Counter(env.shipped_keys())
    for item in batch:
        result = by_reference[item.reference]
        assert item.platform is not None
        key = str(item.platform.package_id)
        if result.status in ("shipped", "already_shipped"):
            assert shipped[key] == 1, result
        elif result.status == "failed":
            assert shipped[key] == 0, result
    for number in range(55, 60):
        failed = by_reference[f"REF{number:03d}"]
        assert failed.status == "failed"
        assert failed.error is not None
        assert failed.error.kind in ("not_allowed", "not_found")
    return Counter(result.status for result in results)


@pytest.mark.parametrize("seed", [1, 5])
def test_sixty_shipments_under_faults_ship_exactly_once(seed: int) -> None:
    """Through the runner (batch 5, concurrency 2) with 30 % faults: no duplicate, no loss."""
    with sandbox(quick_faults(seed)) as env, instant_backoff():
        batch = _seed(env)
        shipper = env.shipper(batch_size="5")
        results = list(ship(batch, shippers={"tiktok_shop": shipper}))
        counts = _check(env, batch, results)
        assert env.ship_calls() > 12  # faults forced resends beyond the 12 batches
    assert counts["already_shipped"] > 0  # a lost answer was reconciled by the resend
    assert counts["shipped"] + counts["already_shipped"] + counts["pending"] == 55


def test_the_async_runner_keeps_exactly_once_too() -> None:
    """aship over aship_batch under the same faults: no duplicate, no loss."""
    with sandbox(quick_faults(5)) as env, instant_backoff():
        batch = _seed(env)
        shipper = env.shipper(batch_size="5")

        async def run() -> list[ShipmentResult]:
            try:
                return [result async for result in aship(batch, shippers={"tiktok_shop": shipper})]
            finally:
                await shipper.aclose()

        counts = _check(env, batch, asyncio.run(run()))
    assert counts["shipped"] + counts["already_shipped"] + counts["pending"] == 55


class FirstShipLost(CountingPlan):
    """The first ship call commits and then loses its answer; nothing else fails."""

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        super().decide(carrier, operation, identity)
        first = operation == "batchShipPackages" and self.calls[operation] == 1
        return FaultRule("timeout_after_commit", 1.0, hold_seconds=0.1) if first else None


def test_a_lost_answer_is_reconciled_by_one_resend() -> None:
    """Shipped by the lost call → the resend answers 21011040 → already_shipped, recorded once."""
    with sandbox(FirstShipLost()) as env, instant_backoff():
        env.app.add_package("P1")
        env.app.add_package("P2", state="CANCELLED")
        results = env.shipper().ship_batch([shipment("R1", "P1"), shipment("R2", "P2")])
        assert [r.status for r in results] == ["already_shipped", "failed"]
        assert env.ship_calls() == 2
        assert env.shipped_keys() == ["P1"]
