"""Until a carrier's credentials are proven in a run, its requests go one at a time: the first is a probe,
the others wait for its answer (``shipspec.circuit``)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from shipspec.circuit import Circuit
from shipspec.errors import AuthError, NotFoundError, RetryableError, ShipspecError

BOUND = 30.0  # seconds: a wait that a healthy test never comes near


def _waiter(circuit: Circuit, outcomes: list[tuple[object, bool]]) -> threading.Thread:
    def enter() -> None:
        outcomes.append(circuit.enter("createShipment", BOUND))

    thread = threading.Thread(target=enter)
    thread.start()
    return thread


def _auth() -> AuthError:
    return AuthError(carrier="baaship", operation="createShipment", code=1001, message="Token validation")


def test_the_first_request_is_the_probe_and_the_others_wait_for_its_auth_answer() -> None:
    circuit = Circuit("baaship")
    assert circuit.enter("createShipment", BOUND) == (None, True)
    outcomes: list[tuple[object, bool]] = []
    waiters = [_waiter(circuit, outcomes) for _ in range(3)]
    assert not outcomes  # nobody goes beside the probe (they may not even have started waiting yet)
    circuit.reached(_auth())
    circuit.leave(True)
    for waiter in waiters:
        waiter.join(BOUND)
    assert len(outcomes) == 3
    assert all(isinstance(refused, AuthError) and not probe for refused, probe in outcomes)


NOT_FOUND = NotFoundError(carrier="baaship", operation="getShipmentLabel", code=1004, message="no such")


@pytest.mark.parametrize("answer", [None, NOT_FOUND], ids=["success", "not_found"])
def test_an_answer_that_proves_the_credentials_lets_everyone_go_at_once(answer: ShipspecError | None) -> None:
    circuit = Circuit("baaship")
    assert circuit.enter("createShipment", BOUND) == (None, True)
    outcomes: list[tuple[object, bool]] = []
    waiters = [_waiter(circuit, outcomes) for _ in range(3)]
    circuit.reached(answer)
    for waiter in waiters:  # released by the proof itself, before the probe has left
        waiter.join(BOUND)
    assert outcomes == [(None, False)] * 3
    circuit.leave(True)
    assert circuit.proven
    assert circuit.enter("createShipment", 0.0) == (None, False)  # no probing, no waiting any more


def test_an_answer_that_proves_nothing_hands_the_probe_to_the_next_request() -> None:
    circuit = Circuit("baaship")
    assert circuit.enter("createShipment", BOUND) == (None, True)
    outcomes: list[tuple[object, bool]] = []
    waiter = _waiter(circuit, outcomes)
    circuit.reached(RetryableError(carrier="baaship", operation="x", code=None, message="busy"))
    circuit.reached(None, answered=False)  # a read timeout: sent, answer lost
    assert not circuit.proven
    circuit.leave(True)
    waiter.join(BOUND)
    assert outcomes == [(None, True)]


def test_a_waiter_out_of_patience_goes_without_being_the_probe() -> None:
    circuit = Circuit("baaship")
    assert circuit.enter("createShipment", BOUND) == (None, True)
    assert circuit.enter("createShipment", 0.01) == (None, False)


def test_async_waiters_wait_for_the_probe_too() -> None:
    circuit = Circuit("baaship")

    async def scenario() -> list[tuple[object, bool]]:
        assert await circuit.aenter("createShipment", BOUND) == (None, True)
        waiters = [asyncio.create_task(circuit.aenter("createShipment", BOUND)) for _ in range(3)]
        await asyncio.sleep(0.05)
        assert not any(waiter.done() for waiter in waiters)
        circuit.reached(_auth())
        circuit.leave(True)
        return list(await asyncio.wait_for(asyncio.gather(*waiters), BOUND))

    outcomes = asyncio.run(scenario())
    assert all(isinstance(refused, AuthError) and not probe for refused, probe in outcomes)
