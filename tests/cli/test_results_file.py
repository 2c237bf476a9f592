"""The results file never loses what an earlier run recorded: interrupted re-runs, foreign files, masking."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from shipspec.cli import main
from shipspec.cli.output import NotAResultsFile
from shipspec.cli.ship import ship_file
from shipspec_shipping_models import Shipment, ShipmentResult

from .support import BAASHIP_ROW, FakeShipper, read_results, write_csv


class StopAt(FakeShipper):
    """Ships like FakeShipper until it reaches ``stop``, where it raises KeyboardInterrupt (a Ctrl-C)."""

    def __init__(self, stop: str, slow: str | None = None) -> None:
        super().__init__("baaship", batch_size=1, concurrency=2)
        self.stop, self.slow = stop, slow
        self.slow_started = threading.Event()

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        if shipments[0].reference == self.slow:
            self.slow_started.set()
            threading.Event().wait(0.3)  # still sending when the interrupt comes
        if shipments[0].reference == self.stop:
            self.slow_started.wait(5)
            raise KeyboardInterrupt
        return super().ship_batch(shipments)


def rows(*references: str) -> list[dict[str, str]]:
    return [{**BAASHIP_ROW, "reference": reference} for reference in references]


def statuses(out: Path) -> dict[str, str]:
    return {line["reference"]: line["status"] for line in read_results(out)}


def test_an_interrupted_rerun_keeps_every_earlier_and_new_shipment(tmp_path: Path) -> None:
    """Run 2 stops midway: the file still holds run 1's shipment and run 2's; run 3 sends only the rest."""
    orders = write_csv(tmp_path / "orders.csv", rows("B-1"))
    out = tmp_path / "orders.results.csv"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})

    write_csv(orders, rows("B-1", "B-2", "B-3", "B-4"))
    interrupted = StopAt(stop="B-3", slow="B-2")
    with pytest.raises(KeyboardInterrupt):
        ship_file(orders, out=out, shippers={"baaship": interrupted}, settings={})
    # B-2 finished after the interrupt; B-4 may have started in the freed thread before the interrupt was
    # seen: whatever shipped is in the file.
    assert "B-2" in interrupted.shipped
    assert "B-3" not in interrupted.shipped
    assert statuses(out) == {"B-1": "shipped", **dict.fromkeys(interrupted.shipped, "shipped")}

    last = FakeShipper("baaship")
    assert ship_file(orders, out=out, shippers={"baaship": last}, settings={}).ok
    assert sorted(last.shipped) == sorted({"B-3", "B-4"} - set(interrupted.shipped))
    assert last.reconciled == ["B-3"]  # its batch raised while sending: the journal says "maybe sent"
    lines = read_results(out)
    assert sorted(line["reference"] for line in lines) == ["B-1", "B-2", "B-3", "B-4"]  # compacted
    assert {line["reference"]: line["row"] for line in lines} == {
        "B-1": "2",
        "B-2": "3",
        "B-3": "4",
        "B-4": "5",
    }


def test_carried_over_rows_get_this_inputs_row_numbers(tmp_path: Path) -> None:
    orders = write_csv(tmp_path / "orders.csv", rows("B-1", "B-2"))
    out = tmp_path / "orders.results.csv"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    write_csv(orders, rows("B-2", "B-1"))
    again = FakeShipper("baaship")
    ship_file(orders, out=out, shippers={"baaship": again}, settings={})
    assert again.shipped == []
    assert {line["reference"]: line["row"] for line in read_results(out)} == {"B-2": "2", "B-1": "3"}


def test_outcomes_of_rows_no_longer_in_the_input_are_kept(tmp_path: Path) -> None:
    """A shipped row removed from the input is still a real shipment: its line stays."""
    orders = write_csv(tmp_path / "orders.csv", rows("B-1", "B-2"))
    out = tmp_path / "orders.results.csv"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    write_csv(orders, rows("B-2", "B-3"))
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    assert statuses(out) == {"B-1": "shipped", "B-2": "shipped", "B-3": "shipped"}


def test_a_reference_that_went_to_another_carrier_is_not_taken_as_done(tmp_path: Path) -> None:
    orders = write_csv(tmp_path / "orders.csv", rows("X-1"))
    out = tmp_path / "orders.results.csv"
    out.write_text(
        "reference,carrier,status,tracking_number,row\nX-1,deftship,shipped,9400,2\n", encoding="utf-8"
    )
    shipper = FakeShipper("baaship")
    tally = ship_file(orders, out=out, shippers={"baaship": shipper}, settings={})
    assert shipper.shipped == []
    assert not tally.ok
    lines = read_results(out)
    assert [(line["carrier"], line["status"]) for line in lines] == [
        ("deftship", "shipped"),
        ("baaship", "failed"),
    ]
    assert "went to deftship in an earlier run" in lines[1]["error.message"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("accounts.csv", b"customer,total\nACME,12.50\n"),
        ("notes.jsonl", b"just some notes\n"),
        ("ledger.csv", "reference,carrier,status\nK\xf6ln,baaship,shipped\n".encode("latin-1")),
        ("other.jsonl", b'{"reference": "B-1", "status": "delivered"}\n'),
    ],
)
def test_an_unrelated_out_file_is_refused_and_left_alone(tmp_path: Path, name: str, content: bytes) -> None:
    orders = write_csv(tmp_path / "orders.csv", rows("B-1"))
    out = tmp_path / name
    out.write_bytes(content)
    with pytest.raises(NotAResultsFile):
        ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    for resume in ("--no-resume", "--no-progress"):
        result = CliRunner().invoke(main, ["ship", str(orders), "--out", str(out), resume])
        assert result.exit_code == 2, result.output
        assert "not a shipspec results file" in result.output
        assert "Traceback" not in result.output
    assert out.read_bytes() == content


def test_identifying_columns_are_never_masked_but_messages_are(tmp_path: Path) -> None:
    """A reference that looks like a credential field is an id: masking it broke resume and shipped twice."""
    orders = write_csv(tmp_path / "orders.csv", rows("PO:token=4711", "NO-secret=abc"))
    out = tmp_path / "orders.results.jsonl"
    first = FakeShipper("baaship")
    ship_file(orders, out=out, shippers={"baaship": first}, settings={"baaship": {"token": "tok-123456"}})
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["reference"] for line in lines] == ["PO:token=4711", "NO-secret=abc"]
    again = FakeShipper("baaship")
    ship_file(orders, out=out, shippers={"baaship": again}, settings={})
    assert again.shipped == []


def test_every_jsonl_line_names_its_reference_and_carrier(tmp_path: Path) -> None:
    orders = tmp_path / "orders.jsonl"
    orders.write_text('{"reference": "J-1", "carrier": "baaship"}\n[1, 2]\n', encoding="utf-8")
    out = tmp_path / "orders.results.jsonl"
    ship_file(orders, out=out, shippers={"baaship": FakeShipper("baaship")}, settings={})
    for line in out.read_text(encoding="utf-8").splitlines():
        assert {"reference", "carrier", "status", "row"} <= set(json.loads(line))
