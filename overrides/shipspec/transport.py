"""httpx transports that retry by policy: ``RetryingTransport`` (sync) and ``AsyncRetryingTransport``.

They wrap the real transport (``httpx.HTTPTransport`` by default, any other in tests) for one carrier. Per
request: find the operation in the carrier's tables, read the body once (the same bytes are re-sent on every
attempt, so a signature over them stays valid), send, read the answer, ``classify()`` it and ask
``shipspec.retry`` whether to go again.

- A success, or a business error that retrying cannot fix (auth, refresh_token, invalid_request ...), is
  returned as the response: the auth flow (token refresh) and the event hook (typed errors) act on it.
- httpx errors become typed: connect failures (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``,
  ``ProxyError``: nothing reached the server) are retried; failures after the request was sent
  (``ReadTimeout``, ``WriteTimeout``, ``ReadError``, ``WriteError``, ``RemoteProtocolError``, ``CloseError``)
  are retried only for ``safe`` operations, otherwise ``AmbiguousTimeoutError`` is raised at once.
- Each attempt has a deadline (``attempt_bound``: connect + read of the request's timeout, capped by
  ``settings.MAX_ATTEMPT_SECONDS``), because httpx's timeouts bound each read, not a whole answer. The body
  is read piece by piece through ``response.read()`` (same decoding, same errors); an answer not complete by
  the deadline is dropped as an httpx ``ReadTimeout``, i.e. ``AmbiguousTimeoutError``, retried only for
  ``safe`` operations like any other read timeout.
- With a pacer (``shipspec.pacing``: a carrier's ``rate_limit``/``rate_store``), every attempt first waits
  for a slot, and an answer that asks the carrier's callers to hold off (Retry-After, 429, a short-term
  quota code) pauses every user of that pacer. Without one (the default) nothing is waited for.
- When retrying stops (attempts used up, a Retry-After beyond the cap, an ambiguous failure of an unsafe
  operation), the last typed error is raised from the transport.
- A connection that breaks while the request's head is being written (a kept-alive connection the server or
  the pool closed: httpcore then reads anyway and reports a ``ReadError``) is a ``ConnectError``, not an
  ambiguous failure: a server cannot act on a request whose head it never received in full. httpcore's
  ``trace`` extension tells (``http11.send_request_headers.failed``).
- Inside a shipment's deadline (``shipspec.deadline``) each attempt's timeouts and deadline are cut to the
  time left, no attempt starts and no retry waits past it. Inside a run's carrier circuit
  (``shipspec.circuit``) each attempt asks it first (a refused request is never sent; while the carrier's
  credentials are unproven, it waits for the probe in flight, within the deadline) and tells it what came
  of the attempt: any answer means the carrier was reached; a connection failure, that it was not.

The transport leaves its verdict on the response (``CLASSIFICATION_EXTENSION``); the event hook and the auth
flows read it through ``classified()`` rather than parsing and classifying the same body again (found by
``make bench``: three JSON parses of every answer were a measurable share of a call's own cost).

A caller that knows better than the table for one request (WeChat ``stable_token`` with
``force_refresh=true`` is marked ``safe`` but must not be resent) sets
``request.extensions[STRATEGY_EXTENSION] = "unsafe"``. Retries are logged at DEBUG on the ``shipspec``
logger, whose ``RedactingFilter`` masks credentials.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

import anyio
import httpx

from . import settings
from .circuit import Circuit, current_circuit
from .classify import classify, classify_json
from .deadline import Deadline, current_deadline
from .errors import (
    AmbiguousTimeoutError,
    CarrierError,
    ConnectError,
    ResponseDecodeError,
    ShipspecError,
    TransportError,
)
from .pacing import Pacer, Ticket, atake_slot, hold_seconds, take_slot
from .retry import RetryPolicy, is_retryable
from .secrets import redact
from .spec_tables import CarrierTables, tables_for

__all__ = [
    "ANSWER_JSON_EXTENSION",
    "CARRIER_EXTENSION",
    "CLASSIFICATION_EXTENSION",
    "OPERATION_EXTENSION",
    "STRATEGY_EXTENSION",
    "AsyncRetryingTransport",
    "RetryingTransport",
    "Target",
    "answers_are_final",
    "apause",
    "attempt_bound",
    "classified",
    "pause",
    "target_of",
]

CARRIER_EXTENSION: Final = "shipspec.carrier"
"""Response extension: the carrier id (read by ``shipspec.hooks``)."""
OPERATION_EXTENSION: Final = "shipspec.operation"
"""Response extension: the operationId the request was matched to."""
STRATEGY_EXTENSION: Final = "shipspec.idempotency"
"""Request extension: an idempotency strategy that overrides the table's for this one request."""
CLASSIFICATION_EXTENSION: Final = "shipspec.classification"
"""Response extension: ``classify()``'s verdict on the answer (its typed error, or None for a success)."""
ANSWER_JSON_EXTENSION: Final = "spec_answer_json"
"""Response extension the generated parsers read (``checks.answer_json``, the same in every generated
package): a success's JSON as ``classify()`` decoded it, so the parser does not decode it again."""

