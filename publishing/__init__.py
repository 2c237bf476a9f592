"""Publish shipspec's distributions to an internal package index (``python -m publishing``).

    version gate ──▶ build (wheel + sdist per project, pinned backends, fixed SOURCE_DATE_EPOCH)
                 ──▶ read the index's listings (refuse re-releases) ──▶ upload (uv publish)
                 ──▶ check-install: a fresh venv installs shipspec from that index alone and ships a package

The index is INDEX_URL (credentials INDEX_USERNAME / INDEX_PASSWORD) or, by default, an embedded pypiserver
on 127.0.0.1 seeded with the dependency wheels. Every distribution is ``shipspec`` or ``shipspec-*``.
"""

from __future__ import annotations

from .errors import PublishError

__all__ = ["PublishError"]
