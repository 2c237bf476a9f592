"""Grade a report: the report order of change kinds, the semver bump and the next version."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from packaging.version import InvalidVersion, Version

from .model import Change, SpecDiffError

Bump = Literal["major", "minor", "patch", "none"]


# Report order; also the order of `diff_specs` output.
KIND_ORDER = (
    "operation-removed",
    "operation-renamed",
    "operation-added",
    "parameter-removed",
    "parameter-added",
    "parameter-required",
    "parameter-optional",
    "response-removed",
    "response-added",
    "field-removed",
    "field-added",
    "field-required",
    "field-optional",
    "type-changed",
    "nullable-changed",
    "enum-value-removed",
    "enum-value-added",
    "enum-closed",
    "enum-opened",
    "constraint-changed",
    "rule-added",
    "rule-removed",
    "known-values-changed",
    "error-kind-changed",
    "error-rules-changed",
    "error-retry-window-changed",
    "error-code-removed",
    "error-code-added",
    "error-message-changed",
    "error-name-changed",
    "failure-kind-changed",
    "failure-matcher-changed",
    "failure-removed",
    "failure-added",
    "idempotency-changed",
    "partial-success-changed",
    "envelope-changed",
    "limit-lowered",
    "limit-added",
    "limit-raised",
    "limit-removed",
    "limit-changed",
    "server-removed",
    "server-added",
    "servers-changed",
    "security-scheme-removed",
    "security-scheme-changed",
    "security-scheme-added",
    "security-changed",
    "auth-changed",
    "default-changed",
    "product-code-removed",
    "product-code-changed",
    "product-code-added",
)
# Non-breaking kinds that add API surface: they make a minor bump.
ADDITION_KINDS = frozenset(
    {
        "operation-added",
        "parameter-added",
        "response-added",
        "field-added",
        "enum-value-added",
        "error-code-added",
        "failure-added",
        "limit-added",
        "server-added",
        "security-scheme-added",
        "product-code-added",
    }
)


def sort_key(change: Change) -> tuple[int, str, str, bool]:
    rank = KIND_ORDER.index(change.kind) if change.kind in KIND_ORDER else len(KIND_ORDER)
    return rank, change.location, change.detail, change.breaking


def version_bump(changes: Iterable[Change]) -> Bump:
    """The semver part to bump for these changes."""
    found = list(changes)
    if not found:
        return "none"
    if any(change.breaking for change in found):
        return "major"
    if any(change.kind in ADDITION_KINDS for change in found):
        return "minor"
    return "patch"


def next_version(old_version: str, changes: Iterable[Change]) -> str:
    """The spec version after these changes (0.x bumps like 1.x; suffixes drop).

    Versions are read as PEP 440 (`packaging.version`), so `1.1.0rc1` and
    `2.0.0-rc.1` parse; the bump starts from the release part (1.1.0).
    """
    try:
        parsed = Version(str(old_version).strip())
    except InvalidVersion as exc:
        raise SpecDiffError(f"version {old_version!r} is not MAJOR.MINOR.PATCH (PEP 440)") from exc
    if len(parsed.release) != 3:
        raise SpecDiffError(f"version {old_version!r} is not MAJOR.MINOR.PATCH (PEP 440)")
    major, minor, patch = parsed.release
    bump = version_bump(changes)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return str(old_version)
