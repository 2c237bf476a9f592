"""A fault plan that counts the requests a sandbox received, and the quick faulty plans built on it."""

from __future__ import annotations

import dataclasses
from typing import Any

from shipspec_sandbox import FaultPlan

FAULT_KINDS = ("error_5xx", "reset", "timeout_after_commit", "rate_limit", "malformed", "html")

__all__ = ["FAULT_KINDS", "CountingPlan", "quick_faults"]


class CountingPlan(FaultPlan):
    """A fault plan that also counts the requests the sandbox received, per operation (token calls too)."""

    def __init__(self, seed: int = 0, rules: tuple[Any, ...] = ()) -> None:
        super().__init__(seed=seed, rules=rules)
        self.calls: dict[str, int] = {}

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        self.calls[operation] = self.calls.get(operation, 0) + 1
        return super().decide(carrier, operation, identity)


def quick_faults(seed: int, share: float = 0.3) -> CountingPlan:
    """``FaultPlan.uniform`` over the brief's six kinds; a lost committed call is held 0.2 s, not 2 s."""
    uniform = FaultPlan.uniform(seed, share, FAULT_KINDS)
    return CountingPlan(seed, tuple(dataclasses.replace(rule, hold_seconds=0.2) for rule in uniform.rules))
