"""WeChat exactly-once: under seeded faults every order package ships at most once and no shipment is lost."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from shipspec.settings import instant_backoff
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult

from .support_faults import quick_faults
from .support_wechat_shop import Env, item, sandbox, shipment


def _seed(env: Env) -> list[Shipment]:
    """60 shipments: 40 whole orders, 15 split (one SKU of two), 3 cancelled and 2 unknown orders."""
    batch = []
    for number in range(60):
        order_id, reference, waybill = 500_000 + number, f"REF{number:03d}", f"WB{number:03d}"
        if number < 40:
            env.app.add_order(order_id, [(11, 21, 1), (12, 22, 2)])
            batch.append(shipment(reference, order_id, waybill))
        elif number < 55:
            env.app.add_order(order_id, [(11, 21, 1), (12, 22, 2)])
            batch.append(shipment(reference, order_id, waybill, item(12, 22, 2)))
        elif number < 58:
            env.app.add_order(order_id, [(11, 21, 1)], "CANCELLED")
            batch.append(shipment(reference, order_id, waybill))
        else:
            batch.append(shipment(reference, order_id, waybill))  # never seeded: 100002
    return batch


def _check(env: Env, batch: list[Shipment], results: list[ShipmentResult]) -> Counter[str]:
    """The exactly-once assertions of the brief; returns the status counts."""
    by_reference = {result.reference: result for result in results}
    assert len(results) == len(batch)
    assert set(by_reference) == {s.reference for s in batch}  # none lost, none invented
    assert env.ledger.duplicates() == {}
    sent = Counter(env.sent_keys())
    for item_ in batch:
        result = by_reference[item_.reference]
        assert item_.platform is not None
        key = f"{item_.platform.order_id}/{item_.platform.tracking_number}"
        if result.status in ("shipped", "already_shipped"):
            assert sent[key] == 1, result
        elif result.status == "failed":
            assert sent[key] == 0, result
    for number in range(55, 60):
        assert by_reference[f"REF{number:03d}"].status in ("failed", "pending")
    return Counter(result.status for result in results)


@pytest.mark.parametrize("seed", [1, 3])
def test_sixty_shipments_under_faults_ship_exactly_once(seed: int) -> None:
    """Through the runner (batch 1, concurrency 8) with 30 % faults: no duplicate, no loss."""
    with sandbox(quick_faults(seed)) as env, instant_backoff():
        batch = _seed(env)
        results = list(ship(batch, shippers={"wechat_shop": env.shipper()}))
        counts = _check(env, batch, results)
        assert env.send_calls() > 60  # faults forced resends
    assert counts["already_shipped"] > 0  # a lost answer was reconciled by the resend


def test_the_async_runner_keeps_exactly_once_too() -> None:
    """aship over aship_batch under the same faults: no duplicate, no loss."""
    with sandbox(quick_faults(3)) as env, instant_backoff():
        batch = _seed(env)
        shipper = env.shipper()

        async def run() -> list[ShipmentResult]:
            try:
                return [result async for result in aship(batch, shippers={"wechat_shop": shipper})]
            finally:
                await shipper.aclose()

        _check(env, batch, asyncio.run(run()))
