"""Exactly-once across crashes: kill ``shipspec ship`` with SIGKILL at every journal boundary, run it again,
and compare the sandboxes' ledgers with the results file.

    .venv/bin/python -m scripts.exactly_once --crash [--journal postgresql://…] [--random N]

For each carrier and each boundary (``shipspec.journal.failpoints``: before a batch is recorded, after it
is recorded ``sending`` (claimed and ``sending`` in one commit), after a DeftShip batch id came back but
before it is recorded, after it is recorded, after the carrier answered but before the outcome is recorded,
after it is recorded, between result lines), a real
``shipspec ship`` subprocess is killed there (``SHIPSPEC_FAILPOINT``), then the same command runs again
(up to ``RERUNS`` times, until it exits 0). Passes when every row is shipped exactly once in the ledger, the
results file reports each one shipped or already shipped with the ledger's tracking number, and nothing is
lost. ``--random N`` adds N runs killed after a random delay instead of at a named point.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipspec.config import as_environment
from shipspec_sandbox import Sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment

from .exactly_once import BUILDERS, LEDGER_ACTIONS, ledger_key, seed

ROWS = 4
"""Rows per case: enough for a kill between result lines, few enough that a case takes seconds."""
RERUNS = 3
_cases = itertools.count()
RUN_TIMEOUT_SECONDS = 180.0
COMMON_POINTS = (
    ("journal.sending.before", 1),
    ("journal.sending", 1),
    ("journal.settle.before", 1),
    ("journal.settled", 1),
    ("results.line", 2),
)
DEFTSHIP_POINTS = (("journal.learnt.before", 1), ("journal.learnt", 1))
TRACKING_IN_ANSWER = frozenset({"baaship", "wechat_shop", "deftship"})
"""Carriers whose results always carry the tracking number the ledger holds (crashed or not)."""


def points(carrier: str) -> tuple[tuple[str, int], ...]:
    """The boundaries worth killing ``carrier``'s run at (DeftShip alone learns a batch id midway)."""
    return COMMON_POINTS + (DEFTSHIP_POINTS if carrier == "deftship" else ())


@dataclass
class Case:
    """One carrier, one way of dying, its outcome."""

    carrier: str
    point: str
    killed: bool = False
    reruns: int = 0
    duplicates: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.duplicates or self.lost or self.mismatched)

    def line(self) -> str:
        verdict = "ok" if self.ok else "FAILED"
        problems = "; ".join([*self.duplicates, *self.lost, *self.mismatched][:5])
        return (
            f"{self.carrier:12} {self.point:24} killed={self.killed!s:5} reruns={self.reruns} {verdict}"
            + (f": {problems}" if problems else "")
        )


class Harness:
    """Runs crash cases against running sandboxes; each case uses fresh references and its own journal."""

    def __init__(self, sandboxes: Sandboxes, work: Path, journal: Callable[[str], str] | None = None) -> None:
        self.sandboxes = sandboxes
        self.work = work
        self._journal = journal or (lambda name: str(work / f"{name}.journal.sqlite"))
        self._env = {**os.environ, **as_environment(sandbox_settings(sandboxes))}
        self._env.pop("SHIPSPEC_FAILPOINT", None)
        self._command = [str(Path(sys.executable).parent / "shipspec"), "ship"]

    def _rows(self, carrier: str) -> list[Shipment]:
        start = next(_cases) * ROWS  # references never repeat within a process, whichever harness asks
        made = [
            Shipment.model_validate(BUILDERS[carrier](100_000 + index))
            for index in range(start, start + ROWS)
        ]
        seed(self.sandboxes, made)
        return made

    def _ship(self, name: str, extra: Mapping[str, str], kill_after: float | None = None) -> int:
        argv = [
            *self._command,
            str(self.work / f"{name}.jsonl"),
            "--out",
            str(self.work / f"{name}.results.jsonl"),
            "--journal",
            self._journal(name),
            "--no-progress",
        ]
        with subprocess.Popen(
            argv, env={**self._env, **extra}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ) as process:
            try:
                if kill_after is not None:
                    try:
                        return process.wait(timeout=kill_after)
                    except subprocess.TimeoutExpired:
                        process.send_signal(signal.SIGKILL)
                return process.wait(timeout=RUN_TIMEOUT_SECONDS)
            finally:
                if process.poll() is None:
                    process.kill()

    def case(self, carrier: str, point: str, hit: int = 1, kill_after: float | None = None) -> Case:
        """Ship ROWS fresh rows of ``carrier``, killed at ``point`` (or after ``kill_after`` s); re-run."""
        rows = self._rows(carrier)
        name = f"{carrier}-{point.replace('.', '_')}-{rows[0].reference}"
        (self.work / f"{name}.jsonl").write_text(
            "".join(row.model_dump_json(exclude_none=True) + "\n" for row in rows), encoding="utf-8"
        )
        armed = {} if kill_after is not None else {"SHIPSPEC_FAILPOINT": f"{point}:{hit}"}
        first = self._ship(name, armed, kill_after)
        case = Case(carrier, point if kill_after is None else f"random {kill_after:.2f}s", killed=first == -9)
        status = first
        while status != 0 and case.reruns < RERUNS:
            case.reruns += 1
            status = self._ship(name, {})
        self._compare(case, rows, self.work / f"{name}.results.jsonl")
        return case

    def _compare(self, case: Case, rows: Sequence[Shipment], results_path: Path) -> None:
        results = {}
        if results_path.exists():
            for line in results_path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                results[record["reference"]] = record
        action = LEDGER_ACTIONS[case.carrier]
        recorded = [e for e in self.sandboxes.ledger.entries(carrier=case.carrier, action=action)]
        times = Counter(entry.caller_reference for entry in recorded)  # DeftShip keys by order, not reference
        details = {entry.caller_reference: entry.result for entry in recorded}
        for row in rows:
            key = ledger_key(row)
            if times[key] != 1:
                case.duplicates.append(f"{row.reference}: {times[key]}x in the ledger")
            result = results.get(row.reference)
            if result is None:
                case.lost.append(f"{row.reference}: no result line")
                continue
            if result["status"] not in ("shipped", "already_shipped"):
                case.lost.append(f"{row.reference}: {result['status']}")
                continue
            expected = _tracking(details.get(key, {}))
            got = result.get("tracking_number")
            if got is None and case.carrier not in TRACKING_IN_ANSWER:
                continue  # TikTok's answer names no tracking number for a platform-shipped package
            if expected is not None and got != expected:
                case.mismatched.append(
                    f"{row.reference}: tracking {result.get('tracking_number')} != {expected}"
                )


def _tracking(recorded: Mapping[str, Any]) -> str | None:
    for name in ("waybill", "tracking_number", "waybill_id"):
        value = recorded.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def matrix(
    harness: Harness, carriers: Sequence[str], random_runs: int = 0, seed_value: int = 7
) -> Iterator[Case]:
    """Every carrier at every boundary, then ``random_runs`` runs killed at random moments."""
    for carrier in carriers:
        for point, hit in points(carrier):
            yield harness.case(carrier, point, hit)
    chooser = random.Random(seed_value)  # noqa: S311 - picks test cases, nothing secret
    for _ in range(random_runs):
        yield harness.case(chooser.choice(list(carriers)), "random", kill_after=chooser.uniform(0.3, 3.0))


def started(seconds: float) -> str:
    return f"{time.perf_counter() - seconds:.1f}s"
