"""Where publishing reads and writes; one place so tests can point it elsewhere."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "generated"
SANDBOX = REPO / "sandbox"  # the shipspec-sandbox distribution (test doubles, apart from the runtime)
DIST = REPO / "dist"
DEV_LOCK = REPO / "requirements" / "dev.lock"
BUILD_CONSTRAINTS = Path(__file__).resolve().parent / "build-constraints.txt"
# .cache/ is gitignored: nothing here is source, and hatchling's sdist of the repo skips ignored paths, so the
# embedded index's password file can never end up inside a published sdist.
CACHE = REPO / ".cache"
DEPS_CACHE = CACHE / "index-deps"
EMBEDDED_INDEX = CACHE / "index"
