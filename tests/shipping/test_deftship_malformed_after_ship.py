"""After DeftShip accepted shipBatch, an answer of the wrong shape never turns the batch into a bare failure:
the shipments stay ``pending`` with their batch id (resubmitting could ship them twice), with a journal or
without one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from shipspec.carriers.deftship.client import client
from shipspec.carriers.deftship.shipper import DeftShipShipper
from shipspec.journal import open_journal
from shipspec.settings import instant_backoff
from shipspec.shipping.runner import ship

from tests.support.http_server import Reply, ScriptedServer, scripted_server

from .support_deftship import shipment


def envelope(status: str, items: Any) -> dict[str, Any]:
    return {
        "success": True,
        "data": {"id": "B1", "status": status, "items": {"data": items, "total_count": 1}},
    }


VALID = [{"id": "I1", "status": "valid", "package_list": [{"reference_1": "D-1"}]}]
WRONG_SHAPES = [envelope("completed", [True]), {"success": True, "data": {"id": "B1", "status": 7}}]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from scripted_server()


def shipper(server: ScriptedServer) -> DeftShipShipper:
    api = client(api_token="deft-token-0123456789", base_url=server.url)
    return DeftShipShipper(api, base_url=server.url, shipper_id=123, poll_seconds=0.05, deadline=2.0)


@pytest.mark.parametrize("journalled", [False, True])
@pytest.mark.parametrize("wrong", WRONG_SHAPES)
def test_a_wrong_shaped_read_after_ship_leaves_the_batch_pending_with_its_id(
    server: ScriptedServer, tmp_path: Path, wrong: dict[str, Any], journalled: bool
) -> None:
    server.script(
        Reply(body=envelope("validating", [])),  # createBatch
        Reply(body=envelope("ready", VALID)),  # getBatch: validated
        Reply(body=envelope("processing", VALID)),  # shipBatch accepted
        *[Reply(body=wrong) for _ in range(200)],  # every later getBatch
    )
    with instant_backoff():
        if journalled:
            with open_journal(tmp_path / "j.sqlite") as journal:
                [result] = ship([shipment("D-1")], shippers={"deftship": shipper(server)}, journal=journal)
                entry = journal.get("D-1")
            assert entry is not None
            assert (entry.state, entry.batch_id) == ("pending", "B1")
        else:
            [result] = ship([shipment("D-1")], shippers={"deftship": shipper(server)})
    assert (result.status, result.batch_id) == ("pending", "B1")
    paths = [request.path for request in server.requests]
    assert paths.count("/batches") == 1  # created once; never again
    assert sum(path.endswith("/ship") for path in paths) == 1
