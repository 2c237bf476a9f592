"""Baaship through the carrier-neutral API: ship (forward and return), cancel, track, labels.

Exactly-once rests on Baaship's natural key: ``referenceNo`` (our ``reference``) is unique per customer, a
resend answers 1005, and ``getShipmentLabel?referenceNo=`` reads the earlier shipment back. After an uncertain
outcome (sent with no usable answer, or a transient failure the transport gave up on) the shipper looks the
reference up before it sends again: found means the earlier attempt shipped it, Baaship's 1004 means it did
not. At most ``RECONCILE_ROUNDS`` rounds, all within the shipment's deadline (``deadline_seconds``, see
``shipspec.deadline``): no send, lookup or pause starts past it. A shipment whose state is still unknown then
comes back ``pending``; one that was never sent, ``failed``.

The steps of one shipment are written once, as a generator that yields what to call (``_Send``, ``_Lookup``,
``_Pause``) and receives the answer or the typed error; a sync and an async driver run it.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import httpx
from shipspec_baaship import AuthenticatedClient
from shipspec_baaship.api.baaship import (
    cancel_shipment,
    create_shipment,
    get_shipment_label,
    get_tracking,
    reverse_shipment,
)
from shipspec_baaship.models import (
    CancelShipmentResponse,
    CreateShipmentRequest,
    CreateShipmentResponse,
    ReverseShipmentRequest,
    ReverseShipmentResponse,
    ShipmentLabelResponse,
    TrackingResponse,
)
from shipspec_baaship.types import Response
from shipspec_shipping_models import Shipment, ShipmentError, ShipmentResult, TrackingEvent

from ...config import CarrierSettings
from ...deadline import Deadline, bounded_by
from ...errors import (
    AlreadyDoneError,
    AmbiguousTimeoutError,
    CarrierError,
    ConnectError,
    InputError,
    NotFoundError,
    ResponseDecodeError,
    ShipspecError,
    UnknownCarrierError,
)
from ...pacing import pacer_from_settings
from ...retry import RetryPolicy
from ...secrets import redact
from ...settings import DEFAULT_DEADLINE_SECONDS, DEFAULT_TIMEOUT
from ...shipping.resend import inconclusive, judge, wait_before
from ...shipping.results import failed, normalized_error, pending
from ...transport import answers_are_final, apause, pause
from . import mapping
from .client import ENVIRONMENTS, client
from .labels import download_label

__all__ = ["DEFAULT_CONCURRENCY", "RECONCILE_ROUNDS", "BaashipShipper", "from_settings"]

CARRIER: Final = "baaship"
DEFAULT_CONCURRENCY: Final = 8
"""Calls at a time: Baaship ships one shipment per call and documents no rate limit; 8 keeps a batch of a few
thousand moving without looking like a flood (429s are honoured by the transport in any case)."""
RECONCILE_ROUNDS: Final = 5
"""Send/lookup rounds per shipment. Each round already carries the transport's own retries, so five rounds
ride out a long flaky spell; past that the state is reported ``pending`` and a later run resolves it by
reference (the lookup makes that safe)."""
LOOKUP_ATTEMPTS: Final = 10
"""Lookups per reconcile. A lookup is a safe read; an absent reference answers 1004, which the
getShipmentLabel table classes as ``retry``, so lookups run inside ``answers_are_final(1004)``: 1004 ends
the lookup at once as "absent" (the transport does not repeat it). A 1004 that was really a passing
"Interface exception" is harmless: the resend that follows answers 1005 if the shipment exists. Only
lost answers are repeated; ten tries make a run of inconclusive lookups rare even on a flaky line."""
NOT_FOUND_CODE: Final = 1004
"""getShipmentLabel's answer for a referenceNo it does not know (its table calls 1004 "Interface exception"
and lists no not-found code; /tracking's 1004 reads "does not exist", and the sandbox answers so too)."""
WAYBILL_MAX = 30  # cancelShipment, tracking and getShipmentLabel take at most 30 characters


@dataclass(frozen=True)
class _Send:
    request: CreateShipmentRequest | ReverseShipmentRequest


@dataclass(frozen=True)
class _Lookup:
    reference: str


@dataclass(frozen=True)
class _Pause:
    seconds: float


