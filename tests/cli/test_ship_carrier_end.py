"""``shipspec ship`` sends a carrier's last, partial batch when the carrier's last row is read."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from shipspec.cli.ship import ship_file
from shipspec_shipping_models import Shipment, ShipmentResult

from .support import BAASHIP_ROW, FakeShipper, write_csv

WAIT = 10.0  # generous: how long a Baaship call waits for the DeftShip batch that should be sent already


class WaitingShipper(FakeShipper):
    """Each call waits until ``other`` got a batch, and records whether it had by then."""

    def __init__(self, carrier: str, other: threading.Event) -> None:
        super().__init__(carrier, batch_size=1, concurrency=1)
        self.other = other
        self.saw_other: list[bool] = []

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.saw_other.append(self.other.wait(WAIT))
        return super().ship_batch(shipments)


class SignallingShipper(FakeShipper):
    """Sets ``arrived`` when a batch reaches it."""

    def __init__(self, carrier: str, batch_size: int) -> None:
        super().__init__(carrier, batch_size=batch_size)
        self.arrived = threading.Event()
        self.batches: list[int] = []

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.batches.append(len(shipments))
        self.arrived.set()
        return super().ship_batch(shipments)


def test_the_last_partial_batch_of_a_carrier_goes_before_the_other_rows_are_read(tmp_path: Path) -> None:
    """Three DeftShip rows of a batch of ten go while 20 Baaship rows, each waiting for them, are read."""
    deft_row = {**BAASHIP_ROW, "carrier": "deftship"}
    rows = [{**deft_row, "reference": f"D-{n}"} for n in range(3)]
    rows += [{**BAASHIP_ROW, "reference": f"B-{n}"} for n in range(20)]
    deft = SignallingShipper("deftship", batch_size=10)
    baaship = WaitingShipper("baaship", deft.arrived)
    tally = ship_file(
        write_csv(tmp_path / "orders.csv", rows),
        out=tmp_path / "r.csv",
        shippers={"deftship": deft, "baaship": baaship},
        settings={},
        console=Console(file=None, quiet=True),
    )
    assert tally.count("shipped") == 23
    assert deft.batches == [3]
    assert baaship.saw_other == [True] * 20
