"""pytest plugin (entry point ``shipspec``): fixtures that run the carrier sandboxes for your tests.

Installed with shipspec; nothing starts unless a test asks for a fixture::

    def test_my_shipping_code(shipspec_sandboxes, shipspec_client):
        url = shipspec_sandboxes.url("baaship")         # http://127.0.0.1:<free port>
        client = shipspec_client("baaship")             # shipspec.carriers.baaship.client(...) for it
        ...                                             # run your code against it
        assert shipspec_sandboxes.ledger.duplicates() == {}

``shipspec_sandbox_settings`` gives settings for ``shipspec.ship(..., settings=...)``.

Options: ``--shipspec-sandbox-seed N`` and ``--shipspec-sandbox-fault-share F`` turn on seeded faults for the
session-wide sandboxes; ``shipspec_sandbox_factory`` starts extra ones with their own plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .runner import Sandboxes

DEFAULT_FAULT_KINDS = ("error_5xx", "reset", "timeout_after_commit", "rate_limit", "malformed", "html")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("shipspec", "shipspec carrier sandboxes")
    group.addoption("--shipspec-sandbox-seed", type=int, default=0, help="seed of the sandbox fault plan")
    group.addoption(
        "--shipspec-sandbox-fault-share",
        type=float,
        default=0.0,
        help="share of sandbox requests that get a fault (0 = none)",
    )


@pytest.fixture(scope="session")
def shipspec_sandboxes(request: pytest.FixtureRequest) -> Iterator[Sandboxes]:
    """The four carrier sandboxes for the whole session; stopped at the end."""
    from .faults import FaultPlan
    from .runner import start_sandboxes

    seed = int(request.config.getoption("--shipspec-sandbox-seed"))
    share = float(request.config.getoption("--shipspec-sandbox-fault-share"))
    plan = FaultPlan.uniform(seed, share, DEFAULT_FAULT_KINDS) if share > 0 else FaultPlan(seed=seed)
    with start_sandboxes(faults=plan) as running:
        yield running


@pytest.fixture
def shipspec_sandbox_factory() -> Iterator[Callable[..., Sandboxes]]:
    """Start sandboxes with your own options (``start_sandboxes`` arguments); all stopped after the test."""
    from .runner import start_sandboxes

    started: list[Sandboxes] = []

    def start(*args: Any, **kwargs: Any) -> Sandboxes:
        running = start_sandboxes(*args, **kwargs)
        started.append(running)
        return running

    try:
        yield start
    finally:
        for running in started:
            running.stop()


@pytest.fixture
def shipspec_client(shipspec_sandboxes: Sandboxes) -> Callable[[str], Any]:
    """A factory of wired carrier clients pointed at the session sandboxes (default sandbox credentials)."""
    from .clients import sandbox_client

    return lambda carrier: sandbox_client(shipspec_sandboxes, carrier)


@pytest.fixture
def shipspec_sandbox_settings(shipspec_sandboxes: Sandboxes) -> dict[str, dict[str, str]]:
    """Per-carrier settings for ``shipspec.ship(..., settings=...)`` pointing at the session sandboxes."""
    from .clients import sandbox_settings

    return sandbox_settings(shipspec_sandboxes)
