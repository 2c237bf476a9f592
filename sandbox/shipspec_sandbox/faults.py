"""Seeded fault injection, configurable per carrier and operation.

A decision depends only on the seed, the carrier, the operation, the request's *stable identity* (path and
body without auth parameters, which change between resends) and how many times that identity was seen before.
Thread interleaving therefore cannot change which request gets which fault: a run is reproducible from its
seed.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from shipspec.config import CARRIERS

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

__all__ = ["AFTER_COMMIT", "FAULT_KINDS", "FaultKind", "FaultPlan", "FaultPlanError", "FaultRule"]


class FaultPlanError(ValueError):
    """A fault plan that cannot be used; the message names the file and the entry (``rules[2].kind``)."""


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
        """Build a plan from a mapping such as ``{"seed": 7, "rules": [{"kind": "reset", ...}]}``.

        Raises FaultPlanError naming the entry for anything a plan cannot mean: an unknown key, kind,
        carrier or operation, a share outside 0..1 (also summed over the rules one request can match).
        """
        if not isinstance(config, Mapping):
            raise FaultPlanError(f"expected a mapping with seed and rules, got {_what(config)}")
        unknown = sorted(map(str, set(config) - {"seed", "rules"}))
        if unknown:
            raise FaultPlanError(f"unknown keys {unknown}; a plan has seed and rules")
        seed = config.get("seed", 0)
        if not _is_int(seed):
            raise FaultPlanError(f"seed must be a whole number, got {_what(seed)}")
        entries = config.get("rules") or []
        if not isinstance(entries, list):
            raise FaultPlanError(f"rules must be a list of rules, got {_what(entries)}")
        rules = tuple(_rule(f"rules[{index}]", entry) for index, entry in enumerate(entries))
        _check_shares(rules)
        return cls(seed=seed, rules=rules)

    @classmethod
    def from_file(cls, path: Path, *, seed: int = 0) -> FaultPlan:
        """Read a YAML (or JSON) plan, ``seed`` unless it sets one; a FaultPlanError names the file."""
        try:
            config = yaml.safe_load(path.read_bytes().decode("utf-8"))
        except OSError as error:
            raise FaultPlanError(f"{path}: cannot read it: {error.strerror}") from None
        except UnicodeDecodeError:
            raise FaultPlanError(f"{path}: not UTF-8 text") from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
            problem = getattr(error, "problem", None) or type(error).__name__
            raise FaultPlanError(f"{path}: not valid YAML: {problem}{where}") from None
        if config is None:
            config = {}
        if isinstance(config, dict):
            config = {"seed": seed, **config}
        try:
            return cls.from_config(config)
        except FaultPlanError as error:
            raise FaultPlanError(f"{path}: {error}") from None

    @classmethod
    def uniform(cls, seed: int, share: float, kinds: Iterable[str], carrier: str = "*") -> FaultPlan:
        """Spread a total fault share evenly over the given kinds (e.g. 30 % over six kinds)."""
        chosen = tuple(kinds)
        if not 0 <= share <= 1:  # spread over the kinds, each part alone could still look valid
            raise ValueError(f"fault share {share} is not between 0 and 1")
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


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # YAML's true is no number of seconds


def _is_number(value: object) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(cast(float, value))


def _operations(carrier: str) -> set[str]:
    """The operation ids a rule for ``carrier`` ("*": any carrier) can name: those the server routes to."""
    from shipspec.spec_tables import tables_for

    carriers = CARRIERS if carrier == "*" else (carrier,)
    return {operation for each in carriers for operation in tables_for(each).operations}


# A rule's keys: what each must be, as a test and in words (for the message).
_RULE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "kind": (lambda value: value in FAULT_KINDS, f"one of {', '.join(FAULT_KINDS)}"),
    "probability": (lambda value: _is_number(value) and 0 <= value <= 1, "a number from 0 to 1"),
    "carrier": (lambda value: value == "*" or value in CARRIERS, f"* or one of {', '.join(CARRIERS)}"),
    "operation": (lambda value: isinstance(value, str), "* or an operation id"),
    "latency_ms": (lambda value: _is_int(value) and value >= 0, "a whole number of milliseconds, 0 or more"),
    "retry_after_seconds": (
        lambda value: _is_int(value) and value >= 0,
        "a whole number of seconds, 0 or more",
    ),
    "hold_seconds": (lambda value: _is_number(value) and value > 0, "a number of seconds above 0"),
}


def _what(value: object) -> str:
    """A value in words for a message: itself when short (plans hold no secrets), else its type."""
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    shown = repr(value)
    return shown if len(shown) <= 40 else f"a {type(value).__name__}"


def _rule(where: str, entry: object) -> FaultRule:
    """One rule of a plan, checked key by key; FaultPlanError names ``where`` and the key."""
    if not isinstance(entry, dict):
        raise FaultPlanError(f"{where}: expected a mapping (kind, probability, …), got {_what(entry)}")
    unknown = sorted(map(str, set(entry) - set(_RULE_CHECKS)))
    if unknown:
        raise FaultPlanError(f"{where}: unknown keys {unknown}; known: {', '.join(_RULE_CHECKS)}")
    for key in ("kind", "probability"):
        if key not in entry:
            raise FaultPlanError(f"{where}.{key}: required")
    for key, value in entry.items():
        accepts, meaning = _RULE_CHECKS[key]
        if not accepts(value):
            raise FaultPlanError(f"{where}.{key}: must be {meaning}, got {_what(value)}")
    carrier, operation = entry.get("carrier", "*"), entry.get("operation", "*")
    # A misspelt operation would match nothing: the plan would silently inject no faults.
    if operation != "*" and operation not in _operations(carrier):
        known = ", ".join(sorted(_operations(carrier)))
        owner = "any carrier" if carrier == "*" else carrier
        raise FaultPlanError(f"{where}.operation: {operation!r} is no operation of {owner}; known: {known}")
    return FaultRule(**entry)


def _check_shares(rules: tuple[FaultRule, ...]) -> None:
    """Refuse rules whose shares add up to more than 1 for some request: the later ones would be cut."""
    if sum(rule.probability for rule in rules) <= 1:  # no request can match more than all of them
        return
    for carrier in CARRIERS:
        for operation in sorted(_operations(carrier)):
            total = sum(rule.probability for rule in rules if rule.matches(carrier, operation))
            if total > 1 + 1e-9:
                raise FaultPlanError(
                    f"rules: the shares of the rules matching {carrier} {operation} add up to {total:g};"
                    " at most 1"
                )
