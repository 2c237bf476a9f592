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

from collections.abc import AsyncGenerator, Callable, Collection, Generator, Sequence
from dataclasses import dataclass

import httpx
from shipspec_tiktok_shop.operations import OPERATIONS

from ...errors import InputError, TokenExpiredError
from ...hooks import DEFERRED_KINDS_EXTENSION
from ...spec_tables import CarrierTables, OperationEntry, tables_for
from ...tokens import TokenRecord
from ...transport import classified
from .signing import QuerySigner
from .tokens import TikTokTokens

CARRIER = "tiktok_shop"
CREDENTIAL_HEADER = "x-tts-access-token"
SHOP_CIPHER = "shop_cipher"
# Set by this flow, never by the caller: a stale copy must not survive into the signed query.
AUTH_QUERY_KEYS = frozenset({"app_key", "timestamp", "sign"})
REFRESH_KIND = "refresh_token"
# A client sends a handful of distinct URLs (the paths and params of its calls); bounded all the same.
SIGNED_URLS_LIMIT = 256

__all__ = ["TikTokAuth", "operations_taking_shop_cipher"]


@dataclass(frozen=True)
class _SignedUrl:
    """How the requests of one URL and operation are signed and their signed URL is written.

    ``query_head``: the signed query up to the timestamp's value (the request's own pairs, ``app_key``,
    ``timestamp=``), encoded as ``url.copy_with(params=...)`` encodes it: httpx encodes each pair on its
    own and joins them with "&". ``url_head``: the whole signed URL up to the same point, so a request's
    signed URL is built with one ``httpx.URL(...)`` parse; None when that would not give exactly what
    ``copy_with(query=...)`` gives (then it is used instead).
    """

    signer: QuerySigner
    query_head: str
    url_head: str | None

    @classmethod
    def of(cls, url: httpx.URL, kept: Sequence[tuple[str, str]], app_key: str) -> _SignedUrl:
        app_key_pair = (("app_key", app_key),)
        encoded = [str(httpx.QueryParams(tuple(kept))), str(httpx.QueryParams(app_key_pair)), "timestamp="]
        query_head = "&".join(part for part in encoded if part)
        whole = str(url).partition("?")[0] + "?" + query_head
        probe = "0&sign=0"
        copied = url.copy_with(query=(query_head + probe).encode())
        exact = not url.fragment and httpx.URL(whole + probe) == copied
        # Otherwise: a fragment (never sent), or a URL httpx would write differently when parsed again.
        return cls(QuerySigner(url.path, [*kept, *app_key_pair]), query_head, whole if exact else None)


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
        self._signed_urls: dict[tuple[str, str | None], _SignedUrl] = {}

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
        signed = self._signed_url(url, operation)
        timestamp = str(int(self._clock()))
        signature = signed.signer.sign(
            timestamp, request.headers.get("content-type"), request.content, self._tokens.app_secret.reveal()
        )
        # A timestamp (digits) and a sign (hex) come out of any percent-encoding as they went in.
        rest = f"{timestamp}&sign={signature}"
        if signed.url_head is not None:
            request.url = httpx.URL(signed.url_head + rest)  # the one URL parse of the call
        else:
            request.url = url.copy_with(query=(signed.query_head + rest).encode("ascii"))
        request.headers[CREDENTIAL_HEADER] = record.access_token
        if deferred:
            request.extensions[DEFERRED_KINDS_EXTENSION] = deferred
        else:
            request.extensions.pop(DEFERRED_KINDS_EXTENSION, None)

    def _signed_url(self, url: httpx.URL, operation: OperationEntry | None) -> _SignedUrl:
        """How requests to this URL for this operation are signed and their signed URL written, worked out
        once per URL and operation: the same call sends the same URL every time."""
        key = (str(url), operation.operation_id if operation is not None else None)
        signed = self._signed_urls.get(key)
        if signed is None:
            signed = _SignedUrl.of(url, self._kept_query(url.query, operation), self._tokens.app_key)
            if len(self._signed_urls) >= SIGNED_URLS_LIMIT:
                self._signed_urls.clear()
            self._signed_urls[key] = signed
        return signed

    def _kept_query(self, raw_query: bytes, operation: OperationEntry | None) -> list[tuple[str, str]]:
        """The request's own query pairs that are signed and sent, shop_cipher settled."""
        pairs = httpx.QueryParams(raw_query.decode("ascii")).multi_items()
        return self._with_shop_cipher([(k, v) for k, v in pairs if k not in AUTH_QUERY_KEYS], operation)

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
