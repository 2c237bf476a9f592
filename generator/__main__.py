"""Command line: ``python -m generator [--check] [package …]``, ``diff OLD NEW``, ``doc-check``, ``doc-diff``.

The build tools (``.build``: jinja2, yaml, the spec reader) are imported only when something is rebuilt or
checked: importing them took longer than a whole no-op run (``make bench``, no-op regeneration).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .drift import compare_trees
from .lock import is_current
from .paths import GENERATED, SHIPPING_MODELS_DIR, package_specs
from .tools import GeneratorError


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Regenerate generated/ from specs/. Unchanged specs are skipped. "
        "Subcommands: 'diff OLD NEW' prints the breaking-change report of two specs; "
        "'doc-check [--carrier C] [DOC]' lists the vendor doc facts a spec does not carry; "
        "'doc-diff OLD NEW' lists the facts that changed between two revisions of a vendor doc; "
        "'summary' lists what each spec covers; 'versions' checks each spec's version against the report "
        "since its last release; 'release' records the current specs as released.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and fail if generated/ differs (the drift gate)",
    )
    parser.add_argument("--force", action="store_true", help="regenerate even when the lock says current")
    parser.add_argument(
        "names", nargs="*", help="packages to build (carrier ids or shipping_models); all if none"
    )
    return parser.parse_args(argv)


def _select(names: Sequence[str]) -> dict[str, Path]:
    available = package_specs()
    unknown = sorted(set(names) - available.keys())
    if unknown:
        raise GeneratorError(f"unknown package(s) {unknown}; known: {sorted(available)}")
    return {name: spec for name, spec in available.items() if not names or name in names}


def _check_spec(name: str, spec: Path) -> None:
    """Refuse a spec the build cannot read, naming the file and field (see spec_check)."""
    from . import spec_check

    if name == SHIPPING_MODELS_DIR:
        spec_check.load(spec)
    else:
        spec_check.check_carrier(spec)


def generate(names: Sequence[str], force: bool) -> int:
    """Regenerate the selected packages whose inputs changed."""
    for name, spec in _select(names).items():
        target = GENERATED / name
        if not force and is_current(target, spec):
            print(f"up to date  {name}")
            continue
        _check_spec(name, spec)
        from .build import build_into

        build_into(name, spec, target)
        print(f"generated   {name}  (from {spec.name})")
    return 0


def check(names: Sequence[str], generated: Path = GENERATED) -> int:
    """Regenerate into a temporary folder and report every file that differs from the generated tree."""
    from .build import build_into

    selected = _select(names)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="shipspec-check-") as scratch:
        for name, spec in selected.items():
            _check_spec(name, spec)
            fresh = Path(scratch) / name
            build_into(name, spec, fresh)
            problems += [
                f"generated/{name}/{drift.path}: {drift.problem}"
                for drift in compare_trees(generated / name, fresh)
            ]
    if not names:
        expected = set(selected)
        problems += [
            f"generated/{path.name}/: no spec produces this package"
            for path in sorted(generated.iterdir())
            if path.is_dir() and path.name not in expected
        ]
    if problems:
        print("generated/ differs from what specs/ produce (hand edit or forgotten `make generate`):")
        print("\n".join(f"  {line}" for line in problems))
        return 1
    print(f"generated/ matches specs/ ({len(selected)} packages)")
    return 0


def _versions(command: str) -> int:
    from .extensions import SpecError
    from .versions import release, version_problems

    try:
        if command == "release":
            print(f"recorded as released: {', '.join(release())}")
            return 0
        problems = version_problems()
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        "\n".join(problems)
        or "spec versions follow the breaking-change report; changed outputs have new versions"
    )
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "diff":
        from .spec_diff import main as diff_main

        return diff_main(args[1:])
    if args and args[0] == "doc-check":
        from .doc_check import main as doc_check_main

        return doc_check_main(args[1:])
    if args and args[0] == "doc-diff":
        from .doc_diff import main as doc_diff_main

        return doc_diff_main(args[1:])
    if args and args[0] in ("versions", "release"):
        return _versions(args[0])
    if args and args[0] == "summary":
        from .summary import main as summary_main

        return summary_main()
    options = _parse(args)
    started = time.perf_counter()
    try:
        status = check(options.names) if options.check else generate(options.names, options.force)
    except (GeneratorError, ValueError) as exc:
        from .extensions import SpecError

        if not isinstance(exc, GeneratorError | SpecError):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"took {time.perf_counter() - started:.2f}s")
    return status


if __name__ == "__main__":
    sys.exit(main())
