"""``TikTokShipper``: ships Shipments through Batch Ship Packages, exactly once, sync and async.

Capabilities: ``Shipper`` only. Our TikTok spec has no tracking, label, cancel or return operation (Get
Package Detail, shipping documents and cancellations are other APIs), so the shipper does not claim them.

One ``ship_batch`` call (up to ``batch_size`` Shipments) is ONE Batch Ship Packages request per round:

1. Each Shipment is checked and mapped first (``mapping.to_package``); a bad one fails with the neutral field
   path and is never sent. Shipments that name the same package are all rejected.
2. Round: send the packages still open. A code-0 answer gives one outcome per package
   (``package_outcomes``): shipped, already_shipped (21011040 / 21011027) or failed; a package failed with a
   ``retry`` kind stays open for the next round.
3. A call with no usable answer (timeout, reset, bare 5xx, HTML or broken JSON) may or may not have shipped
   the packages: they stay open and are marked *uncertain*, and the whole batch is sent again. That is safe
   by the spec's ``x-idempotency`` (``already_done_code``): a package shipped by the lost attempt answers
   21011040 and becomes ``already_shipped``. A retryable answer (``retry`` kind, a short rate limit,
   a connection that never reached the server) is resent the same way.
4. A call refused as a whole (auth, bad request, daily quota) ends the batch: ``failed`` for its packages,
   or ``pending`` for those an earlier round left uncertain (the refusal says nothing about them).
5. At most ``max_rounds`` rounds, within the deadline of the request's Shipments (``deadline_seconds``, see
   ``shipspec.deadline``: no round or pause starts past it); what is still open then is ``pending`` if
   uncertain, else ``failed``.

Limits: TikTok documents no maximum number of packages per request (the spec's ``x-limits`` say unknown), so
``batch_size`` defaults to 50, a conservative guess; set it with the ``batch_size`` setting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final, Literal

from shipspec_shipping_models import Shipment, ShipmentResult
from shipspec_tiktok_shop import AuthenticatedClient
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import BatchShipPackagesRequest, BatchShipPackagesResponse, ShipPackage
from shipspec_tiktok_shop.operations import SERVERS
from shipspec_tiktok_shop.types import Response

from ...config import CarrierSettings
from ...deadline import Deadline, bounded_by
from ...errors import ConnectError, InputError, ShipspecError
from ...pacing import pacer_from_settings
from ...retry import RetryPolicy
from ...secrets import Secret
from ...settings import DEFAULT_DEADLINE_SECONDS
from ...shipping.reconcile import ResendToReconcile
from ...shipping.resend import decode_problem, judge
from ...shipping.tuning import BatchTuning
from ...tokens import store_from_settings
from ...transport import apause, pause
from . import mapping
from .client import client as tiktok_client
from .outcomes import package_outcomes
from .tokens import AUTH_BASE_URL

DEFAULT_BATCH_SIZE: Final = 50
"""Packages per request. TikTok publishes no maximum (spec ``x-limits``: unknown); 50 is a cautious guess."""
DEFAULT_CONCURRENCY: Final = 2
"""Batch calls at once: TikTok's rate limit is per app and shop and unpublished, so stay gentle."""
MAX_ROUNDS: Final = 5
"""Requests per ship_batch at most: each is already retried by the transport, so five rounds ride out
several lost answers in a row without hammering a carrier that is down."""

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_CONCURRENCY", "MAX_ROUNDS", "TikTokShipper", "from_settings"]


@dataclass
class _Open:
    """A Shipment still waiting for its final answer."""

    index: int
    shipment: Shipment
    package: ShipPackage
    uncertain: bool = False  # a lost answer may have shipped it
    last_error: ShipspecError | None = None


