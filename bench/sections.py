"""The benchmarks ``python -m bench`` knows, and how one runs: in a Python process of its own."""

from __future__ import annotations

import importlib
import multiprocessing
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection

from .report import Section

__all__ = ["BENCHMARKS", "run_apart", "run_one"]

# Run order: the cheap, self-contained ones first.
BENCHMARKS: dict[str, str] = {
    "overhead": "1. Per-call overhead (TikTok Batch Ship Packages)",
    "throughput": "2. Batch throughput (10,000 shipments, four sandboxes)",
    "latency": "3. Throughput at 100 ms per call",
    "generation": "4. Generation",
    "imports": "5. Import time",
    "memory": "6. Peak memory of `shipspec ship` (100,000 vs 10,000 rows)",
    "journal": "7. What the journal costs (throughput with and without it)",
    "fleet": "8. Fleet scaling (1, 2 and 4 workers, 100 ms per carrier call)",
}


def run_apart(name: str, quick: bool) -> Section:
    """Run one benchmark in a fresh Python process, so that what an earlier one left in memory (a larger
    heap makes every garbage-collector pass longer) or running does not weigh on its figures: each section
    measures what ``python -m bench NAME`` alone measures."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=run_in_child, args=(name, quick, sending), name=f"bench-{name}")
    child.start()  # not a daemon: benchmarks start sandbox processes of their own
    sending.close()
    try:
        section: Section = receiving.recv()
    except EOFError:  # the child died before it could answer
        section = Section(key=name, title=BENCHMARKS[name], method="", skipped="the benchmark process died")
    finally:
        child.join()
    return section


def run_in_child(name: str, quick: bool, answer: Connection) -> None:
    answer.send(run_one(name, quick))
    answer.close()


def run_one(name: str, quick: bool) -> Section:
    started = time.perf_counter()
    module = importlib.import_module(f".{name}", __package__)
    runner: Callable[[bool], Section] = module.run
    try:
        section = runner(quick)
    except Exception:  # a broken benchmark is reported, and the others still run
        section = Section(
            key=name,
            title=BENCHMARKS[name],
            method="",
            skipped="the benchmark failed:\n\n```\n" + traceback.format_exc() + "```",
        )
    section.seconds = time.perf_counter() - started
    return section
