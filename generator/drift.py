"""Compare a fresh generation with the committed generated/ tree, file by file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .lock import tree_files
from .paths import LOCK_NAME


@dataclass(frozen=True)
class Drift:
    """One file that differs between the committed tree and a fresh generation."""

    path: str
    problem: str  # "changed" | "missing" (not committed) | "unexpected" (committed, not generated)


def _files(root: Path) -> dict[str, bytes]:
    files = {path.relative_to(root).as_posix(): path.read_bytes() for path in tree_files(root)}
    lock = root / LOCK_NAME
    if lock.is_file():
        files[LOCK_NAME] = lock.read_bytes()
    return files


def compare_trees(committed: Path, fresh: Path) -> list[Drift]:
    """Return every difference between two package trees, sorted by path."""
    have = _files(committed) if committed.is_dir() else {}
    want = _files(fresh)
    drifts = [Drift(path, "missing") for path in want.keys() - have.keys()]
    drifts += [Drift(path, "unexpected") for path in have.keys() - want.keys()]
    drifts += [Drift(path, "changed") for path in want.keys() & have.keys() if want[path] != have[path]]
    return sorted(drifts, key=lambda drift: drift.path)
