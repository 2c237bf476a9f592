"""How shipspec's own version must move, judged against what the index already holds.

The carrier packages take their versions from their specs (semver from the breaking-change report). shipspec
depends on all of them and hands their generated clients and models to its users, so a carrier's move is
shipspec's move too: whenever a carrier package gets a new version, shipspec gets one, at least as large a
step (major > minor > patch) as the largest carrier step since the latest versions on the index. Changes of
shipspec's own API add their bump by hand (README, "Versions"). The index is the record of what was
released, so no separate state file can drift from it.
"""

from __future__ import annotations

from collections.abc import Mapping

from packaging.utils import parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

from .projects import ROOT_NAME

__all__ = ["STEPS", "latest_version", "shipspec_version_problems", "step"]

STEPS = ("patch", "minor", "major")


def step(old: Version, new: Version) -> str | None:
    """Return the semver step from ``old`` up to ``new``, None when ``new`` is not higher."""
    if new <= old:
        return None
    if new.major != old.major:
        return "major"
    return "minor" if new.minor != old.minor else "patch"


def _versions(file_names: list[str]) -> list[Version]:
    return [
        parse_wheel_filename(name)[1] if name.endswith(".whl") else parse_sdist_filename(name)[1]
        for name in file_names
        if name.endswith((".whl", ".tar.gz"))
    ]


def latest_version(file_names: list[str], below: Version | None = None) -> Version | None:
    """Return the highest version among an index's file names for one distribution (only those < below)."""
    return max((v for v in _versions(file_names) if below is None or v < below), default=None)


def shipspec_version_problems(new: Mapping[str, Version], latest: Mapping[str, Version | None]) -> list[str]:
    """Check shipspec's version against the index and the carrier releases of this publish.

    ``new``: distributions this publish adds to the index → their version; ``latest``: distribution → its
    highest version on the index before this publish (for a resumed partial release, shipspec's highest
    version below the one being completed).
    """
    previous = latest.get(ROOT_NAME)
    if ROOT_NAME in new and previous is not None and new[ROOT_NAME] <= previous:
        # pip takes the highest version, so a lower one would never be installed, and an equal one is taken.
        return [
            f"shipspec {new[ROOT_NAME]} is not higher than {previous}, the latest released on the index: "
            "bump `version` in pyproject.toml above it (README, 'Versions')"
        ]
    carriers = {name: version for name, version in new.items() if name != ROOT_NAME}
    if not carriers:
        return []
    listed = ", ".join(f"{name} {version}" for name, version in sorted(carriers.items()))
    if ROOT_NAME not in new:
        return [
            f"{listed} new on the index, but shipspec's version is already there: bump `version` in "
            "pyproject.toml (README, 'Versions')"
        ]
    steps = [
        found
        for name, version in carriers.items()
        if (before := latest.get(name)) is not None and (found := step(before, version)) is not None
    ]
    if not steps or previous is None:
        return []  # first releases: nothing to compare with
    required = max(steps, key=STEPS.index)
    taken = step(previous, new[ROOT_NAME])
    if taken is not None and STEPS.index(taken) < STEPS.index(required):
        return [
            f"{listed}: a {required} step for a carrier package needs at least a {required} step for "
            f"shipspec, but {previous} -> {new[ROOT_NAME]} is a {taken} step (README, 'Versions')"
        ]
    return []
