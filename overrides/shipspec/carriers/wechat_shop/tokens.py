"""WeChat access tokens: fetched once, cached in a ``TokenStore``, refreshed single-flight.

``get_token()`` / ``aget_token()`` return the stored token while it has more than ``refresh_buffer`` seconds
left. Otherwise exactly one caller fetches a new one, across threads, asyncio tasks and (with a
``FileTokenStore``) processes:

1. tasks of one event loop queue on an ``asyncio.Lock`` of that loop, so only one of them goes on;
2. that task (or a thread) takes the store's lock: a thread lock, plus a file lock for ``FileTokenStore``.
   Async callers take it in a worker thread, so the event loop never blocks on it;
3. after every wait the store is read again: whoever waited finds the token the first caller saved;
4. the first caller fetches, saves ``expires_at = now + expires_in`` and releases.

Token endpoints (vendor-facts §2.1):

- ``POST /cgi-bin/stable_token`` (default, ``use_stable_token=True``): JSON ``{grant_type, appid, secret,
  force_refresh}``. Without ``force_refresh`` it returns the current stable token, so callers in other
  processes that do not share our store cannot invalidate ours. ``force_refresh`` (20 a day, 30 s apart) is
  sent only when a caller asks for it explicitly.
- ``GET /cgi-bin/token`` (``use_stable_token=False``): every call issues a new classic token and invalidates
  the previous one after about 5 minutes, so every process of an app must share one store, or they keep
  invalidating each other's tokens.

Token calls go through shipspec's retrying transports (-1 "system busy" and connection failures are retried
by policy); any other errcode becomes its typed error through ``classify``. On the token endpoints 40001
means a wrong AppSecret (kind ``auth`` in the generated tables), so a failed fetch raises and is never
"fixed" by refreshing. ``invalidate(token)`` drops the stored record only while it still holds that token:
a caller that saw an old token fail must not throw away a newer one. After an invalidation the stable
endpoint is asked without ``force_refresh``; should WeChat hand back the very token it rejected, the
auth flow's single resend fails and the error surfaces (forcing spends the 20-a-day quota, so it is left
to an explicit ``get_token(force_refresh=True)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Any

import httpx
from shipspec_wechat_shop.models import (
    AccessTokenResponse,
    GetAccessTokenGrantType,
    StableTokenRequest,
    StableTokenRequestGrantType,
)
from shipspec_wechat_shop.operations import SERVERS

from ... import settings
from ...classify import classify
from ...errors import ResponseDecodeError
from ...retry import RetryPolicy
from ...secrets import Secret
from ...spec_tables import tables_for
from ...tokens import MemoryTokenStore, TokenRecord, TokenStore, lock_wait
from ...transport import STRATEGY_EXTENSION, AsyncRetryingTransport, RetryingTransport

CARRIER = "wechat_shop"
STABLE_OPERATION = "getStableAccessToken"
CLASSIC_OPERATION = "getAccessToken"
TOKEN_OPERATIONS = frozenset({STABLE_OPERATION, CLASSIC_OPERATION})
# Token answers hold the token: a decode error shows this instead of the body.
WITHHELD = "<token response body withheld: it may hold credentials>"

# httpx logs every request URL at INFO, and WeChat puts credentials in the query (the access_token on every
# business call, the app secret on cgi-bin/token): shipspec.secrets redacts every log record, whatever logger.
logger = logging.getLogger(__name__)

__all__ = ["TOKEN_OPERATIONS", "WeChatTokenManager"]


class WeChatTokenManager:
    """The access token of one WeChat app, kept in ``store`` under ``key`` (see the module docstring).

    Token calls go through shipspec's retrying transports (``policy``: -1 "system busy" and connection
    failures are retried; a ``force_refresh`` call is never resent after an ambiguous failure) over
    ``transport``/``async_transport`` (httpx's own when None; a caller's stays open for its next use).
    ``timeout`` defaults to ``settings.DEFAULT_TIMEOUT`` (never none). ``clock`` gives wall-clock unix
    seconds: records are shared between processes.
    """

    def __init__(
        self,
        appid: str,
        secret: str | Secret,
        store: TokenStore | None = None,
        *,
        use_stable_token: bool = True,
        base_url: str = SERVERS[0],
        clock: Callable[[], float] = time.time,
        refresh_buffer: float = settings.WECHAT_TOKEN_REFRESH_BUFFER_SECONDS,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        key: str | None = None,
    ) -> None:
        self.appid = appid
        self._secret = secret if isinstance(secret, Secret) else Secret(secret)
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self.use_stable_token = use_stable_token
        self.base_url = base_url
        self.clock = clock
        self.refresh_buffer = refresh_buffer
        chosen = settings.DEFAULT_TIMEOUT if timeout is None else timeout
        self._timeout = chosen if isinstance(chosen, httpx.Timeout) else httpx.Timeout(chosen)
        self._transport = transport
        self._async_transport = async_transport
        self._policy = policy
        # Stable and classic tokens are separate families: never let one overwrite the other.
        self.key = key or f"{CARRIER}.{appid}.{'stable' if use_stable_token else 'classic'}"
        self._operation = STABLE_OPERATION if use_stable_token else CLASSIC_OPERATION
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._loop_locks_guard = threading.Lock()

    def __repr__(self) -> str:
        return f"WeChatTokenManager(appid={self.appid!r}, key={self.key!r}, stable={self.use_stable_token})"

    # --- sync ---------------------------------------------------------------------------------------

    def get_token(self, *, force_refresh: bool = False) -> str:
        """A token valid for more than ``refresh_buffer`` seconds, fetched first (single-flight) if needed.

        ``force_refresh=True`` asks WeChat for a new token even if the stored one looks valid (stable_token's
        ``force_refresh``: 20 a day); it is skipped when another caller replaced the token meanwhile.
        """
        seen = self.store.load(self.key)
        if not force_refresh and self._fresh(seen):
            assert seen is not None  # _fresh says so
            return seen.access_token
        with self.store.lock(self.key):
            replaced = self._replaced(seen, force_refresh)
            if replaced is not None:
                return replaced
            record = self._fetch(force_refresh)
            self.store.save(self.key, record)
            return record.access_token

    def invalidate(self, token_used: str) -> None:
        """Forget the stored token if it is still ``token_used`` (the one the carrier just rejected)."""
        with self.store.lock(self.key):
            self.store.clear(self.key, only_if_access_token=token_used)

    # --- async --------------------------------------------------------------------------------------

    async def aget_token(self, *, force_refresh: bool = False) -> str:
        """Async ``get_token``: the fetch is an ``httpx.AsyncClient`` call; no wait blocks the event loop."""
        seen = self.store.load(self.key)  # one small file read at most; the hot path stays in the loop
        if not force_refresh and self._fresh(seen):
            assert seen is not None
            return seen.access_token
        async with self._loop_lock():
            replaced = self._replaced(seen, force_refresh)  # a task of this loop did it while we queued
            if replaced is not None:
                return replaced
            async with _held_in_worker(self.store.lock(self.key)):
                replaced = self._replaced(seen, force_refresh)  # a thread or process did it
                if replaced is not None:
                    return replaced
                record = await self._afetch(force_refresh)
                # Saved from the loop thread on purpose: a worker thread here could wait behind workers that
                # are blocked on the very lock this task holds (a deadlock); one small write per refresh.
                self.store.save(self.key, record)
                return record.access_token

    async def ainvalidate(self, token_used: str) -> None:
        """Async ``invalidate`` (the store lock is taken in a worker thread)."""
        async with self._loop_lock(), _held_in_worker(self.store.lock(self.key)):
            self.store.clear(self.key, only_if_access_token=token_used)

    # --- single-flight helpers ------------------------------------------------------------------------

    def _fresh(self, record: TokenRecord | None) -> bool:
        return record is not None and record.is_fresh(self.clock(), self.refresh_buffer)

    def _replaced(self, seen: TokenRecord | None, force_refresh: bool) -> str | None:
        """After a wait: the token another caller stored meanwhile, or None when this caller must fetch."""
        current = self.store.load(self.key)
        if current is None or not self._fresh(current):
            return None
        if force_refresh and seen is not None and current.access_token == seen.access_token:
            return None  # still the token the caller wants replaced
        return current.access_token

    @contextlib.asynccontextmanager
    async def _loop_lock(self) -> AsyncIterator[None]:
        """Hold the asyncio.Lock of the running loop (an asyncio.Lock must not be shared between loops),
        waited for no longer than a store lock would be (``shipspec.tokens.lock_wait``)."""
        loop = asyncio.get_running_loop()
        with self._loop_locks_guard:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = asyncio.Lock()
        wait = lock_wait(settings.TOKEN_LOCK_TIMEOUT_SECONDS)
        try:
            await asyncio.wait_for(lock.acquire(), wait.left())
        except TimeoutError:
            raise wait.error(self.key) from None
        try:
            yield
        finally:
            lock.release()

    # --- the token call -----------------------------------------------------------------------------

    def _request_args(self, force_refresh: bool) -> dict[str, Any]:
        operation = tables_for(CARRIER).operations[self._operation]
        args: dict[str, Any] = {"method": operation.method, "url": operation.path}
        if force_refresh and self.use_stable_token:
            # The table says "safe", but a forced refresh spends one of 20 a day: never resend it blindly.
            args["extensions"] = {STRATEGY_EXTENSION: "unsafe"}
        if self.use_stable_token:
            body = StableTokenRequest(
                grant_type=StableTokenRequestGrantType.CLIENT_CREDENTIAL,
                appid=self.appid,
                secret=self._secret.reveal(),
                force_refresh=force_refresh,
            )
            args["json"] = body.to_dict()
        else:
            # The classic endpoint has no force flag: every call is a new token.
            args["params"] = {
                "grant_type": GetAccessTokenGrantType.CLIENT_CREDENTIAL.value,
                "appid": self.appid,
                "secret": self._secret.reveal(),
            }
        return args

    def _fetch(self, force_refresh: bool) -> TokenRecord:
        started = self.clock()  # the lifetime counts from no later than the request
        retrying = RetryingTransport(CARRIER, self._transport, policy=self._policy)
        client = httpx.Client(base_url=self.base_url, timeout=self._timeout, transport=retrying)
        try:
            response = client.request(**self._request_args(force_refresh))
        finally:
            if self._transport is None:  # ours to close; a caller's transport stays open
                client.close()
        return self._record(response, started)

    async def _afetch(self, force_refresh: bool) -> TokenRecord:
        started = self.clock()
        # A client per call: token calls are rare, and an AsyncClient must not outlive its event loop.
        retrying = AsyncRetryingTransport(CARRIER, self._async_transport, policy=self._policy)
        client = httpx.AsyncClient(base_url=self.base_url, timeout=self._timeout, transport=retrying)
        try:
            response = await client.request(**self._request_args(force_refresh))
        finally:
            if self._async_transport is None:
                await client.aclose()
        return self._record(response, started)

    def _record(self, response: httpx.Response, started: float) -> TokenRecord:
        status = response.status_code
        error = classify(tables_for(CARRIER), self._operation, status, response.headers, response.content)
        if isinstance(error, ResponseDecodeError):
            raise self._decode_error(status, error.problem)
        if error is not None:
            raise error
        try:
            parsed = AccessTokenResponse.from_dict(json.loads(response.content))
        except (ValueError, TypeError, AttributeError):
            raise self._decode_error(status, "the answer is not a JSON object") from None
        token, expires_in = parsed.access_token, parsed.expires_in
        if not isinstance(token, str) or not token:
            raise self._decode_error(status, "no access_token in a success answer")
        if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in <= 0:
            raise self._decode_error(status, "expires_in is not a positive number of seconds")
        logger.info("WeChat access token fetched for %s (expires in %d s)", self.key, expires_in)
        return TokenRecord(access_token=token, expires_at=started + expires_in, issued_at=started)

    def _decode_error(self, status: int, problem: str) -> ResponseDecodeError:
        return ResponseDecodeError(
            problem, carrier=CARRIER, operation=self._operation, http_status=status, body_excerpt=WITHHELD
        )


@contextlib.asynccontextmanager
async def _held_in_worker(lock: AbstractContextManager[None]) -> AsyncIterator[None]:
    """Hold a blocking lock from async code: acquire it in a worker thread, release it from the loop.

    The store locks are thread locks plus flock, both releasable from any thread. If the waiting task is
    cancelled, the worker may still get the lock later; it is then released as soon as it is taken.
    """
    loop = asyncio.get_running_loop()
    # In this task's context: the lock's wait is cut to the shipment's deadline (shipspec.tokens.lock_wait).
    entering = loop.run_in_executor(None, contextvars.copy_context().run, lock.__enter__)
    try:
        await asyncio.shield(entering)
    except asyncio.CancelledError:
        entering.add_done_callback(lambda done: _release_if_taken(lock, done))
        raise
    try:
        yield
    except BaseException as exc:
        if not lock.__exit__(type(exc), exc, exc.__traceback__):
            raise
    else:
        lock.__exit__(None, None, None)


def _release_if_taken(lock: AbstractContextManager[None], entering: asyncio.Future[None]) -> None:
    if not entering.cancelled() and entering.exception() is None:
        lock.__exit__(None, None, None)