logger = logging.getLogger("shipspec")

_FINAL_CODES: ContextVar[frozenset[str]] = ContextVar("shipspec_final_codes", default=frozenset())


@contextmanager
def answers_are_final(*codes: int | str) -> Iterator[None]:
    """Within the block (this thread or task), a carrier answer with one of ``codes`` is not retried.

    For a caller that reads a code differently from the spec's table for one call. Baaship's
    getShipmentLabel lists 1004 as "Interface exception" (retry), yet it is also its answer for an unknown
    referenceNo or waybill: a lookup takes 1004 as "absent" at once instead of after the transport's retries.
    """
    token = _FINAL_CODES.set(_FINAL_CODES.get() | {str(code) for code in codes})
    try:
        yield
    finally:
        _FINAL_CODES.reset(token)


def _final(error: ShipspecError) -> bool:
    return isinstance(error, CarrierError) and str(error.code) in _FINAL_CODES.get()


_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.CloseError,
)


@dataclass(frozen=True)
class Target:
    """What a request is for: the carrier's tables, the operation and its idempotency strategy."""

    tables: CarrierTables
    operation_id: str
    strategy: str

    @property
    def label(self) -> str:
        return f"{self.tables.carrier}.{self.operation_id}"


def target_of(carrier: str, request: httpx.Request) -> Target:
    """Match a request to its operation; an unmatched one is named ``METHOD /path`` and treated as unsafe."""
    tables = tables_for(carrier)
    operation = tables.operation_for(request.method, request.url.path)
    if operation is None:
        operation_id, strategy = f"{request.method} {request.url.path}", "unsafe"
    else:
        operation_id, strategy = operation.operation_id, operation.idempotency.strategy
    override = request.extensions.get(STRATEGY_EXTENSION)
    return Target(tables, operation_id, override if isinstance(override, str) else strategy)


def classified(
    response: httpx.Response, tables: CarrierTables, operation_id: str
) -> CarrierError | ResponseDecodeError | None:
    """What a read answer means: the transport's verdict when it left one, else ``classify()`` it now."""
    if CLASSIFICATION_EXTENSION in response.extensions:
        verdict = response.extensions[CLASSIFICATION_EXTENSION]
        if verdict is None or isinstance(verdict, CarrierError | ResponseDecodeError):
            return verdict
    return classify(tables, operation_id, response.status_code, response.headers, response.content)


def pause(delay: float) -> None:
    """Sleep before a retry, unless the instant-backoff switch is on."""
    if delay > 0 and not settings.backoff_is_instant():
        time.sleep(delay)


