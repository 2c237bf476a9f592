"""A carrier's worker threads for ``ship``: run each batch's callable, with no future of their own.

The runner registers a batch's future before handing the batch to a thread, so a Ctrl-C between the two
never leaves a batch sending that nobody waits for, and the batch settles that future itself (see
``runner._run_work``). ``ThreadPoolExecutor.submit`` would make a second future and a work item per batch
on top of it: for every one-shipment WeChat or Baaship batch, two futures, each with a condition, a lock
and a waiter queue, and up to 1,000 such batches queued per carrier (``READ_AHEAD_SHIPMENTS``), enough
allocations to set off full garbage collections during a run (``make bench``, ``gc.callbacks``). Here a
batch is its callable on a queue, taken by up to ``size`` threads in turn.

Like the executor's threads, these are not daemons: a batch running when the interpreter exits is finished,
not cut off mid-send. A thread left waiting for work (a runner never closed) ends once the main thread has
ended, as the executor's do at interpreter exit, so it never holds the process open; a batch submitted
after that (a runner going on in another thread) starts a thread again.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

__all__ = ["IDLE_CHECK_SECONDS", "Workers"]

IDLE_CHECK_SECONDS = 1.0
"""How often a thread waiting for work checks whether the main thread has ended (then it ends too)."""

logger = logging.getLogger("shipspec")


class Workers:
    """Up to ``size`` threads named ``name-N`` running the submitted callables in order.

    A callable settles its batch's future itself and raises nothing; one that raises anyway is logged and
    the thread goes on with the next (a dead thread would leave queued batches unsent).
    """

    def __init__(self, size: int, name: str) -> None:
        if size < 1:
            raise ValueError(f"a carrier needs at least one worker thread, not {size}")
        self._size = size
        self._name = name
        self._queue: queue.SimpleQueue[Callable[[], object] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()  # the linger thread submits too
        self._closed = False
        self._started = 0  # threads started so far, for their names

    def submit(self, run: Callable[[], object]) -> None:
        """Run ``run`` on one of the threads, after those submitted before it."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the runner's workers were shut down")
            self._queue.put(run)
            if len(self._threads) < self._size:  # one more thread per batch until there are ``size``
                thread = threading.Thread(target=self._work, name=f"{self._name}-{self._started}")
                self._started += 1
                self._threads.append(thread)
                thread.start()

    def shutdown(self) -> None:
        """Take no more work and drop what has not started (the runner cancels those batches' futures);
        each thread ends after the callable it is running. Does not wait for them."""
        with self._lock:
            self._closed = True
            while True:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            for _ in self._threads:
                self._queue.put(None)

    def _retire(self) -> bool:
        """Leave, unless work came in meanwhile: a later ``submit`` then starts a thread again, so a runner
        that goes on in another thread after the main thread ended still gets its batches run."""
        with self._lock:
            if not self._queue.empty():
                return False
            self._threads.remove(threading.current_thread())
            return True

    def _work(self) -> None:
        main = threading.main_thread()
        while True:
            try:
                run = self._queue.get(timeout=IDLE_CHECK_SECONDS)
            except queue.Empty:
                if not main.is_alive() and self._retire():
                    return
                continue
            if run is None:
                return
            try:
                run()
            except Exception:
                logger.exception("a batch raised out of its worker thread")
            del run  # the batch's work is not kept alive while this thread waits
