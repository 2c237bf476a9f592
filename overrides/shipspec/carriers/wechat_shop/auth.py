"""``WeChatAuth``: the httpx auth flow that puts the access token on WeChat calls and renews it once.

One flow per request, sync and async alike:

1. Token calls (``cgi-bin/token``, ``cgi-bin/stable_token``) pass through untouched: they carry the app
   secret, not a token, and must never trigger a refresh (40001 there means a wrong secret).
2. Put ``access_token`` in the query, replacing any the caller passed, and send.
3. If the answer's ``errcode`` has kind ``refresh_token`` in the generated tables (40001, 40014, 42001 on
   business calls), invalidate exactly the token that was sent, get a fresh one (single-flight, see
   ``WeChatTokenManager``) and resend once. The second answer is returned as it is: the flow never loops.

httpx runs response event hooks before the auth flow sees an answer, so a hook that raises typed errors would
raise on the first 42001 and the refresh would never happen. The first attempt therefore carries the request
extension ``shipspec.hooks.DEFERRED_KINDS_EXTENSION`` naming the kinds this flow handles itself, which
``raise_for_envelope`` lets pass; the resend carries none, so its failure is raised as usual.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator

import httpx

from ...errors import TokenExpiredError
from ...hooks import DEFERRED_KINDS_EXTENSION
from ...spec_tables import CarrierTables, tables_for
from ...transport import classified
from .tokens import CARRIER, TOKEN_OPERATIONS, WeChatTokenManager

CREDENTIAL_QUERY_KEY = "access_token"
REFRESH_KIND = "refresh_token"

__all__ = ["DEFERRED_KINDS_EXTENSION", "WeChatAuth"]


class WeChatAuth(httpx.Auth):
    """Attach the app's access token to each WeChat call and renew a rejected token once."""

    requires_request_body = True  # the body is resent as is after a refresh
    requires_response_body = True  # the errcode is in the body of an HTTP 200

    def __init__(self, tokens: WeChatTokenManager, *, tables: CarrierTables | None = None) -> None:
        self._tokens = tokens
        self._tables = tables or tables_for(CARRIER)
        self._token_paths = tuple(self._tables.operations[op].path for op in sorted(TOKEN_OPERATIONS))

    def __repr__(self) -> str:
        return f"WeChatAuth(appid={self._tokens.appid!r}, key={self._tokens.key!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._is_token_call(request):
            yield request
            return
        request.read()
        token = self._tokens.get_token()
        response = yield _with_token(request, token, deferred=(REFRESH_KIND,))
        response.read()
        if not self._token_rejected(request, response):
            return
        self._tokens.invalidate(token)
        fresh = self._tokens.get_token()
        yield _with_token(request, fresh, deferred=())

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._is_token_call(request):
            yield request
            return
        await request.aread()
        token = await self._tokens.aget_token()
        response = yield _with_token(request, token, deferred=(REFRESH_KIND,))
        await response.aread()
        if not self._token_rejected(request, response):
            return
        await self._tokens.ainvalidate(token)
        fresh = await self._tokens.aget_token()
        yield _with_token(request, fresh, deferred=())

    def _is_token_call(self, request: httpx.Request) -> bool:
        # endswith: a base URL with a path prefix (a proxy) still ends in the documented path.
        return request.url.path.rstrip("/").endswith(self._token_paths)

    def _token_rejected(self, request: httpx.Request, response: httpx.Response) -> bool:
        operation = self._tables.operation_for(request.method, request.url.path)
        operation_id = operation.operation_id if operation is not None else ""
        return isinstance(classified(response, self._tables, operation_id), TokenExpiredError)


def _with_token(request: httpx.Request, token: str, *, deferred: tuple[str, ...]) -> httpx.Request:
    """A copy of the request with the token in the query (the caller's request stays as it was)."""
    extensions = {k: v for k, v in request.extensions.items() if k != DEFERRED_KINDS_EXTENSION}
    if deferred:
        extensions[DEFERRED_KINDS_EXTENSION] = deferred
    return httpx.Request(
        request.method,
        request.url.copy_set_param(CREDENTIAL_QUERY_KEY, token),
        headers=request.headers,
        content=request.content,
        extensions=extensions,
    )
