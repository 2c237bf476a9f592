"""Smoke: every generated operation is called once against a Prism mock of its own spec and parses.

Prism validates each request against the spec (a 422 would fail here), then answers from the spec's examples;
the generated client must parse that answer into its model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from shipspec_baaship import AuthenticatedClient as BaashipClient
from shipspec_baaship.api.baaship import (
    cancel_shipment,
    create_shipment,
    get_shipment_label,
    get_tracking,
    reverse_shipment,
)
from shipspec_baaship.models import CreateShipmentRequest, ReverseShipmentRequest
from shipspec_deftship import AuthenticatedClient as DeftshipClient
from shipspec_deftship.api.deftship import (
    add_batch_items,
    create_batch,
    get_batch,
    remove_batch_items,
    ship_batch,
)
from shipspec_deftship.models import AddBatchItemsRequest, CreateBatchRequest, RemoveBatchItemsRequest
from shipspec_tiktok_shop import AuthenticatedClient as TiktokClient
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages, get_access_token, refresh_access_token
from shipspec_tiktok_shop.models import (
    BatchShipPackagesRequest,
    GetAccessTokenGrantType,
    RefreshAccessTokenGrantType,
)
from shipspec_wechat_shop import Client as WechatClient
from shipspec_wechat_shop.api.wechat_shop import get_access_token as wechat_get_access_token
from shipspec_wechat_shop.api.wechat_shop import (
    get_delivery_company_list,
    get_stable_access_token,
    send_delivery,
)
from shipspec_wechat_shop.models import (
    GetAccessTokenGrantType as WechatGrantType,
)
from shipspec_wechat_shop.models import (
    GetDeliveryCompanyListRequest,
    SendDeliveryRequest,
    StableTokenRequest,
)

from generator.paths import SPECS
from tests.support.servers import prism_mock

TIMEOUT = httpx.Timeout(10.0)
Call = Callable[[Any], Any]

PACKAGE = {"count": 1, "length": 10, "width": 8, "height": 4, "weight": 1, "reference_1": "ORDER-001"}
TO_ADDRESS = {
    "name": "Jane Smith",
    "street_1": "456 Oak Ave",
    "city": "Los Angeles",
    "state": "CA",
    "zip": "90001",
    "country": "US",
    "telephone": "5559876543",
}
BATCH_SHIPMENT = {"from_address_id": 1387235969, "to_address": TO_ADDRESS, "package_list": [PACKAGE]}
SENDER = {
    "contact": "TEST SENDER",
    "phone": "0977777777",
    "country": "CN",
    "province": "GUANGDONG",
    "city": "GUANGZHOU",
    "address": "No.100 South Baiyun Street",
    "postCode": "510000",
}
ITEM = {
    "goodsNameEn": "Computer Bag",
    "goodsNameCn": "电脑包",
    "quantity": 1,
    "itemWeight": 2.102,
    "itemValue": "29.9",
    "currency": "USD",
}
RECEIVER = {
    "contact": "TEST RECEIVER",
    "phone": "212340908",
    "country": "NZ",
    "city": "Te Aroha",
    "address": "3 Churchill Avenue",
    "postCode": "3320",
}

CALLS: dict[str, dict[str, Call]] = {
    "tiktok_shop": {
        "batchShipPackages": lambda c: batch_ship_packages.sync_detailed(
            client=c,
            shop_cipher="ROW_x",
            body=BatchShipPackagesRequest.from_dict({"packages": [{"id": "1", "handover_method": "PICKUP"}]}),
        ),
        "getAccessToken": lambda c: get_access_token.sync_detailed(
            client=c,
            app_key="k",
            app_secret="s",
            auth_code="a",
            grant_type=GetAccessTokenGrantType.AUTHORIZED_CODE,
        ),
        "refreshAccessToken": lambda c: refresh_access_token.sync_detailed(
            client=c,
            app_key="k",
            app_secret="s",
            refresh_token="r",
            grant_type=RefreshAccessTokenGrantType.REFRESH_TOKEN,
        ),
    },
    "wechat_shop": {
        "sendDelivery": lambda c: send_delivery.sync_detailed(
            client=c,
            body=SendDeliveryRequest.from_dict(
                {"order_id": 123456, "delivery_list": [{"delivery_id": "SF", "waybill_id": "SF1"}]}
            ),
        ),
        "getDeliveryCompanyList": lambda c: get_delivery_company_list.sync_detailed(
            client=c, body=GetDeliveryCompanyListRequest()
        ),
        "getAccessToken": lambda c: wechat_get_access_token.sync_detailed(
            client=c, grant_type=WechatGrantType.CLIENT_CREDENTIAL, appid="wx1", secret="s"
        ),
        "getStableAccessToken": lambda c: get_stable_access_token.sync_detailed(
            client=c,
            body=StableTokenRequest.from_dict(
                {"grant_type": "client_credential", "appid": "wx1", "secret": "s"}
            ),
        ),
    },
    "baaship": {
        "createShipment": lambda c: create_shipment.sync_detailed(
            client=c,
            body=CreateShipmentRequest.from_dict(
                {
                    "referenceNo": "REF1",
                    "productCode": "BNRTN",
                    "sender": SENDER,
                    "receiver": RECEIVER,
                    "packageList": [{"weight": 1.5, "packageItemList": [ITEM]}],
                }
            ),
        ),
        "reverseShipment": lambda c: reverse_shipment.sync_detailed(
            client=c,
            body=ReverseShipmentRequest.from_dict(
                {
                    "referenceNo": "REF2",
                    "productCode": "BNRTN",
                    "sender": {**SENDER, "province": "GD", "city": "GZ"},
                    "packageList": {"weight": 1.5, "packageItemList": [{**ITEM, "itemValue": 29.9}]},
                }
            ),
        ),
        "cancelShipment": lambda c: cancel_shipment.sync_detailed(client=c, waybill="T80000045"),
        "getTracking": lambda c: get_tracking.sync_detailed(client=c, waybill="T80000045"),
        "getShipmentLabel": lambda c: get_shipment_label.sync_detailed(client=c, reference_no="REF1"),
    },
    "deftship": {
        "createBatch": lambda c: create_batch.sync_detailed(
            client=c,
            body=CreateBatchRequest.from_dict(
                {"shipper_id": 123, "service": "USPS-3", "batch_shipments": [BATCH_SHIPMENT]}
            ),
        ),
        "getBatch": lambda c: get_batch.sync_detailed("12345678", client=c),
        "shipBatch": lambda c: ship_batch.sync_detailed("12345678", client=c),
        "addBatchItems": lambda c: add_batch_items.sync_detailed(
            "12345678", client=c, body=AddBatchItemsRequest.from_dict({"batch_shipments": [BATCH_SHIPMENT]})
        ),
        "removeBatchItems": lambda c: remove_batch_items.sync_detailed(
            "12345678", client=c, body=RemoveBatchItemsRequest.from_dict({"batch_shipment_ids": ["1"]})
        ),
    },
}


def _client(carrier: str, base_url: str) -> Any:
    """A generated client with the credentials each spec's security schemes ask for (dummy values)."""
    if carrier == "tiktok_shop":
        return TiktokClient(
            base_url=base_url,
            token="t",
            prefix="",
            auth_header_name="x-tts-access-token",
            timeout=TIMEOUT,
            httpx_args={"params": {"app_key": "k", "timestamp": "1700000000", "sign": "s"}},
        )
    if carrier == "wechat_shop":
        return WechatClient(base_url=base_url, timeout=TIMEOUT, httpx_args={"params": {"access_token": "t"}})
    if carrier == "baaship":
        return BaashipClient(
            base_url=base_url, token="t", prefix="", auth_header_name="token", timeout=TIMEOUT
        )
    return DeftshipClient(base_url=base_url, token="t", timeout=TIMEOUT)


@pytest.fixture(scope="module", params=sorted(CALLS))
def mocked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Any]]:
    """A Prism mock of one carrier spec and a generated client pointed at it."""
    carrier: str = request.param
    with prism_mock(SPECS / f"{carrier}.yaml", tmp_path_factory.mktemp("prism")) as base_url:
        client = _client(carrier, base_url)
        with client as opened:
            yield carrier, opened


def test_every_operation_is_covered() -> None:
    """The smoke table names exactly the operations each spec declares."""
    from generator.extensions import load_spec, read_tables

    for carrier, calls in CALLS.items():
        declared = {op.operation_id for op in read_tables(load_spec(SPECS / f"{carrier}.yaml")).operations}
        assert set(calls) == declared, carrier


def test_every_operation_round_trips_through_prism(mocked: tuple[str, Any], tmp_path: Path) -> None:
    """Each operation's request passes Prism's validation and the mocked answer parses."""
    carrier, client = mocked
    failures = []
    for operation_id, call in CALLS[carrier].items():
        response = call(client)
        if response.status_code != 200 or response.parsed is None:
            failures.append(f"{operation_id}: {response.status_code} {response.content[:400]!r}")
    assert not failures, "\n".join(failures)
