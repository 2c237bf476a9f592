"""``shipspec recover`` and ``shipspec results`` after a run killed between the carrier's answer and the
record of it: recover settles from the journal alone, results rebuilds the file, nothing ships twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from shipspec.cli import main
from shipspec.journal import open_journal

from .support import BAASHIP_ROW, sandboxes, write_csv

SHIPSPEC = str(Path(sys.executable).parent / "shipspec")


def killed_run(orders: Path, out: Path, journal: Path, env: dict[str, str]) -> int:
    """``shipspec ship`` killed after Baaship answered the first createShipment, before it is recorded."""
    armed = {**os.environ, **env, "SHIPSPEC_FAILPOINT": "journal.settle.before:1"}
    argv = [SHIPSPEC, "ship", str(orders), "--out", str(out), "--journal", str(journal), "--no-progress"]
    return subprocess.run(argv, env=armed, capture_output=True, timeout=120, check=False).returncode


def test_recover_settles_a_killed_run_from_the_journal_and_results_rebuilds_the_file(tmp_path: Path) -> None:
    orders = write_csv(tmp_path / "orders.csv", [{**BAASHIP_ROW, "reference": f"B-{n}"} for n in range(3)])
    out, journal = tmp_path / "orders.results.csv", tmp_path / "j.sqlite"
    with sandboxes("baaship") as (running, env):
        assert killed_run(orders, out, journal, env) == -9
        with open_journal(journal) as opened:
            left = {e.reference: e.state for e in opened.entries()}
        assert "sending" in left.values()

        recovered = CliRunner().invoke(main, ["recover", "--journal", str(journal)], env=env)
        assert recovered.exit_code == 0, recovered.output
        assert "reconciled:" in recovered.output
        created = running.ledger.entries(action="shipment_created")
        assert running.ledger.duplicates() == {}

        rebuilt = tmp_path / "rebuilt.jsonl"
        made = CliRunner().invoke(main, ["results", "--journal", str(journal), "--out", str(rebuilt)])
        assert made.exit_code == 0, made.output
        lines = [json.loads(line) for line in rebuilt.read_text(encoding="utf-8").splitlines()]
    by_reference = {line["reference"]: line for line in lines}
    uncertain = {ref for ref, state in left.items() if state == "sending"}
    assert set(by_reference) == set(left)  # one line per shipment the journal holds
    waybills = {entry.key: entry.result["waybill"] for entry in created}
    for reference in uncertain:  # reconciled by lookup: shipped once, with the carrier's waybill
        assert by_reference[reference]["status"] in ("shipped", "already_shipped")
        assert by_reference[reference]["tracking_number"] == waybills[reference]
    assert len(created) == len(uncertain)  # recover sent nothing new
    for reference in set(left) - uncertain:  # never sent: reported as such, for the next run to ship
        assert by_reference[reference]["status"] == "pending"
        assert "not sent" in by_reference[reference]["error"]["message"]


def test_results_without_a_journal_file_is_a_usage_error(tmp_path: Path) -> None:
    made = CliRunner().invoke(main, ["results", "--journal", str(tmp_path / "none.sqlite"), "--out", "x.csv"])
    assert made.exit_code == 2
    assert "no such file" in made.output
    assert not (tmp_path / "none.sqlite").exists()
