"""Seed the index with shipspec's third-party dependency wheels, so installs need no other index.

An index that serves only our packages forces users to add a second index for httpx, pydantic, … — and a
second index is exactly what dependency confusion exploits. So the embedded index also serves the wheels
of shipspec's runtime dependency closure for this Python, downloaded once into ``.cache/index-deps/``.

Versions are constrained by ``requirements/dev.lock``: the index then serves what the test suite ran with.
The download uses the developer's own pip configuration (their route to PyPI or a mirror); a stamp records
what the folder holds so later runs reuse it without touching the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from .build import artifacts_in
from .errors import PublishError
from .paths import DEPS_CACHE, DEV_LOCK
from .projects import Project, is_ours, third_party_requirements

__all__ = ["ensure_dependency_wheels"]

log = logging.getLogger(__name__)

STAMP = "complete.json"
DOWNLOAD_TIMEOUT_SECONDS = 600


def _cache_key(requirements: list[str], constraints: Path) -> str:
    digest = hashlib.sha256()
    interpreter = f"{sys.implementation.cache_tag} {sysconfig.get_platform()}"
    for part in [interpreter, *requirements, constraints.read_text(encoding="utf-8")]:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _download(requirements: list[str], constraints: Path, cache: Path) -> None:
    argv = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
    argv += ["--only-binary=:all:", "--dest", str(cache), "--constraint", str(constraints), *requirements]
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PublishError(f"downloading dependency wheels took over {DOWNLOAD_TIMEOUT_SECONDS}s") from exc
    if done.returncode != 0:
        raise PublishError(f"downloading dependency wheels failed:\n{done.stdout}{done.stderr}")


def ensure_dependency_wheels(
    found: list[Project], cache: Path = DEPS_CACHE, constraints: Path = DEV_LOCK
) -> Path:
    """Fill ``cache`` with the runtime dependency wheels of ``found`` unless it already holds them."""
    requirements = third_party_requirements(found)
    key = _cache_key(requirements, constraints)
    stamp = cache / STAMP
    if not (stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")).get("key") == key):
        log.info("downloading %d runtime dependencies (and theirs) into %s", len(requirements), cache)
        # Start empty: wheels left from other constraints would be served too, and pip picks the highest.
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        _download(requirements, constraints, cache)
        stamp.write_text(json.dumps({"key": key, "requirements": requirements}, indent=2) + "\n")
    # The folder is served next to our uploads: a wheel named like ours there would shadow the real one.
    impostors = [artifact.path.name for artifact in artifacts_in(cache) if is_ours(artifact.name)]
    if impostors:
        raise PublishError(f"{cache} holds wheels named like ours, refusing to serve them: {impostors}")
    return cache