async def apause(delay: float) -> None:
    """Async ``pause`` (anyio, so it runs under asyncio and trio alike)."""
    if delay > 0 and not settings.backoff_is_instant():
        await anyio.sleep(delay)


def attempt_bound(request: httpx.Request) -> float:
    """Seconds one attempt has to get its whole answer: connect + read of the request's timeout, capped.

    A request without a timeout (None, or built outside a client) gets ``settings.MAX_ATTEMPT_SECONDS``.
    """
    timeout = request.extensions.get("timeout")
    if not isinstance(timeout, dict):
        return settings.MAX_ATTEMPT_SECONDS
    connect, read = timeout.get("connect"), timeout.get("read")
    if connect is None or read is None:
        return settings.MAX_ATTEMPT_SECONDS
    return min(float(connect) + float(read), settings.MAX_ATTEMPT_SECONDS)


class _Attempts:
    """The retry bookkeeping shared by the sync and async transports."""

    def __init__(
        self, target: Target, policy: RetryPolicy, request: httpx.Request, pacer: Pacer | None = None
    ) -> None:
        self.target = target
        self.policy = policy
        self.request = request
        self.pacer = pacer
        self.full_bound = attempt_bound(request)
        self.bound = self.full_bound
        self.number = 0
        self.started = 0.0
        self.paced = 0.0  # seconds waited for the pacer so far, over every attempt
        self.ticket: Ticket | None = None  # the pacer's slot of the attempt in flight
        self.deadline: Deadline | None = current_deadline()
        self.circuit: Circuit | None = current_circuit()
        self.probe = False  # this attempt is the circuit's probe: it must leave it when the attempt is over
        timeout = request.extensions.get("timeout")
        self._timeout: dict[str, float | None] = (
            dict(timeout) if isinstance(timeout, dict) else dict.fromkeys(_TIMEOUT_KEYS)
        )
        self.head = _HeadWatch(request.extensions.get("trace"))

    def _pacing_budget(self) -> float:
        """Seconds this request may still wait for the pacer: what is left of its share and its deadline."""
        budget = settings.MAX_PACING_WAIT_SECONDS - self.paced
        return budget if self.deadline is None else min(budget, max(self.deadline.left(), 0.0))

    def _ticket(self) -> Ticket:
        """The next attempt's place in the pacer's window; it waits its answer no longer than this."""
        left = self.full_bound if self.deadline is None else min(self.full_bound, self.deadline.left())
        self.ticket = Ticket.new(max(left, _SHORTEST_WAIT))
        return self.ticket

    def pace(self) -> None:
        """Wait for the pacer's slot before an attempt (no pacer: at once)."""
        if self.pacer is not None:
            budget = self._pacing_budget()
            carrier, operation = self.target.tables.carrier, self.target.operation_id
            self.paced += take_slot(self.pacer, budget, carrier, operation, self._ticket())

    async def apace(self) -> None:
        """Async ``pace``."""
        if self.pacer is not None:
            budget = self._pacing_budget()
            carrier, operation = self.target.tables.carrier, self.target.operation_id
            self.paced += await atake_slot(self.pacer, budget, carrier, operation, self._ticket())

    def answered(self) -> None:
        """The attempt is over (answered or failed): its slot counts one period more, then frees."""
        if self.pacer is not None and self.ticket is not None:
            self.pacer.answered(self.ticket)
            self.ticket = None

    async def aanswered(self) -> None:
        """Async ``answered``."""
        if self.pacer is not None and self.ticket is not None:
            await self.pacer.aanswered(self.ticket)
            self.ticket = None

    def hold_if_asked(self, response: httpx.Response) -> None:
        """After a judged answer that asks callers to hold off (Retry-After, 429), pause the pacer's users."""
        if self.pacer is not None:
            seconds = hold_seconds(response.extensions.get(CLASSIFICATION_EXTENSION))
            if seconds is not None:
                self.pacer.hold(seconds)

    async def ahold_if_asked(self, response: httpx.Response) -> None:
        """Async ``hold_if_asked``."""
        if self.pacer is not None:
            seconds = hold_seconds(response.extensions.get(CLASSIFICATION_EXTENSION))
            if seconds is not None:
                await self.pacer.ahold(seconds)

    def _past_deadline(self, last: ShipspecError | None) -> ShipspecError | None:
        if self.deadline is not None and self.deadline.passed():
            return last or ConnectError(
                f"not sent: {self.deadline.why()}",
                carrier=self.target.tables.carrier,
                operation=self.target.operation_id,
            )
        return None

    def _patience(self) -> float:
        """How long this attempt may wait for the circuit's probe: what is left of its deadline."""
        return self.full_bound if self.deadline is None else max(self.deadline.left(), 0.0)

    def _admitted(self, refused: ShipspecError | None, last: ShipspecError | None) -> ShipspecError | None:
        refused = refused or self._past_deadline(last)  # the wait for the probe may have used it up
        if refused is not None:
            self.settle()
        return refused

    def refusal(self, last: ShipspecError | None) -> ShipspecError | None:
        """Why the next attempt must not be sent (the deadline passed, the circuit refuses), or None.

        May wait for the circuit's probe; an attempt that becomes the probe calls ``settle`` when it is over.
        """
        refused = self._past_deadline(last)
        if refused is not None or self.circuit is None:
            return refused
        refused, self.probe = self.circuit.enter(self.target.operation_id, self._patience())
        return self._admitted(refused, last)

    async def arefusal(self, last: ShipspecError | None) -> ShipspecError | None:
        """Async ``refusal``."""
        refused = self._past_deadline(last)
        if refused is not None or self.circuit is None:
            return refused
        refused, self.probe = await self.circuit.aenter(self.target.operation_id, self._patience())
        return self._admitted(refused, last)

    def settle(self) -> None:
        """This attempt is over: if it was the circuit's probe, the next request may probe."""
        if self.probe and self.circuit is not None:
            self.circuit.leave(True)
        self.probe = False

    def begin(self, asynchronous: bool = False) -> None:
        self.number += 1
        self.started = time.perf_counter()
        self.head = _HeadWatch(self.head.chained)
        self.request.extensions["trace"] = self.head.atrace if asynchronous else self.head.trace
        if self.deadline is not None:  # every wait of this attempt ends by the deadline
            left = max(self.deadline.left(), _SHORTEST_WAIT)
            self.request.extensions["timeout"] = {
                key: left if value is None else min(value, left) for key, value in self._timeout.items()
            }
            self.bound = min(self.full_bound, left)

    def check_deadline(self) -> None:
        """Raise httpx's ReadTimeout once this attempt has run past its bound; typed like any read timeout."""
        if time.perf_counter() - self.started > self.bound:
            raise httpx.ReadTimeout(
                f"answer not complete within the attempt's bound of {self.bound:g} s", request=self.request
            )

    def bounded(self, response: httpx.Response) -> None:
        """Make ``response.read()`` check the deadline as each piece of the body arrives."""
        if isinstance(response.stream, httpx.SyncByteStream):
            response.stream = _SyncDeadlineStream(response.stream, self)

    def abounded(self, response: httpx.Response) -> None:
        """Make ``response.aread()`` check the deadline as each piece of the body arrives."""
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = _AsyncDeadlineStream(response.stream, self)

    def judge(self, response: httpx.Response) -> ShipspecError | None:
        """Annotate a fully read response; return its error when that error is worth another attempt."""
        response.elapsed = timedelta(seconds=time.perf_counter() - self.started)
        response.extensions[CARRIER_EXTENSION] = self.target.tables.carrier
        response.extensions[OPERATION_EXTENSION] = self.target.operation_id
        error, body = classify_json(
            self.target.tables,
            self.target.operation_id,
            response.status_code,
            response.headers,
            response.content,
        )
        response.extensions[CLASSIFICATION_EXTENSION] = error
        if error is None:
            response.extensions[ANSWER_JSON_EXTENSION] = body
        if self.circuit is not None:
            self.circuit.reached(error)
        if error is None or not is_retryable(error, self.target.strategy) or _final(error):
            return None  # a success, or an answer for the auth flow / event hook to act on
        return error

    def typed(self, exc: httpx.HTTPError) -> TransportError:
        """The typed error for a network failure; any other httpx error is re-raised as it is."""
        where = {"carrier": self.target.tables.carrier, "operation": self.target.operation_id}
        detail = redact(f"{type(exc).__name__}: {exc}")
        if isinstance(exc, _NOT_SENT):
            if self.circuit is not None and not isinstance(
                exc, httpx.PoolTimeout
            ):  # a local wait, not the carrier
                self.circuit.not_sent(detail)
            return ConnectError(f"not sent, attempt {self.number}: {detail}", **where)
        if isinstance(exc, _MAYBE_SENT):
            if self.head.failed:
                why = "the connection broke before the request was written"
                return ConnectError(f"not sent ({why}), attempt {self.number}: {detail}", **where)
            if self.circuit is not None:
                self.circuit.reached(None, answered=False)
            return AmbiguousTimeoutError(f"sent, no answer, attempt {self.number}: {detail}", **where)
        raise exc  # not a network failure (bad URL, local protocol misuse): a bug to see as it is

    def undecodable(self, response: httpx.Response, exc: httpx.DecodingError) -> ResponseDecodeError:
        """A body whose Content-Encoding does not decode (broken gzip): not the documented JSON."""
        return ResponseDecodeError(
            redact(f"answer could not be decoded: {exc}"),
            carrier=self.target.tables.carrier,
            operation=self.target.operation_id,
            http_status=response.status_code,
            body_excerpt="",
        )

    def delay(self, error: ShipspecError) -> float | None:
        """Seconds to wait before the next attempt (logged), or None to give up."""
        delay = self.policy.delay_before_retry(self.number, error, self.target.strategy)
        if delay is not None and self.deadline is not None and delay >= self.deadline.left():
            delay = None  # the retry would start past the shipment's deadline
        if delay is None:
            logger.debug("%s: giving up after attempt %d: %s", self.target.label, self.number, error)
        else:
            logger.debug(
                "%s: attempt %d of %d failed (%s); retrying in %.3fs",
                self.target.label,
                self.number,
                self.policy.max_attempts,
                error,
                delay,
            )
        return delay


