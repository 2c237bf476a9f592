"""Register the ``publishing`` marker: the end-to-end publish test is slow enough to select on its own."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "publishing: builds, serves on a fresh pypiserver and installs into a fresh venv (about a minute); "
        "select with -m publishing, skip with -m 'not publishing'",
    )