Step = _Send | _Lookup | _Pause
Answer = CreateShipmentResponse | ReverseShipmentResponse | ShipmentLabelResponse | ShipspecError | None
Plan = Generator[Step, Answer, ShipmentResult]
Lookup = Generator[Step, Answer, ShipmentLabelResponse | ShipspecError]
T = TypeVar("T")


def _not_found(error: ShipspecError) -> bool:
    if isinstance(error, NotFoundError):
        return True
    return isinstance(error, CarrierError) and error.code == NOT_FOUND_CODE


def _lookup(reference: str, attempts: int, policy: RetryPolicy, deadline: Deadline) -> Lookup:
    """Look a reference up (a safe read, retried): the label answer, or the last error (1004 = absent)."""
    found = _looked_up((yield _Lookup(reference)))
    for attempt in range(1, attempts):
        if isinstance(found, ShipmentLabelResponse) or _not_found(found) or not inconclusive(found):
            break
        if deadline.passed():
            break
        yield _Pause(deadline.cut(wait_before(found, attempt, policy)))
        if deadline.passed():
            break
        found = _looked_up((yield _Lookup(reference)))
    return found


def _ship_plan(
    shipment: Shipment, rounds: int, policy: RetryPolicy, deadline: Deadline, *, maybe_sent: bool = False
) -> Plan:
    """One shipment, exactly once: send; after an uncertain outcome look it up before sending again.

    ``maybe_sent``: an earlier run may have sent it (the journal recorded no answer): look it up first.
    """
    try:
        request = mapping.to_request(shipment)
    except InputError as problem:
        return failed(shipment, problem)
    operation = "reverseShipment" if isinstance(request, ReverseShipmentRequest) else "createShipment"
    uncertain: ShipspecError | None = None  # the last failure after which the shipment may exist
    if maybe_sent:
        uncertain = AmbiguousTimeoutError(
            "an earlier run sent it and recorded no answer", carrier=CARRIER, operation=operation
        )
    last: ShipspecError | None = None
    for round_number in range(1, rounds + 1):
        if last is not None and not deadline.passed():
            yield _Pause(deadline.cut(wait_before(last, round_number - 1, policy)))
        if deadline.passed():
            break
        if uncertain is not None:
            found = yield from _lookup(shipment.reference, LOOKUP_ATTEMPTS, policy, deadline)
            if isinstance(found, ShipmentLabelResponse):  # the uncertain attempt did create it
                return mapping.looked_up_result(shipment, found, "shipped")
            if not _not_found(found):
                why = f"sent, state unknown: {uncertain}; lookup failed: {found}"
                return pending(shipment, f"{why}; {deadline.why()}" if deadline.passed() else why)
            if deadline.passed():
                break
        answer = yield _Send(request)  # first send, or the uncertain one created nothing (1004)
        if isinstance(answer, CreateShipmentResponse | ReverseShipmentResponse):
            return mapping.created_result(shipment, answer)
        if not isinstance(answer, ShipspecError):
            raise RuntimeError(f"baaship: send answered {answer!r}")  # the drivers never do this
        if isinstance(answer, AlreadyDoneError):  # 1005: this referenceNo exists; read it back
            found = yield from _lookup(shipment.reference, LOOKUP_ATTEMPTS, policy, deadline)
            if isinstance(found, ShipmentLabelResponse):
                return mapping.looked_up_result(shipment, found, "already_shipped")
            if inconclusive(found) and not _not_found(found):
                return pending(shipment, f"referenceNo exists (1005); lookup failed: {found}")
            return _duplicate_unresolved(shipment, answer, found)
        if not inconclusive(answer):
            return failed(shipment, answer)
        last = answer
        if judge(answer, operation)[1]:  # the send may have created it: look it up before another
            uncertain = answer
    if uncertain is None:  # no attempt reached Baaship, or each was refused before creating anything
        return failed(shipment, last or _not_sent(deadline))
    when = deadline.why() if deadline.passed() else f"after {rounds} sends"
    return pending(shipment, f"state unknown {when}: {uncertain}")


def _not_sent(deadline: Deadline) -> ConnectError:
    return ConnectError(f"not sent: {deadline.why()}", carrier=CARRIER, operation="createShipment")


