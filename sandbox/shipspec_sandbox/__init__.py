"""Local, stateful sandboxes of the four carrier APIs (the role stripe-mock and moto play elsewhere).

Real HTTP on 127.0.0.1, requests validated against shipspec's own specs, documented behaviour per carrier,
seeded fault injection and a ledger of what was really created or shipped. Start them with
``shipspec sandbox`` / ``python -m shipspec_sandbox``, from Python with :func:`start_sandboxes`, or in tests
with the pytest plugin's ``shipspec_sandboxes`` fixture.

Names are imported on first use: the pytest plugin lives in this package, and a test run that never asks for a
sandbox should not pay for loading the request validator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .faults import FaultPlan, FaultRule
    from .ledger import Ledger, LedgerEntry
    from .runner import Sandboxes, start_sandboxes
    from .state import MemoryStore, SqliteStore, Store

_EXPORTS = {
    "FaultPlan": "faults",
    "FaultRule": "faults",
    "Ledger": "ledger",
    "LedgerEntry": "ledger",
    "MemoryStore": "state",
    "Sandboxes": "runner",
    "SqliteStore": "state",
    "Store": "state",
    "start_sandboxes": "runner",
}

__all__ = [
    "FaultPlan",
    "FaultRule",
    "Ledger",
    "LedgerEntry",
    "MemoryStore",
    "Sandboxes",
    "SqliteStore",
    "Store",
    "start_sandboxes",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