_TIMEOUT_KEYS = ("connect", "read", "write", "pool")
_SHORTEST_WAIT = (
    0.001  # seconds: httpx reads 0 as "do not wait at all", which is not what a cut timeout means
)
_HEAD_FAILED = "http11.send_request_headers.failed"


class _HeadWatch:
    """httpcore's ``trace`` callback for one attempt: notes a failure to write the request's head.

    httpcore swallows a write error and reads on (a server may have answered early), so the failure reaches
    us as a read error; this says nothing of the request reached the server. A caller's own ``trace``
    callback still gets every event.
    """

    def __init__(self, chained: object) -> None:
        self.chained = chained
        self.failed = False

    def trace(self, name: str, info: dict[str, object]) -> None:
        self.failed = self.failed or name == _HEAD_FAILED
        if callable(self.chained):
            self.chained(name, info)

    async def atrace(self, name: str, info: dict[str, object]) -> None:
        self.failed = self.failed or name == _HEAD_FAILED
        if callable(self.chained):
            await self.chained(name, info)


class _SyncDeadlineStream(httpx.SyncByteStream):
    """The transport's body stream, checked against the attempt's deadline after every piece and at its end.

    The check comes after a read, so the read in flight at the deadline ends by its own read timeout first;
    checking at the end too means an answer that was accepted was complete before the deadline.
    """

    def __init__(self, inner: httpx.SyncByteStream, attempts: _Attempts) -> None:
        self._inner = inner
        self._attempts = attempts

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._attempts.check_deadline()
            yield chunk
        self._attempts.check_deadline()

    def close(self) -> None:
        self._inner.close()


