"""Tiny but valid wheels for upload tests: building the real projects takes about a minute."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from publishing.build import Artifact


def tiny_wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Artifact:
    """Write ``{name}-{version}-py3-none-any.whl`` holding only metadata; return it as an Artifact."""
    stem = f"{name.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    files = {
        f"{info}/METADATA": metadata,
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{info}/RECORD"])
    path = folder / f"{stem}-py3-none-any.whl"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            archive.writestr(zipfile.ZipInfo(member, (1980, 1, 1, 0, 0, 0)), text)
    return Artifact(path, name, version, hashlib.sha256(path.read_bytes()).hexdigest())
