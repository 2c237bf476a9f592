"""The envelope hooks leave no reference cycle: a response the caller drops is freed at once, no GC pass."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import httpx
import pytest

from tests.overrides.test_hooks import CREATED, async_client, request, server, sync_client
from tests.support.http_server import Reply, ScriptedServer

__all__ = ["server"]  # the fixture, shared with test_hooks

PATH = "/createShipment"


@pytest.fixture
def no_collector() -> Iterator[None]:
    """Only reference counting frees objects while the test runs."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _still_whole(response: httpx.Response) -> None:
    """What the caller reads of a released answer is all there."""
    assert response.json() == CREATED
    assert response.read() == response.content
    assert response.is_closed
    assert response.elapsed.total_seconds() >= 0


def test_a_dropped_sync_response_is_freed_without_the_collector(
    server: ScriptedServer, no_collector: None
) -> None:
    """A read answer stays whole for the caller, and dropping it frees it by reference counting alone."""
    server.script(Reply(body=CREATED))
    with sync_client(server.url) as client:
        response = client.get_httpx_client().post(PATH, json=request().to_dict())
        _still_whole(response)
        freed = weakref.ref(response)
        del response
        assert freed() is None


def test_a_dropped_async_response_is_freed_without_the_collector(
    server: ScriptedServer, no_collector: None
) -> None:
    """The async hook releases the answer's stream the same way."""
    server.script(Reply(body=CREATED))

    async def scenario() -> weakref.ref[httpx.Response]:
        async with async_client(server.url) as client:
            response = await client.get_async_httpx_client().post(PATH, json=request().to_dict())
            _still_whole(response)
            return weakref.ref(response)

    freed = asyncio.run(scenario())
    assert freed() is None