class _AsyncDeadlineStream(httpx.AsyncByteStream):
    """The async twin of ``_SyncDeadlineStream``."""

    def __init__(self, inner: httpx.AsyncByteStream, attempts: _Attempts) -> None:
        self._inner = inner
        self._attempts = attempts

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._attempts.check_deadline()
            yield chunk
        self._attempts.check_deadline()

    async def aclose(self) -> None:
        await self._inner.aclose()


class RetryingTransport(httpx.BaseTransport):
    """A sync transport for one carrier that retries by ``shipspec.retry`` policy (see the module doc)."""

    def __init__(
        self,
        carrier: str,
        transport: httpx.BaseTransport | None = None,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = pause,
        pacer: Pacer | None = None,
    ) -> None:
        tables_for(carrier)  # fail at construction, not at the first request, on an unknown carrier
        self.carrier = carrier
        self._transport = transport if transport is not None else httpx.HTTPTransport()
        self._policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep
        self.pacer = pacer

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(target_of(self.carrier, request), self._policy, request, self.pacer)
        request.read()  # the body becomes bytes that every attempt re-sends unchanged
        failure: ShipspecError | None = None
        cause: BaseException | None = None
        while True:
            refused = attempts.refusal(failure)
            if refused is not None:
                raise refused from cause
            try:
                attempts.pace()
                attempts.begin()
                try:
                    response = self._transport.handle_request(request)
                    attempts.bounded(response)
                    try:
                        response.read()
                    except httpx.DecodingError as exc:
                        response.close()
                        raise attempts.undecodable(response, exc) from exc
                    except BaseException:
                        response.close()
                        raise
                except httpx.HTTPError as exc:
                    attempts.answered()
                    failure = attempts.typed(exc)
                    cause = exc
                else:
                    attempts.answered()
                    error = attempts.judge(response)
                    attempts.hold_if_asked(response)
                    if error is None:
                        return response
                    failure, cause = error, None
            finally:
                attempts.settle()
            delay = attempts.delay(failure)
            if delay is None:
                raise failure from cause
            self._sleep(delay)

    def close(self) -> None:
        self._transport.close()