@dataclass
class _Run:
    """The state of one ship_batch call; the sync and async loops only do the sending."""

    shipments: Sequence[Shipment]
    max_rounds: int
    deadline: Deadline
    results: list[ShipmentResult | None] = field(init=False)
    open: list[_Open] = field(init=False, default_factory=list)
    rounds: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.results = [None] * len(self.shipments)
        duplicates = mapping.duplicate_package_problems(self.shipments)
        for index, shipment in enumerate(self.shipments):
            try:
                if index in duplicates:
                    raise duplicates[index]
                package = mapping.to_package(shipment)
            except InputError as exc:
                self.results[index] = mapping.failed_result(shipment, exc)
            else:
                self.open.append(_Open(index, shipment, package))

    def next_request(self) -> BatchShipPackagesRequest | None:
        """The body of the next round, or None when every Shipment has its answer or the rounds are spent."""
        if not self.open or self.rounds >= self.max_rounds or self.deadline.passed():
            return None
        self.rounds += 1
        return mapping.to_request([slot.package for slot in self.open])

    def answered(self, response: Response[BatchShipPackagesResponse]) -> None:
        """A code-0 answer: settle each package by its outcome; retryable package failures stay open."""
        ids = [slot.package.id for slot in self.open]
        try:
            outcomes = package_outcomes(ids, response.content)
        except ShipspecError as exc:
            self.failed(exc)
            return
        request_id = _request_id(response)
        still_open = []
        for slot, outcome in zip(self.open, outcomes, strict=True):
            if outcome.status == "failed" and outcome.kind == "retry":
                slot.uncertain = True  # "system timeout" on one package: it may have gone through
                slot.last_error = mapping.outcome_error(outcome, request_id)
                still_open.append(slot)
            else:
                self.results[slot.index] = mapping.result_of(slot.shipment, outcome, request_id)
        self.open = still_open

    def failed(self, error: ShipspecError) -> None:
        """A round without per-package answers: keep the packages open to resend, or settle them all."""
        resend, maybe_shipped = judge(error, mapping.OPERATION)
        if resend:
            for slot in self.open:
                slot.uncertain = slot.uncertain or maybe_shipped
                slot.last_error = error
            return
        for slot in self.open:
            self.results[slot.index] = self._final(slot, error)
        self.open = []

    def finish(self) -> list[ShipmentResult]:
        """One result per input, in order; open Shipments are pending (uncertain) or failed."""
        for slot in self.open:
            error = slot.last_error or ConnectError(  # no round was sent: the deadline passed first
                f"not sent: {self.deadline.why()}", carrier=mapping.CARRIER, operation=mapping.OPERATION
            )
            self.results[slot.index] = self._final(slot, error)
        self.open = []
        done = [result for result in self.results if result is not None]
        assert len(done) == len(self.shipments)
        return done

    def pause_before(self) -> float:
        """Seconds to wait before the current round (none before the first)."""
        return 0.0 if self.rounds <= 1 else self.deadline.cut(RetryPolicy().backoff(self.rounds - 1))

    @staticmethod
    def _final(slot: _Open, error: ShipspecError) -> ShipmentResult:
        if slot.uncertain:
            why = "an earlier attempt got no usable answer and the outcome could not be learnt"
            return mapping.pending_result(slot.shipment, why, error)
        return mapping.failed_result(slot.shipment, error)


def _request_id(response: Response[BatchShipPackagesResponse]) -> str | None:
    parsed = response.parsed
    value = parsed.request_id if parsed is not None else None
    return value if isinstance(value, str) else None


