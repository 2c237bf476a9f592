"""The carrier circuit: open for good on an auth answer, open after a bounded probe of connection failures,
one request through every few seconds while open, closed again by any answer (``shipspec.circuit``)."""

from __future__ import annotations

import time

import pytest
from shipspec.carriers.baaship.client import client
from shipspec.circuit import Circuit, guarded_by
from shipspec.errors import AuthError, CarrierUnreachableError, ConnectError, NotFoundError, RetryableError
from shipspec.settings import instant_backoff
from shipspec_baaship.api.baaship import get_tracking

from ..support.http_server import Reply, ScriptedServer
from ..support.silent_server import closed_port


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _auth() -> AuthError:
    return AuthError(
        carrier="baaship", operation="createShipment", code=1001, message="Token validation error"
    )


def test_an_auth_answer_stops_the_carrier_with_a_message_naming_the_settings() -> None:
    circuit = Circuit("baaship")
    assert circuit.admit("createShipment") is None
    circuit.reached(_auth())
    refused = circuit.admit("getShipmentLabel")
    assert isinstance(refused, AuthError)
    assert refused.kind == "auth"
    assert refused.message.startswith("not sent: baaship refused the credentials earlier in this run (1001 ")
    assert "SHIPSPEC_BAASHIP_TOKEN" in refused.message
    circuit.reached(None)  # a later answer does not undo it: the credentials are still wrong
    assert isinstance(circuit.admit("createShipment"), AuthError)


def test_other_answers_leave_it_closed() -> None:
    circuit = Circuit("baaship")
    circuit.reached(RetryableError(carrier="baaship", operation="x", code=1, message="busy"))
    assert circuit.admit("createShipment") is None


def test_connection_failures_open_it_only_after_the_probe() -> None:
    clock = Clock()
    circuit = Circuit("baaship", probe_seconds=10, min_failures=3, retry_seconds=5, clock=clock)
    for _ in range(5):  # many failures at once are no probe yet
        circuit.not_sent("refused")
    assert circuit.admit("x") is None
    clock.now += 9.9
    circuit.not_sent("refused")
    assert circuit.admit("x") is None
    clock.now += 0.2  # 10.1 s of nothing but failures
    circuit.not_sent("ConnectError: [Errno 111] Connection refused")
    refused = circuit.admit("createShipment")
    assert isinstance(refused, CarrierUnreachableError)
    assert isinstance(refused, ConnectError)
    assert "not sent: baaship is unreachable" in str(refused)
    assert "Connection refused" in str(refused)


def test_an_answer_in_between_restarts_the_probe() -> None:
    clock = Clock()
    circuit = Circuit("baaship", probe_seconds=10, min_failures=3, retry_seconds=5, clock=clock)
    circuit.not_sent("refused")
    clock.now += 8
    circuit.reached(None)
    clock.now += 8
    circuit.not_sent("refused")
    circuit.not_sent("refused")
    circuit.not_sent("refused")
    assert circuit.admit("x") is None  # 8 s since the streak began, not 16


def test_an_open_circuit_lets_one_request_through_every_few_seconds_and_closes_on_an_answer() -> None:
    clock = Clock()
    circuit = Circuit("baaship", probe_seconds=1, min_failures=1, retry_seconds=5, clock=clock)
    circuit.not_sent("refused")
    clock.now += 1
    circuit.not_sent("refused")
    assert circuit.unreachable
    clock.now += 4.9
    assert circuit.admit("x") is not None
    clock.now += 0.2
    assert circuit.admit("x") is None  # the one that tries again
    assert circuit.admit("x") is not None  # and only one
    circuit.not_sent("refused")  # it failed too
    clock.now += 4.9
    assert circuit.admit("x") is not None
    clock.now += 0.2
    assert circuit.admit("x") is None
    circuit.reached(None)  # it got through
    assert not circuit.unreachable
    assert circuit.admit("x") is None
    assert circuit.admit("x") is None


def test_over_real_sockets_a_closed_port_opens_it_and_a_server_there_closes_it() -> None:
    """A wired client inside the circuit: refused connections open it, then no connection is even tried;
    once a server listens on that port, the request let through reaches it and the circuit closes."""
    port = closed_port()
    circuit = Circuit("baaship", probe_seconds=0.3, min_failures=2, retry_seconds=0.5)
    api = client(token="t", base_url=f"http://127.0.0.1:{port}")
    absent = Reply(body={"code": 1004, "message": "Waybill or referenceNo does not exist", "data": None})
    try:
        with guarded_by(circuit), instant_backoff():
            for _ in range(1000):  # refused at once each time; the probe needs 0.3 s of them
                if circuit.unreachable:
                    break
                with pytest.raises(ConnectError):
                    get_tracking.sync_detailed(client=api, waybill="T1")
            assert circuit.unreachable
            with pytest.raises(CarrierUnreachableError):
                get_tracking.sync_detailed(client=api, waybill="T1")
            with ScriptedServer(port) as server:
                server.always(absent)
                for _ in range(200):  # until the one request let through every 0.5 s reaches it
                    with pytest.raises((CarrierUnreachableError, NotFoundError)) as raised:
                        get_tracking.sync_detailed(client=api, waybill="T1")
                    if isinstance(raised.value, NotFoundError):
                        break
                    time.sleep(0.05)
                assert not circuit.unreachable
                before = len(server.requests)
                with pytest.raises(NotFoundError):
                    get_tracking.sync_detailed(client=api, waybill="T1")
                assert len(server.requests) == before + 1 >= 2
    finally:
        api.get_httpx_client().close()
