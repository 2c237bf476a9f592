"""Send a documented example request to a fresh sandbox of its carrier, seeded and with valid credentials.

Used by the example contract test (every documented example is accepted) and by the undeclared-property
test (the same examples with one member added are refused).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from schemathesis import Response
from shipspec.classify import classify
from shipspec.errors import CarrierError, ResponseDecodeError
from shipspec.spec_tables import OperationEntry, tables_for
from shipspec_sandbox import Sandboxes, start_sandboxes
from shipspec_sandbox.carriers.tiktok_shop import TikTokSandbox
from shipspec_sandbox.carriers.wechat_shop import WeChatSandbox

from .doc_examples import ExampleRequest
from .sandbox_contract import (
    CARRIERS,
    STATIC_TOKEN,
    TIKTOK_APP_KEY,
    TIKTOK_APP_SECRET,
    TIMEOUT,
    Event,
    Probe,
    TikTokSigner,
    load_schema,
)

SCHEMAS = {carrier: load_schema(carrier) for carrier in CARRIERS}

__all__ = ["Sent", "send"]


@dataclass
class Running:
    """One carrier's fresh sandbox with a probe on its hooks."""

    sandboxes: Sandboxes
    carrier: str
    probe: Probe

    @property
    def url(self) -> str:
        return self.sandboxes.url(self.carrier)


@contextmanager
def sandbox(carrier: str) -> Iterator[Running]:
    with start_sandboxes((carrier,)) as sandboxes:
        probe = Probe()
        probe.install(sandboxes.app(carrier))
        yield Running(sandboxes, carrier, probe)


def _seed_and_credentials(running: Running, example: ExampleRequest) -> dict[str, Any]:
    """Create what the example names and return the credentials ``call_and_validate`` adds."""
    body = example.body if isinstance(example.body, dict) else {}
    app = running.sandboxes.app(running.carrier)
    if isinstance(app, TikTokSandbox):
        shop = example.query.get("shop_cipher", "")
        app.register_shop(shop)
        for package in body.get("packages", []):
            app.add_package(str(package["id"]), shop)
        with httpx.Client(base_url=running.url, timeout=TIMEOUT) as http:
            query = {
                "app_key": TIKTOK_APP_KEY,
                "app_secret": TIKTOK_APP_SECRET,
                "auth_code": app.mint_auth_code(),
                "grant_type": "authorized_code",
            }
            token = http.get("/api/v2/token/get", params=query).json()["data"]["access_token"]
        return {
            "headers": {"x-tts-access-token": token},
            "auth": TikTokSigner(TIKTOK_APP_KEY, TIKTOK_APP_SECRET),
        }
    if isinstance(app, WeChatSandbox):
        if "appid" in body:  # the token example's own app
            app.register_app(str(body["appid"]), str(body["secret"]))
            return {}
        if "order_id" in body:
            lines = [
                (int(line["product_id"]), int(line["sku_id"]), int(line["product_cnt"]))
                for package in body["delivery_list"]
                for line in package.get("product_infos", [])
            ]
            app.add_order(int(body["order_id"]), lines or [(1, 1, 1)])
        return {"params": {"access_token": app.issue_token()}}
    if running.carrier == "baaship":
        return {"headers": {"token": STATIC_TOKEN}}
    return {"headers": {"Authorization": f"Bearer {STATIC_TOKEN}"}}


@dataclass(frozen=True)
class Sent:
    """What happened to one example: the answer, how far it got in the sandbox, and what it means."""

    response: Response
    events: list[Event]
    operation: OperationEntry
    error: CarrierError | ResponseDecodeError | None


def send(example: ExampleRequest, *, validate: bool = True) -> Sent:
    """Send the example to a fresh, seeded sandbox; ``validate``: run the contract's response checks."""
    tables = tables_for(example.carrier)
    operation = tables.operation_for(example.method, example.path)
    assert operation is not None, f"{example}: no operation at {example.method} {example.path}"
    with sandbox(example.carrier) as running:
        credentials = _seed_and_credentials(running, example)
        template = operation.path.rstrip("/").split("/")
        path_parameters = {
            name[1:-1]: value
            for name, value in zip(template, example.path.rstrip("/").split("/"), strict=True)
            if name.startswith("{")
        }
        parts: dict[str, Any] = {"query": dict(example.query) or None}
        parts["path_parameters"] = path_parameters or None
        if example.body is not None:
            parts["body"] = example.body
        case = SCHEMAS[example.carrier][operation.path][example.method].Case(**parts)
        with running.probe.watch() as events:
            if validate:
                response = case.call_and_validate(base_url=running.url, **credentials)
            else:
                response = case.call(base_url=running.url, **credentials)
    headers = {name: values[0] for name, values in response.headers.items()}
    error = classify(tables, operation.operation_id, response.status_code, headers, response.content)
    return Sent(response, events, operation, error)
