"""Import time of ``shipspec`` vs ``httpx``, each in a fresh interpreter.

Every measurement is a new ``python -c`` process that times only its import statement with
``time.perf_counter`` (interpreter start-up is left out: it is the same for both). Statements are
interleaved round by round; the first round is a warm-up (bytecode caches, file-system cache).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

from .report import REPO, Figure, Section
from .stats import interleaved, ratio

__all__ = ["run"]

ROUNDS, QUICK_ROUNDS = 15, 3
TARGET = 2.0
HTTPX = "import httpx"
SHIPSPEC = "import shipspec"
RUNNER = "from shipspec import ship"
CLIENTS = "from shipspec.carriers import baaship, deftship, tiktok_shop, wechat_shop"
CLI = "import shipspec.cli"
PROGRAM = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
IMPORTTIME_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def _measure(statement: str) -> Callable[[], float]:
    def once() -> float:
        done = subprocess.run(
            [sys.executable, "-c", PROGRAM.format(statement=statement)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        return float(done.stdout.strip())

    return once


def heaviest(statement: str, count: int = 6) -> list[tuple[str, float]]:
    """The packages a statement pulls in that take longest (``-X importtime``, cumulative ms).

    Per top-level package the largest cumulative figure is its outermost import; shipspec's own modules are
    left out, since they are what contains the others.
    """
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, float] = {}
    for line in done.stderr.splitlines():
        match = IMPORTTIME_LINE.match(line)
        if match:
            package = match.group(4).split(".")[0]
            if package != "shipspec":
                found[package] = max(found.get(package, 0.0), int(match.group(2)) / 1000)
    return sorted(found.items(), key=lambda item: -item[1])[:count]


def run(quick: bool = False) -> Section:
    """Time each statement in fresh interpreters, interleaved, and compare with httpx."""
    rounds = QUICK_ROUNDS if quick else ROUNDS
    statements = [HTTPX, SHIPSPEC, RUNNER, CLIENTS, CLI]
    samples = interleaved({s: _measure(s) for s in statements}, rounds=rounds, warmup=1)
    httpx_sample = samples[HTTPX]

    def versus(statement: str, target: bool) -> Figure:
        value = ratio(samples[statement], httpx_sample)
        if target:
            return Figure(f"`{statement}` / `{HTTPX}`", f"{value:.2f}x", f"≤ {TARGET:.0f}x", value <= TARGET)
        return Figure(f"`{statement}` / `{HTTPX}`", f"{value:.2f}x")

    figures = [Figure(f"`{s}`", samples[s].describe(1000, " ms", 1)) for s in statements]
    figures += [versus(SHIPSPEC, True), versus(RUNNER, True), versus(CLIENTS, True), versus(CLI, False)]
    notes = [
        "`import shipspec` is lazy (its names load on first use), so the lines that tell what a program pays "
        "are `from shipspec import ship` (the runner, the neutral models, settings) and the four carrier "
        "clients, which include httpx itself (shipspec builds on it); all three are held to the target. "
        "The command line (`import shipspec.cli`, what `shipspec ship` loads) is shown without one.",
        "httpx's own import is slow here because the installed httpx imports its command line "
        "(`httpx._main`: click, rich, pygments) when those packages are present, as they are in this "
        "environment (shipspec's CLI uses click and rich).",
        "Heaviest imports (cumulative, one `-X importtime` run): "
        + "; ".join(
            f"`{statement}`: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in heaviest(statement))
            for statement in (RUNNER, CLIENTS, CLI)
        ),
    ]
    return Section(
        key="imports",
        title="5. Import time",
        method=(
            f"{rounds} interleaved rounds after one warm-up; each measurement is a fresh "
            f"`{sys.executable.replace(str(REPO) + '/', '')} -c` process timing only its import statement "
            "with `time.perf_counter()`, so interpreter start-up is excluded."
        ),
        figures=figures,
        commands=[
            ".venv/bin/python -m bench imports",
            *(f'.venv/bin/python -c "{PROGRAM.format(statement=s)}"' for s in statements),
            f'.venv/bin/python -X importtime -c "{CLI}"',
        ],
        notes=notes,
    )
