"""Seeded fault injection, configurable per carrier and operation.

A decision depends only on the seed, the carrier, the operation, the request's *stable identity* (path and
body without auth parameters, which change between resends) and how many times that identity was seen before.
Thread interleaving therefore cannot change which request gets which fault: a run is reproducible from its
seed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

FaultKind = Literal[
    "latency",  # answer normally, after latency_ms
    "error_5xx",  # HTTP 503 with an HTML page, work not done
    "reset",  # drop the connection before doing the work
    "timeout_after_commit",  # do the work, then hold the connection past the client's timeout and drop it
    "rate_limit",  # HTTP 429 with Retry-After, work not done
    "malformed",  # HTTP 200 with a body that is not JSON, work not done
    "truncated",  # do the work, then send a truncated JSON body
    "html",  # HTTP 200 with an HTML page (a proxy's error page), work not done
    "token_expiry",  # the carrier's token-expired answer, work not done
]
FAULT_KINDS: tuple[str, ...] = FaultKind.__args__  # type: ignore[attr-defined]
# Faults that happen after the carrier did the work: the caller cannot tell whether it happened.
AFTER_COMMIT: frozenset[str] = frozenset({"timeout_after_commit", "truncated"})

__all__ = ["AFTER_COMMIT", "FAULT_KINDS", "FaultKind", "FaultPlan", "FaultRule"]


@dataclass(frozen=True)
class FaultRule:
    """Inject ``kind`` into a share ``probability`` of matching requests ("*" matches any)."""

    kind: FaultKind
    probability: float
    carrier: str = "*"
    operation: str = "*"
    latency_ms: int = 0
    retry_after_seconds: int = 1
    hold_seconds: float = 2.0  # how long timeout_after_commit holds the connection before dropping it

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind {self.kind!r} is not one of {', '.join(FAULT_KINDS)}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"fault probability {self.probability} is not between 0 and 1")

    def matches(self, carrier: str, operation: str) -> bool:
        return self.carrier in ("*", carrier) and self.operation in ("*", operation)


@dataclass
class FaultPlan:
    """The faults of one sandbox run; empty means no faults."""

    seed: int = 0
    rules: tuple[FaultRule, ...] = ()
    _seen: Counter[str] = field(default_factory=Counter, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FaultPlan:
        """Build a plan from a mapping such as ``{"seed": 7, "rules": [{"kind": "reset", ...}]}``."""
        rules = tuple(FaultRule(**rule) for rule in config.get("rules", ()))
        return cls(seed=int(config.get("seed", 0)), rules=rules)

    @classmethod
    def uniform(cls, seed: int, share: float, kinds: Iterable[str], carrier: str = "*") -> FaultPlan:
        """Spread a total fault share evenly over the given kinds (e.g. 30 % over six kinds)."""
        chosen = tuple(kinds)
        each = share / len(chosen) if chosen else 0.0
        unknown = sorted(set(chosen) - set(FAULT_KINDS))
        if unknown:
            raise ValueError(f"unknown fault kinds {unknown}; known: {', '.join(FAULT_KINDS)}")
        rules = tuple(FaultRule(cast(FaultKind, kind), each, carrier=carrier) for kind in chosen)
        return cls(seed=seed, rules=rules)

    def decide(self, carrier: str, operation: str, identity: bytes) -> FaultRule | None:
        """Return the fault for this request, or None; the n-th sight of an identity decides afresh."""
        if not self.rules:
            return None
        digest_key = hashlib.sha256(identity).hexdigest()
        with self._lock:
            attempt = self._seen[f"{carrier}:{operation}:{digest_key}"]
            self._seen[f"{carrier}:{operation}:{digest_key}"] += 1
        roll = self._roll(carrier, operation, digest_key, attempt)
        threshold = 0.0
        for rule in self.rules:
            if not rule.matches(carrier, operation):
                continue
            threshold += rule.probability
            if roll < threshold:
                return rule
        return None

    def _roll(self, carrier: str, operation: str, digest_key: str, attempt: int) -> float:
        material = f"{self.seed}:{carrier}:{operation}:{digest_key}:{attempt}".encode()
        return int.from_bytes(hashlib.sha256(material).digest()[:8], "big") / 2**64
