"""Load the two specs of a comparison: a file, or ``REV:path`` (the file at a git revision)."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import SpecDiffError

GIT_TIMEOUT_SECONDS = 30


def load_spec(ref: str, repo: Path) -> dict[str, Any]:
    """Load a spec from a file path (relative to `repo`) or from `REV:path`."""
    return _parse_yaml(read_text(ref, repo), ref)


def read_text(ref: str, repo: Path) -> str:
    """The text of a file path (relative to `repo`) or of `REV:path` (the file at a git revision)."""
    file = repo / ref
    if file.is_file():
        return file.read_text(encoding="utf-8")
    if ":" not in ref:
        raise SpecDiffError(f"spec file not found: {file}")
    rev, path = ref.split(":", 1)
    return _git_show(repo, rev, path)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = ["git", "-C", str(repo), *args]
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as exc:
        raise SpecDiffError("git is not installed or not on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise SpecDiffError(f"{' '.join(command)} timed out after {GIT_TIMEOUT_SECONDS}s") from exc


def _git_show(repo: Path, rev: str, path: str) -> str:
    if not rev or not path:
        raise SpecDiffError(f"expected a file or REV:path, got {rev}:{path}")
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0:
        why = found.stderr.strip() or "no such commit"
        raise SpecDiffError(f"revision {rev!r} does not exist in {repo}: {why}")
    shown = _git(repo, "show", f"{rev}:{path}")
    if shown.returncode != 0:
        raise SpecDiffError(f"{path!r} does not exist at revision {rev!r}: {shown.stderr.strip()}")
    return shown.stdout


def _parse_yaml(text: str, origin: str) -> dict[str, Any]:
    from ..extensions import SpecError
    from ..spec_check import parse

    try:
        return parse(text, origin)
    except SpecError as exc:
        raise SpecDiffError(str(exc)) from None


def check_refs(origin: str, spec: Mapping[str, Any]) -> None:
    """Name the spec and the place of a $ref to nothing (the comparison cannot tell which side)."""
    from ..spec_check import unresolved_refs

    problems = unresolved_refs(spec)
    if problems:
        raise SpecDiffError(f"{origin}: {problems[0]}")
