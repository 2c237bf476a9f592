"""Wire a generated client with shipspec's auth, retrying transport, typed errors and default timeout.

The generated ``AuthenticatedClient`` keeps its token as a plain attrs field (shown by ``repr``), so the real
credential never goes there: it lives in an ``httpx.Auth`` holding a ``Secret``, and the sync and async httpx
clients are built here with that auth and installed on the generated client.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

import httpx

from .hooks import araise_for_envelope, raise_for_envelope
from .settings import DEFAULT_TIMEOUT
from .transport import AsyncRetryingTransport, RetryingTransport

# What the generated client shows in place of a token: the credential is held by the auth object.
CREDENTIAL_HELD_BY_AUTH = "<held by shipspec auth>"

__all__ = ["CREDENTIAL_HELD_BY_AUTH", "wire"]


class _Settable(Protocol):
    def set_httpx_client(self, client: httpx.Client) -> object: ...
    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> object: ...


C = TypeVar("C", bound=_Settable)


def wire(
    generated: C,
    *,
    carrier: str,
    base_url: str,
    auth: httpx.Auth | None,
    timeout: httpx.Timeout | None = None,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
) -> C:
    """Install sync and async httpx clients on a generated client; return it."""
    effective_timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
    generated.set_httpx_client(
        httpx.Client(
            base_url=base_url,
            auth=auth,
            timeout=effective_timeout,
            transport=RetryingTransport(carrier, transport),
            event_hooks={"response": [raise_for_envelope]},
        )
    )
    generated.set_async_httpx_client(
        httpx.AsyncClient(
            base_url=base_url,
            auth=auth,
            timeout=effective_timeout,
            transport=AsyncRetryingTransport(carrier, async_transport),
            event_hooks={"response": [araise_for_envelope]},
        )
    )
    return generated
