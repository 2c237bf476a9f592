"""The sandbox framework: routing, spec validation, every fault kind on the wire, ledger and persistence."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from shipspec_sandbox.app import CarrierSandbox, Problem, SandboxRequest, SandboxResponse
from shipspec_sandbox.faults import FaultPlan, FaultRule
from shipspec_sandbox.ledger import Ledger
from shipspec_sandbox.server import SandboxServer
from shipspec_sandbox.state import MemoryStore, SqliteStore, Store

TIMEOUT = httpx.Timeout(2.0)


class EchoSandbox(CarrierSandbox):
    """A minimal app on Baaship's tables: tracking echoes, createShipment records a ledger entry."""

    carrier = "baaship"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.handlers["getTracking"] = self._track
        self.handlers["cancelShipment"] = self._cancel
        self.seen_problems: list[Problem] = []

    def _track(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        waybill = request.query["waybill"]
        return SandboxResponse.json({"success": True, "code": 200, "data": [], "waybill": waybill})

    def _cancel(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        ledger.record(self.carrier, "shipment_cancelled", request.query["waybill"])
        return SandboxResponse.json({"success": True, "code": 200, "waybill": request.query["waybill"]})

    def invalid(self, request: SandboxRequest, problems: list[Problem]) -> SandboxResponse:
        self.seen_problems += problems
        message = "; ".join(map(str, problems))
        return SandboxResponse.json({"success": False, "code": 1002, "message": message})


def _serve(rule: FaultRule | None = None, store: Store | None = None) -> SandboxServer:
    store = store or MemoryStore()
    plan = FaultPlan(seed=3, rules=(rule,) if rule else ())
    return SandboxServer(EchoSandbox(store), ledger=Ledger(store), faults=plan).start()


@pytest.fixture
def echo() -> Iterator[SandboxServer]:
    """An echo sandbox without faults."""
    server = _serve()
    try:
        yield server
    finally:
        server.stop()


def test_requests_are_routed_and_validated_against_the_spec(echo: SandboxServer) -> None:
    """A valid request reaches its handler; a request missing a required parameter gets the app's answer."""
    with httpx.Client(base_url=echo.url, timeout=TIMEOUT) as client:
        assert client.get("/tracking", params={"waybill": "W1"}).json()["waybill"] == "W1"
        answer = client.get("/cancelShipment").json()
    assert answer["code"] == 1002
    assert "waybill" in answer["message"]
    assert isinstance(echo.app, EchoSandbox)
    assert echo.app.seen_problems[0].keyword == "parameter"


def test_unknown_paths_and_admin_routes(echo: SandboxServer) -> None:
    """An undocumented path is a 404; the admin API answers health and the ledger."""
    with httpx.Client(base_url=echo.url, timeout=TIMEOUT) as client:
        assert client.get("/nowhere").status_code == 404
        assert client.get("/__sandbox/health").json() == {"carrier": "baaship", "status": "ok"}
        client.get("/cancelShipment", params={"waybill": "W9"})
        entries = client.get("/__sandbox/ledger").json()["entries"]
    assert [(entry["action"], entry["key"]) for entry in entries] == [("shipment_cancelled", "W9")]


def test_fault_decisions_do_not_depend_on_thread_interleaving() -> None:
    """The same seed gives the same fault per request identity, whatever order the requests arrive in."""
    identities = [f"GET /tracking waybill=W{i}".encode() for i in range(400)]

    def decisions(order: list[bytes]) -> dict[bytes, str | None]:
        plan = FaultPlan(seed=11, rules=(FaultRule("reset", 0.2), FaultRule("rate_limit", 0.1)))
        with ThreadPoolExecutor(max_workers=8) as pool:
            rules = list(pool.map(lambda identity: plan.decide("baaship", "getTracking", identity), order))
        return {identity: (rule.kind if rule else None) for identity, rule in zip(order, rules, strict=True)}

    shuffled = identities[:]
    random.Random(5).shuffle(shuffled)  # noqa: S311 - a fixed test order, not cryptography
    first, second = decisions(identities), decisions(shuffled)
    assert first == second
    share = sum(kind is not None for kind in first.values()) / len(first)
    assert 0.2 < share < 0.4


def test_a_resent_request_gets_a_fresh_decision() -> None:
    """The n-th sight of the same identity rolls again, so a retried request is not doomed forever."""
    plan = FaultPlan(seed=1, rules=(FaultRule("error_5xx", 0.5),))
    outcomes = {plan.decide("baaship", "getTracking", b"same") is not None for _ in range(40)}
    assert outcomes == {True, False}


def test_fault_rules_reject_bad_values() -> None:
    """An unknown kind or a probability outside [0, 1] is refused at construction."""
    with pytest.raises(ValueError, match="not one of"):
        FaultRule("explode", 0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="between 0 and 1"):
        FaultRule("reset", 1.5)


@pytest.mark.parametrize(
    ("kind", "check"),
    [
        ("error_5xx", lambda r: r.status_code == 503 and b"<html>" in r.content),
        ("rate_limit", lambda r: r.status_code == 429 and r.headers["retry-after"] == "1"),
        ("malformed", lambda r: r.status_code == 200 and not r.content.endswith(b"}")),
        ("html", lambda r: r.status_code == 200 and r.content.startswith(b"<html>")),
        ("token_expiry", lambda r: r.status_code == 401),
        ("truncated", lambda r: r.status_code == 200 and not r.content.endswith(b"}")),
        ("latency", lambda r: r.status_code == 200 and r.elapsed.total_seconds() >= 0.2),
    ],
)
def test_answer_faults_reach_the_client(kind: str, check: object) -> None:
    """Each answer-shaped fault arrives on the wire as configured."""
    server = _serve(FaultRule(kind, 1.0, latency_ms=200))  # type: ignore[arg-type]
    try:
        with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
            response = client.get("/tracking", params={"waybill": "W1"})
        assert callable(check)
        assert check(response), (response.status_code, response.content)
    finally:
        server.stop()


def test_reset_drops_the_connection_before_any_work() -> None:
    """A reset fault breaks the connection and nothing reaches the ledger."""
    server = _serve(FaultRule("reset", 1.0))
    try:
        with (
            httpx.Client(base_url=server.url, timeout=TIMEOUT) as client,
            pytest.raises(httpx.TransportError),
        ):
            client.get("/cancelShipment", params={"waybill": "W1"})
        assert server.ledger.entries() == []
    finally:
        server.stop()


def test_timeout_after_commit_does_the_work_but_never_answers() -> None:
    """The work is committed (ledger entry) while the client only sees a timeout or a dropped connection."""
    server = _serve(FaultRule("timeout_after_commit", 1.0, hold_seconds=0.5))
    try:
        with (
            httpx.Client(base_url=server.url, timeout=httpx.Timeout(0.2)) as client,
            pytest.raises((httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError)),
        ):
            client.get("/cancelShipment", params={"waybill": "W1"})
        assert [entry.key for entry in server.ledger.entries()] == ["W1"]
    finally:
        server.stop()


def test_ledger_reports_duplicates_only() -> None:
    """A key recorded twice for the same action is a duplicate; different actions are not."""
    ledger = Ledger(MemoryStore())
    ledger.record("baaship", "shipment_created", "R1", waybill="T1")
    ledger.record("baaship", "shipment_created", "R2", waybill="T2")
    ledger.record("baaship", "shipment_cancelled", "R1")
    assert ledger.duplicates() == {}
    ledger.record("baaship", "shipment_created", "R1", waybill="T3")
    assert ledger.duplicates() == {("baaship", "shipment_created", "R1"): 2}


def test_sqlite_state_and_ledger_survive_a_restart(tmp_path: Path) -> None:
    """With a database file, a restarted sandbox still has its state and its ledger keeps counting."""
    db = tmp_path / "sandbox.db"
    store = SqliteStore(db)
    store.put("baaship.shipments", "R1", {"waybill": "T1"})
    Ledger(store).record("baaship", "shipment_created", "R1")
    store.close()

    reopened = SqliteStore(db)
    ledger = Ledger(reopened)
    second = ledger.record("baaship", "shipment_created", "R2")
    assert reopened.get("baaship.shipments", "R1") == {"waybill": "T1"}
    assert second.seq == 2
    assert [entry.key for entry in ledger.entries()] == ["R1", "R2"]
    reopened.close()


def test_stop_closes_the_port() -> None:
    """After stop(), nothing listens on the sandbox's port any more."""
    server = _serve()
    port = int(server.url.rsplit(":", 1)[1])
    server.stop()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        pass


def test_a_body_that_is_not_utf8_gets_an_answer(echo: SandboxServer) -> None:
    """Bytes that are not UTF-8 in a JSON body are a validation problem, not a dropped connection."""
    with httpx.Client(base_url=echo.url, timeout=TIMEOUT) as client:
        answer = client.post(
            "/createShipment",
            content=b'{"referenceNo": "\xff\xfe"}',
            headers={"content-type": "application/json"},
        )
    assert answer.status_code == 200
    assert answer.json()["code"] == 1002
