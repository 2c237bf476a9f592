"""httpx response hooks that raise shipspec's typed errors: ``raise_for_envelope``, ``araise_for_envelope``.

Use them with a shipspec transport, which tells the hook the carrier and the operation::

    httpx_args={"transport": RetryingTransport("baaship"), "event_hooks": {"response": [raise_for_envelope]}}

Then a generated client's ``sync()``/``sync_detailed()`` raises a ``CarrierError`` subclass for a business
error inside an HTTP 200 envelope, and ``ResponseDecodeError`` for an HTML page, truncated or invalid JSON
or an enum value the spec does not list, instead of returning ``None`` or raising a bare ``ValueError``.
Partial successes (TikTok code 0 with ``data.errors``) are successes here: the caller reads the items.

httpx runs response hooks *before* the auth flow sees the answer. An auth flow that still means to act on
some kinds (refresh the token on ``refresh_token``) names them in the request extension
``DEFERRED_KINDS_EXTENSION`` for that attempt; the hook lets those pass, and the flow's resend, sent
without the extension, is raised as usual.

Both hooks also ``release_stream``: httpx's wrapper around every response's stream points back at the
response, a reference cycle that only the cyclic garbage collector frees, so each call's whole response
graph (request, streams, httpcore's pool request and its events: about 55 objects) waited for a collector
pass, which then ran every 15-25 calls (found with ``gc.callbacks`` and ``gc.DEBUG_SAVEALL`` under ``make
bench``). The shipspec transport has read and closed every answer before httpx wraps it, so the wrapper is
never used again; dropping it lets reference counting free the response as soon as nobody holds it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import httpx

from .errors import CarrierError, ResponseDecodeError
from .spec_tables import tables_for
from .transport import CARRIER_EXTENSION, OPERATION_EXTENSION, classified, target_of

__all__ = [
    "DEFERRED_KINDS_EXTENSION",
    "araise_for_envelope",
    "envelope_error",
    "raise_for_envelope",
    "release_stream",
]

DEFERRED_KINDS_EXTENSION: Final = "shipspec_deferred_error_kinds"
"""Request extension: the error kinds the auth flow handles itself this attempt (``("refresh_token",)``)."""
ANSWER_CHECKED_EXTENSION: Final = "spec_answer_checked"
"""Response extension the generated ``checks.check_answer`` reads (the same in every generated package)."""
# What a closed response's stream becomes (see the module docstring); httpx never reads it again.
_RELEASED = httpx.ByteStream(b"")


def envelope_error(response: httpx.Response) -> CarrierError | ResponseDecodeError | None:
    """The typed error a read response means, or None (a success, or a kind the auth flow defers)."""
    carrier = response.extensions.get(CARRIER_EXTENSION)
    if not isinstance(carrier, str):
        raise RuntimeError(
            "raise_for_envelope needs the carrier: send through shipspec.transport.RetryingTransport "
            "or AsyncRetryingTransport"
        )
    request = response.request
    operation_id = response.extensions.get(OPERATION_EXTENSION)
    if not isinstance(operation_id, str):
        operation_id = target_of(carrier, request).operation_id
    error = classified(response, tables_for(carrier), operation_id)
    if error is None:
        # The answer was held to the spec here: the generated function need not decode and check it again.
        response.extensions[ANSWER_CHECKED_EXTENSION] = True
    deferred: Collection[str] = request.extensions.get(DEFERRED_KINDS_EXTENSION, ())
    if isinstance(error, CarrierError) and error.kind in deferred:
        return None
    return error


def release_stream(response: httpx.Response) -> None:
    """Drop a read and closed response's stream, which httpx's client wraps in one that refers back to the
    response: without that cycle, the response is freed without waiting for the garbage collector. A
    response still open keeps its stream (closing it later still needs it)."""
    if response.is_closed:
        response.stream = _RELEASED


def raise_for_envelope(response: httpx.Response) -> None:
    """Sync response hook: raise the typed error the answer means, if any."""
    response.read()
    release_stream(response)
    error = envelope_error(response)
    if error is not None:
        raise error


async def araise_for_envelope(response: httpx.Response) -> None:
    """Async response hook: raise the typed error the answer means, if any."""
    await response.aread()
    release_stream(response)
    error = envelope_error(response)
    if error is not None:
        raise error
