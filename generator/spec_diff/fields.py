"""Compare two flattened schemas field by field: added/removed fields, required flags, types, nullability,
enums, bounds, cross-field rules and defaults, each graded for the side (request or response) it is on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .model import UPPER_BOUNDS, Change, Side, is_number, join_location, show
from .schemas import Field


def _show_types(types: frozenset[str]) -> str:
    if not types:
        return "null"
    names = sorted(types)
    return names[0] if len(names) == 1 else f"oneOf[{', '.join(names)}]"


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """True when every value of a `narrow` type is also a `wide` value."""
    if "any" in wide:
        return True
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def compare_maps(
    old: Mapping[str, Field],
    new: Mapping[str, Field],
    where: str,
    side: Side,
    root_label: str,
) -> Iterator[Change]:
    """Compare two flattened schemas; report only the top-most added/removed path."""
    for path in sorted(old.keys() | new.keys()):
        location = join_location(where, path or root_label)
        before, after = old.get(path), new.get(path)
        if before is not None and after is None:
            if before.parent is None or before.parent in new:
                yield Change(
                    "field-removed",
                    location,
                    True,
                    f"field removed (was {_show_types(before.types)})",
                )
        elif before is None and after is not None:
            if after.parent is None or after.parent in old:
                yield _field_added(after, location, side)
        elif before is not None and after is not None:
            yield from _compare_field(before, after, location, side)


def _field_added(found: Field, location: str, side: Side) -> Change:
    types = _show_types(found.types)
    if side == "response":
        return Change("field-added", location, False, f"field added ({types})")
    if found.required:
        return Change(
            "field-added",
            location,
            True,
            f"required field added ({types}): existing calls do not send it",
        )
    return Change("field-added", location, False, f"optional field added ({types})")


def _compare_field(before: Field, after: Field, location: str, side: Side) -> Iterator[Change]:
    yield from _compare_required(before, after, location, side)
    yield from _compare_types(before, after, location, side)
    yield from _compare_nullable(before, after, location, side)
    yield from _compare_enum(before, after, location, side)
    yield from _compare_bounds(before, after, location, side)
    yield from compare_rules(before.rules, after.rules, location, side)
    yield from _compare_default(before, after, location, side)
    if before.known != after.known:
        yield Change(
            "known-values-changed",
            location,
            False,
            _set_delta("x-known-values", before.known, after.known),
        )


def _compare_default(before: Field, after: Field, location: str, side: Side) -> Iterator[Change]:
    if before.default == after.default:
        return
    detail = f"default {before.default or 'none'} -> {after.default or 'none'}"
    if side == "request":
        # The generated model sends its default, and the server applies its own
        # when the field is omitted: every call that leaves it out changes
        # meaning (e.g. every parcel insured).
        yield Change("default-changed", location, True, f"{detail}: calls that omit it change meaning")
    else:
        # The generated parser leaves an absent field Unset; it applies no default.
        yield Change("default-changed", location, False, detail)


def _compare_required(before: Field, after: Field, location: str, side: Side) -> Iterator[Change]:
    if before.required == after.required:
        return
    if after.required:
        # A request must now carry it; a response now always has it (safe).
        yield Change("field-required", location, side == "request", "optional -> required")
    else:
        # A response may now omit it: the parsed attribute may be Unset.
        yield Change("field-optional", location, side == "response", "required -> optional")


def _compare_types(before: Field, after: Field, location: str, side: Side) -> Iterator[Change]:
    if before.types == after.types:
        return
    if _covers(after.types, before.types):
        how = "widened"
    elif _covers(before.types, after.types):
        how = "narrowed"
    else:
        how = "changed"
    # Requests may widen (old calls still valid); responses may narrow (the
    # client already handles every value the new type allows).
    safe = "widened" if side == "request" else "narrowed"
    detail = f"type {_show_types(before.types)} -> {_show_types(after.types)}"
    yield Change("type-changed", location, how != safe, f"{detail} ({how})")


def _compare_nullable(before: Field, after: Field, location: str, side: Side) -> Iterator[Change]:
    if before.nullable == after.nullable:
        return
    if after.nullable:
        detail = "became nullable"
        if side == "response":
            detail += ": clients may now read None"
        yield Change("nullable-changed", location, side == "response", detail)
    else:
        yield Change("nullable-changed", location, side == "request", "no longer nullable")


def _compare_enum(before: Field, after: Field, location: str, side: Side) -> Iterator[Change]:
    if before.enum is None and after.enum is None:
        return
    if before.enum is None:
        # Requests: fewer accepted values. Responses: the attribute becomes an
        # Enum and the parser starts rejecting values outside the list.
        values = ", ".join(sorted(after.enum or ()))
        yield Change("enum-closed", location, True, f"closed enum introduced: {values}")
        return
    if after.enum is None:
        # Responses: the attribute stops being an Enum, and any value may come.
        yield Change("enum-opened", location, side == "response", "closed enum dropped")
        return
    for value in sorted(before.enum - after.enum):
        yield Change("enum-value-removed", location, True, f"enum value {value} removed")
    for value in sorted(after.enum - before.enum):
        # Harmless in a request. In a response the old generated parser meets
        # a value its Enum class lacks and `from_dict` raises ValueError, so
        # every deployed client breaks as soon as the server sends it.
        yield Change("enum-value-added", location, side == "response", f"enum value {value} added")


def _compare_bounds(before: Field, after: Field, location: str, side: Side) -> Iterator[Change]:
    for key in sorted(before.bounds.keys() | after.bounds.keys()):
        old, new = before.bounds.get(key), after.bounds.get(key)
        if old == new:
            continue
        narrowed = _narrows(key, old, new)
        how = "narrowed" if narrowed else "widened"
        # The generated parser checks no constraint, so response bounds are
        # information only.
        yield Change(
            "constraint-changed",
            location,
            side == "request" and narrowed,
            f"{key} {_show_bound(old)} -> {_show_bound(new)} ({how})",
        )


def compare_rules(
    before: frozenset[str], after: frozenset[str], location: str, side: Side
) -> Iterator[Change]:
    # A new cross-field rule can reject a request that met the old ones.
    for rule in sorted(after - before):
        yield Change("rule-added", location, side == "request", rule)
    for rule in sorted(before - after):
        yield Change("rule-removed", location, False, rule)


def _narrows(key: str, old: Any, new: Any) -> bool:
    if new is None:
        return False
    if old is None or not (is_number(old) and is_number(new)):
        return True  # a new bound, or a changed pattern we cannot order
    return bool(new < old) if key in UPPER_BOUNDS else bool(new > old)


def _show_bound(value: Any) -> str:
    return "none" if value is None else show(value)


def _set_delta(what: str, old: frozenset[str], new: frozenset[str]) -> str:
    parts = []
    if new - old:
        parts.append(f"added {', '.join(sorted(new - old))}")
    if old - new:
        parts.append(f"removed {', '.join(sorted(old - new))}")
    return f"{what} {'; '.join(parts)}"
