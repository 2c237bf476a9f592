"""``shipspec carriers``: capabilities read from the shipper classes, and their batching defaults."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from click.testing import CliRunner
from shipspec.cli import main
from shipspec.config import CARRIERS, build_shipper, load_settings
from shipspec.shipping.capabilities import Labeler, Shipper, Tracker
from shipspec.shipping.registry import CAPABILITIES, has_capability
from shipspec_shipping_models import Shipment, ShipmentResult, TrackingEvent

from .support import sandboxes


@dataclass
class TrackingOnly:
    """A shipper whose data members are dataclass fields, with ship and track methods only."""

    carrier: str
    batch_size: int
    concurrency: int

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return []

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return []

    def track(self, tracking_number: str) -> list[TrackingEvent]:
        return []


def test_capabilities_come_from_the_class_members() -> None:
    """Fields count as data members; a missing method means the capability is missing."""
    assert has_capability(TrackingOnly, Shipper)
    assert has_capability(TrackingOnly, Tracker)
    assert not has_capability(TrackingOnly, Labeler)


def test_the_table_matches_what_real_shippers_satisfy() -> None:
    """For every carrier, the listed capabilities and defaults are those of a shipper built from settings."""
    result = CliRunner().invoke(main, ["carriers", "--as-json"], catch_exceptions=False)
    assert result.exit_code == 0
    listed = {info["carrier"]: info for info in map(json.loads, result.stdout.splitlines())}
    assert list(listed) == list(CARRIERS)
    with sandboxes(*CARRIERS) as (_, env):
        settings = load_settings(env=env)
        for carrier in CARRIERS:
            shipper = build_shipper(carrier, settings[carrier])
            expected = {name: isinstance(shipper, protocol) for name, protocol in CAPABILITIES.items()}
            assert listed[carrier]["capabilities"] == expected, carrier
            assert (listed[carrier]["batch_size"], listed[carrier]["concurrency"]) == (
                shipper.batch_size,
                shipper.concurrency,
            )
    assert listed["baaship"]["capabilities"]["Tracker"] is True


def test_the_table_lists_every_carrier() -> None:
    """The human table has a row per carrier and the capability columns."""
    result = CliRunner().invoke(main, ["carriers"], catch_exceptions=False)
    assert result.exit_code == 0
    for word in (*CARRIERS, *CAPABILITIES, "batch size", "concurrency"):
        assert word in result.stdout
