"""Shared helpers of the WeChat sandbox tests: a running sandbox, a fake clock, request builders."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from shipspec.classify import classify
from shipspec.errors import CarrierError, ResponseDecodeError
from shipspec.spec_tables import tables_for
from shipspec_sandbox import FaultPlan, Sandboxes, start_sandboxes
from shipspec_sandbox.carriers.wechat_shop import DEFAULT_APPID, DEFAULT_SECRET, WeChatSandbox
from shipspec_wechat_shop.client import Client
from shipspec_wechat_shop.types import Response

CARRIER = "wechat_shop"
TIMEOUT = httpx.Timeout(5.0)
START = 1_800_000_000.0  # 16:00 China time: a force-refresh series does not cross a WeChat day
RID = re.compile(r" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$")
SEND_PATH = "/product/delivery/send"
COMPANIES_PATH = "/product/delivery/get_company_list"


@dataclass
class FakeClock:
    """Unix seconds that move only when a test says so."""

    now: float = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Running:
    """One running WeChat sandbox with its app, clock and an httpx client on its URL."""

    sandboxes: Sandboxes
    app: WeChatSandbox
    clock: FakeClock
    http: httpx.Client

    @property
    def url(self) -> str:
        return self.sandboxes.url(CARRIER)

    def token(self, appid: str = DEFAULT_APPID) -> str:
        """A stable token of the app, fetched over HTTP."""
        answer = stable_token(self.http, appid=appid).json()
        return str(answer["access_token"])

    def send(self, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        return self.http.post(SEND_PATH, params={"access_token": token or self.token()}, json=body)

    def generated(self, token: str) -> Client:
        """The generated client, sending ``token`` on every call."""
        return Client(base_url=self.url, timeout=TIMEOUT, httpx_args={"params": {"access_token": token}})


@contextlib.contextmanager
def running(db: Path | None = None, faults: FaultPlan | None = None, **switches: Any) -> Iterator[Running]:
    """A running WeChat sandbox, stopped on exit; ``switches`` are set on the app (e.g. bad_secret_code)."""
    clock = FakeClock()
    with (
        start_sandboxes((CARRIER,), db=db, faults=faults) as sandboxes,
        httpx.Client(base_url=sandboxes.url(CARRIER), timeout=TIMEOUT) as http,
    ):
        app = sandboxes.app(CARRIER)
        assert isinstance(app, WeChatSandbox)
        app.clock = clock
        for name, value in switches.items():
            setattr(app, name, value)
        yield Running(sandboxes, app, clock, http)


def stable_token(
    http: httpx.Client,
    *,
    appid: str = DEFAULT_APPID,
    secret: str = DEFAULT_SECRET,
    force_refresh: bool | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"grant_type": "client_credential", "appid": appid, "secret": secret}
    if force_refresh is not None:
        body["force_refresh"] = force_refresh
    return http.post("/cgi-bin/stable_token", json=body)


def classic_token(
    http: httpx.Client, *, appid: str = DEFAULT_APPID, secret: str = DEFAULT_SECRET
) -> httpx.Response:
    params = {"grant_type": "client_credential", "appid": appid, "secret": secret}
    return http.get("/cgi-bin/token", params=params)


TokenCall = Callable[..., httpx.Response]


def package(waybill: str, *lines: tuple[int, int, int], delivery_id: str = "SF") -> dict[str, Any]:
    """One delivery_list entry: whole order without lines, else split with (product_id, sku_id, count)."""
    entry: dict[str, Any] = {"delivery_id": delivery_id, "waybill_id": waybill}
    if lines:
        entry["is_all_product"] = False
        entry["product_infos"] = [{"product_id": p, "sku_id": s, "product_cnt": c} for p, s, c in lines]
    return entry


def shipment(order_id: int, *packages: dict[str, Any]) -> dict[str, Any]:
    return {"order_id": order_id, "delivery_list": list(packages)}


def errcode(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["errcode"])


def typed(
    operation_id: str, response: httpx.Response | Response[Any]
) -> CarrierError | ResponseDecodeError | None:
    """What shipspec's classifier makes of an answer (raw, or the generated client's detailed one)."""
    status = int(response.status_code)
    return classify(tables_for(CARRIER), operation_id, status, response.headers, response.content)


def documented_message(operation_id: str, code: int) -> str:
    entry = tables_for(CARRIER).lookup(operation_id, code)
    assert entry is not None
    return entry.message
