"""No idle tail: a carrier's partial batch is sent as soon as no more shipments are likely to join it.

A batch waits for ``batch_size`` shipments (see ``batching``), but the last, partial batch of a carrier would
otherwise wait for the end of the input, which in a long-lived stream may never come and in a file leaves
the carrier's slowest phases (DeftShip's asynchronous validation and shipping) for after everything else.
Two signals send it early:

- **End of a carrier.** A :class:`CarrierEnd` item in the runner's input says no more shipments of that
  carrier are expected (``shipspec ship`` knows each carrier's row count from its first pass and sends it
  after the carrier's last row). A shipment of that carrier that comes anyway still ships, in a new batch.
- **Linger.** A partial batch that has received no new shipment for ``linger`` seconds is sent (the
  runner's ``linger`` argument, default :data:`DEFAULT_LINGER_SECONDS`; ``None`` waits for a full batch or
  the end of the input). Only time spent waiting for the input counts: while the runner holds back because
  its carriers are busy (every concurrency slot taken), more shipments can still join, so the clocks restart
  when it reads again (:meth:`Buffers.held`). A timer (a thread for ``ship``, a task for ``aship``) sends due
  batches while the runner waits for its next input item, so a stream that goes quiet still ships.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from shipspec_shipping_models import Shipment

from .batching import Batcher
from .capabilities import Shipper

__all__ = ["DEFAULT_LINGER_SECONDS", "AsyncLingerTimer", "Buffers", "CarrierEnd", "LingerThread"]

DEFAULT_LINGER_SECONDS = 0.5
"""Half a second without a new shipment for a carrier: far above the microseconds between rows of a file
or a burst of a stream (so batches stay full), far below the seconds a carrier's batch takes to ship."""

Send = Callable[[str, list[Shipment]], None]


@dataclass(frozen=True)
class CarrierEnd:
    """An input item: no more shipments of ``carrier`` are expected, so its partial batch goes now."""

    carrier: str


class Buffers:
    """Every carrier's :class:`Batcher`, with when each last got a shipment; safe to share with a timer."""

    def __init__(self, linger: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        if linger is not None and linger < 0:
            raise ValueError("linger must be 0 or more seconds, or None")
        self.linger = linger
        self._clock = clock
        self._batchers: dict[str, Batcher] = {}
        self._since: dict[str, float] = {}  # carrier → when its partial batch last grew (or was released)
        self._holds = 0
        self._lock = threading.Lock()
        self.wake: Callable[[], None] = lambda: None  # set by a timer: a new deadline may be sooner

    def __contains__(self, carrier: object) -> bool:
        return carrier in self._batchers

    def open(self, carrier: str, shipper: Shipper) -> None:
        with self._lock:
            self._batchers[carrier] = Batcher(shipper)

    def add(self, carrier: str, shipment: Shipment) -> list[list[Shipment]]:
        """Buffer the shipment; the batches that are complete now."""
        with self._lock:
            batcher = self._batchers[carrier]
            ready = batcher.add(shipment)
            started = carrier not in self._since
            if batcher.pending:
                self._since[carrier] = self._clock()
            else:
                self._since.pop(carrier, None)
        if started and batcher.pending:
            self.wake()
        return ready

    def end(self, carrier: str) -> list[Shipment]:
        """The carrier's partial batch (maybe empty): its input has ended."""
        with self._lock:
            self._since.pop(carrier, None)
            batcher = self._batchers.get(carrier)
            return batcher.flush() if batcher is not None else []

    def flush(self) -> list[tuple[str, list[Shipment]]]:
        """Every partial batch: the input has ended."""
        with self._lock:
            self._since.clear()
            taken = [(carrier, batcher.flush()) for carrier, batcher in self._batchers.items()]
        return [(carrier, batch) for carrier, batch in taken if batch]

    def due(self) -> list[tuple[str, list[Shipment]]]:
        """The partial batches that lingered long enough (none while held)."""
        with self._lock:
            if self.linger is None or self._holds:
                return []
            now = self._clock()
            late = [carrier for carrier, since in self._since.items() if now - since >= self.linger]
            for carrier in late:
                del self._since[carrier]
            taken = [(carrier, self._batchers[carrier].flush()) for carrier in late]
        return [(carrier, batch) for carrier, batch in taken if batch]

    def next_due(self) -> float | None:
        """Seconds until the next partial batch is due (None: none is waiting, or the runner holds)."""
        with self._lock:
            if self.linger is None or self._holds or not self._since:
                return None
            return max(0.0, min(self._since.values()) + self.linger - self._clock())

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """While the runner waits for a free slot rather than for input: nothing lingers."""
        with self._lock:
            self._holds += 1
        try:
            yield
        finally:
            with self._lock:
                self._holds -= 1
                now = self._clock()
                for carrier in self._since:
                    self._since[carrier] = now
                waiting = bool(self._since)
            if waiting:
                self.wake()


class LingerThread:
    """Sends due partial batches from a daemon thread while ``ship`` waits for its input."""

    def __init__(self, buffers: Buffers, send: Send) -> None:
        self._buffers = buffers
        self._send = send
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        if buffers.linger is not None:
            buffers.wake = self._wake.set
            self._thread = threading.Thread(target=self._run, name="shipspec-linger", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stopped:
            self._wake.wait(self._buffers.next_due())
            self._wake.clear()
            if self._stopped:
                return
            for carrier, batch in self._buffers.due():
                self._send(carrier, batch)

    def stop(self) -> None:
        """Stop and wait for the thread: nothing is sent after this returns."""
        self._stopped = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()


class AsyncLingerTimer:
    """Sends due partial batches from a task while ``aship`` waits for its input."""

    def __init__(self, buffers: Buffers, send: Send) -> None:
        self._buffers = buffers
        self._send = send
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        if buffers.linger is not None:
            buffers.wake = self._wake.set
            self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._buffers.next_due())
            self._wake.clear()
            for carrier, batch in self._buffers.due():
                self._send(carrier, batch)

    async def stop(self) -> None:
        """Stop the task: nothing is sent after this returns."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
