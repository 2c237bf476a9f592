"""Contract: schemathesis drives the four carrier sandboxes with requests generated from OUR specs.

Every operation of every spec gets the specs' own examples, boundary values (coverage phase; off for the
four operations with large bodies) and ``MAX_EXAMPLES`` generated requests (positive data, derandomized,
seeded), sent to a sandbox started in this process on a free port of 127.0.0.1 with valid credentials (TikTok
requests signed like the real client signs them). Each answer must conform to the spec: a documented status
code, the documented content type and headers, and a body that matches the response schema (the sandboxes
answer business errors inside the documented envelopes). Which schemathesis checks run, and why the others
do not, is in ``sandbox_contract``; the probe there also fails a case that the sandbox's own spec validation
refuses, and ``handler_coverage`` fails an operation whose requests never got past auth and validation into
the handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings

from tests.sandbox.baaship_payloads import forward_body

from .sandbox_contract import Contract, OpenApiCase, load_schema, parametrize

TIKTOK, WECHAT, BAASHIP, DEFTSHIP = map(load_schema, ("tiktok_shop", "wechat_shop", "baaship", "deftship"))

SETTINGS = settings(
    deadline=timedelta(seconds=5),  # one example is one local request (a few ms); this only catches hangs
    derandomize=True,
    database=None,
    # handler_coverage is function-scoped on purpose: it tallies all the examples of one operation.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def contract() -> Iterator[Contract]:
    """The four sandboxes (faults off, request validation on), seeded; stopped after the module."""
    from shipspec_sandbox import start_sandboxes

    with start_sandboxes() as sandboxes:
        running = Contract(sandboxes)
        running.seed()
        yield running


@pytest.fixture
def handler_coverage(contract: Contract) -> Iterator[None]:
    """After an operation's examples: at least one of them got past auth and validation into the handler."""
    before = dict(contract.calls)
    yield
    for label, count in contract.calls.items():
        if count > before.get(label, 0):
            assert contract.handled[label] > 0, f"{label}: no request got past the sandbox's auth/validation"


@parametrize(TIKTOK)
@SETTINGS
def test_tiktok_shop(case: OpenApiCase, contract: Contract, handler_coverage: None) -> None:
    contract.call("tiktok_shop", case)


@parametrize(WECHAT)
@SETTINGS
def test_wechat_shop(case: OpenApiCase, contract: Contract, handler_coverage: None) -> None:
    contract.call("wechat_shop", case)


@parametrize(BAASHIP)
@SETTINGS
def test_baaship(case: OpenApiCase, contract: Contract, handler_coverage: None) -> None:
    contract.call("baaship", case)


@parametrize(DEFTSHIP)
@SETTINGS
def test_deftship(case: OpenApiCase, contract: Contract, handler_coverage: None) -> None:
    contract.call("deftship", case)


def test_a_known_good_create_shipment_gets_a_conforming_success_answer(contract: Contract) -> None:
    """The one operation whose generated requests never succeed gets its success answer checked here.

    Generated createShipment bodies carry numbers longer than the documented x-field-length (1003) or break
    a rule JSON Schema cannot state (COD amounts, receiver fields: 1002), so only this request reaches the
    success envelope (``data`` as an array of one, which the spec's oneOf allows).
    """
    case = BAASHIP["/createShipment"]["POST"].Case(body=forward_body("CONTRACT-GOOD"))
    response = contract.call("baaship", case)
    assert response.json()["success"] is True, response.text
