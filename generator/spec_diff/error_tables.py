"""Compare ``x-error-codes`` tables and ``x-error-messages`` failures: how the runtime classifies them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .model import FAILURE_MATCHERS, Change, as_list, by_name, show


def _error_table(entries: Any) -> dict[str, Mapping[str, Any]]:
    table: dict[str, Mapping[str, Any]] = {}
    for entry in as_list(entries):
        if isinstance(entry, Mapping) and "code" in entry:
            table.setdefault(str(entry["code"]), entry)
    return table


# (entry key, change kind, breaking). `kind` and `message_rules` decide how the
# runtime classifies the code (retry, refresh, already done...), so changing
# them changes retry and exactly-once behaviour.
ERROR_ENTRY_FIELDS = (
    ("kind", "error-kind-changed", True),
    ("message_rules", "error-rules-changed", True),
    # `short_term` decides whether a quota code inside a 200 is retried with backoff: a retry policy
    # change (more or fewer resends of a refused call), not a contract change.
    ("short_term", "error-retry-window-changed", False),
    ("message", "error-message-changed", False),
    ("name", "error-name-changed", False),
)


def diff_error_table(
    old_entries: Any,
    new_entries: Any,
    where: str,
    roots: tuple[Any, Any] | None = None,
) -> Iterator[Change]:
    """Compare two error tables; `roots` (old, new root tables) when these are an operation's."""
    old, new = _error_table(old_entries), _error_table(new_entries)
    old_root, new_root = (_error_table(roots[0]), _error_table(roots[1])) if roots else ({}, {})
    for code in sorted(old.keys() | new.keys()):
        location = f"{where} {code}"
        before, after = old.get(code), new.get(code)
        if after is None and before is not None:
            yield _error_code_removed(before, new_root.get(code), location)
        elif before is None and after is not None:
            yield _error_code_added(after, old_root.get(code), location)
        elif before is not None and after is not None:
            yield from _diff_error_entry(before, after, location)


def _handling(entry: Mapping[str, Any] | None) -> str:
    if entry is None:
        return "unknown"
    rules = entry.get("message_rules")
    return f"{entry.get('kind')}{' with message_rules' if rules else ''}"


def _same_handling(a: Mapping[str, Any], b: Mapping[str, Any] | None) -> bool:
    return b is not None and (a.get("kind"), a.get("message_rules")) == (
        b.get("kind"),
        b.get("message_rules"),
    )


def _error_code_removed(
    before: Mapping[str, Any], fallback: Mapping[str, Any] | None, location: str
) -> Change:
    # The server may still send the code; the runtime then classifies it by the
    # root table or as `unknown`. That re-classifies it as surely as a changed
    # `kind` (e.g. an already-shipped answer becomes a failure), so it breaks,
    # unless the root table gives it the same handling.
    name = before.get("name")
    if _same_handling(before, fallback):
        detail = f"{name} no longer documented here; the root table still classifies it {_handling(before)}"
        return Change("error-code-removed", location, False, detail)
    detail = (
        f"{name} no longer documented: the runtime now classifies it {_handling(fallback)} "
        f"instead of {_handling(before)}"
    )
    return Change("error-code-removed", location, True, detail)


def _error_code_added(after: Mapping[str, Any], shadowed: Mapping[str, Any] | None, location: str) -> Change:
    name = after.get("name")
    if shadowed is not None and not _same_handling(after, shadowed):
        # It overrides a root entry the runtime used for this operation until now.
        detail = (
            f"{name} added: the runtime now classifies it {_handling(after)} instead of {_handling(shadowed)}"
        )
        return Change("error-code-added", location, True, detail)
    return Change("error-code-added", location, False, f"{name} ({after.get('kind')}) added")


def _diff_error_entry(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    for key, kind, breaking in ERROR_ENTRY_FIELDS:
        was, now = before.get(key), after.get(key)
        if was != now:
            detail = f"{key} {show(was)} -> {show(now)}"
            yield Change(kind, location, breaking, detail)


def diff_failures(old_entries: Any, new_entries: Any, where: str) -> Iterator[Change]:
    """x-error-messages: failures without codes, matched by message text."""
    old, new = by_name(old_entries), by_name(new_entries)
    for name in sorted(old.keys() | new.keys()):
        location = f"{where} {name}"
        before, after = old.get(name), new.get(name)
        if after is None:
            yield Change("failure-removed", location, False, "no longer documented")
        elif before is None:
            yield Change("failure-added", location, False, f"added ({after.get('kind')})")
        else:
            yield from _diff_failure(before, after, location)


def _diff_failure(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    if before.get("kind") != after.get("kind"):
        detail = f"kind {show(before.get('kind'))} -> {show(after.get('kind'))}"
        yield Change("failure-kind-changed", location, True, detail)
    # Unlike a coded error's message, the matcher decides which failures get
    # this kind: changing it re-classifies them.
    was = {key: before[key] for key in FAILURE_MATCHERS if before.get(key)}
    now = {key: after[key] for key in FAILURE_MATCHERS if after.get(key)}
    if was != now:
        detail = f"matcher {show(was)} -> {show(now)}"
        yield Change("failure-matcher-changed", location, True, detail)
