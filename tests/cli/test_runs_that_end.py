"""``shipspec ship`` against carriers that misbehave, as a user runs it: a real process, real signals.

- Ctrl-C while rows are being sent to a carrier that stopped answering (after one answer that proved the
  credentials, so that every slot sends: the circuit's probe goes alone): the first says at once what it
  waits for, the second leaves at once, and every row that was sent is in the results file as ``pending``.
- SIGTERM (a container stop) does the same.
- One Ctrl-C waits at most the deadline, then the run ends by itself.
- A wrong token for 300 rows: one request (the probe), one message naming the setting, exit 3.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from shipspec.journal import RECONCILE, open_journal
from shipspec_sandbox import start_sandboxes
from shipspec_sandbox.clients import sandbox_settings

from ..shipping.support_faults import CountingPlan
from ..support.http_server import Reply, ScriptedServer
from .support import BAASHIP_ROW, environment, read_results, write_csv

SHIPSPEC = [str(Path(sys.executable).with_name("shipspec"))]
GENEROUS = 60.0  # seconds: a bound no healthy run comes near, whatever the load
ROWS = 30


class Stderr:
    """Collects a process's stderr lines on a thread, so a test can wait for one."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.lines: list[str] = []
        self._seen = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            with self._seen:
                self.lines.append(raw.decode("utf-8", "replace"))
                self._seen.notify_all()

    def wait_for(self, text: str, timeout: float) -> str | None:
        with self._seen:
            self._seen.wait_for(lambda: any(text in line for line in self.lines), timeout)
            return next((line for line in self.lines if text in line), None)

    def text(self) -> str:
        self._thread.join(GENEROUS)
        return self.so_far()

    def so_far(self) -> str:
        with self._seen:
            return "".join(self.lines)


@pytest.fixture
def silent() -> Iterator[ScriptedServer]:
    """Answers the first createShipment (an input error: the carrier let us in), then never again."""
    with ScriptedServer() as server:
        server.script(Reply(body=REFUSED_INPUT))
        server.always(Reply(delay=GENEROUS * 10))
        yield server


REFUSED_INPUT = {"success": False, "code": 1002, "message": "Parameter structure error", "requestId": "1"}


def _until_requests(server: ScriptedServer, count: int) -> bool:
    """Wait until the server read ``count`` requests (False after GENEROUS seconds)."""
    ends = time.monotonic() + GENEROUS
    while len(server.requests) < count:
        if time.monotonic() > ends:
            return False
        time.sleep(0.02)
    return True


def _until_recorded(journal_path: Path, reference: str) -> bool:
    """Wait until the run's journal holds ``reference``'s outcome (False after GENEROUS seconds): its batch
    is over only then (the runner hands a result over once its outcome is committed)."""
    ends = time.monotonic() + GENEROUS
    while time.monotonic() < ends:
        if journal_path.exists():
            with open_journal(journal_path) as journal:
                entry = journal.get(reference)
            if entry is not None and entry.state not in RECONCILE:  # an outcome, not sending
                return True
        time.sleep(0.02)
    return False


def _start(tmp_path: Path, base_url: str, *options: str) -> tuple[subprocess.Popen[bytes], Path, Stderr]:
    rows = [{**BAASHIP_ROW, "reference": f"S-{n}"} for n in range(ROWS)]
    orders = write_csv(tmp_path / "orders.csv", rows)
    out = tmp_path / "orders.results.csv"
    env = os.environ | {"SHIPSPEC_BAASHIP_TOKEN": "t0k3n", "SHIPSPEC_BAASHIP_BASE_URL": base_url}
    command = [*SHIPSPEC, "ship", str(orders), "--no-progress", *options]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    return process, out, Stderr(process.stderr)