class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    """The async twin of ``RetryingTransport``."""

    def __init__(
        self,
        carrier: str,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = apause,
        pacer: Pacer | None = None,
    ) -> None:
        tables_for(carrier)
        self.carrier = carrier
        self._transport = transport if transport is not None else httpx.AsyncHTTPTransport()
        self._policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep
        self.pacer = pacer

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(target_of(self.carrier, request), self._policy, request, self.pacer)
        await request.aread()
        failure: ShipspecError | None = None
        cause: BaseException | None = None
        while True:
            refused = await attempts.arefusal(failure)
            if refused is not None:
                raise refused from cause
            try:
                await attempts.apace()
                attempts.begin(asynchronous=True)
                try:
                    response = await self._transport.handle_async_request(request)
                    attempts.abounded(response)
                    try:
                        await response.aread()
                    except httpx.DecodingError as exc:
                        await response.aclose()
                        raise attempts.undecodable(response, exc) from exc
                    except BaseException:
                        await response.aclose()
                        raise
                except httpx.HTTPError as exc:
                    await attempts.aanswered()
                    failure = attempts.typed(exc)
                    cause = exc
                else:
                    await attempts.aanswered()
                    error = attempts.judge(response)
                    await attempts.ahold_if_asked(response)
                    if error is None:
                        return response
                    failure, cause = error, None
            finally:
                attempts.settle()
            delay = attempts.delay(failure)
            if delay is None:
                raise failure from cause
            await self._sleep(delay)

    async def aclose(self) -> None:
        await self._transport.aclose()
