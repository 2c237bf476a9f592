"""Checks that a release is coherent before and after it reaches an index.

- The requirements our projects declare on each other admit the versions being built: a shipspec that pins
  ``shipspec-baaship>=1,<2`` released next to a breaking shipspec-baaship 2.0.0 installs the old 1.x client,
  so every published shipspec would silently run the carrier code of an earlier release.
- A real release is built from committed sources only: a wheel holding an uncommitted or untracked file
  cannot be rebuilt from any commit, and the release would be recorded against code nobody can see.
- An installed environment holds exactly the carrier versions that were built.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .projects import Project, is_ours

__all__ = ["PACKAGED_SOURCES", "installed_version_problems", "requirement_problems", "uncommitted_changes"]

# Everything a build or the version gate reads, relative to the repository root.
PACKAGED_SOURCES = (
    "pyproject.toml",
    "README.md",
    "overrides",
    "generated",
    "specs",
    "publishing/build-constraints.txt",
)
GIT_TIMEOUT_SECONDS = 60


def requirement_problems(found: Sequence[Project]) -> list[str]:
    """Return one line per requirement on one of our distributions that the built versions do not satisfy."""
    built = {project.name: Version(project.version) for project in found}
    problems = []
    for project in found:
        for text in project.dependencies:
            try:
                requirement = Requirement(text)
            except InvalidRequirement as exc:
                problems.append(f"{project.name} declares an invalid requirement {text!r}: {exc}")
                continue
            name = canonicalize_name(requirement.name)
            if not is_ours(name):
                continue
            version = built.get(name)
            if version is None:
                problems.append(f"{project.name} requires {text}, which this publish does not build")
            elif not requirement.specifier.contains(version, prereleases=True):
                problems.append(
                    f"{project.name} requires {text}, which does not admit {name} {version} being published: "
                    f"installing {project.name} {project.version} would get another {name}; widen the "
                    f"requirement in {project.path / 'pyproject.toml'} (and bump {project.name})"
                )
    return problems


def uncommitted_changes(repo: Path, paths: Sequence[str] = PACKAGED_SOURCES) -> list[str]:
    """Return ``git status --porcelain`` lines (changed, staged or untracked files) under ``paths``."""
    argv = ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=all", "--", *paths]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [f"cannot tell whether {repo} is committed: {exc}"]
    if done.returncode != 0:
        return [f"cannot tell whether {repo} is committed (git status: {done.stderr.strip()})"]
    return [line for line in done.stdout.splitlines() if line.strip()]


def installed_version_problems(expected: Mapping[str, str], installed: Mapping[str, str]) -> list[str]:
    """Compare distribution → version maps by canonical name and normalized version."""

    def normalized(versions: Mapping[str, str]) -> dict[str, Version | str]:
        found: dict[str, Version | str] = {}
        for name, version in versions.items():
            try:
                found[canonicalize_name(name)] = Version(version)
            except InvalidVersion:
                found[canonicalize_name(name)] = version
        return found

    want, have = normalized(expected), normalized(installed)
    return [
        f"{name}: built {want[name]}, installed {have.get(name, 'nothing')}"
        for name in sorted(want)
        if have.get(name) != want[name]
    ]
