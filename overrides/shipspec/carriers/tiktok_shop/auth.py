"""``TikTokAuth``: the httpx auth flow that signs TikTok Shop API calls and keeps their token fresh.

One flow per request (sync and async alike):

1. Work out the operation from method + path (the generated tables). Operations whose security does not
   include ``Sign`` (the token calls) pass through untouched.
2. Get a token that stays valid for the refresh buffer (``TikTokTokens.current`` refreshes it first,
   single-flight).
3. Put ``app_key``, a 10-digit ``timestamp`` and, only for operations that take it, ``shop_cipher`` in the
   query; the token in the ``x-tts-access-token`` header; then ``sign`` over the final query and the exact
   body bytes httpx sends (``request.content``).
4. If the answer says the token was rejected (a code whose kind is ``refresh_token``: 105002, or 36009004
   with a token message), refresh that token once, re-sign with a new timestamp and resend once. The second
   answer is returned as it is, whatever it says: never a loop.

httpx runs response event hooks before the auth flow sees an answer, so ``shipspec.hooks.raise_for_envelope``
would raise on the first 105002 and the refresh would never happen. The first attempt therefore carries
the request extension ``shipspec.hooks.DEFERRED_KINDS_EXTENSION`` naming the kinds this flow handles
itself, which the hook lets pass; the resend carries none, so its failure is raised.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Callable, Collection, Generator

import httpx
from shipspec_tiktok_shop.operations import OPERATIONS

from ...errors import InputError, TokenExpiredError
from ...hooks import DEFERRED_KINDS_EXTENSION
from ...spec_tables import CarrierTables, OperationEntry, tables_for
from ...tokens import TokenRecord
from ...transport import classified
from .signing import sign
from .tokens import TikTokTokens

CARRIER = "tiktok_shop"
CREDENTIAL_HEADER = "x-tts-access-token"
SHOP_CIPHER = "shop_cipher"
# Set by this flow, never by the caller: a stale copy must not survive into the signed query.
AUTH_QUERY_KEYS = frozenset({"app_key", "timestamp", "sign"})
REFRESH_KIND = "refresh_token"
# A client sends a handful of distinct queries (the params of its calls); bounded all the same.
KEPT_QUERIES_LIMIT = 256

__all__ = ["TikTokAuth", "operations_taking_shop_cipher"]


@functools.lru_cache(maxsize=256)
def _encoded_query(pairs: tuple[tuple[str, str], ...]) -> str:
    """The query string httpx makes of these pairs (``str(httpx.QueryParams(...))``), remembered."""
    return str(httpx.QueryParams(list(pairs)))


def operations_taking_shop_cipher(tables: CarrierTables) -> frozenset[str]:
    """Operations whose spec takes a shop_cipher query parameter (sending it elsewhere is 36009004)."""
    return frozenset(
        operation.operation_id
        for operation in tables.operations.values()
        if any(p.name == SHOP_CIPHER and p.location == "query" for p in operation.parameters)
    )


class TikTokAuth(httpx.Auth):
    """Sign TikTok Shop requests and refresh a rejected token once (see the module docstring).

    ``shop_cipher`` is used for operations that need one when the call did not pass its own; ``clock`` gives
    the Unix time for ``timestamp`` (defaults to the tokens' clock).
    """

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        tokens: TikTokTokens,
        *,
        shop_cipher: str | None = None,
        clock: Callable[[], float] | None = None,
        shop_cipher_operations: Collection[str] | None = None,
        tables: CarrierTables | None = None,
    ) -> None:
        self._tokens = tokens
        self._shop_cipher = shop_cipher
        self._clock = clock or tokens.clock
        self._tables = tables or tables_for(CARRIER)
        self._shop_cipher_operations = (
            frozenset(shop_cipher_operations)
            if shop_cipher_operations is not None
            else operations_taking_shop_cipher(self._tables)
        )
        # Whether each known operation is signed, worked out once rather than on every request.
        self._signed_operations = {
            operation_id: self._signed(operation)
            for operation_id, operation in self._tables.operations.items()
        }
        self._kept_queries: dict[tuple[bytes, str | None], tuple[tuple[tuple[str, str], ...], str]] = {}

    def __repr__(self) -> str:
        return f"TikTokAuth(app_key={self._tokens.app_key!r}, key={self._tokens.key!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()
        operation = self._operation(request)
        if not self._is_signed(operation):
            yield request
            return
        record = self._tokens.current()
        self._authorize(request, operation, record, deferred=(REFRESH_KIND,))
        response = yield request
        response.read()
        if not self._token_rejected(operation, response):
            return
        record = self._tokens.refresh(stale_access_token=record.access_token)
        self._authorize(request, operation, record, deferred=())
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()
        operation = self._operation(request)
        if not self._is_signed(operation):
            yield request
            return
        record = await self._tokens.acurrent()
        self._authorize(request, operation, record, deferred=(REFRESH_KIND,))
        response = yield request
        await response.aread()
        if not self._token_rejected(operation, response):
            return
        record = await self._tokens.arefresh(stale_access_token=record.access_token)
        self._authorize(request, operation, record, deferred=())
        yield request

    # --- helpers ----------------------------------------------------------------------------------

    def _operation(self, request: httpx.Request) -> OperationEntry | None:
        return self._tables.operation_for(request.method, request.url.path)

    def _is_signed(self, operation: OperationEntry | None) -> bool:
        if operation is None:
            return True
        signed = self._signed_operations.get(operation.operation_id)
        return self._signed(operation) if signed is None else signed

    @staticmethod
    def _signed(operation: OperationEntry | None) -> bool:
        """Unknown operations are treated as shop API calls (signed); known ones say so in their security."""
        if operation is None:
            return True
        spec = OPERATIONS.get(operation.operation_id)
        return spec is None or any("Sign" in requirement for requirement in spec.security)

    def _authorize(
        self,
        request: httpx.Request,
        operation: OperationEntry | None,
        record: TokenRecord,
        *,
        deferred: tuple[str, ...],
    ) -> None:
        """Set the common parameters, the token header and a fresh signature on the request, in place."""
        url = request.url
        kept, kept_encoded = self._kept_query(url.query, operation)
        app_key = self._tokens.app_key
        timestamp = str(int(self._clock()))
        query = [*kept, ("app_key", app_key), ("timestamp", timestamp)]
        signature = sign(
            url.path,
            query,
            request.headers.get("content-type"),
            request.content,
            self._tokens.app_secret.reveal(),
        )
        # What url.copy_with(params=[*query, ("sign", signature)]) sets, without encoding the unchanged
        # pairs again: httpx encodes each pair on its own and joins them with "&" (no key repeats here), and
        # a timestamp (digits) and a sign (hex) come out of any percent-encoding as they went in.
        encoded = [
            kept_encoded,
            _encoded_query((("app_key", app_key),)),
            f"timestamp={timestamp}&sign={signature}",
        ]
        request.url = url.copy_with(query="&".join(part for part in encoded if part).encode("ascii"))
        request.headers[CREDENTIAL_HEADER] = record.access_token
        if deferred:
            request.extensions[DEFERRED_KINDS_EXTENSION] = deferred
        else:
            request.extensions.pop(DEFERRED_KINDS_EXTENSION, None)

    def _kept_query(
        self, raw_query: bytes, operation: OperationEntry | None
    ) -> tuple[tuple[tuple[str, str], ...], str]:
        """The request's own query pairs that are signed and sent (shop_cipher settled), and their encoding.

        Worked out once per query and operation: the same call sends the same query every time.
        """
        key = (raw_query, operation.operation_id if operation is not None else None)
        kept = self._kept_queries.get(key)
        if kept is None:
            pairs = httpx.QueryParams(raw_query.decode("ascii")).multi_items()
            query = self._with_shop_cipher([(k, v) for k, v in pairs if k not in AUTH_QUERY_KEYS], operation)
            kept = (tuple(query), _encoded_query(tuple(query)))
            if len(self._kept_queries) >= KEPT_QUERIES_LIMIT:
                self._kept_queries.clear()
            self._kept_queries[key] = kept
        return kept

    def _with_shop_cipher(
        self, query: list[tuple[str, str]], operation: OperationEntry | None
    ) -> list[tuple[str, str]]:
        if operation is None:
            return query  # not in the spec: leave the caller's query as it is
        needs = operation.operation_id in self._shop_cipher_operations
        has = any(key == SHOP_CIPHER for key, _ in query)
        if has and not needs:
            problem = f"{operation.operation_id} does not take one (the API answers 36009004)"
            raise InputError({SHOP_CIPHER: problem})
        if needs and not has:
            if self._shop_cipher is None:
                problem = f"{operation.operation_id} needs one: pass it to the call or to TikTokAuth"
                raise InputError({SHOP_CIPHER: problem})
            query = [*query, (SHOP_CIPHER, self._shop_cipher)]
        return query

    def _token_rejected(self, operation: OperationEntry | None, response: httpx.Response) -> bool:
        operation_id = operation.operation_id if operation is not None else ""
        return isinstance(classified(response, self._tables, operation_id), TokenExpiredError)
