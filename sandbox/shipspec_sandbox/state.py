"""Sandbox state: JSON documents by namespace and key, in memory or in SQLite (optional persistence)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

__all__ = ["MemoryStore", "SqliteStore", "Store"]


class Store(Protocol):
    """Thread-safe storage of JSON documents; ``transaction()`` makes read-modify-write atomic."""

    def get(self, namespace: str, key: str) -> Any | None: ...
    def put(self, namespace: str, key: str, value: Any) -> None: ...
    def items(self, namespace: str) -> list[tuple[str, Any]]: ...
    def transaction(self) -> threading.RLock: ...
    def close(self) -> None: ...


class MemoryStore:
    """State kept in memory for the life of the process."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._data: dict[str, dict[str, str]] = {}

    def get(self, namespace: str, key: str) -> Any | None:
        with self._lock:
            raw = self._data.get(namespace, {}).get(key)
        return None if raw is None else json.loads(raw)

    def put(self, namespace: str, key: str, value: Any) -> None:
        # Stored as JSON text so callers never share mutable objects with the store.
        with self._lock:
            self._data.setdefault(namespace, {})[key] = json.dumps(value)

    def items(self, namespace: str) -> list[tuple[str, Any]]:
        with self._lock:
            pairs = list(self._data.get(namespace, {}).items())
        return [(key, json.loads(raw)) for key, raw in pairs]

    def transaction(self) -> threading.RLock:
        return self._lock

    def close(self) -> None:
        """Nothing to release."""


class SqliteStore:
    """State persisted in one SQLite file, so a sandbox can be restarted with what it knew."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS docs"
            " (namespace TEXT, key TEXT, value TEXT, PRIMARY KEY (namespace, key))"
        )

    def get(self, namespace: str, key: str) -> Any | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM docs WHERE namespace = ? AND key = ?", (namespace, key)
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, namespace: str, key: str, value: Any) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO docs (namespace, key, value) VALUES (?, ?, ?)",
                (namespace, key, json.dumps(value)),
            )

    def items(self, namespace: str) -> list[tuple[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key, value FROM docs WHERE namespace = ? ORDER BY rowid", (namespace,)
            ).fetchall()
        return [(key, json.loads(value)) for key, value in rows]

    def transaction(self) -> threading.RLock:
        return self._lock

    def close(self) -> None:
        with self._lock:
            self._db.close()


def iter_namespace(store: Store, namespace: str) -> Iterator[Any]:
    """Yield the documents of a namespace in insertion order."""
    for _, value in store.items(namespace):
        yield value
