"""``python -m bench [name …] [--quick] [--output FILE]``: run benchmarks, print figures, write BENCHMARKS.md.

With no names every benchmark runs and the report goes to BENCHMARKS.md at the repository root; with names
only those run and nothing is written unless ``--output`` is given. ``--quick`` runs few rounds (a smoke
check of the benchmark code, not figures to quote).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from .report import REPO, Section, machine_notes, render, text

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
DEFAULT_OUTPUT = REPO / "BENCHMARKS.md"


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="few rounds: check the code, not the figures")
    parser.add_argument("--output", type=Path, help="write the Markdown report here")
    options = parser.parse_args(argv)
    unknown = sorted(set(options.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    return options


def _run_one(name: str, quick: bool) -> Section:
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


def main(argv: Sequence[str] | None = None) -> int:
    options = _parse(sys.argv[1:] if argv is None else argv)
    names = [name for name in BENCHMARKS if not options.names or name in options.names]
    output: Path | None = options.output or (None if options.names else DEFAULT_OUTPUT)
    load_before = os.getloadavg()
    started = time.perf_counter()
    sections = []
    for name in names:
        print(f"running {name} …", flush=True)
        section = _run_one(name, options.quick)
        print(text(section), flush=True)
        sections.append(section)
    total = time.perf_counter() - started
    machine = machine_notes(load_before)
    print(f"total {total:.0f}s")
    if output is not None:
        command = "python -m bench" + (" --quick" if options.quick else "")
        output.write_text(render(sections, machine, total, command), encoding="utf-8")
        print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