def _sent_references(server: ScriptedServer) -> set[str]:
    """The rows sent and never answered (the first, answered, is not among them)."""
    sent = [json.loads(r.body)["referenceNo"] for r in server.requests if r.path == "/createShipment"]
    return set(sent[1:])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_second_signal_leaves_at_once_and_every_sent_row_is_pending(
    signum: int, silent: ScriptedServer, tmp_path: Path
) -> None:
    process, out, stderr = _start(tmp_path, silent.url)  # default deadline: 120 s
    try:
        assert _until_requests(silent, 9), stderr.text()  # the answered one, then every slot holds a row
        answered = json.loads(silent.requests[0].body)["referenceNo"]  # the probe: the circuit sent it alone
        assert _until_recorded(out.with_name("orders.results.journal.sqlite"), answered), stderr.text()
        process.send_signal(signum)
        said = stderr.wait_for("stopping: waiting for", GENEROUS)
        assert said is not None, stderr.text()
        assert "stopping: waiting for 8 batches in flight (at most 125 s); Ctrl-C again" in said
        left = time.monotonic()
        process.send_signal(signum)
        try:
            process.wait(GENEROUS)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after the second signal:\n{stderr.so_far()}") from None
        assert time.monotonic() - left < GENEROUS / 2  # at once, not after the 120 s deadline
    finally:
        _stop(process)
    assert process.returncode == 130, stderr.text()
    lines = read_results(out)
    sent = _sent_references(silent)
    assert len(sent) == 8
    unanswered = [line for line in lines if line["status"] != "failed"]  # all but the one answered
    assert len(unanswered) == len(lines) - 1, stderr.text()
    assert {line["reference"] for line in unanswered} == sent, stderr.text()  # every sent row, none other
    assert {line["status"] for line in unanswered} == {"pending"}
    assert "interrupted: every row sent so far is in" in stderr.text()


def test_one_ctrl_c_waits_at_most_the_deadline_then_the_run_ends(
    silent: ScriptedServer, tmp_path: Path
) -> None:
    process, out, stderr = _start(tmp_path, silent.url, "--deadline", "3")
    try:
        assert _until_requests(silent, 9), stderr.text()
        process.send_signal(signal.SIGINT)
        assert stderr.wait_for("(at most 8 s); Ctrl-C again", GENEROUS), stderr.text()
        process.wait(GENEROUS)
    finally:
        _stop(process)
    assert process.returncode == 130
    lines = read_results(out)
    sent = _sent_references(silent)
    pending = [line for line in lines if line["status"] == "pending"]
    assert {line["reference"] for line in pending} == sent
    assert all("deadline of this shipment passed" in line["error.message"] for line in pending)


def test_a_wrong_token_for_300_rows_sends_a_handful_of_requests_and_says_so_once(tmp_path: Path) -> None:
    rows = [{**BAASHIP_ROW, "reference": f"W-{n}"} for n in range(300)]
    orders = write_csv(tmp_path / "orders.csv", rows)
    out = tmp_path / "orders.results.csv"
    plan = CountingPlan()
    with start_sandboxes(("baaship",), faults=plan) as running:
        settings = sandbox_settings(running)
        env = os.environ | environment(settings) | {"SHIPSPEC_BAASHIP_TOKEN": "wrong"}
        done = subprocess.run(
            [*SHIPSPEC, "ship", str(orders), "--no-progress", "--out", str(out)],
            env=env,
            capture_output=True,
            timeout=GENEROUS * 2,
            check=False,
        )
    stderr = done.stderr.decode()
    assert done.returncode == 3, stderr
    assert plan.calls.get("createShipment", 0) == 1  # the probe; the batches beside it waited for its answer
    assert stderr.count("refused the credentials") == 1, stderr
    assert "SHIPSPEC_BAASHIP_TOKEN" in stderr
    assert "baaship: 300 rows failed with kind auth" in stderr
    lines = read_results(out)
    assert len(lines) == 300
    assert {(line["status"], line["error.kind"]) for line in lines} == {("failed", "auth")}
    assert sum(line["error.message"].startswith("not sent") for line in lines) >= 300 - 8
