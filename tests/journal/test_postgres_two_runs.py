"""Two ``shipspec ship`` processes on the same file and one PostgreSQL journal: every row ships once.

Both runs start together against the four sandboxes, each with its own results file. Where one run holds a
row, the other reports it ``pending`` (or, once settled, the recorded outcome) and never sends it; a third run
then settles every row from the journal without sending anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from shipspec_sandbox import start_sandboxes
from shipspec_sandbox.clients import sandbox_settings

from scripts.exactly_once import CARRIERS, LEDGER_ACTIONS, ledger_key, seed, shipments
from tests.cli.support import environment, read_results
from tests.support.postgres import fresh_database

SHIPSPEC = str(Path(sys.executable).with_name("shipspec"))
BOUND = 300  # seconds either run may take on a busy machine
ROWS = 240  # 60 per carrier: several batches each, so the two runs overlap
HELD_ELSEWHERE = "another run is shipping it"


def _ship(orders: Path, out: Path, journal: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [SHIPSPEC, "ship", str(orders), "--out", str(out), "--journal", journal, "--no-progress"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    try:
        output, _ = process.communicate(timeout=BOUND)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, output.decode()


def test_two_runs_at_once_ship_every_row_once(tmp_path: Path, postgres_url: str) -> None:
    journal = fresh_database(postgres_url, "two_runs")
    batch = shipments(ROWS)
    orders = tmp_path / "orders.jsonl"
    orders.write_text("".join(s.model_dump_json(exclude_none=True) + "\n" for s in batch), encoding="utf-8")
    with start_sandboxes(CARRIERS) as running:
        seed(running, batch)
        env = os.environ | environment(sandbox_settings(running)) | {"SHIPSPEC_DEFTSHIP_POLL_SECONDS": "0.05"}
        outs = [tmp_path / "a.results.csv", tmp_path / "b.results.csv"]
        processes = [_ship(orders, out, journal, env) for out in outs]
        finished = [_finish(process) for process in processes]
        for code, output in finished:
            assert code in (0, 1), output  # 1: some rows pending (held by the other run)
            assert "Traceback" not in output

        shipped = Counter(
            (entry.carrier, entry.caller_reference)
            for carrier, action in LEDGER_ACTIONS.items()
            for entry in running.ledger.entries(carrier=carrier, action=action)
        )
        assert running.ledger.duplicates() == {}
        assert running.ledger.duplicates(by="reference") == {}
        assert {(s.carrier, ledger_key(s)) for s in batch} == set(shipped)
        assert set(shipped.values()) == {1}

        lines = [{line["reference"]: line for line in read_results(out)} for out in outs]
        held = 0
        for shipment in batch:
            statuses = [line[shipment.reference]["status"] for line in lines]
            # A resend would have met the carrier's "already shipped" (TikTok, WeChat): none did.
            assert set(statuses) <= {"shipped", "pending"}, (shipment.reference, statuses)
            assert "shipped" in statuses, (shipment.reference, statuses)
            for line in lines:
                if line[shipment.reference]["status"] == "pending":
                    assert HELD_ELSEWHERE in line[shipment.reference]["error.message"]
                    held += 1
        assert held > 0, "the two runs did not overlap: nothing was held by the other run"

        again = _finish(_ship(orders, outs[1], journal, env))
        assert again[0] == 0, again[1]
        assert {line["status"] for line in read_results(outs[1])} == {"shipped"}
        assert len(read_results(outs[1])) == ROWS
        after = Counter(
            (entry.carrier, entry.caller_reference)
            for carrier, action in LEDGER_ACTIONS.items()
            for entry in running.ledger.entries(carrier=carrier, action=action)
        )
        assert after == shipped  # the third run sent nothing
