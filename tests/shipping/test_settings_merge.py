"""Settings given in code are added to the environment key by key (given values win), as the CLI does."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from shipspec.config import with_environment
from shipspec.shipping.runner import aship, ship
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN
from shipspec_shipping_models import ShipmentResult

from .support_baaship import Env, sandbox, shipment


@pytest.fixture
def env() -> Iterator[Env]:
    with sandbox() as running:
        yield running


def test_with_environment_adds_given_keys_and_given_values_win() -> None:
    """Per key: the environment's keys stay, a given key replaces the environment's, an empty one does not."""
    environment = {"SHIPSPEC_BAASHIP_BASE_URL": "http://env", "SHIPSPEC_BAASHIP_TOKEN": "env-token"}
    merged = with_environment({"baaship": {"token": "given", "environment": ""}}, env=environment)
    assert merged["baaship"] == {"base_url": "http://env", "token": "given"}


def test_ship_keeps_the_base_url_from_the_environment(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """settings={"baaship": {"token": …}} ships to SHIPSPEC_BAASHIP_BASE_URL, not the public test host."""
    monkeypatch.setenv("SHIPSPEC_BAASHIP_BASE_URL", env.url)
    monkeypatch.setenv("SHIPSPEC_BAASHIP_TOKEN", "a-stale-token-from-the-environment")
    rows = [shipment("MERGE-1").model_dump(mode="json", exclude_none=True)]
    results = list(ship(rows, settings={"baaship": {"token": DEFAULT_TOKEN}}))
    assert [(r.reference, r.status) for r in results] == [("MERGE-1", "shipped")]
    assert env.created() == ["MERGE-1"]


def test_aship_merges_the_same_way(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """The async runner builds its shippers the same way."""
    monkeypatch.setenv("SHIPSPEC_BAASHIP_BASE_URL", env.url)
    rows = [shipment("MERGE-2").model_dump(mode="json", exclude_none=True)]

    async def run() -> list[ShipmentResult]:
        return [r async for r in aship(rows, settings={"baaship": {"token": DEFAULT_TOKEN}})]

    assert [(r.reference, r.status) for r in asyncio.run(run())] == [("MERGE-2", "shipped")]
    assert env.created() == ["MERGE-2"]
