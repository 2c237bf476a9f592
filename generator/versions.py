"""The version gate: each carrier spec's info.version follows semver from the breaking-change report.

``specs/released/<carrier>.yaml`` holds the spec as last released (``python -m generator release`` writes it;
publishing calls that). A changed spec must carry at least the version the report asks for: major on anything
breaking, minor on additions, patch otherwise. The generated package takes its version from info.version, so
the package versions follow the report too.

The generated packages' bytes are checked too (``output_gate``): a package whose output changed since its
release without a version bump (a template, generator or tool change) fails the gate as well.

Versions are compared as PEP 440 versions (``packaging.version``): ``1.1.0rc1`` and ``2.0.0-rc.1`` parse, and
a pre-release is lower than its release, so ``2.0.0-rc.1`` does not satisfy a required ``2.0.0``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from .extensions import SpecError
from .output_gate import output_problems, record_outputs
from .paths import GENERATED, SPECS, carrier_specs
from .spec_check import check_carrier, shown
from .spec_diff import SpecDiffError, diff_specs, next_version

RELEASED = SPECS / "released"


def _version(spec: dict[str, Any], path: Path) -> Version:
    raw = spec.get("info", {}).get("version") if isinstance(spec.get("info"), dict) else None
    try:
        return Version(str(raw))
    except InvalidVersion as exc:
        raise SpecError(
            f"{shown(path)}: info.version {raw!r} is not a version (PEP 440, e.g. 1.2.0)"
        ) from exc


def version_problems(
    specs: Path = SPECS, released: Path = RELEASED, generated: Path = GENERATED
) -> list[str]:
    """Return one line per carrier spec whose version is lower than its changes require, and one per
    generated package whose output changed since release without a version bump."""
    problems = []
    for carrier, spec in carrier_specs(specs).items():
        baseline = released / spec.name
        if not baseline.is_file():
            continue  # never released: any version is a first release
        old, new = check_carrier(baseline), check_carrier(spec)
        old_version, new_version = str(old["info"]["version"]), str(new["info"]["version"])
        parsed = _version(old, baseline), _version(new, spec)
        try:
            changes = diff_specs(old, new)
            required = next_version(old_version, changes)
        except SpecDiffError as exc:
            raise SpecError(f"{shown(baseline)} -> {shown(spec)}: {exc}") from exc
        if parsed[1] < Version(required) or parsed[1] < parsed[0]:
            breaking = sum(change.breaking for change in changes)
            problems.append(
                f"{carrier}: {len(changes)} changes ({breaking} breaking) since release {old_version} "
                f"need info.version >= {required}, spec says {new_version} "
                f"(see: python -m generator diff {baseline.relative_to(specs.parent)} "
                f"{spec.relative_to(specs.parent)})"
            )
    return problems + output_problems(released, generated)


def release(specs: Path = SPECS, released: Path = RELEASED, generated: Path = GENERATED) -> list[str]:
    """Record the current carrier specs and generated outputs as released; return the carriers recorded."""
    released.mkdir(exist_ok=True)
    recorded = []
    for carrier, spec in carrier_specs(specs).items():
        check_carrier(spec)  # a spec the generator refuses is never a release baseline
        shutil.copyfile(spec, released / spec.name)
        recorded.append(carrier)
    record_outputs(released, generated)
    return recorded
