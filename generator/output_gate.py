"""The version gate's second half: a generated package whose bytes changed since release has a new version.

The spec half (``versions.py``) sees spec changes only. A template, generator or tool change without a spec
change (a new module, a changed docstring, another ruff) also changes what a package ships, and a released
version must never stand for two different sets of bytes. ``specs/released/outputs.json`` records, when a
release is recorded, each generated package's version and the sha256 of every file it ships (the ``files`` of
its lock file); the gate compares ``generated/`` with it and names each changed package whose version did not
go up. Which bump an output-only change needs is for a person to judge (a new module is minor, a fix a
patch); the gate asks for at least a patch.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from .extensions import SpecError
from .lock import sha256_file, tree_files
from .paths import GENERATED

OUTPUTS_NAME = "outputs.json"


def package_record(package_root: Path) -> dict[str, Any]:
    """The version and every shipped file's sha256 of one generated package."""
    pyproject = tomllib.loads((package_root / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        "version": str(pyproject["project"]["version"]),
        "files": {
            path.relative_to(package_root).as_posix(): sha256_file(path) for path in tree_files(package_root)
        },
    }


def outputs_record(generated: Path = GENERATED) -> dict[str, dict[str, Any]]:
    """The record of every generated package (a folder with a pyproject.toml), by package name."""
    return {
        root.name: package_record(root)
        for root in sorted(generated.iterdir())
        if (root / "pyproject.toml").is_file()
    }


def record_outputs(released: Path, generated: Path = GENERATED) -> None:
    """Write the released outputs record next to the released specs."""
    text = json.dumps(outputs_record(generated), indent=2, sort_keys=True) + "\n"
    (released / OUTPUTS_NAME).write_text(text, encoding="utf-8")


def _released(released: Path) -> dict[str, dict[str, Any]]:
    path = released / OUTPUTS_NAME
    if not path.is_file():
        return {}  # nothing recorded yet: every version is a first release
    try:
        record: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SpecError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    return record


def _version(text: str, where: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion as exc:
        raise SpecError(f"{where}: version {text!r} is not a version (PEP 440)") from exc


def _next_patch(version: Version) -> str:
    major, minor, patch = (*version.release, 0, 0)[:3]
    return f"{major}.{minor}.{patch + 1}"


def output_problems(released: Path, generated: Path = GENERATED) -> list[str]:
    """One line per generated package whose files changed since release while its version did not go up."""
    problems = []
    for name, before in sorted(_released(released).items()):
        root = generated / name
        if not (root / "pyproject.toml").is_file():
            continue  # a removed package ships nothing
        now = package_record(root)
        was_files: dict[str, str] = before.get("files", {})
        changed = sorted(
            path
            for path in was_files.keys() | now["files"].keys()
            if was_files.get(path) != now["files"].get(path)
        )
        old = _version(str(before.get("version")), f"specs/released/{OUTPUTS_NAME} {name}")
        new = _version(now["version"], f"generated/{name}/pyproject.toml")
        if changed and new <= old:
            shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            problems.append(
                f"{name}: generated output changed since release {old} ({len(changed)} files: {shown}) "
                f"but its version is still {new}: bump it (at least {_next_patch(old)}) in its spec"
            )
    return problems
