"""DeftShip exactly-once: uncertain calls are settled by reading the batch; under faults nothing doubles."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from shipspec.settings import instant_backoff
from shipspec.shipping.runner import aship, ship
from shipspec_sandbox import FaultRule
from shipspec_shipping_models import Shipment, ShipmentResult

from .support_deftship import Env, invalid_later, sandbox, shipment
from .support_faults import CountingPlan, quick_faults


def test_a_lost_ship_answer_is_read_back_not_resent() -> None:
    """shipBatch committed but its answer was lost: getBatch shows processing, ship is not called again."""
    lost = FaultRule("timeout_after_commit", 1.0, operation="shipBatch", hold_seconds=0.1)
    with sandbox(CountingPlan(1, (lost,))) as env, instant_backoff():
        (result,) = env.shipper().ship_batch([shipment("LS-1")])
        assert result.status == "shipped"
        assert env.shipped() == ["LS-1"]
        assert env.plan.calls["shipBatch"] == 1


def test_a_lost_create_answer_makes_a_new_batch_and_ships_only_that() -> None:
    """createBatch committed but its answer was lost: a new batch is made; the orphan is never shipped."""
    lost = FaultRule("timeout_after_commit", 0.5, operation="createBatch", hold_seconds=0.1)
    with sandbox(CountingPlan(2, (lost,))) as env, instant_backoff():
        results = env.shipper(batch_size="1").ship_batch([shipment(f"LC-{n}") for n in range(6)])
        assert [r.status for r in results] == ["shipped"] * 6
        assert env.plan.calls["createBatch"] > 6  # some creates were lost and made again
        assert sorted(env.shipped()) == [f"LC-{n}" for n in range(6)]
        assert len(env.batches_shipped()) == 6


def _batch() -> list[Shipment]:
    """60 shipments: 54 good, 3 that DeftShip finds invalid, 3 that fail while shipping."""
    good = [shipment(f"EO-{n:03d}") for n in range(54)]
    invalid = [invalid_later(f"EO-I{n}") for n in range(3)]
    rejected = [shipment(f"EO-R{n}") for n in range(3)]
    return good + invalid + rejected


def _check(env: Env, batch: list[Shipment], results: list[ShipmentResult]) -> Counter[str]:
    """No duplicate side effect; shipped ones in the ledger once, failed ones absent, none lost."""
    by_reference = {result.reference: result for result in results}
    assert len(results) == len(batch)
    assert set(by_reference) == {s.reference for s in batch}
    assert env.ledger.duplicates() == env.ledger.duplicates(by="reference") == {}
    shipped = Counter(env.shipped())
    for item in batch:
        result = by_reference[item.reference]
        if result.status in ("shipped", "already_shipped"):
            assert shipped[item.reference] == 1, result
            assert result.tracking_number
        elif result.status == "failed":
            assert shipped[item.reference] == 0, result
    for reference in [f"EO-I{n}" for n in range(3)] + [f"EO-R{n}" for n in range(3)]:
        assert by_reference[reference].status in ("failed", "pending")
    return Counter(result.status for result in results)


def _prepared(env: Env) -> list[Shipment]:
    for n in range(3):
        env.app.reject_on_ship(f"EO-R{n}")
    return _batch()


@pytest.mark.parametrize("seed", [3, 11])
def test_sixty_shipments_under_faults_ship_exactly_once(seed: int) -> None:
    """Through the runner (batches of 10, concurrency 2) with 30 % faults of six kinds: no double, no loss."""
    with sandbox(quick_faults(seed)) as env, instant_backoff():
        batch = _prepared(env)
        results = list(ship(batch, shippers={"deftship": env.shipper(batch_size="10")}))
        counts = _check(env, batch, results)
        assert len(set(env.batches_shipped())) == len(env.batches_shipped())  # no batch shipped twice
    # measured with these seeds: every good shipment settled, the six refused ones failed
    assert counts["shipped"] == 54
    assert counts["failed"] == 6


def test_the_async_runner_keeps_exactly_once_too() -> None:
    """aship over aship_batch under the same faults: no duplicate, no loss."""
    with sandbox(quick_faults(5)) as env, instant_backoff():
        batch = _prepared(env)
        shipper = env.shipper(batch_size="10")

        async def run() -> list[ShipmentResult]:
            try:
                return [result async for result in aship(batch, shippers={"deftship": shipper})]
            finally:
                await shipper.aclose()

        _check(env, batch, asyncio.run(run()))
