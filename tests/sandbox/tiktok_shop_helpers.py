"""Shared pieces of the TikTok Shop sandbox tests: the running sandbox, a settable clock, a hand-made signer.

The signer here is a third implementation of the vendor's steps, written out inline on purpose: a request it
signs must verify in the sandbox, which shares no code with it nor with shipspec's own signer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx
from shipspec.classify import classify
from shipspec.errors import ResponseDecodeError
from shipspec.spec_tables import tables_for
from shipspec_sandbox import FaultPlan, Ledger, Sandboxes, start_sandboxes
from shipspec_sandbox.carriers.tiktok_shop import TikTokSandbox
from shipspec_tiktok_shop import AuthenticatedClient, Client
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages, get_access_token
from shipspec_tiktok_shop.models import BatchShipPackagesRequest, GetAccessTokenGrantType

APP_KEY = "sandbox-app"
APP_SECRET = "sandbox-secret"
SHOP = "SANDBOX_SHOP"
SHIP_PATH = "/fulfillment/202309/packages/ship"
SHIP = "batchShipPackages"
TIMEOUT = httpx.Timeout(5.0)
T0 = 1_700_000_000  # the sandbox's clock at the start of every test
TABLES = tables_for("tiktok_shop")


class Clock:
    """A clock the test moves by hand (Unix seconds)."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Env:
    """One running TikTok sandbox and what the tests need from it."""

    sandboxes: Sandboxes
    app: TikTokSandbox
    url: str
    clock: Clock
    ledger: Ledger


@contextmanager
def sandbox_env(db: Path | None = None, faults: FaultPlan | None = None) -> Iterator[Env]:
    """Start the TikTok sandbox on 127.0.0.1 with a hand-moved clock; stop it afterwards."""
    sandboxes = start_sandboxes(("tiktok_shop",), db=db, faults=faults)
    try:
        app = cast(TikTokSandbox, sandboxes.app("tiktok_shop"))
        clock = Clock()
        app.clock = clock
        yield Env(sandboxes, app, sandboxes.url("tiktok_shop"), clock, sandboxes.ledger)
    finally:
        sandboxes.stop()


def hand_sign(path: str, query: Mapping[str, str], body: bytes, secret: str = APP_SECRET) -> str:
    """secret + path + sorted k/v pairs (sign and access_token left out) + body + secret, HMAC-SHA256 hex."""
    pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in ("sign", "access_token"))
    message = (secret + path + pairs).encode() + body + secret.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HandSigner(httpx.Auth):
    """Adds app_key, timestamp, the token header and a hand-computed sign to each request."""

    requires_request_body = True

    def __init__(self, token: str, clock: Clock, app_key: str = APP_KEY, secret: str = APP_SECRET) -> None:
        self.token, self.clock, self.app_key, self.secret = token, clock, app_key, secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        query = dict(request.url.params) | {"app_key": self.app_key, "timestamp": str(int(self.clock()))}
        query["sign"] = hand_sign(request.url.path, query, request.content, self.secret)
        request.url = request.url.copy_with(params=query)
        request.headers["x-tts-access-token"] = self.token
        yield request


def get_token(env: Env, shops: list[str] | None = None) -> str:
    """An access token for the default app, through a minted auth code and the generated getAccessToken."""
    code = env.app.mint_auth_code(shop_ciphers=shops)
    with Client(base_url=env.url, timeout=TIMEOUT) as client:
        answer = get_access_token.sync(
            client=client,
            app_key=APP_KEY,
            app_secret=APP_SECRET,
            auth_code=code,
            grant_type=GetAccessTokenGrantType.AUTHORIZED_CODE,
        )
    assert answer is not None
    assert answer.code == 0
    assert answer.data
    return str(answer.data.access_token)


def ship(env: Env, token: str, packages: list[dict[str, Any]], shop: str = SHOP) -> httpx.Response:
    """Batch Ship Packages through the generated client, signed by HandSigner."""
    client = AuthenticatedClient(
        base_url=env.url,
        token="",
        prefix="",
        timeout=TIMEOUT,
        httpx_args={"auth": HandSigner(token, env.clock)},
    )
    with client:
        body = BatchShipPackagesRequest.from_dict({"packages": packages})
        response = batch_ship_packages.sync_detailed(client=client, body=body, shop_cipher=shop)
    return httpx.Response(response.status_code, headers=response.headers, content=response.content)


def signed_post(
    env: Env,
    token: str,
    body: bytes,
    *,
    query: Mapping[str, str | None] | None = None,
    content_type: str = "application/json",
    tamper: Mapping[str, str] | None = None,
    tamper_body: bytes | None = None,
) -> httpx.Response:
    """POST to the ship path, signed by hand; ``tamper``/``tamper_body`` change the request after signing."""
    wanted: dict[str, str | None] = {
        "app_key": APP_KEY,
        "timestamp": str(int(env.clock())),
        "shop_cipher": SHOP,
    }
    wanted |= dict(query or {})  # a None value leaves the parameter out
    params = {key: value for key, value in wanted.items() if value is not None}
    params["sign"] = hand_sign(SHIP_PATH, params, body)
    params |= dict(tamper or {})
    headers = {"content-type": content_type, "x-tts-access-token": token}
    sent = body if tamper_body is None else tamper_body
    return httpx.post(env.url + SHIP_PATH, params=params, content=sent, headers=headers, timeout=TIMEOUT)


def envelope(response: httpx.Response) -> dict[str, Any]:
    """The JSON envelope of an answer."""
    found = json.loads(response.content)
    assert isinstance(found, dict)
    return found


def kind_of(response: httpx.Response, operation: str = SHIP) -> str | None:
    """The kind shipspec's classifier gives the answer (None for a success)."""
    error = classify(TABLES, operation, response.status_code, response.headers, response.content)
    assert not isinstance(error, ResponseDecodeError), error  # every sandbox answer is documented JSON
    return None if error is None else error.kind


def documented(code: int, operation: str = SHIP) -> str:
    """The documented message of a code, from the generated tables."""
    entry = TABLES.lookup(operation, code)
    assert entry is not None
    return entry.message
