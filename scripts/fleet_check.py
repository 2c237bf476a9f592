"""Exactly-once on a fleet: Celery workers on Redis sharing a PostgreSQL journal, one killed mid-batch.

    .venv/bin/python -m scripts.fleet_check --count 10000 --workers 3

Starts a private redis-server and PostgreSQL on 127.0.0.1, the four sandboxes with faults on (30 % of
requests, the plan of ``scripts.exactly_once``), and ``--workers`` ``shipspec worker`` processes; ships
``--count`` shipments through ``shipspec.fleet.ship``; kills one worker with SIGKILL while it holds a batch
in ``sending`` (sent, answer not recorded), and stops and restarts another midway. Shipments left pending
by the faults are submitted again (up to ``--passes``; the journal reconciles them). Prints one JSON line:
rows, workers, workers killed and restarted, ledger duplicates, lost, pending, disagreements with the
ledger, WeChat token fetches (the sandbox's count) and token calls per carrier as they arrived, the busiest
second per carrier against its limit, and seconds. Exits 0 when duplicates, lost, pending and disagreements
are 0, WeChat's token was fetched once and no limit was exceeded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipspec import fleet
from shipspec.config import as_environment
from shipspec.journal import open_journal
from shipspec.journal.owner import Owner
from shipspec.settings import instant_backoff
from shipspec_sandbox import FaultPlan, FaultRule, start_sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment, ShipmentResult

from tests.overrides.shared_state.arrivals import most_in_any_window
from tests.support.postgres import fresh_database, postgres_server
from tests.support.redis_server import private_redis
from tests.support.servers import REPO, stop

from .exactly_once import CARRIERS, FAULT_KINDS, HOLD_SECONDS, compare, seed, shipments

READY_TIMEOUT_SECONDS = 60.0
KILL_TIMEOUT_SECONDS = 120.0
LEASE_SECONDS = 3.0
VISIBILITY_TIMEOUT_SECONDS = 8.0
WAIT_SECONDS = 900.0
THREADS = 4
LIMITS = {"tiktok_shop": 40, "wechat_shop": 40, "baaship": 60, "deftship": 20}
"""Requests per second each carrier's pacing allows the whole fleet (``rate_limit``, shared in Redis)."""


@dataclass
class ArrivalsPlan(FaultPlan):
    """The fault plan, noting when each carrier's business requests arrive (token calls are not paced, and
    are counted apart)."""

    arrivals: dict[str, list[float]] = field(default_factory=dict)
    _arrivals_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    token_calls: dict[str, int] = field(default_factory=dict)

    def decide(self, carrier: str, operation: str, identity: bytes) -> FaultRule | None:
        with self._arrivals_lock:
            if "token" in operation.lower():
                self.token_calls[carrier] = self.token_calls.get(carrier, 0) + 1
            else:
                self.arrivals.setdefault(carrier, []).append(time.time())
        return super().decide(carrier, operation, identity)

    def busiest_second(self) -> dict[str, int]:
        """The most business requests that arrived in any one second (a half-open window starting at an
        arrival), per carrier: what the carrier's limit counts. The pacing leaves no room for jitter here."""
        with self._arrivals_lock:
            return {carrier: most_in_any_window(sorted(at), 1.0) for carrier, at in self.arrivals.items()}


