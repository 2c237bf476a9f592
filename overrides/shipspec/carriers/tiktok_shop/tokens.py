"""TikTok Shop access tokens: exchange an auth_code, refresh, and hand out a fresh token (single-flight).

The token calls run on the authorization host (``AUTH_BASE_URL``, from the spec), are not signed and
carry app_key/app_secret in the query (specs/tiktok_shop.yaml ``getAccessToken``/``refreshAccessToken``).
``access_token_expire_in`` and ``refresh_token_expire_in`` are ABSOLUTE Unix timestamps, not durations; they
are stored as they come (``TokenRecord.expires_at``/``refresh_expires_at``), compared with a wall clock
because a record is shared between processes through the ``TokenStore``.

Only one caller refreshes at a time: the store's lock is taken, the record re-read, and the refresh skipped
when another caller already replaced the token. The async methods run the sync ones in a worker thread, so
the (thread- and process-wide) store lock is never held across an ``await`` on the event loop.
"""

from __future__ import annotations

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
from ...secrets import Secret, redact_logger
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

# shipspec's RedactingFilter sits on the "shipspec" logger itself (a filter does not see child loggers).
logger = logging.getLogger("shipspec")

__all__ = ["TikTokTokens"]


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
        # The token calls carry app_secret and refresh_token in the URL, which httpx logs at INFO.
        redact_logger("httpx")
        self.app_key = app_key
        self.app_secret = app_secret if isinstance(app_secret, Secret) else Secret(app_secret)
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self.key = key or f"{CARRIER}.{app_key}"
        self.clock = clock
        self.refresh_buffer = refresh_buffer
        chosen = settings.DEFAULT_TIMEOUT if timeout is None else timeout
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

    def current(self) -> TokenRecord:
        """A token valid for at least ``refresh_buffer`` more seconds; refreshes it first when needed."""
        record = self.store.load(self.key)
        if record is not None and self._fresh(record):
            return record
        with self.store.lock(self.key):
            record = self._load()  # another caller may have refreshed while this one waited
            if self._fresh(record):
                return record
            still_valid = record.expires_at > self.clock()
            if self._refreshable(record):
                try:
                    return self._refresh_locked(record)
                except ShipspecError as exc:
                    if not still_valid:
                        raise
                    # An early refresh that failed must not fail a call the current token can still make.
                    logger.warning("TikTok Shop early token refresh failed for %s: %s", self.key, exc)
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
        logger.info("TikTok Shop access token refreshed for %s", self.key)
        return fresh

    def _call(
        self, operation: str, send: Callable[[], Response[AccessTokenResponse]]
    ) -> Response[AccessTokenResponse]:
        try:
            response = send()
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
            raise self._decode_error(operation, response.status_code, error.args[0])
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
