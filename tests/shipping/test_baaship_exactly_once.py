"""Baaship exactly-once: an uncertain send is looked up before any resend; under faults nothing doubles."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from shipspec.settings import instant_backoff
from shipspec.shipping.runner import aship, ship
from shipspec_sandbox import FaultRule
from shipspec_shipping_models import Shipment, ShipmentResult

from .support_baaship import Env, return_shipment, sandbox, shipment, unplaceable
from .support_faults import CountingPlan, quick_faults


def test_an_uncertain_send_is_looked_up_not_resent() -> None:
    """createShipment committed but its answer was lost: the lookup finds it and nothing is sent again."""
    lost = FaultRule("timeout_after_commit", 1.0, operation="createShipment", hold_seconds=0.1)
    with sandbox(CountingPlan(1, (lost,))) as env, instant_backoff():
        (result,) = env.shipper().ship_batch([shipment("REF-LOST")])
        assert result.status == "shipped"
        assert result.tracking_number
        assert env.created() == ["REF-LOST"]
        assert env.plan.calls == {"createShipment": 1, "getShipmentLabel": 1}


def test_a_state_never_learnt_is_pending() -> None:
    """When every call fails the result is pending after bounded rounds, and nothing was created."""
    with sandbox(CountingPlan(1, (FaultRule("error_5xx", 1.0),))) as env, instant_backoff():
        (result,) = env.shipper().ship_batch([shipment("REF-DARK")])
        assert result.status == "pending"
        assert env.created() == []
        assert (
            env.plan.calls["createShipment"] == 1
        )  # a bare 5xx on create is uncertain: never resent blindly


def _batch() -> list[Shipment]:
    """60 shipments: 50 forward, 5 returns, 5 that Baaship refuses (country XX answers 1008)."""
    forward = [shipment(f"EO-{n:03d}") for n in range(50)]
    returns = [return_shipment(f"EO-R{n}") for n in range(5)]
    refused = [unplaceable(shipment(f"EO-X{n}")) for n in range(5)]
    return forward + returns + refused


def _check(env: Env, batch: list[Shipment], results: list[ShipmentResult]) -> Counter[str]:
    """No duplicate side effect; shipped ones in the ledger once, failed ones absent, none lost."""
    by_reference = {result.reference: result for result in results}
    assert len(results) == len(batch)
    assert set(by_reference) == {s.reference for s in batch}
    assert env.ledger.duplicates() == {}
    created = Counter(env.created())
    for item in batch:
        result = by_reference[item.reference]
        if result.status in ("shipped", "already_shipped"):
            assert created[item.reference] == 1, result
            assert result.tracking_number == env.app.store.get("baaship.references", item.reference)
        elif result.status == "failed":
            assert created[item.reference] == 0, result
    for n in range(5):
        refused = by_reference[f"EO-X{n}"]
        assert refused.status in ("failed", "pending")
        assert refused.status == "pending" or (refused.error is not None and refused.error.code == "1008")
    return Counter(result.status for result in results)


@pytest.mark.parametrize("seed", [3, 11])
def test_sixty_shipments_under_faults_ship_exactly_once(seed: int) -> None:
    """Through the runner (concurrency 8) with 30 % faults of six kinds: no duplicate, no loss."""
    with sandbox(quick_faults(seed), strict_countries=True) as env, instant_backoff():
        batch = _batch()
        results = list(ship(batch, shippers={"baaship": env.shipper()}))
        counts = _check(env, batch, results)
        sent = env.plan.calls["createShipment"] + env.plan.calls.get("reverseShipment", 0)
        assert sent > len(batch)  # faults forced resends
        assert env.plan.calls["getShipmentLabel"] > 0  # ... each after a lookup
    # measured with these seeds: every reachable shipment settled (no pending), the 5 refused ones failed
    assert counts["shipped"] + counts["already_shipped"] == 55
    assert counts["failed"] == 5


def test_the_async_runner_keeps_exactly_once_too() -> None:
    """aship over aship_batch under the same faults: no duplicate, no loss."""
    with sandbox(quick_faults(5), strict_countries=True) as env, instant_backoff():
        batch = _batch()
        shipper = env.shipper()

        async def run() -> list[ShipmentResult]:
            try:
                return [result async for result in aship(batch, shippers={"baaship": shipper})]
            finally:
                await shipper.aclose()

        _check(env, batch, asyncio.run(run()))
