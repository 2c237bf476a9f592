"""Build a wheel and an sdist of every project, reproducibly.

Byte-identical rebuilds come from three things: build backends pinned exactly (``build-constraints.txt``,
passed to ``uv build --build-constraint``, which narrows each project's ``[build-system]`` range to one
version), a fixed ``SOURCE_DATE_EPOCH`` (archive timestamps), and an output folder holding no stale archives.
The epoch is a constant rather than the commit time so an unchanged package rebuilds to the same bytes on
every commit: publishing recognizes it as already released instead of as a conflicting re-upload.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

from .errors import PublishError
from .paths import BUILD_CONSTRAINTS
from .projects import Project, check_names
from .release_checks import requirement_problems

__all__ = ["SOURCE_DATE_EPOCH", "Artifact", "artifacts_in", "build_all", "check_backend_pins", "uv"]

log = logging.getLogger(__name__)

SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
BUILD_TIMEOUT_SECONDS = 300
ARCHIVE_SUFFIXES = (".whl", ".tar.gz")


@dataclass(frozen=True)
class Artifact:
    """One built file: the distribution it belongs to and its sha256."""

    path: Path
    name: str
    version: str
    sha256: str


def uv() -> str:
    """Return the pinned uv next to the running interpreter (the venv's), else the one on PATH."""
    local = Path(sys.executable).parent / "uv"
    found = str(local) if local.is_file() else shutil.which("uv")
    if not found:
        raise PublishError("uv not found: run `make venv` (it installs the pinned uv into .venv)")
    return found


def _pins(constraints: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return pins


def check_backend_pins(found: list[Project], constraints: Path = BUILD_CONSTRAINTS) -> None:
    """Refuse a build whose backend is unpinned or pinned outside the project's declared range."""
    pins = _pins(constraints)
    problems = []
    for project in found:
        for text in project.build_requires:
            requirement = Requirement(text)
            pin = pins.get(canonicalize_name(requirement.name))
            if pin is None or not requirement.specifier.contains(pin, prereleases=True):
                problems.append(f"{project.name} requires {text}; {constraints.name} pins {pin or 'nothing'}")
    if problems:
        raise PublishError("build backend pins do not fit the projects:\n  " + "\n  ".join(problems))


def _identify(path: Path) -> tuple[str, str]:
    if path.name.endswith(".whl"):
        name, version, *_ = parse_wheel_filename(path.name)
    else:
        name, version = parse_sdist_filename(path.name)
    return str(name), str(version)


def artifacts_in(folder: Path) -> list[Artifact]:
    """Return the wheels and sdists in a folder, identified by their file names, sorted."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(ARCHIVE_SUFFIXES):
            name, version = _identify(path)
            found.append(Artifact(path, name, version, hashlib.sha256(path.read_bytes()).hexdigest()))
    return found


def _build(project: Project, out: Path, constraints: Path) -> None:
    argv = [
        uv(),
        "build",
        "--no-config",  # a developer's uv.toml must not change what gets built
        "--quiet",
        "--python",
        sys.executable,
        "--build-constraint",
        str(constraints),
        "--out-dir",
        str(out),
        str(project.path),
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PublishError(f"building {project.name} took longer than {BUILD_TIMEOUT_SECONDS}s") from exc
    if done.returncode != 0:
        raise PublishError(f"building {project.name} failed:\n{done.stdout}{done.stderr}")


def build_all(found: list[Project], out: Path, constraints: Path = BUILD_CONSTRAINTS) -> list[Artifact]:
    """Build every project into an emptied ``out``; check the built names and versions; return the files."""
    check_names([project.name for project in found])
    check_backend_pins(found, constraints)
    mismatched = requirement_problems(found)
    if mismatched:
        raise PublishError(
            "refusing to build: declared requirements do not fit the versions built:\n  "
            + "\n  ".join(mismatched)
        )
    out.mkdir(parents=True, exist_ok=True)
    for stale in artifacts_in(out):  # only archives: `--out` may be a folder holding other things
        stale.path.unlink()
    for project in found:
        log.info("building %s %s", project.name, project.version)
        _build(project, out, constraints)
    built = artifacts_in(out)
    check_names([artifact.name for artifact in built])
    expected = {(project.name, str(Version(project.version))) for project in found}
    actual = {(artifact.name, artifact.version) for artifact in built}
    if actual != expected or len(built) != 2 * len(found):
        raise PublishError(f"expected a wheel and an sdist of {sorted(expected)}, built {sorted(actual)}")
    return built
