"""How a shipper tells the journal what the carrier created, without knowing whether there is a journal.

The runner runs each batch inside ``recording(journal)``; a shipper calls ``learnt(...)`` the moment an
answer names something the carrier created (a DeftShip batch id, before the batch is shipped). With no
journal (a shipper used on its own) the call does nothing. A context variable carries the journal, so it
follows each batch into its worker thread or asyncio task and never leaks into another batch. Async shippers
call ``alearnt``, which keeps a remote journal's round trip off their event loop.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Protocol

from .offload import off_loop

__all__ = ["Recorder", "alearnt", "learnt", "recording"]


class Recorder(Protocol):
    def learnt(
        self,
        references: Sequence[str],
        *,
        batch_id: str | None = None,
        carrier_shipment_id: str | None = None,
    ) -> bool: ...


_current: ContextVar[Recorder | None] = ContextVar("shipspec_journal", default=None)


@contextmanager
def recording(recorder: Recorder | None) -> Iterator[None]:
    """Within this block (this thread or task), ``learnt`` goes to ``recorder``."""
    token = _current.set(recorder)
    try:
        yield
    finally:
        _current.reset(token)


def learnt(
    references: Sequence[str], *, batch_id: str | None = None, carrier_shipment_id: str | None = None
) -> bool:
    """Record at once that the carrier created ``batch_id`` / ``carrier_shipment_id`` for ``references``.

    False when the run no longer holds them all (another run took one over, see ``Journal.learnt``): the
    shipper must then leave what it created alone. True with no journal (nobody else can take them)."""
    recorder = _current.get()
    if recorder is None:
        return True
    return recorder.learnt(references, batch_id=batch_id, carrier_shipment_id=carrier_shipment_id)


async def alearnt(
    references: Sequence[str], *, batch_id: str | None = None, carrier_shipment_id: str | None = None
) -> bool:
    """``learnt`` for async shippers: a journal whose commits wait for a server (``Journal.remote``:
    PostgreSQL) records on a worker thread, so the event loop goes on with the run's other batches."""
    recorder = _current.get()
    if recorder is None:
        return True
    record = partial(recorder.learnt, references, batch_id=batch_id, carrier_shipment_id=carrier_shipment_id)
    return await off_loop(recorder, record)
