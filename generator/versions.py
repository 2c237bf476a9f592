"""The version gate: each carrier spec's info.version follows semver from the breaking-change report.

``specs/released/<carrier>.yaml`` holds the spec as last released (``python -m generator release`` writes it;
publishing calls that). A changed spec must carry at least the version the report asks for: major on anything
breaking, minor on additions, patch otherwise. The generated package takes its version from info.version, so
the package versions follow the report too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .extensions import load_spec
from .paths import SPECS, carrier_specs
from .spec_diff import diff_specs, next_version

RELEASED = SPECS / "released"


def _semver(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-")[0].split("+")[0].split("."))


def version_problems(specs: Path = SPECS, released: Path = RELEASED) -> list[str]:
    """Return one line per carrier spec whose version is lower than its changes require."""
    problems = []
    for carrier, spec in carrier_specs(specs).items():
        baseline = released / spec.name
        if not baseline.is_file():
            continue  # never released: any version is a first release
        old, new = load_spec(baseline), load_spec(spec)
        changes = diff_specs(old, new)
        old_version, new_version = str(old["info"]["version"]), str(new["info"]["version"])
        required = next_version(old_version, changes)
        if _semver(new_version) < _semver(required):
            breaking = sum(change.breaking for change in changes)
            problems.append(
                f"{carrier}: {len(changes)} changes ({breaking} breaking) since release {old_version} "
                f"need info.version >= {required}, spec says {new_version} "
                f"(see: python -m generator diff {baseline.relative_to(specs.parent)} "
                f"{spec.relative_to(specs.parent)})"
            )
    return problems


def release(specs: Path = SPECS, released: Path = RELEASED) -> list[str]:
    """Record the current carrier specs as released; return the carriers recorded."""
    released.mkdir(exist_ok=True)
    recorded = []
    for carrier, spec in carrier_specs(specs).items():
        shutil.copyfile(spec, released / spec.name)
        recorded.append(carrier)
    return recorded
