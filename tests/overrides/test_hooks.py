"""The envelope hook on a generated client over real HTTP: typed errors on failure, models on success."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from shipspec import settings
from shipspec.errors import AuthError, NotFoundError, ResponseDecodeError, RetryableError
from shipspec.hooks import araise_for_envelope, raise_for_envelope
from shipspec.transport import AsyncRetryingTransport, RetryingTransport
from shipspec_baaship import AuthenticatedClient
from shipspec_baaship.api.baaship import create_shipment, get_tracking
from shipspec_baaship.models import CreateShipmentRequest, CreateShipmentResponse, ShipmentResult

from tests.support.http_server import Reply, ScriptedServer, scripted_server

TOKEN = "baaship-token-123"
AUTH_FAILED = {"success": False, "code": 1001, "message": "Token incorrect", "requestId": "65bc"}
CREATED = {
    "success": True,
    "code": 200,
    "message": "success",
    "requestId": "65bd",
    "data": [
        {"waybill": "T80000045", "referenceNo": "R-1", "productCode": "TEST", "labelUrl": "https://x/l.pdf"}
    ],
}
SHIPMENT: dict[str, Any] = {
    "referenceNo": "R-1",
    "productCode": "TEST",
    "sender": {
        "contact": "A",
        "phone": "1",
        "country": "TW",
        "province": "TP",
        "city": "Taipei",
        "address": "1 Road",
        "postCode": "100",
    },
    "receiver": {
        "contact": "B",
        "phone": "2",
        "country": "TW",
        "city": "Taipei",
        "address": "2 Road",
        "postCode": "100",
    },
    "packageList": [
        {
            "weight": 1.5,
            "packageItemList": [
                {
                    "goodsNameEn": "Shirt",
                    "goodsNameCn": "衬衫",
                    "quantity": 1,
                    "itemWeight": 1.5,
                    "itemValue": "10",
                    "currency": "USD",
                }
            ],
        }
    ],
}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with settings.instant_backoff():
        yield from scripted_server()


def sync_client(url: str) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=url,
        token=TOKEN,
        prefix="",
        auth_header_name="token",
        timeout=settings.DEFAULT_TIMEOUT,
        httpx_args={
            "transport": RetryingTransport("baaship"),
            "event_hooks": {"response": [raise_for_envelope]},
        },
    )


def async_client(url: str) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=url,
        token=TOKEN,
        prefix="",
        auth_header_name="token",
        timeout=settings.DEFAULT_TIMEOUT,
        httpx_args={
            "transport": AsyncRetryingTransport("baaship"),
            "event_hooks": {"response": [araise_for_envelope]},
        },
    )


def request() -> CreateShipmentRequest:
    return CreateShipmentRequest.from_dict(SHIPMENT)


def test_sync_detailed_raises_auth_error_from_a_200_envelope(server: ScriptedServer) -> None:
    """{"success": false, "code": 1001} inside HTTP 200 raises AuthError instead of returning a model."""
    server.script(Reply(body=AUTH_FAILED))
    with sync_client(server.url) as client, pytest.raises(AuthError) as caught:
        create_shipment.sync_detailed(client=client, body=request())
    assert (caught.value.code, caught.value.request_id, caught.value.message) == (
        1001,
        "65bc",
        "Token incorrect",
    )
    assert server.requests[0].headers["token"] == TOKEN
    assert len(server.requests) == 1


def test_sync_returns_the_parsed_model_on_success(server: ScriptedServer) -> None:
    """A success passes the hook and the generated parser returns its model."""
    server.script(Reply(body=CREATED))
    with sync_client(server.url) as client:
        parsed = create_shipment.sync(client=client, body=request())
    assert isinstance(parsed, CreateShipmentResponse)
    assert isinstance(parsed.data, list)
    assert isinstance(parsed.data[0], ShipmentResult)
    assert parsed.data[0].waybill == "T80000045"


def test_sync_after_a_transport_retry_returns_the_model(server: ScriptedServer) -> None:
    """A transient 1004 is retried by the transport; the caller only sees the final success."""
    server.script(
        Reply(body={"success": False, "code": 1004, "message": "Interface exception."}), Reply(body=CREATED)
    )
    with sync_client(server.url) as client:
        parsed = create_shipment.sync(client=client, body=request())
    assert isinstance(parsed, CreateShipmentResponse)
    assert len(server.requests) == 2


def test_per_operation_meaning_through_the_client(server: ScriptedServer) -> None:
    """On /tracking, 1004 means 'does not exist': NotFoundError, not retried."""
    server.script(
        Reply(body={"success": False, "code": 1004, "message": "Waybill or referenceNo does not exist"})
    )
    with sync_client(server.url) as client, pytest.raises(NotFoundError):
        get_tracking.sync_detailed(client=client, waybill="W-404")
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body="<html><body>Maintenance</body></html>"),
        Reply(body=b'{"success": true, "code": 200, "data": [{"waybill": "T8'),
        Reply(body=b"[1, 2, 3]"),
    ],
    ids=["html", "truncated", "not-an-object"],
)
def test_undocumented_bodies_raise_decode_errors(server: ScriptedServer, reply: Reply) -> None:
    """An HTML page or broken JSON raises ResponseDecodeError before the parser's bare ValueError."""
    server.script(reply)
    with sync_client(server.url) as client, pytest.raises(ResponseDecodeError):
        create_shipment.sync_detailed(client=client, body=request())


def test_asyncio_detailed_raises_and_parses(server: ScriptedServer) -> None:
    """The async client with the async hook raises AuthError for 1001 and parses a success."""
    server.script(Reply(body=AUTH_FAILED), Reply(body=CREATED))

    async def scenario() -> object:
        async with async_client(server.url) as client:
            with pytest.raises(AuthError):
                await create_shipment.asyncio_detailed(client=client, body=request())
            return (await create_shipment.asyncio_detailed(client=client, body=request())).parsed

    parsed = asyncio.run(scenario())
    assert isinstance(parsed, CreateShipmentResponse)
    assert len(server.requests) == 2


def test_async_exhausted_retries_raise_the_typed_error(server: ScriptedServer) -> None:
    """A 1004 that never clears ends, after MAX_ATTEMPTS, in RetryableError from the async transport."""
    busy = Reply(body={"success": False, "code": 1004, "message": "Interface exception."})
    server.script(*[busy] * settings.MAX_ATTEMPTS)

    async def scenario() -> None:
        async with async_client(server.url) as client:
            await create_shipment.asyncio_detailed(client=client, body=request())

    with pytest.raises(RetryableError):
        asyncio.run(scenario())
    assert len(server.requests) == settings.MAX_ATTEMPTS
