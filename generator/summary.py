"""``python -m generator summary``: what each spec covers, read from its x- tables."""

from __future__ import annotations

from collections import Counter

from .build import packages
from .extensions import load_spec, read_tables
from .paths import SHIPPING_MODELS_DIR


def summary_lines() -> list[str]:
    """Return one block of lines per carrier: version, operations with their retry strategy, error kinds."""
    lines = []
    for name, spec in packages().items():
        if name == SHIPPING_MODELS_DIR:
            continue
        tables = read_tables(load_spec(spec))
        codes = list(tables.error_codes) + [code for op in tables.operations for code in op.error_codes]
        messages = [message for op in tables.operations for message in op.error_messages]
        kinds = Counter([code.kind for code in codes] + [message.kind for message in messages])
        known_limits = sum(limit.value is not None for limit in tables.limits)
        lines.append(
            f"{name} {tables.version}: {len(tables.operations)} operations, {len(codes)} error codes, "
            f"{len(messages)} code-less failure messages "
            f"({', '.join(f'{kind} {count}' for kind, count in sorted(kinds.items()))}), "
            f"{known_limits} documented limits, {len(tables.limits) - known_limits} unknown"
        )
        lines += [
            f"  {op.method:<5} {op.path:<40} {op.operation_id:<24} repeat: {op.idempotency.strategy}"
            for op in tables.operations
        ]
    return lines


def main() -> int:
    """Print the summary."""
    print("\n".join(summary_lines()))
    return 0
