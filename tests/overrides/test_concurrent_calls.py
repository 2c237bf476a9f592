"""500 concurrent createShipment calls through one wired client against the keep-alive Baaship sandbox end
with no ambiguous outcome: the pool is sized to the callers and never closes a connection under a request
(``shipspec.connections``), and the sandbox's accept queue holds every connection they open at once.

Once with the wiring a user gets (``client(concurrency=500)``); once with a keep-alive of 1 ms, so that the
pool's expiry pass races the requests' claims all the time (before the guard, runs like it ended about 4
calls in 1,000 ambiguous with ``ReadError: Bad file descriptor``).

Both wait long for answers (``PATIENT``): the sandbox serves from this same process, and on a machine
loaded far beyond its cores its accept loop can fall 30 s behind (seen once in 20 runs beside two busy
loops: 95 answers after the default 30 s read timeout, every one of them created). That is an answer
that comes late, which the client must call ambiguous, not the broken connection under test here.
"""

from __future__ import annotations

import threading
from collections import Counter

import httpx
from shipspec.carriers.baaship import mapping
from shipspec.carriers.baaship.client import client
from shipspec.connections import GuardedHTTPTransport
from shipspec.errors import AmbiguousTimeoutError, ShipspecError
from shipspec.static_auth import StaticCredentialAuth
from shipspec.wiring import CREDENTIAL_HELD_BY_AUTH, pool_limits, wire
from shipspec_baaship import AuthenticatedClient
from shipspec_baaship.api.baaship import create_shipment
from shipspec_baaship.models import CreateShipmentRequest
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN

from ..shipping.support_baaship import Env, sandbox, shipment

CALLERS = 500
CALLS_EACH = 2
JOIN_SECONDS = 600.0  # a bound no healthy run comes near
PATIENT = httpx.Timeout(110.0, connect=10.0)  # within settings.MAX_ATTEMPT_SECONDS


def _outcomes(api: AuthenticatedClient) -> Counter[str]:
    """Every caller sends its calls at once (a barrier), each with its own referenceNo; outcome counts."""
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(CALLERS)

    def call(caller: int) -> None:
        start.wait()
        for number in range(CALLS_EACH):
            body = mapping.to_request(shipment(f"P-{caller}-{number}"))
            assert isinstance(body, CreateShipmentRequest)
            try:
                create_shipment.sync_detailed(client=api, body=body)
                outcome = "created"
            except AmbiguousTimeoutError:
                outcome = "ambiguous"
            except ShipspecError as error:
                outcome = type(error).__name__
            with lock:
                outcomes[outcome] += 1

    threads = [threading.Thread(target=call, args=(n,)) for n in range(CALLERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_SECONDS)
    finally:
        api.get_httpx_client().close()
    return outcomes


def _assert_all_created_once(outcomes: Counter[str], env: Env) -> None:
    assert outcomes == {"created": CALLERS * CALLS_EACH}
    assert len(env.created()) == CALLERS * CALLS_EACH
    assert env.ledger.duplicates() == {}


def test_500_concurrent_ship_calls_through_one_client_have_no_ambiguous_outcome() -> None:
    with sandbox() as env:
        _assert_all_created_once(
            _outcomes(client(token=DEFAULT_TOKEN, base_url=env.url, timeout=PATIENT, concurrency=CALLERS)),
            env,
        )


def test_no_ambiguous_outcome_while_kept_alive_connections_expire_all_the_time() -> None:
    limits = httpx.Limits(max_connections=pool_limits(CALLERS).max_connections, keepalive_expiry=0.001)
    with sandbox() as env:
        api = wire(
            AuthenticatedClient(base_url=env.url, token=CREDENTIAL_HELD_BY_AUTH),
            carrier="baaship",
            base_url=env.url,
            auth=StaticCredentialAuth("baaship", DEFAULT_TOKEN),
            timeout=PATIENT,
            transport=GuardedHTTPTransport(limits=limits),
        )
        _assert_all_created_once(_outcomes(api), env)
