"""Setting a ``ContextVar`` for the length of a block: how a run hands per-shipment state to the transport.

The deadline, the carrier circuit and the in-flight record each travel this way, so that they follow the
shipment into the thread or asyncio task that sends it without being passed through the generated code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

__all__ = ["scoped"]

T = TypeVar("T")


@contextmanager
def scoped(variable: ContextVar[T], value: T) -> Iterator[None]:
    """``variable`` is ``value`` inside the block (this thread or task), what it was before afterwards."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
