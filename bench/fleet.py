"""Fleet scaling: shipments per second with 1, 2 and 4 ``shipspec worker`` processes, same run.

Every carrier call takes 100 ms at the sandbox (``start_sandboxes(latency_seconds=0.1)``, as a distant carrier
API would), so a worker's throughput is bounded by how many calls it has in flight, not by this machine:
workers add calls in flight, and the figure shows how close the fleet comes to adding throughput with them.
The workload is TikTok Shop, WeChat and Baaship in equal shares (DeftShip is left out: one DeftShip batch is
one carrier-side job polled to its end, which no number of workers shortens). Each worker runs one part at a
time, and a part ships 2 calls at once (TikTok 10 packages per call), so one worker keeps 2 calls in flight:
few enough that one worker is bound by the carriers' latency, not by this machine's 2 cores.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from shipspec import fleet
from shipspec.config import as_environment as environment
from shipspec_sandbox import start_sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment

from scripts.exactly_once import BUILDERS
from scripts.fleet_check import Workers
from tests.support.postgres import fresh_database, postgres_server
from tests.support.redis_server import private_redis

from .report import Figure, Section
from .stats import Sample, interleaved, ratio

__all__ = ["run"]

LATENCY_MS = 100
WORKER_COUNTS = (1, 2, 4)
ROWS, QUICK_ROWS = 600, 90
ROUNDS, QUICK_ROUNDS = 3, 1
TARGET = 3.2
CARRIERS = ("tiktok_shop", "wechat_shop", "baaship")
THREADS = 1
SETTINGS = {
    "tiktok_shop": {"batch_size": "10"},
    "wechat_shop": {"concurrency": "2"},
    "baaship": {"concurrency": "2"},
}
WAIT_SECONDS = 900.0
NOTE_ON_CORES = (
    "Everything runs on this machine: the workers, the coordinator, Redis, PostgreSQL and the sandboxes "
    "share its cores (2 here, shared with other jobs). While the fleet is bound by the carriers' latency "
    "it adds throughput with each worker; once the machine's cores are busy (each shipment costs the "
    "workers, PostgreSQL and the sandboxes some CPU), more workers add less. On separate machines each "
    "worker brings its own cores."
)


def _workload(count: int, start: int) -> list[Shipment]:
    return [Shipment.model_validate(BUILDERS[CARRIERS[i % len(CARRIERS)]](start + i)) for i in range(count)]


def _seed(sandboxes: Any, shipments: list[Shipment]) -> None:
    """The TikTok packages and WeChat orders the shipments ship."""
    for shipment in shipments:
        platform = shipment.platform
        if shipment.carrier == "tiktok_shop" and platform is not None:
            sandboxes.app("tiktok_shop").add_package(str(platform.package_id))
        elif shipment.carrier == "wechat_shop" and platform is not None:
            sandboxes.app("wechat_shop").add_order(int(str(platform.order_id)), [(1, 1, 1)])


def run(quick: bool = False) -> Section:
    """Interleave rounds of 1, 2 and 4 workers over fresh shipments; report shipments per second."""
    rows = QUICK_ROWS if quick else ROWS
    rounds = QUICK_ROUNDS if quick else ROUNDS
    starts = itertools.count(0, rows)
    with (
        tempfile.TemporaryDirectory(prefix="shipspec-bench-fleet-") as folder,
        private_redis(Path(folder)) as broker,
        postgres_server() as server,
        start_sandboxes(CARRIERS, latency_seconds=LATENCY_MS / 1000, validate=False) as sandboxes,
    ):
        journal = fresh_database(server, "bench_fleet")
        settings = {c: {**v, **SETTINGS[c]} for c, v in sandbox_settings(sandboxes).items()}

        def side(count: int) -> Any:
            def measure() -> float:
                shipments = _workload(rows, next(starts))
                _seed(sandboxes, shipments)
                group = Workers(broker, journal, environment(settings), Path(folder), threads=THREADS)
                try:
                    group.start_all([f"bench{count}-{number}" for number in range(count)])
                    started = time.perf_counter()
                    results = fleet.ship(
                        shipments, broker=broker, journal=journal, settings=settings, wait=WAIT_SECONDS
                    )
                    elapsed = time.perf_counter() - started
                finally:
                    group.stop_all()
                statuses = Counter(r.status for r in results)
                if statuses != Counter({"shipped": rows}):
                    raise RuntimeError(f"{count} workers: {dict(statuses)}")
                return rows / elapsed

            return measure

        samples = interleaved({str(n): side(n) for n in WORKER_COUNTS}, rounds=rounds)
    return _section(samples, rows, rounds)


def _section(samples: dict[str, Sample], rows: int, rounds: int) -> Section:
    one = samples["1"]
    figures = [
        Figure(f"{n} worker{'s' * (n > 1)}", samples[str(n)].describe(1, " /s", 0)) for n in WORKER_COUNTS
    ]
    scale = {n: ratio(samples[str(n)], one) for n in WORKER_COUNTS[1:]}
    figures += [Figure("2 workers / 1", f"{scale[2]:.2f}x")]
    figures += [Figure("4 workers / 1", f"{scale[4]:.2f}x", f"≥ {TARGET}x", scale[4] >= TARGET)]
    method = (
        f"{rounds} interleaved rounds of 1, 2 and 4 worker processes (started before, stopped after each "
        f"round's clock), each shipping {rows:,} fresh shipments with `shipspec.fleet.ship` (TikTok Shop, "
        f"WeChat, Baaship in equal shares), every sandbox call delayed {LATENCY_MS} ms. Timed from the "
        "coordinator's first intent to the results read back from the journal; every result checked shipped."
    )
    return Section(
        key="fleet",
        title="8. Fleet scaling (1, 2 and 4 workers, 100 ms per carrier call)",
        method=method,
        figures=figures,
        commands=[".venv/bin/python -m bench fleet"],
        notes=[(__doc__ or "").split("\n\n")[1].replace("\n", " "), NOTE_ON_CORES],
    )
