"""TikTok Shop access tokens: exchange an auth_code, refresh, and hand out a fresh token (single-flight).

The token calls run on the authorization host (``AUTH_BASE_URL``, from the spec), are not signed and
carry app_key/app_secret in the query (specs/tiktok_shop.yaml ``getAccessToken``/``refreshAccessToken``).
``access_token_expire_in`` and ``refresh_token_expire_in`` are ABSOLUTE Unix timestamps, not durations; they
are stored as they come (``TokenRecord.expires_at``/``refresh_expires_at``), compared with a wall clock
because a record is shared between processes through the ``TokenStore``.

Only one caller refreshes at a time: the store's lock is taken, the record re-read, and the refresh skipped
when another caller already replaced the token. The async methods run the sync ones in a worker thread, so
the (thread- and process-wide) store lock is never held across an ``await`` on the event loop.

Early refresh: inside ``refresh_buffer`` of the expiry the token is refreshed ahead of time. When that fails
(auth host down, refresh token refused) the still-valid token is used and this manager makes no new early
attempt for ``EARLY_RETRY_FIRST_PAUSE`` seconds, doubling per failure up to ``EARLY_RETRY_MAX_PAUSE``; callers
meanwhile neither wait on the lock nor call the auth host. Once the token has expired, or the API rejected
it (105002, ``refresh``), the refresh is tried at once, and its failure is the caller's error.

Configured tokens and the store (``seed``, used by ``client()`` and the ``token_dir`` setting): a refresh may
rotate the refresh token, so the store can hold a newer pair than the one the user configured, which must
not be written back over it (the rotated refresh token would be lost). Every record therefore carries an
``origin``: a fingerprint of the refresh token (else the access token) that started its authorization, the
configured one or the one an ``exchange_auth_code`` got, carried over by each refresh. Configured tokens
replace the stored record only when their fingerprint differs from its origin, i.e. the seller authorized
again and the user configured the new pair; otherwise the stored, possibly refreshed, record is used. A
record written before origins existed is kept (and adopted) while its refresh token equals the configured
one, or when none is configured, and replaced otherwise.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections.abc import Callable

import anyio.to_thread
import httpx
from shipspec_tiktok_shop import Client
from shipspec_tiktok_shop.api.tiktok_shop import get_access_token, refresh_access_token
from shipspec_tiktok_shop.models import (
    AccessTokenResponse,
    GetAccessTokenGrantType,
    RefreshAccessTokenGrantType,
)
from shipspec_tiktok_shop.types import Response, Unset

from ... import settings
from ...classify import classify
from ...errors import AmbiguousTimeoutError, AuthError, ConnectError, ResponseDecodeError, ShipspecError
from ...guards import install as install_spec_errors
from ...secrets import Secret
from ...spec_tables import tables_for
from ...tokens import MemoryTokenStore, TokenRecord, TokenStore
from ...transport import RetryingTransport

CARRIER = "tiktok_shop"
EXCHANGE_OPERATION = "getAccessToken"
REFRESH_OPERATION = "refreshAccessToken"
# Token responses hold credentials: a decode error shows this instead of the body.
WITHHELD = "<token response body withheld: it may hold credentials>"
# The authorization host, as the spec's token operations declare it (vendor-facts §1.1).
AUTH_BASE_URL = tables_for(CARRIER).operations[EXCHANGE_OPERATION].servers[0]

# The token calls carry app_secret and refresh_token in the URL, which httpx logs at INFO: every log record
# is redacted as it is made (shipspec.secrets), whatever its logger.
logger = logging.getLogger("shipspec")

EARLY_RETRY_FIRST_PAUSE = 15.0
"""Seconds without a new early refresh after one failed (the token still works meanwhile). Each failed
attempt costs a caller the transport's retries (about 2 s against a 503) with the lock held, so without a
pause every call inside the 600 s early window paid that again."""
EARLY_RETRY_MAX_PAUSE = 120.0
"""The pause doubles per failure up to this: several more early attempts still fit in the 600 s window
before the token really expires (when a refresh is tried on every call, as before)."""

__all__ = ["EARLY_RETRY_FIRST_PAUSE", "EARLY_RETRY_MAX_PAUSE", "TikTokTokens", "origin_of"]


def origin_of(token: str) -> str:
    """The ``TokenRecord.origin`` of an authorization whose first tokens include ``token``: a SHA-256
    fingerprint, so the token file never keeps a refresh token that a rotation has retired."""
    return hashlib.sha256(b"shipspec tiktok_shop origin\0" + token.encode("utf-8")).hexdigest()


def _descends(stored: TokenRecord, origin: str, refresh_token: str | None) -> bool:
    """Whether ``stored`` came from the configured tokens (fingerprint ``origin``) by refreshes."""
    if stored.origin is not None:
        return stored.origin == origin
    # Written before records had an origin: the pair is theirs while the refresh token is unchanged
    # (nothing tells a rotation from a new authorization then; the configured tokens are the safer bet).
    return refresh_token is None or refresh_token == stored.refresh_token


@dataclasses.dataclass(frozen=True)
class _EarlyPause:
    """After a failed early refresh of ``access_token``: no new early attempt before ``retry_at`` (clock)."""

    access_token: str = dataclasses.field(repr=False)  # a credential: compared, never shown
    retry_at: float
    failures: int


class TikTokTokens:
    """The tokens of one seller authorization of one app, kept in a ``TokenStore`` under ``key``.

    ``current()`` gives a token that is valid for at least ``refresh_buffer`` seconds more, refreshing
    first when needed; ``refresh(stale_access_token=...)`` replaces a token the API rejected. One app
    serves many sellers: give each authorization its own ``key``. ``transport`` is the network transport
    under shipspec's ``RetryingTransport`` (tests pass an ``httpx.MockTransport``).
    """

    def __init__(
        self,
        *,
        app_key: str,
        app_secret: str | Secret,
        store: TokenStore | None = None,
        key: str | None = None,
        auth_base_url: str = AUTH_BASE_URL,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        refresh_buffer: float = settings.TIKTOK_TOKEN_REFRESH_BUFFER_SECONDS,
    ) -> None:
        self.app_key = app_key
        self.app_secret = app_secret if isinstance(app_secret, Secret) else Secret(app_secret)
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self.key = key or f"{CARRIER}.{app_key}"
        self.clock = clock
        self.refresh_buffer = refresh_buffer
        self._early_pause: _EarlyPause | None = None
        chosen = settings.DEFAULT_TIMEOUT if timeout is None else timeout
        install_spec_errors(CARRIER)  # the generated functions' own answer checks raise ResponseDecodeError
        self._client = Client(
            base_url=auth_base_url,
            timeout=chosen if isinstance(chosen, httpx.Timeout) else httpx.Timeout(chosen),
            # Token calls retry by the tables' policy (refresh is safe, the one-shot exchange is not).
            httpx_args={"transport": RetryingTransport(CARRIER, transport)},
        )

    def __repr__(self) -> str:
        return f"TikTokTokens(app_key={self.app_key!r}, key={self.key!r})"

    # --- sync -------------------------------------------------------------------------------------

    def exchange_auth_code(self, code: str | Secret) -> TokenRecord:
        """Trade the auth_code from the seller's authorization redirect for tokens, and store them."""
        auth_code = code.reveal() if isinstance(code, Secret) else code
        with self.store.lock(self.key):
            response = self._call(
                EXCHANGE_OPERATION,
                lambda: get_access_token.sync_detailed(
                    client=self._client,
                    app_key=self.app_key,
                    app_secret=self.app_secret.reveal(),
                    auth_code=auth_code,
                    grant_type=GetAccessTokenGrantType.AUTHORIZED_CODE,
                ),
            )
            record = self._record(EXCHANGE_OPERATION, response, previous=None)
            self.store.save(self.key, record)
        logger.info("TikTok Shop tokens stored for %s", self.key)
        return record

    def seed(
        self,
        access_token: str,
        expires_at: float,
        refresh_token: str | None = None,
        refresh_expires_at: float | None = None,
    ) -> TokenRecord:
        """Store tokens the user configured, unless the store holds a record that descends from them.

        The rule is in the module docstring; the decision is taken under the store lock, so a process
        starting while another one refreshes never writes the older pair over the newer one.
        """
        origin = origin_of(refresh_token or access_token)
        with self.store.lock(self.key):
            stored = self.store.load(self.key)
            if stored is not None and _descends(stored, origin, refresh_token):
                if stored.origin != origin:  # a record from before origins: it is theirs from now on
                    stored = dataclasses.replace(stored, origin=origin)
                    self.store.save(self.key, stored)
                return stored
            record = TokenRecord(access_token, expires_at, refresh_token, refresh_expires_at, origin)
            self.store.save(self.key, record)
        if stored is not None:
            logger.info("TikTok Shop tokens of a new authorization replace the stored ones for %s", self.key)
        return record

    def current(self) -> TokenRecord:
        """A token valid for at least ``refresh_buffer`` more seconds; refreshes it first when needed.

        After a failed early refresh the still-valid token is handed out without a new attempt (and without
        the lock) for a pause that doubles per failure (``EARLY_RETRY_*``); an expired token is always
        refreshed.
        """
        record = self.store.load(self.key)
        if record is not None and (self._fresh(record) or self._pausing(record)):
            return record
        with self.store.lock(self.key):
            record = self._load()  # another caller may have refreshed (or failed to) while this one waited
            if self._fresh(record) or self._pausing(record):
                return record
            still_valid = record.expires_at > self.clock()
            if self._refreshable(record):
                try:
                    return self._refresh_locked(record)
                except ShipspecError as exc:
                    if not still_valid:
                        raise
                    # An early refresh that failed must not fail a call the current token can still make,
                    # nor be tried again by every call: the auth host is down or refuses this refresh token.
                    pause = self._pause_early_refresh(record)
                    logger.warning(
                        "TikTok Shop early token refresh failed for %s (next early attempt in %gs): %s",
                        self.key,
                        pause,
                        exc,
                    )
                    return record
            if still_valid:
                return record  # inside the buffer, and nothing to refresh it with
            raise self._reauthorize("the access token expired and there is no valid refresh token")

    def refresh(self, stale_access_token: str | None = None) -> TokenRecord:
        """Refresh now; with ``stale_access_token``, only if the stored token is still that rejected one."""
        with self.store.lock(self.key):
            record = self._load()
            if stale_access_token is not None and record.access_token != stale_access_token:
                return record  # someone else already replaced the rejected token
            if not self._refreshable(record):
                raise self._reauthorize("there is no valid refresh token")
            return self._refresh_locked(record)

    # --- async: the same work in a worker thread (the store lock blocks) -----------------------------

    async def aexchange_auth_code(self, code: str | Secret) -> TokenRecord:
        """Async ``exchange_auth_code``."""
        return await anyio.to_thread.run_sync(self.exchange_auth_code, code)

    async def acurrent(self) -> TokenRecord:
        """Async ``current``."""
        return await anyio.to_thread.run_sync(self.current)

    async def arefresh(self, stale_access_token: str | None = None) -> TokenRecord:
        """Async ``refresh``."""
        return await anyio.to_thread.run_sync(self.refresh, stale_access_token)

    # --- internals --------------------------------------------------------------------------------

    def _load(self) -> TokenRecord:
        record = self.store.load(self.key)
        if record is None:
            raise self._reauthorize("no token is stored; exchange an auth_code first")
        return record

    def _fresh(self, record: TokenRecord) -> bool:
        return record.is_fresh(self.clock(), self.refresh_buffer)

    def _pausing(self, record: TokenRecord) -> bool:
        """True while early refreshes of this (still valid) token are paused after a failure."""
        pause = self._early_pause
        now = self.clock()
        return (
            pause is not None
            and pause.access_token == record.access_token
            and now < pause.retry_at
            and now < record.expires_at
        )

    def _pause_early_refresh(self, record: TokenRecord) -> float:
        """Note a failed early refresh of ``record``; the seconds until the next early attempt."""
        previous = self._early_pause
        failures = previous.failures + 1 if previous and previous.access_token == record.access_token else 1
        seconds = min(EARLY_RETRY_FIRST_PAUSE * 2.0 ** (failures - 1), EARLY_RETRY_MAX_PAUSE)
        # One attribute assignment: the lock-free readers in current() see the old or the new pause, whole.
        self._early_pause = _EarlyPause(record.access_token, self.clock() + seconds, failures)
        return seconds

    def _refreshable(self, record: TokenRecord) -> bool:
        return bool(record.refresh_token) and (
            record.refresh_expires_at is None or record.refresh_expires_at > self.clock()
        )

    def _refresh_locked(self, record: TokenRecord) -> TokenRecord:
        assert record.refresh_token is not None  # checked by _refreshable
        refresh_token = record.refresh_token
        response = self._call(
            REFRESH_OPERATION,
            lambda: refresh_access_token.sync_detailed(
                client=self._client,
                app_key=self.app_key,
                app_secret=self.app_secret.reveal(),
                refresh_token=refresh_token,
                grant_type=RefreshAccessTokenGrantType.REFRESH_TOKEN,
            ),
        )
        fresh = self._record(REFRESH_OPERATION, response, previous=record)
        self.store.save(self.key, fresh)
        self._early_pause = None
        logger.info("TikTok Shop access token refreshed for %s", self.key)
        return fresh

    def _call(
        self, operation: str, send: Callable[[], Response[AccessTokenResponse]]
    ) -> Response[AccessTokenResponse]:
        try:
            response = send()
        except ResponseDecodeError as exc:  # the generated answer check: the body may hold a token, withheld
            raise self._decode_error(operation, exc.http_status or 200, exc.args[0]) from None
        except ShipspecError:
            raise  # already typed (an event hook or shipspec transport raised it)
        except (ValueError, KeyError, TypeError) as exc:
            # The generated parser reads a 200 body before we can look at it: not JSON, or not the shape.
            raise self._decode_error(operation, 200, f"undocumented answer ({type(exc).__name__})") from None
        except httpx.TimeoutException as exc:
            raise AmbiguousTimeoutError(
                f"no answer: {type(exc).__name__}", carrier=CARRIER, operation=operation
            ) from exc
        except httpx.TransportError as exc:
            raise ConnectError(
                f"not sent: {type(exc).__name__}", carrier=CARRIER, operation=operation
            ) from exc
        error = classify(
            tables_for(CARRIER), operation, response.status_code, response.headers, response.content
        )
        if isinstance(error, ResponseDecodeError):
            raise self._decode_error(operation, response.status_code, error.problem)
        if error is not None:
            raise error
        return response

    def _record(
        self, operation: str, response: Response[AccessTokenResponse], previous: TokenRecord | None
    ) -> TokenRecord:
        data = response.parsed.data if response.parsed is not None else None
        if data is None or isinstance(data, Unset):
            raise self._decode_error(operation, response.status_code, "success answer without data")
        now = self.clock()
        access_token, expires_at = data.access_token, data.access_token_expire_in
        if not isinstance(access_token, str) or not access_token or not isinstance(expires_at, int):
            raise self._decode_error(
                operation, response.status_code, "no access_token/access_token_expire_in"
            )
        if expires_at <= now:
            # An absolute timestamp in the past is most likely a duration (the field's name says so):
            # storing it would make every call refresh again.
            raise self._decode_error(
                operation, response.status_code, "access_token_expire_in is not a future absolute Unix time"
            )
        refresh_token = (
            data.refresh_token if isinstance(data.refresh_token, str) and data.refresh_token else None
        )
        refresh_expires: float | None = (
            data.refresh_token_expire_in if isinstance(data.refresh_token_expire_in, int) else None
        )
        if refresh_token is None and previous is not None:
            refresh_token, refresh_expires = previous.refresh_token, previous.refresh_expires_at
        return TokenRecord(
            access_token=access_token,
            expires_at=float(expires_at),
            refresh_token=refresh_token,
            refresh_expires_at=None if refresh_expires is None else float(refresh_expires),
            # A refresh continues its authorization; an exchange starts one, named by its own tokens.
            origin=previous.origin if previous is not None else origin_of(refresh_token or access_token),
        )

    def _reauthorize(self, why: str) -> AuthError:
        return AuthError(
            carrier=CARRIER,
            operation=REFRESH_OPERATION,
            code=None,
            message=f"{why}; the seller has to authorize the app again ({self.key})",
        )

    @staticmethod
    def _decode_error(operation: str, status: int, problem: str) -> ResponseDecodeError:
        return ResponseDecodeError(
            problem, carrier=CARRIER, operation=operation, http_status=status, body_excerpt=WITHHELD
        )
