"""Every operation of every carrier, called through its wired generated ``sync`` with valid arguments.

The answer comes from an in-process transport (the property is about reading answers, not about HTTP), so
each call is what a user's ``get_tracking.sync(client=..., waybill=...)`` does after the bytes arrive.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from shipspec.carriers.baaship import mapping as baaship_mapping
from shipspec.carriers.deftship import mapping as deftship_mapping
from shipspec.carriers.tiktok_shop import mapping as tiktok_mapping
from shipspec.carriers.wechat_shop import mapping as wechat_mapping
from shipspec.wiring import wire
from shipspec_deftship.models import AddBatchItemsRequest, RemoveBatchItemsRequest
from shipspec_tiktok_shop.models import GetAccessTokenGrantType, RefreshAccessTokenGrantType
from shipspec_wechat_shop.models import GetAccessTokenGrantType as WeChatGrantType
from shipspec_wechat_shop.models import (
    GetDeliveryCompanyListRequest,
    StableTokenRequest,
    StableTokenRequestGrantType,
)

from tests.shipping import support_baaship, support_deftship, support_tiktok_shop, support_wechat_shop

__all__ = ["CALLS", "Call", "success_schema", "wired_client"]

REPO = Path(__file__).resolve().parents[2]
BASE_URL = "http://carrier.invalid"
Answer = Callable[[httpx.Request], httpx.Response]


@dataclass(frozen=True)
class Call:
    carrier: str
    operation_id: str
    module: str  # the api module under shipspec_<carrier>.api.<carrier>
    arguments: Callable[[], dict[str, Any]]

    def run(self, client: Any) -> Any:
        """Call the operation's wired ``sync`` with valid arguments; return what it returns."""
        api = importlib.import_module(f"shipspec_{self.carrier}.api.{self.carrier}.{self.module}")
        return api.sync(client=client, **self.arguments())

    def success_type(self) -> type:
        api = importlib.import_module(f"shipspec_{self.carrier}.api.{self.carrier}.{self.module}")
        found: type = api.sync.__annotations__["return"]  # generated modules do not defer annotations
        return found


def _deft_entry() -> Any:
    return deftship_mapping.to_batch_shipment(support_deftship.shipment("D-1"), "USPS-3")


def _wechat_body() -> Any:
    shipment = support_wechat_shop.shipment("W-1", 3001, "SF-1")
    return wechat_mapping.to_request(3001, [wechat_mapping.to_delivery(shipment)])


CALLS: tuple[Call, ...] = (
    Call("baaship", "createShipment", "create_shipment",
         lambda: {"body": baaship_mapping.to_request(support_baaship.shipment("B-1"))}),
    Call("baaship", "reverseShipment", "reverse_shipment",
         lambda: {"body": baaship_mapping.to_request(support_baaship.return_shipment("R-1"))}),
    Call("baaship", "cancelShipment", "cancel_shipment", lambda: {"waybill": "T8000001"}),
    Call("baaship", "getTracking", "get_tracking", lambda: {"waybill": "T8000001"}),
    Call("baaship", "getShipmentLabel", "get_shipment_label", lambda: {"waybill": "T8000001"}),
    Call("deftship", "createBatch", "create_batch",
         lambda: {"body": deftship_mapping.create_request(123, "USPS-3", [_deft_entry()])}),
    Call("deftship", "getBatch", "get_batch", lambda: {"batch_id": "12345678"}),
    Call("deftship", "shipBatch", "ship_batch", lambda: {"batch_id": "12345678"}),
    Call("deftship", "addBatchItems", "add_batch_items",
         lambda: {"batch_id": "12345678", "body": AddBatchItemsRequest(batch_shipments=[_deft_entry()])}),
    Call("deftship", "removeBatchItems", "remove_batch_items",
         lambda: {"batch_id": "12345678", "body": RemoveBatchItemsRequest(batch_shipment_ids=["1"])}),
    Call("tiktok_shop", "batchShipPackages", "batch_ship_packages",
         lambda: {"shop_cipher": "ROW_1",
                  "body": tiktok_mapping.to_request([tiktok_mapping.to_package(
                      support_tiktok_shop.shipment("T-1", "1152921504606846976"))])}),
    Call("tiktok_shop", "getAccessToken", "get_access_token",
         lambda: {"app_key": "k", "app_secret": "s", "auth_code": "c",
                  "grant_type": GetAccessTokenGrantType.AUTHORIZED_CODE}),
    Call("tiktok_shop", "refreshAccessToken", "refresh_access_token",
         lambda: {"app_key": "k", "app_secret": "s", "refresh_token": "r",
                  "grant_type": RefreshAccessTokenGrantType.REFRESH_TOKEN}),
    Call("wechat_shop", "sendDelivery", "send_delivery", lambda: {"body": _wechat_body()}),
    Call("wechat_shop", "getDeliveryCompanyList", "get_delivery_company_list",
         lambda: {"body": GetDeliveryCompanyListRequest()}),
    Call("wechat_shop", "getAccessToken", "get_access_token",
         lambda: {"grant_type": WeChatGrantType.CLIENT_CREDENTIAL, "appid": "wx1", "secret": "s"}),
    Call("wechat_shop", "getStableAccessToken", "get_stable_access_token",
         lambda: {"body": StableTokenRequest(grant_type=StableTokenRequestGrantType.CLIENT_CREDENTIAL,
                                             appid="wx1", secret="s")}),
)  # fmt: skip


def wired_client(carrier: str, answer: Answer) -> Any:
    """A generated client wired as shipspec wires it (hooks, typed errors, retries), answered in process."""
    package = importlib.import_module(f"shipspec_{carrier}")
    generated = package.AuthenticatedClient(base_url=BASE_URL, token="held")
    return wire(
        generated, carrier=carrier, base_url=BASE_URL, auth=None, transport=httpx.MockTransport(answer)
    )


@cache
def _spec(carrier: str) -> Mapping[str, Any]:
    loaded: Mapping[str, Any] = yaml.safe_load(
        (REPO / "specs" / f"{carrier}.yaml").read_text(encoding="utf-8")
    )
    return loaded


def _inline(spec: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """The schema with every local ``$ref`` replaced by what it points at (the specs are not recursive)."""
    if depth > 30:
        return node
    if isinstance(node, Mapping):
        if "$ref" in node:
            target: Any = spec
            for part in str(node["$ref"]).removeprefix("#/").split("/"):
                target = target[part]
            return _inline(spec, target, depth + 1)
        return {key: _inline(spec, value, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(spec, value, depth + 1) for value in node]
    return node


@cache
def success_schema(carrier: str, operation_id: str) -> Mapping[str, Any]:
    """The OpenAPI schema of the operation's documented success (the first alternative of a oneOf/anyOf)."""
    spec = _spec(carrier)
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, Mapping) and op.get("operationId") == operation_id:
                schema = _inline(spec, op["responses"]["200"])["content"]["application/json"]["schema"]
                branches = schema.get("anyOf") or schema.get("oneOf")
                return dict(branches[0]) if branches and "properties" not in schema else dict(schema)
    raise KeyError(operation_id)
