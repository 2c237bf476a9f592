"""Compare two carrier specs: every reportable difference, in report order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .error_tables import diff_error_table
from .grading import sort_key
from .model import Change
from .operations import diff_operations
from .policies import diff_limits, diff_policy
from .runtime import diff_auth, diff_named, diff_servers, product_codes
from .side import SpecView


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every reportable difference from `old` to `new`, in report order."""
    changes = [
        *diff_operations(SpecView(old), SpecView(new)),
        *diff_error_table(old.get("x-error-codes"), new.get("x-error-codes"), "x-error-codes"),
        *diff_limits(old.get("x-limits"), new.get("x-limits")),
        *diff_policy(old.get("x-envelope"), new.get("x-envelope"), "x-envelope", "envelope-changed"),
        *diff_servers(old, new),
        *diff_auth(old, new),
        *diff_named(product_codes(old), product_codes(new), "x-product-codes", "product-code"),
    ]
    return sorted(changes, key=sort_key)
