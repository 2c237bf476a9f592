"""Peak memory of ``shipspec ship FILE`` streaming 100,000 rows vs 10,000 (and 1,000, to show the trend).

Each run is the real command line in its own process (``.venv/bin/shipspec ship FILE --config … --out …``)
against a TikTok Shop sandbox in a child process (faults off, request validation on). Its peak resident set
size is the kernel's high-water mark of the program's own memory (``VmHWM`` in ``/proc/PID/status``), read
every few milliseconds until it exits. Not ``ru_maxrss``: that also counts the moment between fork and exec,
when the child is still a copy of this (much larger) benchmark process.

Rows are TikTok Shop rows only: TikTok ships 50 packages per call, which lets 100,000 rows finish inside the
time budget; the runner's memory bound (batches in flight per carrier) and the command's per-row work
(reading, validating, writing results) are the same for every carrier.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .report import Figure, Section
from .sandboxes import SandboxProcesses
from .workload import Workload, make_workload

__all__ = ["run"]

SIZES, QUICK_SIZES = (1_000, 10_000, 100_000), (200, 2_000)
TARGET = 1.3
POLL_SECONDS = 0.005
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


def _high_water_mark(pid: int) -> int | None:
    """The process's peak RSS so far in bytes (``VmHWM``), or None once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None  # a zombie: its memory is gone, the last reading stands


def _ship(workload: Workload, config: Path, folder: Path) -> Measured:
    results = folder / f"{workload.path.stem}.results.csv"
    argv = [str(SHIPSPEC), "ship", str(workload.path), "--config", str(config), "--out", str(results)]
    peak = 0
    with (folder / "ship.log").open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen([*argv, "--no-progress"], stdout=log, stderr=subprocess.STDOUT)
        while process.poll() is None:
            peak = max(peak, _high_water_mark(process.pid) or 0)
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
    with results.open(encoding="utf-8") as handle:
        shipped = sum(1 for line in handle if ",shipped," in line)
    return Measured(workload.rows, peak, seconds, process.returncode, shipped)


def run(quick: bool = False) -> Section:
    """Ship each size through the real command line and compare the peaks."""
    sizes = QUICK_SIZES if quick else SIZES
    with (
        tempfile.TemporaryDirectory(prefix="shipspec-bench-mem-") as folder_name,
        SandboxProcesses(("tiktok_shop",), validate=True) as sandboxes,
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
        title="6. Peak memory of `shipspec ship` (100,000 vs 10,000 rows)",
        method=(
            "One run per size, each the real command line in its own process; peak RSS is the process's "
            "`VmHWM` (`/proc/PID/status`), polled every 5 ms until it exits. Rows are TikTok Shop rows "
            "(copies of the example rows with fresh package ids, seeded in the sandbox first), shipped "
            "through one TikTok sandbox in a child process (faults off, request validation on). Every run "
            "must exit 0 with every row shipped."
        ),
        figures=figures,
        commands=[
            ".venv/bin/python -m bench memory",
            ".venv/bin/shipspec ship ROWS.csv --config SANDBOX.toml --out RESULTS.csv --no-progress",
        ],
        notes=NOTES,
    )


NOTES = [
    "What grows with the rows: `shipspec ship` keeps a map from each shipment's reference to its row number "
    "(`overrides/shipspec/cli/ship.py`, `rows_of`), to report a repeated reference and to put each result, "
    "which arrives in completion order, on its row. tracemalloc puts it at about 110 bytes a row (the "
    "reference text, the row number, the dict slot), which is the growth per extra row above; rows, batches "
    "in flight and results are otherwise streamed. At this rate a million rows would add about 100 MiB.",
]