def _looked_up(answer: Answer) -> ShipmentLabelResponse | ShipspecError:
    if isinstance(answer, ShipmentLabelResponse | ShipspecError):
        return answer
    raise RuntimeError(f"baaship: lookup answered {answer!r}")  # the drivers never do this


def _duplicate_unresolved(
    shipment: Shipment, duplicate: AlreadyDoneError, lookup: ShipspecError
) -> ShipmentResult:
    """1005 whose lookup failed for good: failed, code 1005, kind unknown, the lookup's word appended."""
    why = f"{duplicate.message}; lookup by referenceNo failed: {lookup}"
    error = UnknownCarrierError(
        carrier=CARRIER,
        operation=duplicate.operation,
        code=duplicate.code,
        message=why,
        request_id=duplicate.request_id,
    )
    return failed(shipment, error)


def _parsed(response: Response[Any], expected: type[T], operation: str) -> T:
    """The success model, or ResponseDecodeError when the answer did not parse as the documented success."""
    if isinstance(response.parsed, expected):
        return response.parsed
    raise ResponseDecodeError(
        "answer does not have the documented success shape",
        carrier=CARRIER,
        operation=operation,
        http_status=int(response.status_code),
        body_excerpt=redact(response.content[:200].decode("utf-8", "replace")),
    )


