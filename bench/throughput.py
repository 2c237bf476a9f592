"""Batch throughput: 10,000 shipments over four sandboxes; shipspec's runner vs an ideal loop vs one by one.

Sides, each on its own freshly seeded rows (TikTok packages and WeChat orders must exist and ship once):

- **runner**: ``shipspec.shipping.runner.ship(shipments, settings=…)``, the streaming runner behind
  ``shipspec ship``, building its shippers from the sandbox settings as a user's run would.
- **ideal loop**: ``bench.ideal``: bare httpx on asyncio, same units and per-carrier concurrency, every body
  prepared in advance.
- **sequential**: each shipment through its carrier's shipper alone (``ship_batch([shipment])``), one after
  another, as a plain loop over the clients would; measured on a sample of the same carrier mix (one by one,
  10,000 would take hours: a DeftShip batch needs its asynchronous validation and shipping).

Figures are shipments per second. The sandboxes run in a child process with faults off and request
validation off for every side alike (validation is the sandboxes' own cost, the same for all sides, and
would only hide the clients' differences).
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shipspec.config import build_shipper
from shipspec.shipping.capabilities import Shipper
from shipspec.shipping.runner import ship

from .ideal import plan, run_ideal
from .report import Figure, Section
from .sandboxes import SandboxProcess
from .stats import Sample, interleaved, ratio
from .workload import CARRIERS, make_workload

__all__ = ["run"]

ROWS, QUICK_ROWS = 10_000, 400
ROUNDS, QUICK_ROUNDS = 2, 1
SEQUENTIAL_PER_CARRIER, QUICK_SEQUENTIAL_PER_CARRIER = 12, 2
POLL_SECONDS = 0.5  # the DeftShip shipper's default poll interval (DEFAULT_POLL_SECONDS)
TARGET_VS_IDEAL, TARGET_VS_SEQUENTIAL = 0.8, 15.0
RUNNER, IDEAL, SEQUENTIAL = "runner", "ideal loop", "sequential"


def _close(shipper: Shipper) -> None:
    close: Callable[[], None] | None = getattr(shipper, "close", None)
    if close is not None:
        close()


def _all_shipped(statuses: Counter[tuple[str, str]], expected: int, side: str) -> None:
    shipped = sum(count for (_, status), count in statuses.items() if status == "shipped")
    if shipped != expected:
        raise RuntimeError(f"{side}: {shipped} of {expected} shipped: {dict(statuses)}")


def run(quick: bool = False) -> Section:
    """Interleave the three sides over fresh workloads and report shipments per second."""
    rows = QUICK_ROWS if quick else ROWS
    rounds = QUICK_ROUNDS if quick else ROUNDS
    sample = (QUICK_SEQUENTIAL_PER_CARRIER if quick else SEQUENTIAL_PER_CARRIER) * len(CARRIERS)
    tags = (f"T{number}" for number in itertools.count())
    details: dict[str, list[float]] = {"runner_seconds": [], "ideal_seconds": []}
    with (
        tempfile.TemporaryDirectory(prefix="shipspec-bench-") as folder,
        SandboxProcess(CARRIERS, validate=False) as sandboxes,
    ):
        settings = sandboxes.settings
        shippers = {carrier: build_shipper(carrier, settings[carrier]) for carrier in CARRIERS}

        def prepared(count: int) -> Any:
            workload = make_workload(Path(folder), count, next(tags))
            workload.seed(sandboxes)
            return workload.shipments()

        def runner() -> float:
            shipments = prepared(rows)
            statuses: Counter[tuple[str, str]] = Counter()
            started = time.perf_counter()
            for result in ship(shipments, settings=settings):
                statuses[(result.carrier, result.status)] += 1
            elapsed = time.perf_counter() - started
            _all_shipped(statuses, rows, RUNNER)
            details["runner_seconds"].append(elapsed)
            return rows / elapsed

        def ideal() -> float:
            shipments = prepared(rows)
            work = plan(shipments, shippers, settings, POLL_SECONDS)
            elapsed, shipped = run_ideal(work)
            if shipped != rows:
                raise RuntimeError(f"ideal loop: {shipped} of {rows} shipped")
            details["ideal_seconds"].append(elapsed)
            return rows / elapsed

        def sequential() -> float:
            shipments = prepared(sample)
            statuses: Counter[tuple[str, str]] = Counter()
            started = time.perf_counter()
            for shipment in shipments:
                for result in shippers[shipment.carrier].ship_batch([shipment]):
                    statuses[(result.carrier, result.status)] += 1
            elapsed = time.perf_counter() - started
            _all_shipped(statuses, sample, SEQUENTIAL)
            return sample / elapsed

        try:
            samples = interleaved({RUNNER: runner, IDEAL: ideal, SEQUENTIAL: sequential}, rounds=rounds)
        finally:
            for shipper in shippers.values():
                _close(shipper)
    return _section(samples, rows, rounds, sample, details)


def _section(
    samples: dict[str, Sample], rows: int, rounds: int, sample: int, details: dict[str, list[float]]
) -> Section:
    runner, ideal, sequential = samples[RUNNER], samples[IDEAL], samples[SEQUENTIAL]
    vs_ideal, vs_sequential = ratio(runner, ideal), ratio(runner, sequential)
    figures = [
        Figure(f"runner, {rows:,} shipments", runner.describe(1, " /s", 0)),
        Figure(f"ideal bare-httpx loop, {rows:,} shipments", ideal.describe(1, " /s", 0)),
        Figure(f"sequential, {sample} shipments", sequential.describe(1, " /s", 1)),
        Figure(
            "runner / ideal loop",
            f"{vs_ideal:.2f}x",
            f"≥ {TARGET_VS_IDEAL}x",
            vs_ideal >= TARGET_VS_IDEAL,
        ),
        Figure(
            "runner / sequential",
            f"{vs_sequential:.0f}x",
            f"≥ {TARGET_VS_SEQUENTIAL:.0f}x",
            vs_sequential >= TARGET_VS_SEQUENTIAL,
        ),
        Figure(
            "wall time for the 10,000 (runner; ideal)",
            f"{Sample(tuple(details['runner_seconds'])).median:.1f} s; "
            f"{Sample(tuple(details['ideal_seconds'])).median:.1f} s",
        ),
    ]
    method = (
        f"{rounds} interleaved rounds; each side ships its own freshly seeded rows ({rows:,} for the runner "
        f"and the ideal loop, {sample} for sequential), copies of examples/orders.csv's valid rows in equal "
        "shares per carrier (TikTok Shop, WeChat, Baaship, DeftShip). Sandboxes: all four in one child "
        "process, faults off, **request validation off for every side** (the same sandbox settings for "
        "all). Shipper settings are the defaults (TikTok 50 packages per call, 2 at a time; WeChat and "
        "Baaship one per call, 8 at a time; DeftShip batches of 1,000, 2 at a time, polled every "
        f"{POLL_SECONDS} s). Every side's results are checked: all shipped, or the round fails."
    )
    return Section(
        key="throughput",
        title="2. Batch throughput (10,000 shipments, four sandboxes)",
        method=method,
        figures=figures,
        commands=[".venv/bin/python -m bench throughput"],
    )