class TikTokShipper(ResendToReconcile, BatchTuning):
    """Ships TikTok Shop packages of one shop (see the module docstring for the exactly-once rounds).

    ``client`` is a wired client from ``shipspec.carriers.tiktok_shop.client`` bound to ``shop_cipher``.
    """

    def __init__(
        self,
        client: AuthenticatedClient,
        *,
        shop_cipher: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_rounds: int = MAX_ROUNDS,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        super().__init__(
            batch_size=batch_size, concurrency=concurrency, max_rounds=max_rounds, deadline=deadline
        )
        self._client = client
        self._shop_cipher = shop_cipher

    def __repr__(self) -> str:
        return f"TikTokShipper(shop_cipher={self._shop_cipher!r}, batch_size={self._batch_size})"

    @property
    def carrier(self) -> Literal["tiktok_shop"]:
        return mapping.CARRIER

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        """Ship up to ``batch_size`` Shipments in one request per round; one result per input, in order.

        More than ``batch_size`` are shipped in consecutive chunks of ``batch_size``.
        """
        return [result for chunk in self._chunks(shipments) for result in self._ship_chunk(chunk)]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        """Async ``ship_batch`` over the generated client's asyncio calls."""
        results: list[ShipmentResult] = []
        for chunk in self._chunks(shipments):
            results += await self._aship_chunk(chunk)
        return results

    def _ship_chunk(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        run = _Run(shipments, self._max_rounds, Deadline(self._deadline))
        with bounded_by(run.deadline):
            return self._send_rounds(run)

    def _send_rounds(self, run: _Run) -> list[ShipmentResult]:
        while (body := run.next_request()) is not None:
            pause(run.pause_before())
            try:
                response = batch_ship_packages.sync_detailed(
                    client=self._client, body=body, shop_cipher=self._shop_cipher
                )
            except ShipspecError as exc:
                run.failed(exc)
            except (ValueError, KeyError, TypeError) as exc:
                run.failed(decode_problem(exc, mapping.CARRIER, mapping.OPERATION))
            else:
                run.answered(response)
        return run.finish()

    async def _aship_chunk(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        run = _Run(shipments, self._max_rounds, Deadline(self._deadline))
        with bounded_by(run.deadline):
            return await self._asend_rounds(run)

    async def _asend_rounds(self, run: _Run) -> list[ShipmentResult]:
        while (body := run.next_request()) is not None:
            await apause(run.pause_before())
            try:
                response = await batch_ship_packages.asyncio_detailed(
                    client=self._client, body=body, shop_cipher=self._shop_cipher
                )
            except ShipspecError as exc:
                run.failed(exc)
            except (ValueError, KeyError, TypeError) as exc:
                run.failed(decode_problem(exc, mapping.CARRIER, mapping.OPERATION))
            else:
                run.answered(response)
        return run.finish()

    def close(self) -> None:
        """Close the sync HTTP connections."""
        self._client.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async HTTP connections."""
        await self._client.get_async_httpx_client().aclose()

    def __enter__(self) -> TikTokShipper:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _chunks(self, shipments: Sequence[Shipment]) -> list[Sequence[Shipment]]:
        size = self._batch_size
        return [shipments[start : start + size] for start in range(0, len(shipments), size)]


def from_settings(settings: Mapping[str, str]) -> TikTokShipper:
    """Build the shipper from ``config.SETTINGS["tiktok_shop"]`` names (errors name settings, never values).

    Required: ``app_key``, ``app_secret``, ``shop_cipher``, and ``access_token`` unless the token store
    already holds this app's tokens. With ``token_store`` (a Redis URL) the tokens live in a
    ``RedisTokenStore`` shared by processes on several machines, with ``token_dir`` in a ``FileTokenStore``
    shared by the processes of one host. A stored record refreshed from the configured tokens wins over
    them; only the tokens of a new authorization (another ``refresh_token``) replace it (``tokens.py``
    docstring).
    """
    read = CarrierSettings(mapping.CARRIER, settings, trim=True)
    app_key = read.required("app_key")
    app_secret = read.required("app_secret")
    shop_cipher = read.required("shop_cipher")
    access_token = read.optional("access_token")
    refresh_token = read.optional("refresh_token")
    store = store_from_settings(read)
    # Without an access_token there is nothing to seed the store with: it must hold this app's tokens
    # (under the client's default key).
    if access_token is None and (store is None or store.load(f"{mapping.CARRIER}.{app_key}") is None):
        if store is None:
            where = " (or a token_store or token_dir that holds its tokens)"
        else:
            where = f" ({'token_store' if read.optional('token_store') else 'token_dir'} holds none)"
        raise read.error("access_token", f"is required{where}")
    wired = tiktok_client(
        app_key=app_key,
        app_secret=Secret(app_secret),
        access_token=Secret(access_token) if access_token else None,
        refresh_token=Secret(refresh_token) if refresh_token else None,
        shop_cipher=shop_cipher,
        store=store,
        base_url=read.optional("base_url") or SERVERS[0],
        auth_base_url=read.optional("auth_base_url") or AUTH_BASE_URL,
        pacer=pacer_from_settings(read),
        concurrency=DEFAULT_CONCURRENCY,
    )
    return TikTokShipper(
        wired,
        shop_cipher=shop_cipher,
        batch_size=read.positive_int("batch_size", DEFAULT_BATCH_SIZE),
        deadline=read.deadline(),
    )