@dataclass
class Workers:
    """``shipspec worker`` processes of one fleet, each logging to its own file; all stopped at the end."""

    broker: str
    journal: str
    env: dict[str, str]
    logs: Path
    lease: float = LEASE_SECONDS
    visibility_timeout: float = VISIBILITY_TIMEOUT_SECONDS
    threads: int = THREADS
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    killed: int = 0
    restarted: int = 0

    def start(self, name: str, extra: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
        process, since = self._launch(name, extra)
        self._wait_ready(self.logs / f"{name}.log", process, since)
        return process

    def start_all(self, names: Sequence[str]) -> None:
        """Start the workers at once, then wait until each is ready (their start-ups overlap)."""
        launched = {name: self._launch(name) for name in names}
        for name, (process, since) in launched.items():
            self._wait_ready(self.logs / f"{name}.log", process, since)

    def _launch(
        self, name: str, extra: Mapping[str, str] | None = None
    ) -> tuple[subprocess.Popen[bytes], int]:
        """The started worker, and where its lines begin in its log (a worker started again under the same
        name appends to the log of the one before, whose "ready" must not count)."""
        log = self.logs / f"{name}.log"
        since = log.stat().st_size if log.exists() else 0
        argv = [
            sys.executable,
            "-c",
            "import sys; from shipspec.cli import main; sys.exit(main())",
            "worker",
            f"--broker={self.broker}",
            f"--journal={self.journal}",
            f"--threads={self.threads}",
            f"--name={name}@%h",
            f"--lease={self.lease}",
            f"--visibility-timeout={self.visibility_timeout}",
        ]
        with log.open("ab") as sink:
            process = subprocess.Popen(
                argv,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env, **(extra or {})},
                cwd=REPO,
                start_new_session=True,
            )
        self.running[name] = process
        return process, since

    @staticmethod
    def _wait_ready(log: Path, process: subprocess.Popen[bytes], since: int) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while b" ready." not in log.read_bytes()[since:]:
            if process.poll() is not None:
                raise RuntimeError(f"worker exited with {process.returncode}: {log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker not ready in {READY_TIMEOUT_SECONDS}s: {log.read_text()[-2000:]}")
            time.sleep(0.1)

    def kill(self, name: str) -> None:
        process = self.running[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        self.killed += 1

    def restart(self, name: str) -> None:
        stop(self.running[name])  # SIGTERM: a warm shutdown (the parts it is shipping finish first)
        self.start(name)
        self.restarted += 1

    def stop_all(self) -> None:
        for process in self.running.values():
            stop(process)


@contextlib.contextmanager
def workers(broker: str, journal: str, env: dict[str, str], logs: Path) -> Iterator[Workers]:
    group = Workers(broker, journal, env, logs)
    try:
        yield group
    finally:
        group.stop_all()


def kill_when_sending(group: Workers, name: str, journal_url: str, stop_at: threading.Event) -> bool:
    """SIGKILL worker ``name`` as soon as it holds a batch in ``sending`` (sent, answer not recorded)."""
    pid = group.running[name].pid
    deadline = time.monotonic() + KILL_TIMEOUT_SECONDS
    with open_journal(journal_url) as journal:
        while time.monotonic() < deadline and not stop_at.is_set():
            for entry in journal.entries(("sending",)):
                owner = Owner.parse(entry.owner or "")
                if owner is not None and owner.pid == pid:
                    group.kill(name)
                    return True
            time.sleep(0.02)
    return False


def settings_for(base: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The sandbox settings with each carrier's fleet-wide limit."""
    return {carrier: {**values, "rate_limit": f"{LIMITS[carrier]}/s"} for carrier, values in base.items()}


def ship_passes(
    batch: list[Shipment], broker: str, journal: str, settings: Any, passes: int
) -> tuple[dict[str, ShipmentResult], int]:
    """Ship on the fleet; ship again what is pending (the journal reconciles it), up to ``passes``."""

    def once(part: list[Shipment]) -> list[ShipmentResult]:
        return fleet.ship(
            part,
            broker=broker,
            journal=journal,
            settings=settings,
            lease=LEASE_SECONDS,
            visibility_timeout=VISIBILITY_TIMEOUT_SECONDS,
            wait=WAIT_SECONDS,
        )

    results = {r.reference: r for r in once(batch)}
    used = 1
    while used < passes and any(r.status == "pending" for r in results.values()):
        results.update(
            (r.reference, r) for r in once([s for s in batch if results[s.reference].status == "pending"])
        )
        used += 1
    return results, used


def run(
    count: int,
    worker_count: int = 3,
    fault_share: float = 0.3,
    seed_value: int = 7,
    passes: int = 5,
    *,
    redis_url: str | None = None,
    postgres_url: str | None = None,
) -> dict[str, Any]:
    """The whole check (see the module docstring); its report."""
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shipspec-fleet-")))
        broker = redis_url or stack.enter_context(private_redis(work))
        server = postgres_url or stack.enter_context(postgres_server())
        journal = fresh_database(server, f"fleet_{os.getpid()}_{int(time.time())}")
        batch = shipments(count)
        plan = ArrivalsPlan(seed=seed_value)
        sandboxes = stack.enter_context(start_sandboxes(CARRIERS, faults=plan))
        seed(sandboxes, batch)
        settings = settings_for(sandbox_settings(sandboxes))
        group = stack.enter_context(workers(broker, journal, as_environment(settings), work))
        names = [f"w{n}" for n in range(1, worker_count + 1)]
        for name in names:
            group.start(name)
        each = fault_share / len(FAULT_KINDS)
        plan.rules = tuple(FaultRule(kind, each, hold_seconds=HOLD_SECONDS) for kind in FAULT_KINDS)
        plan.arrivals.clear()
        plan.token_calls.clear()
        stop_at = threading.Event()
        killer = threading.Thread(
            target=kill_when_sending, args=(group, names[0], journal, stop_at), daemon=True
        )
        started = time.perf_counter()
        killer.start()
        restarter = threading.Timer(2.0, group.restart, args=(names[-1],)) if worker_count > 1 else None
        if restarter is not None:
            restarter.start()
        try:
            with instant_backoff():
                results, used = ship_passes(batch, broker, journal, settings, passes)
        finally:
            stop_at.set()
            killer.join(timeout=KILL_TIMEOUT_SECONDS)
            if restarter is not None:
                restarter.cancel()
                restarter.join()
        seconds = time.perf_counter() - started
        report = compare(batch, list(results.values()), sandboxes)
        wechat: Any = sandboxes.app("wechat_shop")
        busiest = plan.busiest_second()
        return {
            "rows": count,
            "workers": worker_count,
            "workers_killed": group.killed,
            "workers_restarted": group.restarted,
            "duplicates": len(report.duplicates),
            "lost": len(report.lost),
            "pending": len(report.pending),
            "disagreements": len(report.disagreements),
            "passes": used,
            "token_fetches": {"wechat_shop": wechat.token_requests("getStableAccessToken")},
            "token_calls": dict(sorted(plan.token_calls.items())),
            "busiest_second": busiest,
            "limits": LIMITS,
            "limit_exceeded": [c for c, n in busiest.items() if n > LIMITS[c]],
            "statuses": dict(sorted(report.statuses.items())),
            "seconds": round(seconds, 1),
            "examples": (report.disagreements + report.pending + report.lost)[:5],
        }
    raise AssertionError("unreachable")


def ok(report: Mapping[str, Any]) -> bool:
    return (
        report["duplicates"] == 0
        and report["lost"] == 0
        and report["pending"] == 0
        and report["disagreements"] == 0
        and report["token_fetches"]["wechat_shop"] == 1
        and not report["limit_exceeded"]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.fleet_check", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--count", type=int, default=10_000, help="shipments, spread over the four carriers")
    parser.add_argument("--workers", type=int, default=3, help="worker processes (>= 2)")
    parser.add_argument("--fault-share", type=float, default=0.3, help="share of requests given a fault")
    parser.add_argument("--seed", type=int, default=7, help="seed of the fault plan")
    parser.add_argument("--passes", type=int, default=5, help="passes, later ones re-submitting pending")
    options = parser.parse_args(argv)
    report = run(options.count, options.workers, options.fault_share, options.seed, options.passes)
    print(json.dumps(report))  # noqa: T201 - the check's one line
    return 0 if ok(report) else 1


if __name__ == "__main__":
    sys.exit(main())
