"""Parse the vendor doc snapshots (``specs/sources``) into the facts the specs must carry.

One parser per carrier doc, each a pure function of the text (``facts`` has what they share). ``doc-check``
compares the facts with a spec, ``doc-diff`` two revisions of a doc, and the spec tests use both.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from ..paths import SPECS
from .baaship import parse_baaship
from .deftship import parse_deftship
from .facts import DocField, DocOperation, VendorDocError
from .tiktok_shop import parse_tiktok
from .wechat_shop import parse_wechat

__all__ = [
    "ENV_VAR",
    "PARSERS",
    "SOURCES",
    "DocField",
    "DocOperation",
    "VendorDocError",
    "find_docs_dir",
    "load_carrier",
    "parse_baaship",
    "parse_deftship",
    "parse_doc",
    "parse_tiktok",
    "parse_wechat",
]

SOURCES = SPECS / "sources"
ENV_VAR = "SHIPSPEC_VENDOR_DOCS"
Parser = Callable[[str], list[DocOperation]]
# carrier id -> (snapshot file name in specs/sources, parser)
PARSERS: dict[str, tuple[str, Parser]] = {
    "tiktok_shop": ("tiktok-shop-batch-ship-packages.md", parse_tiktok),
    "wechat_shop": ("wechat-shop-delivery-send.md", parse_wechat),
    "baaship": ("baaship-shipments.md", parse_baaship),
    "deftship": ("deftship-create-batch.md", parse_deftship),
}


def find_docs_dir(repo_root: Path, env: Mapping[str, str] = os.environ) -> Path:
    """Return the vendor-docs folder: ``$SHIPSPEC_VENDOR_DOCS`` when set, else the repo's ``specs/sources``.

    The snapshot inside the repo is what a clone has; the variable lets a new doc revision be checked
    before it replaces the snapshot.
    """
    candidates = [Path(env[ENV_VAR])] if env.get(ENV_VAR) else []
    candidates.append(repo_root / "specs" / "sources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"vendor docs not found (tried {tried}); set {ENV_VAR} to a folder of docs")


def _line_of(text: str, at: str | None) -> int | None:
    """The number (from 1) of the first line holding ``at``'s first line, if any."""
    wanted = (at or "").strip().splitlines()
    if not wanted:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if wanted[0] in line:
            return number
    return None


def parse_doc(carrier: str, text: str, origin: str) -> list[DocOperation]:
    """Parse one carrier's doc text; a VendorDocError names ``origin`` and the line it stopped at."""
    _, parser = PARSERS[carrier]
    try:
        return parser(text)
    except VendorDocError as exc:
        line = _line_of(text, exc.at)
        where = f"{origin}:{line}" if line else origin
        raise VendorDocError(f"{where}: {exc}", exc.at, line) from exc


def load_carrier(docs_dir: Path, carrier: str) -> list[DocOperation]:
    """Parse the vendor doc of one carrier from a folder of snapshots."""
    filename, _ = PARSERS[carrier]
    path = docs_dir / filename
    return parse_doc(carrier, path.read_text(encoding="utf-8"), str(path))
