"""A PostgreSQL journal that is unreachable, silent, frozen, restarted or stopped mid-run: bounded waits,
clear typed errors without the password, nothing sent without a recorded intent, and recovery afterwards."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from shipspec.errors import ConfigError, JournalError
from shipspec.journal import Journal
from shipspec.journal.postgres import PostgresBackend
from shipspec_sandbox import start_sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment, ShipmentResult

from scripts.exactly_once import shipments
from tests.cli.support import environment, read_results
from tests.shipping.support_faults import CountingPlan
from tests.support.postgres import PostgresServer, fresh_database, running_postgres
from tests.support.servers import free_port

SHIPSPEC = str(Path(sys.executable).with_name("shipspec"))
PASSWORD = "s3cret-Pa55"
BOUND = 120  # seconds any one command may take here
GENEROUS = 20.0  # seconds a bounded failure may take on a busy machine (the bounds under test are 1-2 s)


def _with_password(url: str) -> str:
    return url.replace("shipspec@", f"shipspec:{PASSWORD}@")


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts every connection and never says a word; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in accepted:
            connection.close()
        listener.close()


def _baaship_orders(path: Path, count: int) -> list[Shipment]:
    batch = [s for s in shipments(count * 4) if s.carrier == "baaship"][:count]
    path.write_text("".join(s.model_dump_json(exclude_none=True) + "\n" for s in batch), encoding="utf-8")
    return batch


def _ship(orders: Path, out: Path, journal: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [SHIPSPEC, "ship", str(orders), "--out", str(out), "--journal", journal, "--no-progress"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=BOUND, check=False)


def _refused_before_sending(tmp_path: Path, journal: str) -> None:
    """``shipspec ship`` with this journal exits 2 with a short error, no password, nothing sent."""
    orders = tmp_path / "orders.jsonl"
    _baaship_orders(orders, 3)
    with start_sandboxes(("baaship",)) as running:
        env = os.environ | environment(sandbox_settings(running))
        done = _ship(orders, tmp_path / "out.csv", journal, env)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "cannot connect" in done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert PASSWORD not in done.stdout + done.stderr
        assert running.ledger.entries() == []


def test_an_unreachable_server_is_a_config_error_and_nothing_is_sent(tmp_path: Path) -> None:
    """Nothing listens on the port: exit 2, a one-line error without the password, no shipment sent."""
    _refused_before_sending(tmp_path, f"postgresql://shipspec:{PASSWORD}@127.0.0.1:{free_port()}/shipspec")


def test_a_server_that_never_answers_fails_within_connect_timeout(tmp_path: Path) -> None:
    """A TCP peer that accepts and stays silent ends in ConfigError within the URL's connect_timeout."""
    with silent_server() as port:
        url = f"postgresql://shipspec:{PASSWORD}@127.0.0.1:{port}/shipspec?connect_timeout=1"
        started = time.monotonic()
        with pytest.raises(ConfigError, match="cannot connect") as raised:
            PostgresBackend(url)
        assert time.monotonic() - started < GENEROUS
        assert PASSWORD not in str(raised.value)
        _refused_before_sending(tmp_path, url)


@pytest.fixture
def server() -> Iterator[PostgresServer]:
    """A server of this test's own: these tests stop, freeze and restart it."""
    with running_postgres() as started:
        yield started


def _backend_pid(journal: Journal) -> int:
    with journal._backend.read() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [(pid,)] = cursor.fetchall()
        assert isinstance(pid, int)
        return pid


def test_a_frozen_server_fails_the_call_within_its_bounds_then_the_journal_reconnects(
    server: PostgresServer,
) -> None:
    """The whole server stops answering (SIGSTOP; TCP still accepted by the kernel): the call fails with
    JournalError within the answer and connect bounds instead of hanging, and works again once it thaws."""
    url = _with_password(fresh_database(server.url, "frozen")) + "?connect_timeout=1"
    batch = shipments(4)
    with Journal(PostgresBackend(url, answer_timeout=1.0)) as journal:
        journal.claim(batch[:1])
        frozen = [server.postmaster_pid(), _backend_pid(journal)]
        outcome: list[BaseException | None] = []

        def claim() -> None:
            try:
                journal.claim(batch[1:2])
                outcome.append(None)
            except BaseException as error:
                outcome.append(error)

        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        try:
            worker = threading.Thread(target=claim, daemon=True)
            worker.start()
            worker.join(GENEROUS)
            assert not worker.is_alive(), "the journal call hung on a frozen server"
        finally:
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)
        [error] = outcome
        assert isinstance(error, JournalError), error
        assert PASSWORD not in str(error)
        assert [c.action for c in journal.claim(batch[2:3])] == ["send"]
        assert _backend_pid(journal) != frozen[1]
        assert journal.get(batch[0].reference) is not None


def test_a_restarted_server_costs_no_call(server: PostgresServer) -> None:
    """After the server restarts, the journal's next transaction runs on a new connection, not an error."""
    url = fresh_database(server.url, "restarted")
    batch = shipments(3)
    with Journal(PostgresBackend(url)) as journal:
        journal.claim(batch[:1])
        server.stop()
        server.start()
        assert [c.action for c in journal.claim(batch[1:2])] == ["send"]
        journal.sending([batch[1].reference])
        entry = journal.get(batch[1].reference)
        assert entry is not None
        assert entry.state == "sending"


