"""Per-call overhead: shipspec's TikTok Batch Ship Packages call vs raw httpx and vs ``tiktok-shop-api``.

All three send the same call (the same packages, ``DROP_OFF``) to the same TikTok sandbox (faults off,
request validation on), one call at a time over a kept-alive connection:

- **shipspec**: ``batch_ship_packages.sync(client=shipspec.carriers.tiktok_shop.client(...), ...)``: builds
  the generated request model, signs (``TikTokAuth``), sends through the retrying transport, classifies the
  answer, raises typed errors from the envelope hook and parses the generated response model.
- **raw httpx**: ``httpx.Client.post`` of the exact bytes shipspec sent (method, URL with its signed query,
  headers, body; captured from a shipspec call and checked byte for byte), reading the answer's bytes. No
  signing, no parsing: the floor any client pays for the HTTP exchange with this server.
- **tiktok-shop-api** (PyPI, built on openapi-python-client + httpx like shipspec): its
  ``fulfillment.batch_ship_packages`` with its own signing and envelope check.

The sandbox re-seeds the packages (``add_package``, back to AWAITING_SHIPMENT) after every call, untimed, so
every call does the same server-side work: ship the packages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from shipspec_tiktok_shop import AuthenticatedClient
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import BatchShipPackagesRequest, ShipPackage, ShipPackageHandoverMethod
from tiktok_shop_api import TikTokShop
from tiktok_shop_api.generated.models.batch_ship_packages_request import (
    BatchShipPackagesRequest as PeerRequest,
)
from tiktok_shop_api.generated.models.batch_ship_packages_request_package import (
    BatchShipPackagesRequestPackage as PeerPackage,
)
from tiktok_shop_api.generated.models.batch_ship_packages_request_package_handover_method import (
    BatchShipPackagesRequestPackageHandoverMethod as PeerHandover,
)

from shipspec.carriers import tiktok_shop

from .report import Figure, Section
from .sandboxes import SandboxProcess
from .stats import Sample, interleaved, per_round_ratios, ratio

__all__ = ["run"]

PACKAGES_PER_CALL = 1
ROUNDS, QUICK_ROUNDS = 1500, 60
WARMUP_ROUNDS = 100
# TikTok accepts a signed timestamp up to 300 s old; recapture raw httpx's bytes well before that.
RECAPTURE_SECONDS = 60.0
TARGET_VS_RAW = 1.10
SHIPSPEC, RAW, PEER = "shipspec", "raw httpx", "tiktok-shop-api"


@dataclass(frozen=True)
class Captured:
    """The bytes of one signed shipspec request, and when they were signed."""

    method: str
    url: str
    headers: tuple[tuple[bytes, bytes], ...]  # as sent: names' case and order, Host and Content-Length
    body: bytes
    at: float

    def request(self) -> httpx.Request:
        """A new request of exactly these bytes."""
        return httpx.Request(self.method, self.url, headers=list(self.headers), content=self.body)

    def wire(self) -> tuple[str, bytes, tuple[tuple[bytes, bytes], ...], bytes]:
        return self.method, httpx.URL(self.url).raw_path, self.headers, self.body


def _capture(client: AuthenticatedClient, shop_cipher: str, ids: list[str]) -> Captured:
    """Make one (untimed) shipspec call and keep the request it sent, after signing."""
    seen: list[httpx.Request] = []
    httpx_client = client.get_httpx_client()
    hooks = httpx_client.event_hooks
    httpx_client.event_hooks = {**hooks, "request": [*hooks.get("request", []), seen.append]}
    try:
        _shipspec_call(client, shop_cipher, ids)
    finally:
        httpx_client.event_hooks = hooks
    request = seen[-1]
    return Captured(request.method, str(request.url), tuple(request.headers.raw), request.content, time.monotonic())


def _shipspec_call(client: AuthenticatedClient, shop_cipher: str, ids: list[str]) -> None:
    packages = [ShipPackage(id=package_id, handover_method=ShipPackageHandoverMethod.DROP_OFF) for package_id in ids]
    answer = batch_ship_packages.sync(
        client=client, body=BatchShipPackagesRequest(packages=packages), shop_cipher=shop_cipher
    )
    if answer is None or answer.code != 0 or answer.data is None or answer.data.errors:
        raise RuntimeError(f"shipspec call did not ship: {answer}")


def _peer_call(peer: TikTokShop, ids: list[str]) -> None:
    packages = [PeerPackage(id=package_id, handover_method=PeerHandover.DROP_OFF) for package_id in ids]
    answer = peer.fulfillment.batch_ship_packages(body=PeerRequest(packages=packages))
    if answer is None or answer.code != 0 or answer.data is None or answer.data.errors:
        raise RuntimeError(f"tiktok-shop-api call did not ship: {answer}")


def _timed(call: Callable[[], None]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def run(quick: bool = False) -> Section:
    """Measure the three sides interleaved and report medians and ratios."""
    rounds = QUICK_ROUNDS if quick else ROUNDS
    ids = [f"BENCH-{number:04d}" for number in range(PACKAGES_PER_CALL)]
    with SandboxProcess(("tiktok_shop",), validate=True) as sandboxes:
        settings = sandboxes.settings["tiktok_shop"]
        shop_cipher = settings["shop_cipher"]
        sandboxes.add_packages(ids)
        client = tiktok_shop.client(
            app_key=settings["app_key"],
            app_secret=settings["app_secret"],
            access_token=settings["access_token"],
            refresh_token=settings.get("refresh_token"),
            shop_cipher=shop_cipher,
            base_url=settings["base_url"],
            auth_base_url=settings["auth_base_url"],
        )
        peer = TikTokShop(
            settings["app_key"],
            settings["app_secret"],
            settings["access_token"],
            shop_cipher,
            base_url=settings["base_url"],
        )
        raw = httpx.Client()
        captured: list[Captured] = []

        def recapture() -> Captured:
            if not captured or time.monotonic() - captured[-1].at > RECAPTURE_SECONDS:
                fresh = _capture(client, shop_cipher, ids)
                sandboxes.add_packages(ids)
                check = fresh.request()
                sent = (check.method, check.url.raw_path, tuple(check.headers.raw), check.content)
                if sent != fresh.wire():
                    raise RuntimeError(f"raw httpx would not send shipspec's bytes: {sent} != {fresh.wire()}")
                captured.append(fresh)
            return captured[-1]

        def raw_call() -> float:
            request = recapture()
            started = time.perf_counter()
            response = raw.send(request.request())
            elapsed = time.perf_counter() - started
            if response.status_code != 200 or b'"errors":[]' not in response.content:
                raise RuntimeError(f"raw httpx call did not ship: {response.status_code} {response.content!r}")
            return elapsed

        try:
            samples = interleaved(
                {
                    SHIPSPEC: lambda: _timed(lambda: _shipspec_call(client, shop_cipher, ids)),
                    RAW: raw_call,
                    PEER: lambda: _timed(lambda: _peer_call(peer, ids)),
                },
                rounds=rounds,
                warmup=WARMUP_ROUNDS if not quick else 10,
                between=lambda: sandboxes.add_packages(ids),
            )
        finally:
            raw.close()
            peer.close()
            client.get_httpx_client().close()
    return _section(samples, rounds)


def _section(samples: dict[str, Sample], rounds: int) -> Section:
    ours, raw, peer = samples[SHIPSPEC], samples[RAW], samples[PEER]
    vs_raw, vs_peer = ratio(ours, raw), ratio(ours, peer)
    figures = [
        Figure("shipspec call", ours.describe(1000, " ms")),
        Figure("raw httpx, same bytes", raw.describe(1000, " ms")),
        Figure("tiktok-shop-api call", peer.describe(1000, " ms")),
        Figure(
            "shipspec / raw httpx",
            f"{vs_raw:.3f}× (per-round p25–p75 {per_round_ratios(ours, raw).spread(1, 3)})",
            f"≤ {TARGET_VS_RAW:.2f}×",
            vs_raw <= TARGET_VS_RAW,
        ),
        Figure(
            "shipspec / tiktok-shop-api",
            f"{vs_peer:.3f}× (per-round p25–p75 {per_round_ratios(ours, peer).spread(1, 3)})",
            "≤ 1.00× (no worse)",
            vs_peer <= 1.0,
        ),
        Figure("shipspec's own cost per call", f"{(ours.median - raw.median) * 1e6:.0f} µs over raw httpx"),
        Figure("tiktok-shop-api's own cost per call", f"{(peer.median - raw.median) * 1e6:.0f} µs over raw httpx"),
    ]
    method = (
        f"{rounds} interleaved rounds (after warm-up) of one Batch Ship Packages call per side, "
        f"{PACKAGES_PER_CALL} package per call, against one TikTok sandbox in a child process on 127.0.0.1 "
        "(faults off, request validation on, HTTP/1.1 keep-alive). Sides: shipspec's wired client "
        "(`shipspec.carriers.tiktok_shop.client` + the generated `batch_ship_packages.sync`); raw "
        "`httpx.Client.post` of the exact signed bytes shipspec sent (captured from a shipspec call, checked "
        "byte for byte, recaptured every minute to stay inside TikTok's 300 s timestamp window); and the PyPI "
        "peer `tiktok-shop-api` (`TikTokShop(...).fulfillment.batch_ship_packages`). Each call is timed from "
        "building the request model to the parsed answer; the sandbox re-seeds the package between calls "
        "(untimed) so each call ships it again."
    )
    return Section(
        key="overhead",
        title="1. Per-call overhead (TikTok Batch Ship Packages)",
        method=method,
        figures=figures,
        commands=[".venv/bin/python -m bench overhead"],
    )
