"""What a benchmark reports (``Section``), machine notes, and the BENCHMARKS.md rendering."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

__all__ = ["Figure", "Section", "machine_notes", "render", "text"]

REPO = Path(__file__).resolve().parent.parent
VERSIONS_SHOWN = ("httpx", "httpcore", "attrs", "pydantic", "openapi-python-client", "tiktok-shop-api")


@dataclass(frozen=True)
class Figure:
    """One reported number: what, the value as printed, and the target it is held to (if any)."""

    name: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target

    @property
    def verdict(self) -> str:
        if self.met is None:
            return ""
        return "met" if self.met else "**missed**"


@dataclass
class Section:
    """A benchmark's outcome: figures, how they were measured, the commands behind them, and notes."""

    key: str
    title: str
    method: str
    figures: list[Figure] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    seconds: float = 0.0

    @property
    def missed(self) -> list[Figure]:
        return [figure for figure in self.figures if figure.met is False]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_notes(load_before: tuple[float, float, float]) -> list[str]:
    """Facts about the machine and the software the figures were measured on."""
    load_after = os.getloadavg()
    return [
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; revision {_git_revision()}",
        f"CPU: {_cpu_model()}, {os.cpu_count()} logical cores; memory {_memory_gib()}",
        f"OS: {platform.platform()}",
        f"Python {platform.python_version()} ({sys.implementation.name}); "
        + ", ".join(f"{name} {_version(name)}" for name in VERSIONS_SHOWN),
        "load average (1/5/15 min) before: {:.2f} / {:.2f} / {:.2f}; after: {:.2f} / {:.2f} / {:.2f}".format(
            *load_before, *load_after
        ),
    ]


def text(section: Section) -> str:
    """A section as plain text, for the terminal."""
    lines = [f"== {section.title} ({section.seconds:.0f}s)"]
    if section.skipped:
        lines.append(f"   SKIPPED: {section.skipped}")
    width = max((len(figure.name) for figure in section.figures), default=0)
    for figure in section.figures:
        target = f"  [target {figure.target}: {'met' if figure.met else 'MISSED'}]" if figure.target else ""
        lines.append(f"   {figure.name.ljust(width)}  {figure.value}{target}")
    return "\n".join(lines)


def _markdown_section(section: Section) -> list[str]:
    lines = [f"## {section.title}", ""]
    if section.skipped:
        lines += [f"**Skipped:** {section.skipped}", ""]
    if section.figures:
        lines += ["| figure | value | target | |", "|---|---|---|---|"]
        lines += [
            f"| {figure.name} | {figure.value} | {figure.target} | {figure.verdict} |"
            for figure in section.figures
        ]
        lines.append("")
    lines += [f"**Method.** {section.method}", ""]
    if section.commands:
        lines += ["Commands:", "", "```sh", *section.commands, "```", ""]
    for note in section.notes:
        lines += [note, ""]
    lines += [f"_This section took {section.seconds:.0f} s._", ""]
    return lines


def render(sections: list[Section], machine: list[str], total_seconds: float, command: str) -> str:
    """BENCHMARKS.md: summary of targets, then every section, then the machine notes."""
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (`make bench`); every figure below is what that run printed. The benchmarks "
        "report, they do not assert. Ratios are of medians measured side by side in one run, with rounds "
        "interleaved (the order of the sides rotates each round) because the machine is shared and noisy; "
        "spreads are the 25th-75th percentiles (min-max where there are fewer than four values).",
        "",
        f"Total run time: {total_seconds:.0f} s.",
        "",
        "## Targets",
        "",
        "| benchmark | figure | value | target | |",
        "|---|---|---|---|---|",
    ]
    for section in sections:
        if section.skipped:
            lines.append(f"| {section.title} | — | skipped | | see below |")
        lines += [
            f"| {section.title} | {figure.name} | {figure.value} | {figure.target} | {figure.verdict} |"
            for figure in section.figures
            if figure.target
        ]
    lines.append("")
    for section in sections:
        lines += _markdown_section(section)
    lines += ["## Machine", "", *[f"- {line}" for line in machine], ""]
    return "\n".join(lines)
