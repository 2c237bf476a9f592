"""The journal's schema, versioned: each backend lists its DDL per version and ``migrate`` applies what a
database lacks, in one transaction. A database written by a newer shipspec is refused, not downgraded."""

from __future__ import annotations

from typing import Final

from ..errors import ConfigError
from .backend import Backend

__all__ = ["COMMON_COLUMNS", "SCHEMA_VERSION", "migrate"]

VERSION_TABLE: Final = "shipspec_journal_version"

COMMON_COLUMNS: Final = """
    reference TEXT NOT NULL UNIQUE,
    carrier TEXT NOT NULL,
    state TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    shipment TEXT NOT NULL,
    batch_id TEXT,
    carrier_shipment_id TEXT,
    tracking_number TEXT,
    result TEXT,
    owner TEXT,
    lease_until DOUBLE PRECISION,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
"""
"""The columns of ``shipspec_journal`` at version 1, the same in every backend (only the key differs)."""

SCHEMA_VERSION: Final = 1


def migrate(backend: Backend) -> int:
    """Bring the database to this shipspec's schema version; return the version found before."""
    steps = backend.migrations()
    with backend.transaction() as cursor:
        lock = getattr(backend, "migration_lock", None)
        if lock is not None:  # concurrent first runs must not both create the tables
            cursor.execute(lock())
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)")
        cursor.execute(f"SELECT MAX(version) FROM {VERSION_TABLE}")
        found = cursor.fetchall()[0][0]
        current = int(found) if isinstance(found, int) else 0
        if current > len(steps):
            raise ConfigError(
                f"journal {backend.describe()}: schema version {current} was written by a newer shipspec "
                f"(this one knows up to {len(steps)}); upgrade shipspec"
            )
        for version in range(current + 1, len(steps) + 1):
            for statement in steps[version - 1]:
                cursor.execute(statement)
            cursor.execute(backend.sql(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)"), (version,))
    return current
