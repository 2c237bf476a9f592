"""The projects we publish (the generated packages, shipspec, then shipspec-sandbox) and the name rule.

Every distribution is ``shipspec`` or ``shipspec-*``: the index we own serves those names and nothing else of
ours, so a name outside the prefix would be one an attacker could register on a public index.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .errors import PublishError
from .paths import GENERATED, REPO

__all__ = [
    "ROOT_NAME",
    "SANDBOX_NAME",
    "Project",
    "check_names",
    "is_ours",
    "load_project",
    "projects",
    "publish_rank",
    "third_party_requirements",
]

ROOT_NAME = "shipspec"
SANDBOX_NAME = "shipspec-sandbox"  # the sandboxes and their pytest plugin; requires shipspec


@dataclass(frozen=True)
class Project:
    """One buildable project: its canonical distribution name, version, folder and declared requirements."""

    name: str
    version: str
    path: Path
    build_requires: tuple[str, ...]
    dependencies: tuple[str, ...]


def load_project(folder: Path) -> Project:
    """Read a project's pyproject.toml."""
    data = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    return Project(
        name=canonicalize_name(project["name"]),
        version=str(project["version"]),
        path=folder,
        build_requires=tuple(data["build-system"]["requires"]),
        dependencies=tuple(project.get("dependencies", ())),
    )


def projects(repo: Path = REPO, generated: Path = GENERATED) -> list[Project]:
    """Return the generated packages (sorted by folder), the root project (which needs them), then the
    sandbox distribution (which needs the root) when the tree has one."""
    folders = sorted(path.parent for path in generated.glob("*/pyproject.toml"))
    sandbox = repo / "sandbox"
    extra = [load_project(sandbox)] if (sandbox / "pyproject.toml").is_file() else []
    return [*(load_project(folder) for folder in folders), load_project(repo), *extra]


def publish_rank(name: str) -> int:
    """Upload order by dependency: the generated packages, then shipspec, then what requires shipspec."""
    canonical = canonicalize_name(name)
    return 2 if canonical == SANDBOX_NAME else 1 if canonical == ROOT_NAME else 0


def is_ours(name: str) -> bool:
    """True for ``shipspec`` and ``shipspec-*`` (any spelling that normalizes to them)."""
    canonical = canonicalize_name(name)
    return canonical == ROOT_NAME or canonical.startswith(f"{ROOT_NAME}-")


def check_names(names: list[str]) -> None:
    """Refuse any distribution name outside the ``shipspec`` namespace."""
    strays = sorted({name for name in names if not is_ours(name)})
    if strays:
        raise PublishError(
            f"refusing to publish {', '.join(strays)}: every distribution must be 'shipspec' or 'shipspec-*' "
            "(a name outside our prefix is open to dependency confusion on public indexes)"
        )


def third_party_requirements(found: list[Project]) -> list[str]:
    """Return the runtime requirements of our projects that are not ours, sorted and deduplicated."""
    return sorted(
        {req for project in found for req in project.dependencies if not is_ours(Requirement(req).name)}
    )
