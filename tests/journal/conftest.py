"""Journal fixtures: one private PostgreSQL server for the session, and a journal on each backend."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from shipspec.journal import Journal, open_journal

from tests.support.postgres import fresh_database, postgres_server

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def journal_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty journal lives: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "journal.sqlite")
    server: str = request.getfixturevalue("postgres_url")
    return fresh_database(server, f"journal_{next(_databases)}")


@pytest.fixture
def journal(journal_url: str) -> Iterator[Journal]:
    with open_journal(journal_url) as opened:
        yield opened
