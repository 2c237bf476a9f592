"""``alearnt``: an async shipper records what the carrier created through the journal of its batch; a
journal whose commits wait for a server (``remote``) records on a worker thread, so the event loop keeps
running the run's other tasks meanwhile. A stand-in recorder here waits, inside ``learnt``, for a task on
the same loop: recorded inline, that task could never run."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from shipspec.journal import alearnt, recording

BOUND = 10.0  # seconds the recorder waits for the other task (it needs milliseconds)


class WaitingRecorder:
    """Records a call only once ``other_task_ran`` is set (by a task on the caller's event loop)."""

    def __init__(self, remote: bool) -> None:
        self.remote = remote
        self.other_task_ran = threading.Event()
        self.calls: list[tuple[tuple[str, ...], str | None, bool]] = []
        self.threads: list[threading.Thread] = []

    def learnt(
        self,
        references: Sequence[str],
        *,
        batch_id: str | None = None,
        carrier_shipment_id: str | None = None,
    ) -> bool:
        ran = self.other_task_ran.wait(BOUND)
        self.threads.append(threading.current_thread())
        self.calls.append((tuple(references), batch_id, ran))
        return True


async def _learn_beside_another_task(recorder: WaitingRecorder) -> bool:
    async def other() -> None:
        await asyncio.sleep(0)
        recorder.other_task_ran.set()

    task = asyncio.create_task(other())
    with recording(recorder):
        recorded = await alearnt(["R-1", "R-2"], batch_id="B-7")
    await task
    return recorded


def test_a_remote_journal_records_off_the_event_loop() -> None:
    recorder = WaitingRecorder(remote=True)
    assert asyncio.run(_learn_beside_another_task(recorder))
    assert recorder.calls == [(("R-1", "R-2"), "B-7", True)]  # the other task ran while it was recording
    assert recorder.threads != [threading.main_thread()]


def test_a_local_journal_records_inline() -> None:
    """SQLite's commit takes microseconds: no hop to a thread, it runs on the event loop's own."""
    recorder = WaitingRecorder(remote=False)
    recorder.other_task_ran.set()  # inline, nothing else runs meanwhile: it must not wait for the other task
    assert asyncio.run(_learn_beside_another_task(recorder))
    assert recorder.calls == [(("R-1", "R-2"), "B-7", True)]
    assert recorder.threads == [threading.main_thread()]


def test_no_journal_records_nothing_and_holds_everything() -> None:
    assert asyncio.run(alearnt(["R-1"], batch_id="B-1"))
