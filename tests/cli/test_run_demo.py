"""scripts/run_demo.sh (``make run``'s main job) end to end: ships the examples, stops the sandboxes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "run_demo.sh"
TIMEOUT_SECONDS = 120


def run(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """Run the script; also return the sandbox ports it announced."""
    results = tmp_path / "orders.results.csv"
    # The development environment's command: the publish + install step has its own tests (tests/publishing).
    command = str(REPO / ".venv" / "bin" / "shipspec")
    done = subprocess.run(
        [str(SCRIPT)],
        env={**os.environ, "SHIPSPEC": command, "RESULTS": str(results), "TMPDIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    ports = [int(port) for port in re.findall(r"http://127\.0\.0\.1:(\d+)", done.stdout)]
    return done, ports


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.timeout(TIMEOUT_SECONDS + 30)
def test_the_demo_ships_every_good_row_and_rejects_the_bad_one(tmp_path: Path) -> None:
    """Exit 0: the bad row is named by row and path, 14 rows ship, no duplicates, sandboxes gone after."""
    done, ports = run(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "row 13 (BAA-30004): parcels[0].weight.value: must be a decimal number greater than 0" in done.stderr
    )
    assert re.search(r"│ all\s+│\s+14 │\s+0 │\s+1 │\s+0 │\s+15 │", done.stdout), done.stdout
    assert "15 side effects, 0 duplicated keys" in done.stdout
    assert len(ports) == 4
    assert not any(listening(port) for port in ports)
    assert list(tmp_path.glob("shipspec-demo.*")) == []  # its work folder (env file with tokens) is removed

    again, _ = run(tmp_path)  # same results path: fresh sandboxes must not inherit the earlier results
    assert again.returncode == 0, again.stdout + again.stderr
    assert "15 side effects, 0 duplicated keys" in again.stdout


@pytest.mark.timeout(TIMEOUT_SECONDS + 30)
def test_an_unexpected_failure_fails_the_demo_and_still_stops_the_sandboxes(tmp_path: Path) -> None:
    """With no failure expected, the bad row makes the script exit 1; the sandboxes are stopped anyway."""
    done, ports = run(tmp_path, EXPECTED_FAILURES="")
    assert done.returncode == 1
    assert "failed or pending rows: BAA-30004; expected: none" in done.stderr
    assert len(ports) == 4
    assert not any(listening(port) for port in ports)
