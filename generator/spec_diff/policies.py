"""Compare runtime policies (``x-idempotency``, ``x-partial-success``, ``x-envelope``) and ``x-limits``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .model import Change, as_list, by_name, is_number, policy_of, show


def diff_policy(before: Any, after: Any, location: str, kind: str) -> Iterator[Change]:
    """x-idempotency, x-partial-success, x-envelope: any non-prose change breaks."""
    old, new = policy_of(before), policy_of(after)
    if old != new:
        yield Change(kind, location, True, f"{show(old)} -> {show(new)}")


def diff_limits(old_entries: Any, new_entries: Any) -> Iterator[Change]:
    old, new = by_name(old_entries), by_name(new_entries)
    for name in sorted(old.keys() | new.keys()):
        location = f"x-limits {name}"
        before, after = old.get(name), new.get(name)
        if after is None:
            yield Change("limit-removed", location, False, "limit no longer documented")
        elif before is None:
            yield _limit_added(after, location)
        else:
            yield from _diff_limit(before, after, location)


def _limit_added(entry: Mapping[str, Any], location: str) -> Change:
    value = entry.get("value")
    if is_number(value):
        detail = f"new limit {show(value)} {entry.get('unit', '')}".rstrip()
        return Change("limit-added", location, True, detail)
    return Change("limit-added", location, False, "new limit, value unknown")


def _diff_limit(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    yield from _diff_limit_value(before.get("value"), after.get("value"), location)
    if before.get("unit") != after.get("unit"):
        detail = (
            f"unit {show(before.get('unit'))} -> {show(after.get('unit'))}: values are no longer comparable"
        )
        yield Change("limit-changed", location, True, detail)
    yield from _diff_limit_scope(before, after, location)


def _diff_limit_value(old: Any, new: Any, location: str) -> Iterator[Change]:
    if old == new:
        return
    change = f"value {show(old)} -> {show(new)}"
    if not is_number(new):
        yield Change("limit-changed", location, False, f"{change} (now unknown)")
    elif not is_number(old):
        yield Change("limit-lowered", location, True, f"{change} (newly documented)")
    elif new < old:
        yield Change("limit-lowered", location, True, change)
    else:
        yield Change("limit-raised", location, False, change)


def _diff_limit_scope(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    old = frozenset(str(op) for op in as_list(before.get("applies_to")))
    new = frozenset(str(op) for op in as_list(after.get("applies_to")))
    if old == new:
        return
    # An empty applies_to means carrier-wide: the widest scope.
    widened = bool(old) and (not new or bool(new - old))
    detail = f"applies_to {_show_scope(old)} -> {_show_scope(new)}"
    yield Change("limit-changed", location, widened, detail)


def _show_scope(ops: frozenset[str]) -> str:
    return ", ".join(sorted(ops)) if ops else "all operations"
