"""Peak memory of ``shipspec ship FILE`` streaming 100,000 rows vs 10,000 (and 1,000, to show the trend).

Each run is the real command line in its own process (``.venv/bin/shipspec ship FILE --config … --out …``)
against a TikTok Shop sandbox in a child process (faults off, request validation on), and its peak resident
set size is what the kernel reports for that process when it ends (``os.wait4`` → ``ru_maxrss``).

Rows are TikTok Shop rows only: TikTok ships 50 packages per call, which lets 100,000 rows finish inside the
time budget; the runner's memory bound (batches in flight per carrier) and the command's per-row work
(reading, validating, writing results) are the same for every carrier.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .report import Figure, Section
from .sandboxes import SandboxProcess
from .workload import Workload, make_workload

__all__ = ["run"]

SIZES, QUICK_SIZES = (1_000, 10_000, 100_000), (200, 2_000)
TARGET = 1.3
SHIPSPEC = Path(sys.executable).parent / "shipspec"


@dataclass(frozen=True)
class Measured:
    rows: int
    peak_bytes: int
    seconds: float
    exit_status: int
    shipped: int


def _config(folder: Path, settings: dict[str, dict[str, str]]) -> Path:
    path = folder / "sandbox.toml"
    lines = []
    for carrier, values in settings.items():
        lines.append(f"[{carrier}]")
        lines += [f"{name} = {json.dumps(value)}" for name, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ship(workload: Workload, config: Path, folder: Path) -> Measured:
    results = folder / f"{workload.path.stem}.results.csv"
    argv = [str(SHIPSPEC), "ship", str(workload.path), "--config", str(config), "--out", str(results)]
    with (folder / "ship.log").open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen([*argv, "--no-progress"], stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    with results.open(encoding="utf-8") as handle:
        shipped = sum(1 for line in handle if ",shipped," in line)
    return Measured(workload.rows, usage.ru_maxrss * 1024, seconds, process.returncode, shipped)


def run(quick: bool = False) -> Section:
    """Ship each size through the real command line and compare the peaks."""
    sizes = QUICK_SIZES if quick else SIZES
    with (
        tempfile.TemporaryDirectory(prefix="shipspec-bench-mem-") as folder_name,
        SandboxProcess(("tiktok_shop",), validate=True) as sandboxes,
    ):
        folder = Path(folder_name)
        config = _config(folder, sandboxes.settings)
        measured = []
        for size in sizes:
            workload = make_workload(folder, size, f"M{size}", ("tiktok_shop",))
            workload.seed(sandboxes)
            result = _ship(workload, config, folder)
            if result.exit_status != 0 or result.shipped != size:
                log = (folder / "ship.log").read_text(encoding="utf-8", errors="replace")[-2000:]
                problem = f"exit {result.exit_status}, {result.shipped} of {size} shipped"
                raise RuntimeError(f"shipspec ship: {problem}\n{log}")
            measured.append(result)
            workload.path.unlink()
    return _section(measured)


def _section(measured: list[Measured]) -> Section:
    largest, reference = measured[-1], measured[-2]
    growth = largest.peak_bytes / reference.peak_bytes
    figures = [
        Figure(
            f"peak RSS, {m.rows:,} rows",
            f"{m.peak_bytes / 2**20:.1f} MiB ({m.seconds:.1f} s, {m.rows / m.seconds:,.0f} rows/s)",
        )
        for m in measured
    ]
    figures.append(
        Figure(
            f"{largest.rows:,} rows / {reference.rows:,} rows",
            f"{growth:.2f}x",
            f"≤ {TARGET}x",
            growth <= TARGET,
        )
    )
    per_row = (largest.peak_bytes - reference.peak_bytes) / (largest.rows - reference.rows)
    figures.append(Figure("growth per extra row", f"{per_row:.0f} bytes"))
    return Section(
        key="memory",
        title="5. Peak memory of `shipspec ship` (100,000 vs 10,000 rows)",
        method=(
            "One run per size, each the real command line in its own process; peak RSS from "
            "`os.wait4` (`ru_maxrss`) when it ends. Rows are TikTok Shop rows (copies of the example rows "
            "with fresh package ids, seeded in the sandbox first), shipped through one TikTok sandbox in a "
            "child process (faults off, request validation on). Every run must exit 0 with every row shipped."
        ),
        figures=figures,
        commands=[
            ".venv/bin/python -m bench memory",
            ".venv/bin/shipspec ship ROWS.csv --config SANDBOX.toml --out RESULTS.csv --no-progress",
        ],
    )
