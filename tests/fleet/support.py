"""Shipments for the fleet tests, their sandbox setup, and the ledger check they share."""

from __future__ import annotations

from collections import Counter
from typing import Any

from shipspec_sandbox import Sandboxes
from shipspec_shipping_models import Shipment, ShipmentResult

from scripts.exactly_once import BUILDERS, LEDGER_ACTIONS, ledger_key


def batch(count: int, start: int = 0) -> list[Shipment]:
    """``count`` shipments alternating TikTok and Baaship."""
    carriers = ("tiktok_shop", "baaship")
    return [Shipment.model_validate(BUILDERS[carriers[i % 2]](start + i)) for i in range(count)]


def seed(sandboxes: Sandboxes, shipments: list[Shipment]) -> None:
    tiktok: Any = sandboxes.app("tiktok_shop")
    for shipment in shipments:
        if shipment.carrier == "tiktok_shop" and shipment.platform is not None:
            tiktok.add_package(str(shipment.platform.package_id))


def times_shipped(sandboxes: Sandboxes, shipments: list[Shipment]) -> dict[str, int]:
    """How often the ledger records each shipment as shipped."""
    recorded = Counter(
        (entry.carrier, entry.key)
        for carrier in ("tiktok_shop", "baaship")
        for entry in sandboxes.ledger.entries(carrier=carrier, action=LEDGER_ACTIONS[carrier])
    )
    return {s.reference: recorded[(s.carrier, ledger_key(s))] for s in shipments}


def assert_shipped_once(
    sandboxes: Sandboxes, shipments: list[Shipment], results: list[ShipmentResult]
) -> None:
    """One result each, every one shipped (or already shipped), each once in the ledger."""
    assert sorted(r.reference for r in results) == sorted(s.reference for s in shipments)
    assert {r.reference: r.status for r in results if r.status not in ("shipped", "already_shipped")} == {}
    assert sandboxes.ledger.duplicates() == {}
    assert set(times_shipped(sandboxes, shipments).values()) == {1}
