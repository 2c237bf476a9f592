"""Ctrl-C in the middle of a DeftShip batch: the batch is recorded, and the re-run never ships it again."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from shipspec_sandbox import FaultRule, start_sandboxes
from shipspec_sandbox.clients import sandbox_settings

from ..shipping.support_faults import CountingPlan
from .support import environment, read_results, write_csv

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "orders.csv"
SHIPSPEC = [str(Path(sys.executable).with_name("shipspec"))]  # the installed command
BOUND = 120  # seconds any one command may take here


class ShipStarted(CountingPlan):
    """Holds every shipBatch answer 4 s (latency: wide enough for two signals on a busy machine) and says
    when the first one arrived."""

    def __init__(self) -> None:
        super().__init__(rules=(FaultRule("latency", 1.0, "deftship", "shipBatch", latency_ms=4000),))
        self.ship_arrived = threading.Event()

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        if operation == "shipBatch":
            self.ship_arrived.set()
        return super().decide(carrier, operation, identity)


def test_ctrl_c_during_a_batch_records_it_and_the_rerun_ships_nothing_twice(tmp_path: Path) -> None:
    with EXAMPLES.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["carrier"] == "deftship"]
    orders = write_csv(tmp_path / "deft.csv", rows)
    out = tmp_path / "deft.results.csv"
    plan = ShipStarted()
    with start_sandboxes(("deftship",), faults=plan) as running:
        env = os.environ | environment(sandbox_settings(running)) | {"SHIPSPEC_DEFTSHIP_POLL_SECONDS": "0.05"}
        command = [*SHIPSPEC, "ship", str(orders), "--out", str(out), "--no-progress"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            for _ in range(BOUND * 10):  # until shipBatch arrives, or the command ends without it
                if plan.ship_arrived.wait(0.1) or process.poll() is not None:
                    break
            assert plan.ship_arrived.is_set(), process.communicate(timeout=BOUND)[0].decode()
            process.send_signal(signal.SIGINT)  # while shipBatch's answer is still on its way
            output, _ = process.communicate(timeout=BOUND)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode != 0, output.decode()
        lines = read_results(out)
        assert sorted(line["reference"] for line in lines) == sorted(row["reference"] for row in rows)
        assert {line["status"] for line in lines} <= {"shipped", "pending"}
        shipped = len(running.ledger.entries(action="item_shipped"))
        assert shipped == len(rows)

        rerun = subprocess.run(command, env=env, capture_output=True, timeout=BOUND, check=False)
        assert rerun.returncode == 0, rerun.stdout.decode() + rerun.stderr.decode()
        assert plan.calls["createBatch"] == 1  # nothing was sent again
        assert len(running.ledger.entries(action="item_shipped")) == shipped
        assert running.ledger.duplicates() == {}
        assert {line["status"] for line in read_results(out)} == {"shipped"}


def test_a_second_ctrl_c_leaves_the_batch_pending_with_its_id_and_the_rerun_follows_it(
    tmp_path: Path,
) -> None:
    """Left at once while shipBatch is on its way: the rows are pending with the batch id (never missing,
    never resent as a new batch); the re-run follows that batch and ships nothing twice."""
    with EXAMPLES.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["carrier"] == "deftship"]
    orders = write_csv(tmp_path / "deft.csv", rows)
    out = tmp_path / "deft.results.csv"
    plan = ShipStarted()
    with start_sandboxes(("deftship",), faults=plan) as running:
        env = os.environ | environment(sandbox_settings(running)) | {"SHIPSPEC_DEFTSHIP_POLL_SECONDS": "0.05"}
        command = [*SHIPSPEC, "ship", str(orders), "--out", str(out), "--no-progress"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            for _ in range(BOUND * 10):
                if plan.ship_arrived.wait(0.1) or process.poll() is not None:
                    break
            assert plan.ship_arrived.is_set(), process.communicate(timeout=BOUND)[0].decode()
            process.send_signal(signal.SIGINT)
            assert process.stdout is not None
            said = b""
            while b"stopping: waiting for" not in said and (line := process.stdout.readline()):
                said += line  # the first Ctrl-C is being handled: the second is not merged into it
            process.send_signal(signal.SIGINT)  # the batch is left to the next run
            output, _ = process.communicate(timeout=BOUND)
            output = said + output
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == 130, output.decode()
        lines = read_results(out)
        assert sorted(line["reference"] for line in lines) == sorted(row["reference"] for row in rows)
        assert {line["status"] for line in lines} == {"pending"}, output.decode()
        assert len({line["batch_id"] for line in lines}) == 1
        assert all(line["batch_id"] for line in lines)

        rerun = subprocess.run(command, env=env, capture_output=True, timeout=BOUND, check=False)
        assert rerun.returncode == 0, rerun.stdout.decode() + rerun.stderr.decode()
        assert plan.calls["createBatch"] == 1  # followed, not created again
        assert len(running.ledger.entries(action="item_shipped")) == len(rows)
        assert running.ledger.duplicates() == {}
        assert {line["status"] for line in read_results(out)} == {"shipped"}
