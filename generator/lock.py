"""Lock files: what produced a generated package, so an unchanged spec can be skipped.

A lock records the spec's sha256, the pinned tool versions, a hash of the generator itself (code, templates,
configs) and the sha256 of every generated file. It holds no timestamps, so it is deterministic too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .paths import CLIENT_CONFIGS, LOCK_NAME, REPO, TEMPLATES
from .tools import tool_versions

# The generator modules whose code shapes the output (the CLI, drift check and diff report do not).
OUTPUT_SHAPING_MODULES = (
    "build.py",
    "extensions.py",
    "guards.py",
    "render.py",
    "response_shapes.py",
    "tools.py",
)
IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
IGNORED_SUFFIXES = (".pyc", ".egg-info")


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_files(root: Path) -> list[Path]:
    """Return the files under root that belong to a generated package, sorted (caches excluded)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.name != LOCK_NAME
        and not IGNORED_PARTS.intersection(path.relative_to(root).parts)
        and not any(part.endswith(IGNORED_SUFFIXES) for part in path.relative_to(root).parts)
    )


def generator_hash() -> str:
    """Hash everything of ours that shapes the output: generator code, templates, tool configs."""
    digest = hashlib.sha256()
    sources = [
        *(Path(__file__).parent / name for name in OUTPUT_SHAPING_MODULES),
        *sorted(TEMPLATES.rglob("*.j2")),
        *sorted(TEMPLATES.rglob("*.jinja")),
        *sorted(CLIENT_CONFIGS.glob("*.yaml")),
    ]
    for path in sources:
        digest.update(path.relative_to(REPO).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_record(spec: Path) -> dict[str, Any]:
    """Return what the output depends on, for one spec."""
    return {
        "spec": spec.relative_to(REPO).as_posix() if spec.is_relative_to(REPO) else spec.name,
        "spec_sha256": sha256_file(spec),
        "tools": tool_versions(),
        "generator_sha256": generator_hash(),
    }


def write_lock(package_root: Path, spec: Path) -> None:
    """Write the lock file of a freshly generated package."""
    record = inputs_record(spec)
    record["files"] = {
        path.relative_to(package_root).as_posix(): sha256_file(path) for path in tree_files(package_root)
    }
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    (package_root / LOCK_NAME).write_text(text, encoding="utf-8")


def is_current(package_root: Path, spec: Path) -> bool:
    """True when the package was generated from these inputs and no generated file changed since."""
    lock_path = package_root / LOCK_NAME
    if not lock_path.is_file():
        return False
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return False
    recorded_files = lock.pop("files", {})
    if lock != inputs_record(spec):
        return False
    actual = {
        path.relative_to(package_root).as_posix(): sha256_file(path) for path in tree_files(package_root)
    }
    return bool(actual == recorded_files)