def test_a_server_down_fails_each_call_then_recovers_once_it_is_back(server: PostgresServer) -> None:
    """While the server is down each call fails fast with JournalError (no hang, no password); once it is
    back the same journal works again."""
    url = _with_password(fresh_database(server.url, "down"))
    batch = shipments(3)
    with Journal(PostgresBackend(url)) as journal:
        journal.claim(batch[:1])
        server.stop()
        try:
            for shipment in batch[1:]:
                with pytest.raises(JournalError) as raised:
                    journal.claim([shipment])
                assert PASSWORD not in str(raised.value)
        finally:
            server.start()
        assert [c.action for c in journal.claim(batch[1:])] == ["send", "send"]


class StopsTheJournal(CountingPlan):
    """Stops the PostgreSQL server when the sandbox receives its first shipment, before it answers."""

    def __init__(self, server: PostgresServer) -> None:
        super().__init__()
        self.server = server
        self.stopped = threading.Event()

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        if operation == "createShipment" and not self.stopped.is_set():
            self.stopped.set()
            self.server.stop()
        return super().decide(carrier, operation, identity)


def _stops_with_the_journal_error(
    plan: StopsTheJournal, command: Callable[[], subprocess.CompletedProcess[str]]
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` while ``plan`` stops the server; start it again; the command exited 1 with the
    journal error, no traceback and no password."""
    try:
        done = command()
    finally:
        if plan.stopped.is_set():
            plan.server.start()
    assert plan.stopped.is_set()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Error: journal" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    return done


def test_the_server_stopped_mid_run_stops_sending_and_a_rerun_finishes(
    tmp_path: Path, server: PostgresServer
) -> None:
    """PostgreSQL stops while the first batch is at the carrier: the run reports the journal error (exit 1,
    no traceback, no password), every shipment the carrier got was recorded ``sending`` first, and once the
    server is back a re-run ships the rest, each row once."""
    url = _with_password(fresh_database(server.url, "midrun"))
    orders = tmp_path / "orders.jsonl"
    batch = _baaship_orders(orders, 60)
    out = tmp_path / "out.csv"
    plan = StopsTheJournal(server)
    with start_sandboxes(("baaship",), faults=plan) as running:
        env = os.environ | environment(sandbox_settings(running))
        _stops_with_the_journal_error(plan, lambda: _ship(orders, out, url, env))
        assert PASSWORD not in out.read_text(encoding="utf-8")
        sent = {entry.key for entry in running.ledger.entries(action="shipment_created")}
        assert 0 < len(sent) < len(batch)
        with psycopg.connect(url) as db:
            states: dict[str, str] = dict(
                db.execute("SELECT reference, state FROM shipspec_journal").fetchall()
            )
        assert all(states.get(reference) not in (None, "intent") for reference in sent)
        lines = {line["reference"]: line for line in read_results(out)}
        assert set(lines) >= sent  # what was sent has its line in the results file

        again = _ship(orders, out, url, env)
        assert again.returncode == 0, again.stdout + again.stderr
        created = [entry.key for entry in running.ledger.entries(action="shipment_created")]
        assert sorted(created) == sorted(s.reference for s in batch)
        assert {line["status"] for line in read_results(out)} <= {"shipped", "already_shipped"}


def test_the_server_stopped_mid_recover_is_a_clear_error_and_a_second_recover_finishes(
    server: PostgresServer,
) -> None:
    """``shipspec recover`` whose PostgreSQL stops while a resend is at the carrier: exit 1 with the journal
    error and what to do (no traceback, no password); once the server is back, recover settles every entry
    and each shipment was created once."""
    url = _with_password(fresh_database(server.url, "midrecover"))
    batch = [s for s in shipments(40) if s.carrier == "baaship"][:8]
    with Journal(PostgresBackend(url)) as journal:  # a run killed after recording `sending`
        journal.claim(batch)
        journal.sending([s.reference for s in batch])
    plan = StopsTheJournal(server)
    with start_sandboxes(("baaship",), faults=plan) as running:
        env = os.environ | environment(sandbox_settings(running))
        command = [SHIPSPEC, "recover", "--journal", url]

        def recover() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=BOUND, check=False
            )

        done = _stops_with_the_journal_error(plan, recover)
        assert "shipspec recover` again" in done.stderr

        again = recover()
        assert again.returncode == 0, again.stdout + again.stderr
        created = [entry.key for entry in running.ledger.entries(action="shipment_created")]
        assert sorted(created) == sorted(s.reference for s in batch)


def test_a_restarted_server_costs_no_call_to_a_one_statement_write(server: PostgresServer) -> None:
    """``start`` and a one-row ``settle`` are single statements on an autocommit connection (no BEGIN to
    find a dead connection first): after a restart they still run on a new connection, not an error."""
    url = fresh_database(server.url, "restarted_statement")
    batch = shipments(3)
    with Journal(PostgresBackend(url)) as journal:
        journal.start(batch[:1])
        server.stop()
        server.start()
        assert [c.action for c in journal.start(batch[1:2])] == ["send"]
        server.stop()
        server.start()
        journal.settle(
            [ShipmentResult(reference=batch[1].reference, carrier=batch[1].carrier, status="shipped")]
        )
        entry = journal.get(batch[1].reference)
        assert entry is not None
        assert entry.state == "shipped"
