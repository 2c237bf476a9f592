"""``make run``'s publish step: build, upload to a fresh embedded index, install shipspec from it alone.

The demo runs the sandboxes too, so the venv also gets shipspec-sandbox from the same index (a user's
runtime environment would hold shipspec only).

The demo then ships with the installed ``shipspec`` command, so every run proves the packages install from
the index by themselves. A fresh index each time (not the persistent one of ``make publish``): the demo
rebuilds from the working tree, and re-uploading changed bytes under a released version is refused there.
uv installs (fast, and it ignores pip.conf); ``--no-config`` and a cleaned environment keep any other
index out.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .build import build_all
from .errors import PublishError
from .gate import require_gate
from .paths import DIST, REPO
from .projects import ROOT_NAME, SANDBOX_NAME, projects
from .publish import embedded_index, target_of, upload_to
from .release_checks import uncommitted_changes

__all__ = ["demo_install"]

log = logging.getLogger(__name__)

STEP_TIMEOUT_SECONDS = 300


def _uv(*args: str) -> None:
    uv = Path(sys.executable).parent / "uv"
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("UV_", "PIP_", "VIRTUAL_ENV"))
    }
    try:
        done = subprocess.run(
            [str(uv), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PublishError(f"uv {args[0]} took longer than {STEP_TIMEOUT_SECONDS}s") from exc
    if done.returncode != 0:
        raise PublishError(f"uv {' '.join(args[:2])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def demo_install(into: Path, out: Path = DIST) -> Path:
    """Publish to a fresh embedded index and install shipspec from it alone into a new venv at ``into``.

    Returns the installed ``shipspec`` command. The index is stopped before returning.
    """
    require_gate()
    uncommitted = uncommitted_changes(REPO)
    if uncommitted:
        log.warning(
            "packaging %d uncommitted or untracked paths: fine for this throwaway local index; "
            "a release to a real index (INDEX_URL) refuses them",
            len(uncommitted),
        )
    found = projects()
    pins = [
        f"{project.name}=={project.version}" for project in found if project.name in (ROOT_NAME, SANDBOX_NAME)
    ]
    artifacts = build_all(found, out)
    with (
        tempfile.TemporaryDirectory(prefix="shipspec-demo-index-") as root,
        embedded_index(found, root=Path(root)) as index,
    ):
        upload_to(artifacts, target_of(index))
        if into.exists():
            shutil.rmtree(into)
        _uv("venv", "--no-config", "--quiet", "--python", sys.executable, str(into))
        _uv(
            "pip",
            "install",
            "--no-config",
            "--quiet",
            "--python",
            str(into / "bin" / "python"),
            "--index-url",
            index.simple_url,
            *pins,
        )
    return into / "bin" / "shipspec"
