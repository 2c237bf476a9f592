"""Each operation's ``x-idempotency`` at run time, for the exactly-once runner and the transport.

Strategies (specs/CONVENTIONS.md): ``safe`` (resend freely), ``natural_key`` (a duplicate key answers a known
code; look the first result up ``via`` another operation), ``already_done_code`` (a resend answers ``codes``),
``state_check`` (read the state back ``via`` another operation), ``unsafe`` (nothing makes a resend safe).
"""

from __future__ import annotations

from .retry import SAFE_STRATEGY
from .spec_tables import IdempotencyEntry, tables_for

__all__ = ["idempotency", "is_safe_to_resend"]


def idempotency(carrier: str, operation_id: str) -> IdempotencyEntry:
    """The generated idempotency entry of an operation; KeyError names the known ones when it is not there."""
    operations = tables_for(carrier).operations
    try:
        return operations[operation_id].idempotency
    except KeyError:
        known = ", ".join(sorted(operations))
        raise KeyError(f"{carrier} has no operation {operation_id!r} (known: {known})") from None


def is_safe_to_resend(carrier: str, operation_id: str) -> bool:
    """True only when a blind resend after a lost answer cannot do the work twice (strategy ``safe``)."""
    return idempotency(carrier, operation_id).strategy == SAFE_STRATEGY
