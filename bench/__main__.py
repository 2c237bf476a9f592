"""``python -m bench [name …] [--quick] [--output FILE]``: run benchmarks, print figures, write BENCHMARKS.md.

With no names every benchmark runs and the report goes to BENCHMARKS.md at the repository root; with names
only those run and nothing is written unless ``--output`` is given. ``--quick`` runs few rounds (a smoke
check of the benchmark code, not figures to quote). Each benchmark runs in a Python process of its own.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .report import REPO, machine_notes, render, text
from .sections import BENCHMARKS, run_apart

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


def main(argv: Sequence[str] | None = None) -> int:
    options = _parse(sys.argv[1:] if argv is None else argv)
    names = [name for name in BENCHMARKS if not options.names or name in options.names]
    output: Path | None = options.output or (None if options.names else DEFAULT_OUTPUT)
    load_before = os.getloadavg()
    started = time.perf_counter()
    sections = []
    for name in names:
        print(f"running {name} …", flush=True)
        section = run_apart(name, options.quick)
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