class BaashipShipper:
    """Shipper, Returner, Canceller, Tracker and Labeler for Baaship on one wired client."""

    def __init__(
        self,
        api: AuthenticatedClient,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rounds: int = RECONCILE_ROUNDS,
        policy: RetryPolicy | None = None,
        label_timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        label_transport: httpx.BaseTransport | None = None,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        if concurrency < 1 or rounds < 1 or deadline <= 0:
            raise ValueError("concurrency and rounds must be at least 1, the deadline more than 0 s")
        self._deadline = deadline
        self._api = api
        self._concurrency = concurrency
        self._rounds = rounds
        self._policy = policy or RetryPolicy()
        self._label_timeout = label_timeout
        self._label_transport = label_transport  # None: the network (tests pass a mock transport)

    @property
    def carrier(self) -> str:
        return CARRIER

    @property
    def batch_size(self) -> int:
        return 1  # one shipment per createShipment call

    @property
    def concurrency(self) -> int:
        return self._concurrency

    @property
    def deadline_seconds(self) -> float:
        """Seconds one shipment may take in all (sends, lookups, resends, pauses)."""
        return self._deadline

    # ------------------------------------------------------------------ shipping

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        """One result per shipment, in order (forward or, with ``reverse`` true, return shipments)."""
        return self._ship_each(shipments, maybe_sent=False)

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return await self._aship_each(shipments, maybe_sent=False)

    def reconcile_batch(self, shipments: Sequence[Shipment], batch_id: str | None) -> list[ShipmentResult]:
        """Shipments an earlier run may have sent: looked up by referenceNo first, sent only when absent."""
        return self._ship_each(shipments, maybe_sent=True)

    async def areconcile_batch(
        self, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]:
        return await self._aship_each(shipments, maybe_sent=True)

    def _ship_each(self, shipments: Sequence[Shipment], *, maybe_sent: bool) -> list[ShipmentResult]:
        """Each shipment's plan, one after another, each within its own deadline."""
        results = []
        for shipment in shipments:
            deadline = Deadline(self._deadline)
            plan = _ship_plan(shipment, self._rounds, self._policy, deadline, maybe_sent=maybe_sent)
            with bounded_by(deadline):
                results.append(self._run(plan))
        return results

    async def _aship_each(self, shipments: Sequence[Shipment], *, maybe_sent: bool) -> list[ShipmentResult]:
        results = []
        for shipment in shipments:
            deadline = Deadline(self._deadline)
            plan = _ship_plan(shipment, self._rounds, self._policy, deadline, maybe_sent=maybe_sent)
            with bounded_by(deadline):
                results.append(await self._arun(plan))
        return results

    def ship_return(self, shipment: Shipment) -> ShipmentResult:
        """Ship ``shipment`` as a return (reverseShipment), whatever its ``reverse`` flag says."""
        return self.ship_batch([shipment.model_copy(update={"reverse": True})])[0]

    def _run(self, plan: Plan) -> ShipmentResult:
        try:
            step = next(plan)
            while True:
                step = plan.send(self._call(step))
        except StopIteration as done:
            result: ShipmentResult = done.value
            return result

    async def _arun(self, plan: Plan) -> ShipmentResult:
        try:
            step = next(plan)
            while True:
                step = plan.send(await self._acall(step))
        except StopIteration as done:
            result: ShipmentResult = done.value
            return result

    def _call(self, step: Step) -> Answer:
        try:
            if isinstance(step, _Pause):
                pause(step.seconds)
                return None
            if isinstance(step, _Lookup):
                with answers_are_final(NOT_FOUND_CODE):
                    found = get_shipment_label.sync_detailed(client=self._api, reference_no=step.reference)
                return _parsed(found, ShipmentLabelResponse, "getShipmentLabel")
            if isinstance(step.request, ReverseShipmentRequest):
                made = reverse_shipment.sync_detailed(client=self._api, body=step.request)
                return _parsed(made, ReverseShipmentResponse, "reverseShipment")
            sent = create_shipment.sync_detailed(client=self._api, body=step.request)
            return _parsed(sent, CreateShipmentResponse, "createShipment")
        except ShipspecError as error:
            return error

    async def _acall(self, step: Step) -> Answer:
        try:
            if isinstance(step, _Pause):
                await apause(step.seconds)
                return None
            if isinstance(step, _Lookup):
                reference = step.reference
                with answers_are_final(NOT_FOUND_CODE):
                    found = await get_shipment_label.asyncio_detailed(
                        client=self._api, reference_no=reference
                    )
                return _parsed(found, ShipmentLabelResponse, "getShipmentLabel")
            if isinstance(step.request, ReverseShipmentRequest):
                made = await reverse_shipment.asyncio_detailed(client=self._api, body=step.request)
                return _parsed(made, ReverseShipmentResponse, "reverseShipment")
            sent = await create_shipment.asyncio_detailed(client=self._api, body=step.request)
            return _parsed(sent, CreateShipmentResponse, "createShipment")
        except ShipspecError as error:
            return error

    # ------------------------------------------------------------------ cancel, track, labels

    def cancel(self, tracking_number: str) -> ShipmentResult:
        """Cancel by waybill; the result describes the cancel call (its ``reference`` is the waybill).

        ShipmentResult has no "cancelled" status, so the statuses keep their general meaning: ``shipped`` =
        done by this call, ``failed`` = not done (see ``error``), ``pending`` = sent with no answer.
        cancelShipment is not safe to resend (a second cancel may answer 1004): an uncertain cancel is not
        resent.
        """
        try:
            _check_waybill("tracking_number", tracking_number)
            with answers_are_final(NOT_FOUND_CODE):  # 1004: most likely unknown or cancelled (see below)
                sent = cancel_shipment.sync_detailed(client=self._api, waybill=tracking_number)
            return mapping.cancelled_result(tracking_number, _parsed(sent, CancelShipmentResponse, "cancel"))
        except (AmbiguousTimeoutError, ResponseDecodeError) as unknown:
            why = AmbiguousTimeoutError(
                f"cancel sent, outcome unknown (not resent): {unknown}", carrier=CARRIER, operation="cancel"
            )
            return ShipmentResult(
                reference=tracking_number,
                carrier=CARRIER,
                status="pending",
                error=normalized_error(CARRIER, why),
            )
        except ShipspecError as error:
            return ShipmentResult(
                reference=tracking_number,
                carrier=CARRIER,
                status="failed",
                error=_cancel_refused(tracking_number, error),
            )

    def track(self, tracking_number: str) -> list[TrackingEvent]:
        """Tracking events of a waybill, newest first; typed errors (1004 → NotFoundError) are raised."""
        _check_waybill("tracking_number", tracking_number)
        answer = get_tracking.sync_detailed(client=self._api, waybill=tracking_number)
        return mapping.tracking_events(_parsed(answer, TrackingResponse, "getTracking"), tracking_number)

    def label_url(self, *, tracking_number: str | None = None, reference: str | None = None) -> str:
        """The label URL of a shipment found by waybill or by reference (exactly one of them).

        Baaship answers 1004 for an unknown waybill or referenceNo (its table calls 1004 "Interface
        exception"): that is raised at once as ``NotFoundError`` (code 1004), not retried.
        """
        if (tracking_number is None) == (reference is None):
            raise InputError({"tracking_number": "give exactly one of tracking_number and reference"})
        field, value = (
            ("tracking_number", tracking_number) if tracking_number is not None else ("reference", reference)
        )
        _check_waybill(field, str(value))
        try:
            with answers_are_final(NOT_FOUND_CODE):
                if tracking_number is not None:
                    answer = get_shipment_label.sync_detailed(client=self._api, waybill=tracking_number)
                else:
                    answer = get_shipment_label.sync_detailed(client=self._api, reference_no=str(reference))
        except CarrierError as error:
            if error.code != NOT_FOUND_CODE:
                raise
            raise NotFoundError(
                carrier=CARRIER,
                operation="getShipmentLabel",
                code=NOT_FOUND_CODE,
                message=f"no shipment with this {field} (Baaship answered 1004: {error.message})",
                request_id=error.request_id,
            ) from None
        label = _parsed(answer, ShipmentLabelResponse, "getShipmentLabel")
        url = mapping.label_of(label)
        if url is None:
            raise UnknownCarrierError(
                carrier=CARRIER, operation="getShipmentLabel", code=None, message="answer has no labelUrl"
            )
        return url

    def label_pdf(self, *, tracking_number: str | None = None, reference: str | None = None) -> bytes:
        """The label's PDF bytes, downloaded from its labelUrl (no token sent: the URL is a plain link).

        Retried like any read (connection failures, timeouts, 5xx), capped at ``labels.MAX_LABEL_BYTES``.
        """
        url = self.label_url(tracking_number=tracking_number, reference=reference)
        if not url.startswith(("https://", "http://")):
            raise UnknownCarrierError(
                carrier=CARRIER, operation="labelPdf", code=None, message="labelUrl is not an http(s) URL"
            )
        return download_label(
            url, timeout=self._label_timeout, transport=self._label_transport, policy=self._policy
        )

    def close(self) -> None:
        """Close the sync HTTP connections."""
        self._api.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async HTTP connections."""
        await self._api.get_async_httpx_client().aclose()


def _check_waybill(path: str, value: str) -> None:
    if not value or len(value) > WAYBILL_MAX:
        raise InputError({path: f"must be 1 to {WAYBILL_MAX} characters for baaship"})


def _cancel_refused(waybill: str, error: ShipspecError) -> ShipmentError:
    """Why a cancel failed. Baaship documents no "unknown waybill" or "already cancelled" code for
    cancelShipment and answers 1004 "Interface exception." to both (the spec's note), so the cancel takes
    1004 at once (not after seconds of retries) and words it as what it most likely means, with kind
    ``unknown`` rather than ``retry``: a blind retry would only get 1004 again."""
    shown = normalized_error(CARRIER, error)
    if not (isinstance(error, CarrierError) and str(error.code) == str(NOT_FOUND_CODE)):
        return shown
    likely = (
        f"Baaship answered 1004 (Interface exception): waybill {waybill} most likely does not exist or is "
        "already cancelled (Baaship has no code for either), or Baaship failed for a moment; "
        f"`shipspec track {waybill} --carrier baaship` shows what Baaship knows of it"
    )
    return shown.model_copy(update={"kind": "unknown", "message": likely})


def from_settings(settings: Mapping[str, str]) -> BaashipShipper:
    """Build the shipper from ``config.SETTINGS["baaship"]``: token, environment, base_url, concurrency and
    deadline_seconds."""
    read = CarrierSettings(CARRIER, settings)
    token = read.required("token")
    environment = read.optional("environment") or "test"
    if environment not in ENVIRONMENTS:
        raise read.error("environment", f"must be one of {', '.join(sorted(ENVIRONMENTS))}")
    concurrency = read.positive_int("concurrency", DEFAULT_CONCURRENCY)
    deadline = read.deadline()
    api = client(
        token=token,
        environment="production" if environment == "production" else "test",
        base_url=read.optional("base_url"),
        pacer=pacer_from_settings(read),
        concurrency=concurrency,
    )
    return BaashipShipper(api, concurrency=concurrency, deadline=deadline)
