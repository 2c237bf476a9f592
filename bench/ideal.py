"""The ideal client for the throughput comparison: a bare-httpx asyncio loop that ships what the runner ships.

It knows every shipment up front and has every request body ready (built once, untimed, with shipspec's own
mappings, so the bytes are those the shippers send); per carrier it sends the same units the runner does
(TikTok batches of the shipper's ``batch_size``, one WeChat order or Baaship shipment per call, DeftShip
batches of up to 1,000 driven through create → poll → ship → poll on the shipper's schedule of pauses), with
the same number of workers as the shipper's ``concurrency``. What it skips is everything that is not HTTP: no
models on the way back (``json.loads`` and a success check), no retries, no result objects, no reading
order. DeftShip polls read the first page only until the batch settles, and every page once at the end.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from shipspec.carriers.baaship import mapping as baaship_mapping
from shipspec.carriers.deftship import mapping as deftship_mapping
from shipspec.carriers.tiktok_shop import mapping as tiktok_mapping
from shipspec.carriers.tiktok_shop.signing import sign
from shipspec.carriers.wechat_shop import mapping as wechat_mapping
from shipspec.shipping.capabilities import Shipper
from shipspec_shipping_models import Shipment

__all__ = ["IdealPlan", "plan", "run_ideal"]

TIKTOK_PATH = "/fulfillment/202309/packages/ship"
JSON = "application/json"
POLL_LIMIT = 1200  # reads per DeftShip phase at most


def _json(payload: Any) -> bytes:
    # What httpx sends for ``json=``: compact, UTF-8, no NaN.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@dataclass(frozen=True)
class Unit:
    """One thing a worker does: a call (or DeftShip's whole batch protocol) for ``count`` shipments."""

    carrier: str
    body: bytes
    count: int


@dataclass(frozen=True)
class IdealPlan:
    """Every unit per carrier, with the workers each carrier gets and its settings."""

    units: dict[str, list[Unit]]
    concurrency: dict[str, int]
    settings: dict[str, dict[str, str]]
    poll_seconds: float  # the longest pause between DeftShip reads; they start at poll_first and double
    poll_first: float


def plan(
    shipments: Sequence[Shipment],
    shippers: dict[str, Shipper],
    settings: dict[str, dict[str, str]],
    poll_seconds: float,
    poll_first: float,
) -> IdealPlan:
    """Build every request body (untimed) the way the shippers would, in the same units."""
    by_carrier: dict[str, list[Shipment]] = {}
    for shipment in shipments:
        by_carrier.setdefault(shipment.carrier, []).append(shipment)
    units: dict[str, list[Unit]] = {}
    for carrier, group in by_carrier.items():
        size = shippers[carrier].batch_size
        chunks = [group[start : start + size] for start in range(0, len(group), size)]
        units[carrier] = [
            Unit(carrier, _body(carrier, chunk, settings[carrier]), len(chunk)) for chunk in chunks
        ]
    concurrency = {carrier: shippers[carrier].concurrency for carrier in by_carrier}
    return IdealPlan(units, concurrency, settings, poll_seconds, poll_first)


def _body(carrier: str, chunk: Sequence[Shipment], settings: dict[str, str]) -> bytes:
    if carrier == "tiktok_shop":
        return _json(tiktok_mapping.to_request([tiktok_mapping.to_package(s) for s in chunk]).to_dict())
    if carrier == "wechat_shop":
        (shipment,) = chunk
        request = wechat_mapping.to_request(
            wechat_mapping.order_id_of(shipment), [wechat_mapping.to_delivery(shipment)]
        )
        return _json(request.to_dict())
    if carrier == "baaship":
        (shipment,) = chunk
        return _json(baaship_mapping.to_request(shipment).to_dict())
    if carrier == "deftship":
        service = deftship_mapping.service_of(chunk[0], settings.get("service"))
        entries = [deftship_mapping.to_batch_shipment(s, settings.get("service")) for s in chunk]
        return _json(deftship_mapping.create_request(int(settings["shipper_id"]), service, entries).to_dict())
    raise ValueError(f"no ideal client for {carrier}")


class _Failed(RuntimeError):
    """The ideal loop met an answer it does not expect (the benchmark is then void, not quietly faster)."""


def _check(response: httpx.Response, ok: Callable[[Any], bool]) -> Any:
    body = json.loads(response.content)
    if response.status_code != 200 or not ok(body):
        raise _Failed(f"{response.request.method} {response.request.url.path}: {response.status_code} {body}")
    return body


class _Carriers:
    """The per-carrier senders, sharing one AsyncClient per carrier."""

    def __init__(self, plan: IdealPlan, clients: dict[str, httpx.AsyncClient], wechat_token: str) -> None:
        self.plan = plan
        self.clients = clients
        self.wechat_token = wechat_token

    async def tiktok_shop(self, unit: Unit) -> None:
        settings = self.plan.settings["tiktok_shop"]
        query = [
            ("shop_cipher", settings["shop_cipher"]),
            ("app_key", settings["app_key"]),
            ("timestamp", str(int(time.time()))),
        ]
        signature = sign(TIKTOK_PATH, query, JSON, unit.body, settings["app_secret"])
        response = await self.clients["tiktok_shop"].post(
            TIKTOK_PATH,
            params=[*query, ("sign", signature)],
            content=unit.body,
            headers={"content-type": JSON, "x-tts-access-token": settings["access_token"]},
        )
        _check(response, lambda body: body.get("code") == 0 and not (body.get("data") or {}).get("errors"))

    async def wechat_shop(self, unit: Unit) -> None:
        response = await self.clients["wechat_shop"].post(
            "/product/delivery/send",
            params={"access_token": self.wechat_token},
            content=unit.body,
            headers={"content-type": JSON},
        )
        _check(response, lambda body: body.get("errcode") == 0)

    async def baaship(self, unit: Unit) -> None:
        response = await self.clients["baaship"].post(
            "/createShipment",
            content=unit.body,
            headers={"content-type": JSON, "token": self.plan.settings["baaship"]["token"]},
        )
        _check(response, lambda body: body.get("success") is True)

    async def deftship(self, unit: Unit) -> None:
        client = self.clients["deftship"]
        headers = {"Authorization": f"Bearer {self.plan.settings['deftship']['api_token']}"}
        created = await client.post("/batches", content=unit.body, headers={**headers, "content-type": JSON})
        batch_id = _check(created, lambda body: body.get("success") is True)["data"]["id"]
        await self._settle(client, batch_id, headers, ("ready",))
        shipped = await client.post(f"/batches/{batch_id}/ship", headers=headers)
        _check(shipped, lambda body: body.get("success") is True)
        data = await self._settle(client, batch_id, headers, ("completed",))
        items = list(data["items"]["data"])
        following = data["items"].get("next_page_url")
        while following:
            answer = await client.get(following, headers=headers)
            page = _check(answer, lambda body: body.get("success") is True)
            items += page["data"]["items"]["data"]
            following = page["data"]["items"].get("next_page_url")
        if len(items) != unit.count or any(item["status"] != "completed" for item in items):
            raise _Failed(f"deftship batch {batch_id}: not every item completed")

    async def _settle(
        self, client: httpx.AsyncClient, batch_id: str, headers: dict[str, str], wanted: tuple[str, ...]
    ) -> dict[str, Any]:
        pause = 0.0
        for _ in range(POLL_LIMIT):
            if pause:
                await asyncio.sleep(pause)
            pause = min(pause * 2 or self.plan.poll_first, self.plan.poll_seconds)
            answer = await client.get(f"/batches/{batch_id}", headers=headers)
            data: dict[str, Any] = _check(answer, lambda body: body.get("success") is True)["data"]
            if data["status"] in wanted:
                return data
            if data["status"] == "invalid":
                raise _Failed(f"deftship batch {batch_id} has invalid items")
        raise _Failed(f"deftship batch {batch_id} never became {wanted}")


async def _wechat_token(settings: dict[str, str]) -> str:
    async with httpx.AsyncClient(base_url=settings["base_url"]) as client:
        answer = await client.post(
            "/cgi-bin/stable_token",
            json={
                "grant_type": "client_credential",
                "appid": settings["appid"],
                "secret": settings["secret"],
            },
        )
    token = json.loads(answer.content).get("access_token")
    if not isinstance(token, str):
        raise _Failed(f"no WeChat token: {answer.content!r}")
    return token


async def _ship_all(plan: IdealPlan, wechat_token: str, finished: dict[str, float]) -> int:
    clients = {
        carrier: httpx.AsyncClient(
            base_url=plan.settings[carrier]["base_url"],
            limits=httpx.Limits(max_connections=plan.concurrency[carrier]),
            timeout=httpx.Timeout(30.0, connect=10.0),
        )
        for carrier in plan.units
    }
    senders = _Carriers(plan, clients, wechat_token)
    shipped = 0
    started = time.perf_counter()

    async def worker(queue: list[Unit], send: Callable[[Unit], Awaitable[None]]) -> None:
        nonlocal shipped
        while queue:
            unit = queue.pop()
            await send(unit)
            shipped += unit.count
            finished[unit.carrier] = time.perf_counter() - started

    try:
        async with asyncio.TaskGroup() as group:
            for carrier, units in plan.units.items():
                queue = list(reversed(units))  # pop() from the end: input order
                send: Callable[[Unit], Awaitable[None]] = getattr(senders, carrier)
                for _ in range(plan.concurrency[carrier]):
                    group.create_task(worker(queue, send))
    finally:
        for client in clients.values():
            await client.aclose()
    return shipped


def run_ideal(plan: IdealPlan) -> tuple[float, int, dict[str, float]]:
    """Ship the plan; return seconds from the first request to the last answer, shipments shipped, and when
    each carrier's last unit finished (seconds from the start)."""
    finished: dict[str, float] = {}

    async def main() -> tuple[float, int]:
        started = time.perf_counter()  # the WeChat token is inside the clock, as it is for the runner
        token = await _wechat_token(plan.settings["wechat_shop"]) if "wechat_shop" in plan.units else ""
        shipped = await _ship_all(plan, token, finished)
        return time.perf_counter() - started, shipped

    elapsed, shipped = asyncio.run(main())
    return elapsed, shipped, finished
