"""Batch throughput: 10,000 shipments over four sandboxes; shipspec's runner vs an ideal loop vs one by one.

Sides, each on its own freshly seeded rows (TikTok packages and WeChat orders must exist and ship once):

- **runner**: ``shipspec.shipping.runner.ship(shipments, settings=…)``, the streaming runner behind
  ``shipspec ship`` (thread pools), building its shippers from the sandbox settings as a user's run would.
- **runner, one event loop**: ``aship`` with the async clients, the same otherwise: which of the two costs
  less CPU per shipment decides what ``shipspec ship`` uses.
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

import asyncio
import itertools
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shipspec.carriers.deftship.shipper import DEFAULT_POLL_SECONDS, POLL_FIRST_SECONDS
from shipspec.config import build_shipper
from shipspec.shipping.capabilities import Shipper
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment

from .ideal import plan, run_ideal
from .report import Figure, Section
from .sandboxes import SandboxProcesses
from .stats import Sample, interleaved, ratio
from .workload import CARRIERS, make_workload

__all__ = ["all_shipped", "close_shipper", "run", "run_async_runner"]

ROWS, QUICK_ROWS = 10_000, 400
ROUNDS, QUICK_ROUNDS = 3, 1
SEQUENTIAL_PER_CARRIER, QUICK_SEQUENTIAL_PER_CARRIER = 4, 2
TARGET_VS_IDEAL, TARGET_VS_SEQUENTIAL = 0.9, 15.0
RUNNER, ASYNC_RUNNER, IDEAL, SEQUENTIAL = "runner", "runner, one event loop", "ideal loop", "sequential"


def close_shipper(shipper: Shipper) -> None:
    close: Callable[[], None] | None = getattr(shipper, "close", None)
    if close is not None:
        close()


def all_shipped(statuses: Counter[tuple[str, str]], expected: int, side: str) -> None:
    shipped = sum(count for (_, status), count in statuses.items() if status == "shipped")
    if shipped != expected:
        raise RuntimeError(f"{side}: {shipped} of {expected} shipped: {dict(statuses)}")


def run_async_runner(
    shipments: list[Shipment], settings: dict[str, dict[str, str]]
) -> tuple[Counter[tuple[str, str]], float]:
    """Ship through ``aship`` on a fresh event loop (its shippers built and closed inside it): the statuses
    and the wall time of the run."""

    async def main() -> tuple[Counter[tuple[str, str]], float]:
        statuses: Counter[tuple[str, str]] = Counter()
        shippers = {carrier: build_shipper(carrier, settings[carrier]) for carrier in settings}
        try:
            started = time.perf_counter()
            async for result in aship(shipments, shippers=shippers):
                statuses[(result.carrier, result.status)] += 1
            return statuses, time.perf_counter() - started
        finally:
            for shipper in shippers.values():
                aclose = getattr(shipper, "aclose", None)
                if aclose is not None:
                    await aclose()
                close_shipper(shipper)

    return asyncio.run(main())


def run(quick: bool = False) -> Section:
    """Interleave the three sides over fresh workloads and report shipments per second."""
    rows = QUICK_ROWS if quick else ROWS
    rounds = QUICK_ROUNDS if quick else ROUNDS
    sample = (QUICK_SEQUENTIAL_PER_CARRIER if quick else SEQUENTIAL_PER_CARRIER) * len(CARRIERS)
    tags = (f"T{number}" for number in itertools.count())
    details: dict[str, list[float]] = {
        name: [] for name in ("runner_seconds", "ideal_seconds", "runner_cpu", "ideal_cpu", "async_cpu")
    }
    finish: dict[str, dict[str, list[float]]] = {RUNNER: {}, IDEAL: {}}  # side → carrier → last result at
    one_by_one: dict[str, list[float]] = {}  # carrier → seconds per shipment, sequentially
    with (
        tempfile.TemporaryDirectory(prefix="shipspec-bench-") as folder,
        SandboxProcesses(CARRIERS, validate=False) as sandboxes,
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
            last: dict[str, float] = {}
            cpu, started = time.process_time(), time.perf_counter()
            for result in ship(shipments, settings=settings):
                statuses[(result.carrier, result.status)] += 1
                last[result.carrier] = time.perf_counter()
            elapsed = time.perf_counter() - started
            details["runner_cpu"].append(time.process_time() - cpu)
            all_shipped(statuses, rows, RUNNER)
            for carrier, at in last.items():
                finish[RUNNER].setdefault(carrier, []).append(at - started)
            details["runner_seconds"].append(elapsed)
            return rows / elapsed

        def async_runner() -> float:
            shipments = prepared(rows)
            cpu = time.process_time()
            statuses, elapsed = run_async_runner(shipments, settings)
            details["async_cpu"].append(time.process_time() - cpu)
            all_shipped(statuses, rows, ASYNC_RUNNER)
            return rows / elapsed

        def ideal() -> float:
            shipments = prepared(rows)
            work = plan(shipments, shippers, settings, DEFAULT_POLL_SECONDS, POLL_FIRST_SECONDS)
            cpu = time.process_time()
            elapsed, shipped, finished = run_ideal(work)
            details["ideal_cpu"].append(time.process_time() - cpu)
            if shipped != rows:
                raise RuntimeError(f"ideal loop: {shipped} of {rows} shipped")
            for carrier, at in finished.items():
                finish[IDEAL].setdefault(carrier, []).append(at)
            details["ideal_seconds"].append(elapsed)
            return rows / elapsed

        def sequential() -> float:
            shipments = prepared(sample)
            statuses: Counter[tuple[str, str]] = Counter()
            started = time.perf_counter()
            for shipment in shipments:
                call_started = time.perf_counter()
                for result in shippers[shipment.carrier].ship_batch([shipment]):
                    statuses[(result.carrier, result.status)] += 1
                one_by_one.setdefault(shipment.carrier, []).append(time.perf_counter() - call_started)
            elapsed = time.perf_counter() - started
            all_shipped(statuses, sample, SEQUENTIAL)
            return sample / elapsed

        try:
            samples = interleaved(
                {RUNNER: runner, ASYNC_RUNNER: async_runner, IDEAL: ideal, SEQUENTIAL: sequential},
                rounds=rounds,
            )
        finally:
            for shipper in shippers.values():
                close_shipper(shipper)
    return _section(samples, rows, rounds, sample, details, finish, one_by_one)


def _section(
    samples: dict[str, Sample],
    rows: int,
    rounds: int,
    sample: int,
    details: dict[str, list[float]],
    finish: dict[str, dict[str, list[float]]],
    one_by_one: dict[str, list[float]],
) -> Section:
    runner, ideal, sequential = samples[RUNNER], samples[IDEAL], samples[SEQUENTIAL]
    vs_ideal, vs_sequential = ratio(runner, ideal), ratio(runner, sequential)
    cpu = {
        name: Sample(tuple(details[name])).median / rows * 1e6
        for name in ("runner_cpu", "async_cpu", "ideal_cpu")
    }
    figures = [
        Figure(f"runner, {rows:,} shipments", runner.describe(1, " /s", 0)),
        Figure(
            f"runner on one event loop (aship), {rows:,} shipments",
            samples[ASYNC_RUNNER].describe(1, " /s", 0),
        ),
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
            f"wall time for the {rows:,} (runner; ideal)",
            f"{Sample(tuple(details['runner_seconds'])).median:.1f} s; "
            f"{Sample(tuple(details['ideal_seconds'])).median:.1f} s",
        ),
        Figure(
            "sequential, per carrier (median ms per shipment)",
            ", ".join(
                f"{carrier} {Sample(tuple(one_by_one[carrier])).median * 1000:.0f}" for carrier in CARRIERS
            ),
        ),
        Figure(
            "client CPU per shipment: thread pools (ship) / one event loop (aship)",
            f"{cpu['runner_cpu']:.0f} / {cpu['async_cpu']:.0f} µs "
            f"({cpu['async_cpu'] / cpu['runner_cpu']:.2f}x)",
        ),
        Figure(
            "client CPU per shipment (runner; ideal; ideal / runner)",
            f"{cpu['runner_cpu']:.0f} µs; {cpu['ideal_cpu']:.0f} µs; "
            f"{cpu['ideal_cpu'] / cpu['runner_cpu']:.2f}x",
        ),
        Figure(
            "each carrier's last result, median s from the start (runner; ideal)",
            ", ".join(
                f"{carrier} {Sample(tuple(finish[RUNNER][carrier])).median:.1f}; "
                f"{Sample(tuple(finish[IDEAL][carrier])).median:.1f}"
                for carrier in CARRIERS
            ),
        ),
    ]
    method = (
        f"{rounds} interleaved rounds; each side ships its own freshly seeded rows ({rows:,} for the runners "
        f"and the ideal loop, {sample} for sequential), copies of examples/orders.csv's valid rows in equal "
        "shares per carrier (TikTok Shop, WeChat, Baaship, DeftShip). Sandboxes: each carrier's in its own "
        "child process, faults off, **request validation off for every side** (the same sandbox settings "
        "for all). Shipper settings are the defaults (TikTok 50 packages per call, 2 at a time; WeChat and "
        "Baaship one per call, 8 at a time; DeftShip batches of 1,000, 2 at a time, polled after pauses "
        f"starting at {POLL_FIRST_SECONDS} s and doubling up to {DEFAULT_POLL_SECONDS:g} s, as the ideal "
        "loop polls too). Every side's results are checked: all shipped, or the round fails."
    )
    return Section(
        key="throughput",
        title="2. Batch throughput (10,000 shipments, four sandboxes)",
        method=method,
        figures=figures,
        commands=[".venv/bin/python -m bench throughput"],
        notes=NOTES,
    )


NOTES = [
    "Where the runner and the ideal loop differ, first in time (the per-carrier finish times above): the "
    "ideal loop knows all 10,000 shipments at the start, so DeftShip's three batches (create, asynchronous "
    "validation, ship, asynchronous processing) run from the first second beside the per-item carriers. "
    "The runner streams its input, whose rows of the four carriers are interleaved. Until issue 17 it "
    "stopped reading whenever two batches per concurrency slot were in flight, so DeftShip's rows kept "
    "coming until the input ended and its last batch's asynchronous phases ran after every other carrier. "
    "Now small batches (WeChat's and Baaship's one shipment, TikTok's 50) may wait for a slot up to 1,000 "
    "shipments per carrier (`READ_AHEAD_SHIPMENTS` in `shipping/runner.py`, a constant, so memory stays "
    "flat: section 6), so the runner reads on past the busy carriers' rows and DeftShip's batches fill "
    "and start while they work through their queues. A partial batch does not wait for the input's end "
    "either: it goes after `linger` seconds of quiet, or at the `CarrierEnd` item `shipspec ship` sends "
    "after a carrier's last row. DeftShip's polling starts at 50 ms and doubles (it was a fixed 0.5 s; "
    "one-shipment batches, the sequential figure, went from about 1,010 to about 720 ms), waiting reads "
    "only the first item page, and a ready batch's items are read once, when it completes.",
    "Then in work (the client CPU per shipment above), profiled with py-spy (`py-spy record --gil -f raw`, "
    "every thread) over 4,000-shipment runs. Before issue 17 about a sixth of the threaded runner's CPU "
    "was its own loop: after every input item it called `concurrent.futures.wait` over every batch in "
    "flight (a waiter, a lock per future and a Condition on each call); finished batches now report "
    "themselves on a queue (`shipping/completions.py`), and the runner's own frames fell from about 26 % "
    "to about 5 % of the samples. What remains is httpx, httpcore and h11 (building requests, the "
    "connection pool's locks, parsing answers: most of the samples), the carriers' request mappings and "
    "the generated models' `to_dict`/`from_dict`, which the ideal loop does not pay per shipment (its "
    "bodies are built before its clock starts, and it parses answers with `json.loads` only). Then "
    "(issue 17, `gc.callbacks` and `gc.DEBUG_SAVEALL` over 4,000-shipment runs): the client's garbage "
    "collector ran about 170 times a run, one of them a full (generation 2) pass of about 90 ms, 40 to 70 "
    "µs per shipment in all. Two patterns of allocation set it off: every call's response was cyclic "
    "garbage (httpx's client wraps each response's stream in one that refers back to the response; the "
    "envelope hooks now drop that wrapper from the read and closed response, `shipspec.hooks."
    "release_stream`: 17 objects of cyclic garbage per shipment before, none after), and every queued "
    "batch held two futures, the runner's and `ThreadPoolExecutor`'s, each with a condition, a lock and a "
    "waiter queue, with up to 1,000 batches queued per carrier; the runner now runs each batch for its "
    "own future on worker threads of its own (`shipping/workers.py`). After both, side by side (three "
    "alternating processes each, load 1.4-4.8): at 4,000 shipments no full pass, about 90 generation-0 "
    "and 8 generation-1 passes, 4 to 8 µs per shipment, and the runner's client CPU per shipment went "
    "from 627-707 µs to 493-578 µs (the ideal loop's as a fraction of it from 0.62-0.72x to 0.77-0.92x); "
    "at 10,000 shipments (load 2-9) one full pass instead of two and about 150 generation-0 passes "
    "instead of 375 (28-65 µs per shipment instead of 54-79), 496-557 µs against 494-560 µs per "
    "shipment, a difference inside the spread between runs (ideal / runner 0.78-0.85x against "
    "0.71-0.84x). The full pass left comes from what the read-ahead holds: up to 1,000 queued one-"
    "shipment batches per carrier, each with its future, work and records, outlive the young "
    "generations.",
    "Thread pools or one event loop (`shipspec ship` uses the cheaper): the thread pools, by the CPU figure "
    "above. Measured side by side (5,000 shipments, 3 rounds, load 5-9) after the fix below: `ship` "
    "675-739 µs, `aship` 970-1,031 µs per shipment, the ideal loop 505 µs. py-spy on the async path: "
    "httpcore's anyio backend leads (its streams, per-request cancellation shields and events, "
    "`AsyncConnectionPool._assign_requests_to_connections`), and asyncio's socket transport writes; the "
    "runner's own frames are a few per cent. Found on the way earlier: without the `sniffio` package "
    "(anyio 4 no longer installs it) httpcore runs a failed `import sniffio`, a full search of sys.path, "
    "several times per async request: about 40 % of `aship`'s CPU. shipspec depends on sniffio.",
    "The regression of December 2026 (the threaded runner at 1,213 µs per shipment, 0.54x, after the "
    "guarded connection pool of issue 13 was merged), found with py-spy: httpcore asks every pooled "
    "connection whether it expired two or three times per request, and for an idle connection that "
    "question is a `poll` system call, which also hands the interpreter lock to another of the 20 "
    "shipper threads; the guard added a lock to each question. The guard now gives the pool a full "
    "answer at most once a second per connection (a request's own claim still checks afresh, so a stale "
    "answer is safe: `shipspec.connections`). Side by side in one run (5,000 shipments, load 5-7): "
    "739 µs per shipment against 862 µs for the guard before the fix and 826 µs for httpx's own "
    "unguarded pool.",
    "The ideal loop is one thread, the runner 20 shipper threads: on a machine busy with other work the "
    "scheduler gives the many-threaded side a larger share of the two cores, so the wall-clock ratio "
    "flatters the runner then; the CPU figures are the steadier comparison (the ideal loop's CPU per "
    "shipment is also shown as a fraction of the runner's). What the runner does per shipment that the "
    "ideal loop does not: the request model, its mapping and checks, classifying the answer and the "
    "result objects (the ideal loop sends prepared bytes and reads answers with `json.loads`), a thread "
    "hand-off per batch (one future), and the threads' turns at the interpreter lock (py-spy shows "
    "samples piling up right after socket calls release it).",
    "What is left of the gap to 0.9x (December 2026, measured per piece in isolation with an in-memory "
    "transport and timeit, and with py-spy over the runner): no single large layer. A TikTok call costs "
    "the client about 165 µs against 80 µs for raw httpx sending the same bytes (section 1 has its parts: "
    "the generated checks and models 20-25 µs, classifying the answer about 10 µs, the retrying "
    "transport's bookkeeping about 13 µs, the rest of the auth flow about 10 µs); a WeChat or Baaship "
    "shipment pays the same layers once per shipment, where the ideal loop pays only the HTTP exchange. "
    "Mapping one DeftShip shipment costs about 76 µs: each entry is checked on its own (so one bad "
    "shipment fails alone, named by its field path) and again inside the whole request, and is converted "
    "to the generated model and back; dropping the second check needs the generator to know which parts "
    "were checked already. A shipment also costs the runner its result object, the hand-off to a worker "
    "thread (one future) and the threads' turns at the interpreter lock. Each of these is a few per cent "
    "of the runner's CPU per shipment; together they are the difference between the two CPU figures "
    "above.",
    "On two cores shared by the client, four sandbox processes (Python servers) and the other work on this "
    "machine, the client's CPU is the bottleneck, so the wall-clock ratio follows the CPU figures and the "
    "machine's load (see the rounds' spread): compare the ratios, measured side by side in one run, not "
    "the absolute figures.",
    "Sequential is one shipment per call through the same shippers, one call at a time, on a sample of the "
    "same carrier mix (all 10,000 one by one would take hours). The per-carrier figure shows where its time "
    "goes: for DeftShip one shipment is a whole batch protocol with two asynchronous phases (about a "
    "second), while the others take milliseconds per call. So most of the runner's lead over one-by-one "
    "shipping comes from batching DeftShip (and TikTok, 50 packages per call). Against the per-item "
    "carriers alone its gain is concurrency, which is small on two cores shared with the sandboxes: while "
    "this benchmark was built, one Baaship sandbox took about as long for 2,000 shipments one by one as "
    "through the runner (each sandbox is one Python process; its server, not the client, was the limit).",
]
