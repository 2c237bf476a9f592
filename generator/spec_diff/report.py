"""``python -m generator diff OLD NEW``: the plain-text (or JSON) report and the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from itertools import groupby
from pathlib import Path

from .compare import diff_specs
from .grading import next_version, sort_key, version_bump
from .loading import check_refs, load_spec
from .model import Change, SpecDiffError, as_map


def render_report(changes: Sequence[Change], old_version: str | None = None) -> str:
    """Plain-text report: changes grouped by kind, then a summary line."""
    lines: list[str] = []
    for kind, group in groupby(sorted(changes, key=sort_key), key=lambda c: c.kind):
        lines.append(kind)
        for change in group:
            marker = "BREAKING" if change.breaking else "ok"
            lines.append(f"  {marker:<8}  {change.location}: {change.detail}")
        lines.append("")
    if not changes:
        lines.append("No changes.")
    lines.append(_summary(changes, old_version))
    return "\n".join(lines) + "\n"


def _summary(changes: Sequence[Change], old_version: str | None) -> str:
    breaking = sum(1 for change in changes if change.breaking)
    bump = version_bump(changes)
    text = (
        f"Summary: {len(changes)} change(s), {breaking} breaking, "
        f"{len(changes) - breaking} ok; suggested version bump: {bump}"
    )
    if old_version is None:
        return text
    try:
        return f"{text} ({old_version} -> {next_version(old_version, changes)})"
    except SpecDiffError as exc:
        return f"{text} ({exc})"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m generator diff`."""
    parser = argparse.ArgumentParser(
        prog="python -m generator diff",
        description=(
            "Report the changes between two versions of a carrier spec, mark the ones\n"
            "that break clients of the generated SDK, and suggest the semver bump."
        ),
        epilog=(
            "examples:\n"
            "  python -m generator diff v1.2.0:specs/baaship.yaml specs/baaship.yaml\n"
            "  python -m generator diff HEAD~1:specs/deftship.yaml "
            "specs/deftship.yaml --json\n\n"
            "exit status: 0 no breaking change, 1 breaking change(s), 2 error"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    spec_help = (
        "a spec file (relative to --repo), or REV:path for the file at a git "
        "revision (path from the repository root)"
    )
    parser.add_argument("old", metavar="OLD", help=f"the old spec: {spec_help}")
    parser.add_argument("new", metavar="NEW", help=f"the new spec: {spec_help}")
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="git repository holding the specs (default: current directory)",
    )
    parser.add_argument("--json", action="store_true", help="print the changes as a JSON list")
    return parser


def main(argv: list[str]) -> int:
    """Print the report; return 1 if any change is breaking, 2 on errors, else 0."""
    args = build_parser().parse_args(argv)
    try:
        old = load_spec(args.old, args.repo)
        new = load_spec(args.new, args.repo)
        for ref, spec in ((args.old, old), (args.new, new)):
            check_refs(ref, spec)
        changes = diff_specs(old, new)
    except SpecDiffError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps([asdict(c) for c in changes], indent=2) + "\n")
    else:
        version = as_map(old.get("info")).get("version")
        sys.stdout.write(render_report(changes, None if version is None else str(version)))
    return 1 if any(change.breaking for change in changes) else 0
