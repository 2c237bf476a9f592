"""Wire a generated client with shipspec's auth, retrying transport, typed errors and default timeout.

The generated ``AuthenticatedClient`` keeps its token as a plain attrs field (shown by ``repr``), so the real
credential never goes there: it lives in an ``httpx.Auth`` holding a ``Secret``, and the sync and async httpx
clients are built here with that auth and installed on the generated client.

The httpx clients built here remember the URL each (path, params) pair built: the generated functions call
``Client.request`` with the same relative path and, mostly, the same params on every call, and httpx
otherwise parses and re-validates the URL three times per request to build it again (joining the base URL
and the path, then adding the params). Found by ``make bench``: that was a large share of a call's own CPU.
For the calls the generated functions make (a JSON or raw body and a dict of headers, nothing else) they
also build the ``httpx.Request`` directly, with the client's headers merged with the call's once per
distinct pair, as ``Client.build_request`` builds it (tests/overrides/test_wiring_requests.py checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import httpx

from .connections import AsyncGuardedHTTPTransport, GuardedHTTPTransport
from .guards import install as install_spec_errors
from .hooks import araise_for_envelope, raise_for_envelope
from .pacing import Pacer
from .settings import DEFAULT_TIMEOUT
from .transport import AsyncRetryingTransport, RetryingTransport

# What the generated client shows in place of a token: the credential is held by the auth object.
CREDENTIAL_HELD_BY_AUTH = "<held by shipspec auth>"

__all__ = ["CREDENTIAL_HELD_BY_AUTH", "pool_limits", "wire"]

# httpx's own pool size: 100 connections.
_HTTPX_MAX_CONNECTIONS = 100


def pool_limits(concurrency: int | None) -> httpx.Limits:
    """A connection for each of ``concurrency`` calls at once (at least httpx's 100), every one kept alive.

    With fewer kept alive than the calls running at once (httpx keeps 20), every call that finishes closes a
    connection that the next one has to open again: a handshake per call, and the pool's surplus closes are
    one of the ways httpcore closes a connection under a request (``shipspec.connections``).
    """
    if concurrency is None or concurrency < 1:
        concurrency = 0
    size = max(concurrency, _HTTPX_MAX_CONNECTIONS)
    return httpx.Limits(max_connections=size, max_keepalive_connections=size)


class _Settable(Protocol):
    def set_httpx_client(self, client: httpx.Client) -> object: ...
    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> object: ...


C = TypeVar("C", bound=_Settable)

# A client calls a handful of paths; paths with IDs in them are each a new key, so the memo is bounded.
MERGED_URLS_LIMIT = 256
# A client sends a handful of distinct header sets; bounded all the same.
MERGED_HEADERS_LIMIT = 64
# Keyword arguments of the calls built directly; the others only at the values Client.request passes when
# the call does not give them. Anything else (cookies, a timeout, extensions, form data, files) goes
# through httpx's own build_request.
_DIRECT_KWARGS = frozenset({"json", "content", "headers"})
_NOT_GIVEN: dict[str, object] = {
    "data": None,
    "files": None,
    "cookies": None,
    "extensions": None,
    "timeout": httpx.USE_CLIENT_DEFAULT,
}

HeadersKey = tuple[tuple[tuple[bytes, bytes], ...], tuple[tuple[str, str], ...]]


def _query_pairs(params: Any) -> tuple[tuple[str, str], ...] | None:
    """The (str, str) pairs httpx turns params into before it puts them in the URL.

    None and empty params stay apart, as httpx tells them apart. A dict of strings (what the generated
    functions pass) gives its items as they are, which is what ``httpx.QueryParams`` would make of it.
    """
    if params is None:
        return None
    if type(params) is dict and all(type(key) is str and type(value) is str for key, value in params.items()):
        return tuple(params.items())
    return tuple(httpx.QueryParams(params).multi_items())


class _MergedUrls:
    """The URLs ``build_request`` made, keyed by what determines them: the path (a string) and the params.

    The rest of what decides the URL (the client's ``base_url`` and its own ``params``) is checked on every
    call: a new ``base_url`` empties the memo, and a client with params of its own is not memoised at all.
    ``httpx.URL`` is immutable, so one can be shared by every request built from it.
    """

    def __init__(self) -> None:
        self._base: httpx.URL | None = None
        self._urls: dict[tuple[str, tuple[tuple[str, str], ...] | None], httpx.URL] = {}
        self._headers: dict[HeadersKey, httpx.Headers] = {}

    def build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        super_build: Callable[..., httpx.Request],
        method: str,
        url: Any,
        params: Any,
        kwargs: dict[str, Any],
    ) -> httpx.Request:
        if not isinstance(url, str) or client.params:
            return super_build(method, url, params=params, **kwargs)
        try:
            pairs = _query_pairs(params)
        except Exception:  # not params httpx takes: let httpx raise its own error
            return super_build(method, url, params=params, **kwargs)
        base = client.base_url
        if base is not self._base:
            self._urls = {}
            self._base = base
        key = (url, pairs)
        merged = self._urls.get(key)
        if merged is not None:
            direct = self._direct(client, method, merged, kwargs)
            if direct is not None:
                return direct
            return super_build(method, merged, **kwargs)  # absolute, with its query: httpx uses it as it is
        request = super_build(method, url, params=params, **kwargs)
        if len(self._urls) >= MERGED_URLS_LIMIT:
            self._urls.clear()
        self._urls[key] = request.url
        return request

    def _direct(
        self, client: httpx.Client | httpx.AsyncClient, method: str, url: httpx.URL, kwargs: dict[str, Any]
    ) -> httpx.Request | None:
        """The request ``build_request`` makes of a plain call, built without its merging steps; None for
        any other call. Plain: a JSON or raw body, str headers, the client holds no cookies."""
        for name, value in kwargs.items():
            if name not in _DIRECT_KWARGS and (name not in _NOT_GIVEN or value is not _NOT_GIVEN[name]):
                return None
        if client.cookies:
            return None
        headers = self._merged_headers(client, kwargs.get("headers"))
        if headers is None:
            return None
        return httpx.Request(
            method,
            url,
            content=kwargs.get("content"),
            json=kwargs.get("json"),
            headers=headers,  # copied by the request
            extensions={"timeout": client.timeout.as_dict()},
        )

    def _merged_headers(self, client: httpx.Client | httpx.AsyncClient, headers: Any) -> httpx.Headers | None:
        """The client's headers updated with the call's (``Client.build_request``'s merge), remembered."""
        if headers is None:
            headers = {}
        elif type(headers) is not dict or not all(
            type(name) is str and type(value) is str for name, value in headers.items()
        ):
            return None
        key = (tuple(client.headers.raw), tuple(headers.items()))
        merged = self._headers.get(key)
        if merged is None:
            merged = httpx.Headers(client.headers)
            merged.update(headers)
            if len(self._headers) >= MERGED_HEADERS_LIMIT:
                self._headers.clear()
            self._headers[key] = merged
        return merged


class _Client(httpx.Client):
    """``httpx.Client`` that builds each (path, params) URL once (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._merged_urls = _MergedUrls()

    def build_request(
        self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any
    ) -> httpx.Request:
        return self._merged_urls.build(self, super().build_request, method, url, params, kwargs)


class _AsyncClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` that builds each (path, params) URL once (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._merged_urls = _MergedUrls()

    def build_request(
        self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any
    ) -> httpx.Request:
        return self._merged_urls.build(self, super().build_request, method, url, params, kwargs)


def wire(
    generated: C,
    *,
    carrier: str,
    base_url: str,
    auth: httpx.Auth | None,
    timeout: httpx.Timeout | None = None,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
    pacer: Pacer | None = None,
    concurrency: int | None = None,
) -> C:
    """Install sync and async httpx clients on a generated client; return it.

    ``pacer`` (``shipspec.pacing``) paces both clients' requests together; None sends without pacing.
    ``concurrency``: how many calls the caller runs at once (a shipper's ``concurrency``); the connection
    pool keeps at least that many connections alive (``pool_limits``), and never closes one under a request
    (``shipspec.connections``).
    """
    install_spec_errors(carrier)
    effective_timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
    limits = pool_limits(concurrency)
    generated.set_httpx_client(
        _Client(
            base_url=base_url,
            auth=auth,
            timeout=effective_timeout,
            transport=RetryingTransport(
                carrier,
                transport if transport is not None else GuardedHTTPTransport(limits=limits),
                pacer=pacer,
            ),
            event_hooks={"response": [raise_for_envelope]},
        )
    )
    generated.set_async_httpx_client(
        _AsyncClient(
            base_url=base_url,
            auth=auth,
            timeout=effective_timeout,
            transport=AsyncRetryingTransport(
                carrier,
                async_transport if async_transport is not None else AsyncGuardedHTTPTransport(limits=limits),
                pacer=pacer,
            ),
            event_hooks={"response": [araise_for_envelope]},
        )
    )
    return generated
