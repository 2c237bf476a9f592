"""The runner's worker threads: each submitted batch runs once, in order, at most ``size`` at a time."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
from shipspec.shipping.workers import Workers

WAIT = 10.0  # seconds: a generous bound on waiting for a thread, never a timing assertion


def _recorder(ran: list[str], name: str, done: threading.Semaphore) -> Callable[[], None]:
    def run() -> None:
        ran.append(name)
        done.release()

    return run


def test_every_batch_runs_once_in_order_on_one_thread() -> None:
    """With one thread, batches run one after another in the order they were submitted."""
    workers = Workers(1, "test-order")
    ran: list[str] = []
    done = threading.Semaphore(0)
    for name in ("a", "b", "c"):
        workers.submit(_recorder(ran, name, done))
    for _ in range(3):
        assert done.acquire(timeout=WAIT)
    workers.shutdown()
    assert ran == ["a", "b", "c"]


def test_a_batch_that_raises_is_logged_and_the_thread_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    """A thread that died on a raising batch would leave the batches queued behind it unsent."""
    workers = Workers(1, "test-raise")
    ran: list[str] = []
    done = threading.Semaphore(0)

    def broken() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="shipspec"):
        workers.submit(broken)
        workers.submit(_recorder(ran, "after", done))
        assert done.acquire(timeout=WAIT)
    workers.shutdown()
    assert ran == ["after"]
    assert "raised out of its worker thread" in caplog.text


def test_no_more_than_size_batches_run_at_once() -> None:
    """With every thread busy, further batches wait in the queue; no extra thread is started."""
    workers = Workers(3, "test-size")
    release = threading.Event()
    running = threading.Semaphore(0)
    finished = threading.Semaphore(0)
    lock = threading.Lock()
    at_once = [0, 0]  # now, most

    def batch() -> None:
        with lock:
            at_once[0] += 1
            at_once[1] = max(at_once)
        running.release()
        release.wait(WAIT)
        with lock:
            at_once[0] -= 1
        finished.release()

    for _ in range(6):
        workers.submit(batch)
    for _ in range(3):
        assert running.acquire(timeout=WAIT)
    assert sum(thread.name.startswith("test-size-") for thread in threading.enumerate()) == 3
    release.set()
    for _ in range(6):
        assert finished.acquire(timeout=WAIT)
    assert at_once[1] == 3
    workers.shutdown()


def test_shutdown_drops_batches_not_started_and_lets_the_running_one_finish() -> None:
    """After shutdown the running batch ends normally, queued ones never run, the threads end."""
    workers = Workers(1, "test-shutdown")
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []

    def running() -> None:
        started.set()
        release.wait(WAIT)
        ran.append("running")

    workers.submit(running)
    workers.submit(lambda: ran.append("queued"))
    assert started.wait(WAIT)
    workers.shutdown()
    release.set()
    for thread in threading.enumerate():
        if thread.name.startswith("test-shutdown-"):
            thread.join(WAIT)
            assert not thread.is_alive()
    assert ran == ["running"]
    with pytest.raises(RuntimeError, match="shut down"):
        workers.submit(lambda: None)


def test_threads_left_waiting_do_not_hold_the_process_open() -> None:
    """A runner never closed leaves idle threads: the interpreter still exits after the main thread ends."""
    script = (
        "import threading\n"
        "from shipspec.shipping.workers import Workers\n"
        "workers = Workers(2, 'left')\n"
        "done = threading.Event()\n"
        "workers.submit(done.set)\n"
        "assert done.wait(10)\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], timeout=60, check=False)
    assert finished.returncode == 0


def test_a_runner_going_on_after_the_main_thread_ended_still_gets_its_batches_run() -> None:
    """Idle threads leave once the main thread has ended; a later batch starts a thread again."""
    script = (
        "import threading, time\n"
        "from shipspec.shipping.workers import IDLE_CHECK_SECONDS, Workers\n"
        "workers = Workers(1, 'late')\n"
        "first = threading.Event()\n"
        "workers.submit(first.set)\n"
        "assert first.wait(10)\n"
        "def later():\n"
        "    time.sleep(3 * IDLE_CHECK_SECONDS)  # the idle thread has left by now\n"
        "    done = threading.Event()\n"
        "    workers.submit(done.set)\n"
        "    assert done.wait(10), 'the late batch never ran'\n"
        "    print('late batch ran')\n"
        "threading.Thread(target=later).start()\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], timeout=60, check=False, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "late batch ran"
