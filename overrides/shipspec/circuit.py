"""A carrier's circuit for one run: it stops sending when the carrier refuses our credentials or is down.

Until the carrier has accepted our credentials once in this run, its requests go **one at a time**: the
first is a probe and the others wait for its answer (within their deadline). An answer that shows the
credentials work (a success, or a business answer such as "not found", "invalid request", "already
shipped": the carrier looked at the request, so it let us in) proves them, and from then on every request
goes at once; an answer that proves nothing (a timeout, "busy", a gateway page, a token to refresh) lets the
next waiter be the probe. So a wrong token costs one request per carrier, not one per request in flight,
and a healthy run waits for one answer once.

Two ways it opens:

- **Credentials refused.** The first answer of kind ``auth`` (a bad token, a bad signature, a wrong secret)
  opens it for good: sending more only repeats the refusal. Every later request is refused before it is
  sent with an ``AuthError`` whose message starts "not sent" and says which settings to check.
- **Unreachable.** Connection failures where nothing was sent (refused, DNS, TLS) with no request getting
  through for ``CIRCUIT_PROBE_SECONDS`` (and at least ``CIRCUIT_MIN_FAILURES`` of them): that bounded probe
  over, requests are refused before they are sent with ``CarrierUnreachableError``, except one every
  ``CIRCUIT_RETRY_SECONDS``. Any answer from the carrier closes it again.

Shippers treat both refusals as final for a shipment (no resend rounds against a refusal), so the rest of
a run against a dead carrier ends in moments. The runner gives each carrier its own circuit and runs every
batch inside :func:`guarded_by`; the retrying transport asks :func:`current_circuit` before each attempt
and reports what became of it. A ``ContextVar`` carries it into the sending thread or task; a client used
outside a run has none, and nothing changes for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Final

import anyio

from . import settings
from .config import credential_hint
from .errors import AuthError, CarrierError, CarrierUnreachableError, ShipspecError
from .scoped import scoped

__all__ = ["PROVING_KINDS", "Circuit", "current_circuit", "guarded_by"]

PROVING_KINDS: Final = frozenset({"already_done", "invalid_request", "not_allowed", "not_found"})
"""Kinds of carrier answer that prove the credentials, like a success: the carrier judged the request itself.
``retry``, ``quota``, ``unknown`` and ``refresh_token`` may come before or instead of a credentials check."""

_ASYNC_WAIT_SECONDS = 0.01  # an async waiter's poll for the probe's answer (its lock is a thread lock)


class Circuit:
    """One carrier's circuit (thread-safe; see the module docstring)."""

    def __init__(
        self,
        carrier: str,
        *,
        probe_seconds: float = settings.CIRCUIT_PROBE_SECONDS,
        min_failures: int = settings.CIRCUIT_MIN_FAILURES,
        retry_seconds: float = settings.CIRCUIT_RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.carrier = carrier
        self._probe_seconds = probe_seconds
        self._min_failures = min_failures
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._settled = threading.Condition(
            self._lock
        )  # notified when a probe ends or proves the credentials
        self._proven = False  # the credentials worked once in this run: no more probing
        self._probing = False  # a probe is in flight
        self._refusal: CarrierError | None = None  # the auth answer that stopped the carrier
        self._failing_since: float | None = None
        self._failures = 0
        self._last_failure = ""
        self._next_try: float | None = None  # set while open for unreachability: when one may go through

    @property
    def refusal(self) -> CarrierError | None:
        """The carrier's answer that refused our credentials, once it came."""
        return self._refusal

    @property
    def unreachable(self) -> bool:
        return self._next_try is not None

    @property
    def proven(self) -> bool:
        """The carrier accepted our credentials earlier in this run."""
        return self._proven

    def admit(self, operation: str) -> ShipspecError | None:
        """None to send; otherwise the error to give instead (nothing is sent). Never waits for a probe."""
        with self._lock:
            return self._admit(operation)

    def enter(self, operation: str, patience: float) -> tuple[ShipspecError | None, bool]:
        """Like ``admit``, but while the credentials are unproven waits (at most ``patience`` seconds) for
        the probe in flight; returns (the refusal or None, whether this request is now the probe).

        A caller given ``(None, True)`` must call ``leave(True)`` once its attempt is over, however it ends.
        Patience running out lets the request go without being the probe (the caller's own deadline, which
        the patience comes from, decides whether it still goes).
        """
        ends = time.monotonic() + patience  # a real wait, whatever clock times the circuit
        with self._lock:
            while True:
                entered = self._try_enter(operation)
                if entered is not None:
                    return entered
                left = ends - time.monotonic()
                if left <= 0:
                    return None, False
                self._settled.wait(left)

    async def aenter(self, operation: str, patience: float) -> tuple[ShipspecError | None, bool]:
        """Async ``enter``: the wait polls, so the event loop never blocks on the circuit's thread lock."""
        ends = time.monotonic() + patience
        while True:
            with self._lock:
                entered = self._try_enter(operation)
            if entered is not None:
                return entered
            left = ends - time.monotonic()
            if left <= 0:
                return None, False
            await anyio.sleep(min(_ASYNC_WAIT_SECONDS, left))

    def _try_enter(self, operation: str) -> tuple[ShipspecError | None, bool] | None:
        """``enter``'s answer now (the lock held), or None while another request's probe is in flight."""
        refused = self._admit(operation)
        if refused is not None or self._proven:
            return refused, False
        if self._probing:
            return None
        self._probing = True
        return None, True

    def leave(self, probe: bool) -> None:
        """The attempt admitted by ``enter`` is over; a probe's end lets the next waiter probe."""
        if probe:
            with self._lock:
                self._probing = False
                self._settled.notify_all()

    def _admit(self, operation: str) -> ShipspecError | None:
        if self._refusal is not None:
            return self.not_sent_auth(operation)
        if self._next_try is None:
            return None
        now = self._clock()
        if now >= self._next_try:  # one request tries again; the others keep being refused
            self._next_try = now + self._retry_seconds
            return None
        return CarrierUnreachableError(
            f"not sent: {self.carrier} is unreachable (no connection for {self._probe_seconds:g} s: "
            f"{self._last_failure}); one request every {self._retry_seconds:g} s tries again",
            carrier=self.carrier,
            operation=operation,
        )

    def not_sent_auth(self, operation: str) -> AuthError:
        """The error of a request refused because the carrier refused our credentials earlier."""
        refusal = self._refusal
        assert refusal is not None
        code = "" if refusal.code is None else f"{refusal.code} "
        return AuthError(
            carrier=self.carrier,
            operation=operation,
            code=None,
            message=(
                f"not sent: {self.carrier} refused the credentials earlier in this run "
                f"({code}{refusal.message}); {credential_hint(self.carrier)}"
            ),
        )

    def reached(self, answer: ShipspecError | None, *, answered: bool = True) -> None:
        """The carrier was reached: ``answer`` is its verdict (None: a success), or with ``answered=False``
        a request was sent and its answer lost (which proves nothing about the credentials)."""
        with self._lock:
            self._failing_since = None
            self._failures = 0
            self._next_try = None
            if self._refusal is None and isinstance(answer, CarrierError) and answer.kind == "auth":
                self._refusal = answer
                self._settled.notify_all()
            elif answered and not self._proven and _proves_credentials(answer):
                self._proven = True
                self._settled.notify_all()

    def not_sent(self, detail: str) -> None:
        """A connection failed before anything was sent."""
        with self._lock:
            now = self._clock()
            if self._failing_since is None:
                self._failing_since = now
            self._failures += 1
            self._last_failure = detail
            if self._next_try is not None:
                self._next_try = max(self._next_try, now + self._retry_seconds)
            elif self._failures >= self._min_failures and now - self._failing_since >= self._probe_seconds:
                self._next_try = now + self._retry_seconds


def _proves_credentials(answer: ShipspecError | None) -> bool:
    return answer is None or (isinstance(answer, CarrierError) and answer.kind in PROVING_KINDS)


_CURRENT: ContextVar[Circuit | None] = ContextVar("shipspec_circuit", default=None)


def guarded_by(circuit: Circuit | None) -> AbstractContextManager[None]:
    """Within the block (this thread or task), the retrying transport consults and feeds ``circuit``."""
    return scoped(_CURRENT, circuit)


def current_circuit() -> Circuit | None:
    return _CURRENT.get()
