"""Exactly-once under 30 % injected faults across the four sandboxes (fewer than the full script)."""

from __future__ import annotations

import pytest

from scripts.exactly_once import run


@pytest.mark.parametrize("seed", [3, 11])
def test_no_duplicate_no_loss_and_results_equal_the_ledger(seed: int) -> None:
    """200 shipments, 30 % faults: 0 ledger duplicates, 0 lost, every result agrees with the ledger."""
    report = run(count=200, fault_share=0.3, seed_value=seed)
    assert report.results == 200
    assert report.duplicates == {}
    assert report.lost == []
    assert report.disagreements == []
    assert report.pending == []
    shipped = sum(count for key, count in report.statuses.items() if key.endswith("shipped"))
    assert shipped >= 190  # faults are retried and reconciled, not turned into failures


def test_the_check_catches_a_duplicate() -> None:
    """The comparison flags a shipment the ledger holds twice (so the exactly-once test can fail)."""
    from shipspec_sandbox import start_sandboxes
    from shipspec_shipping_models import ShipmentResult

    from scripts.exactly_once import compare, shipments

    batch = shipments(4)[2:3]  # one Baaship shipment
    with start_sandboxes(("baaship",)) as sandboxes:
        for _ in range(2):
            sandboxes.ledger.record("baaship", "shipment_created", batch[0].reference)
        result = ShipmentResult(reference=batch[0].reference, carrier="baaship", status="shipped")
        report = compare(batch, [result], sandboxes)
    assert not report.ok
    assert report.duplicates
    assert report.disagreements
