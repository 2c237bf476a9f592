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
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import httpx

from .errors import CarrierError, ResponseDecodeError
from .spec_tables import tables_for
from .transport import CARRIER_EXTENSION, OPERATION_EXTENSION, classified, target_of

__all__ = ["DEFERRED_KINDS_EXTENSION", "araise_for_envelope", "envelope_error", "raise_for_envelope"]

DEFERRED_KINDS_EXTENSION: Final = "shipspec_deferred_error_kinds"
"""Request extension: the error kinds the auth flow handles itself this attempt (``("refresh_token",)``)."""
ANSWER_CHECKED_EXTENSION: Final = "spec_answer_checked"
"""Response extension the generated ``checks.check_answer`` reads (the same in every generated package)."""


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


def raise_for_envelope(response: httpx.Response) -> None:
    """Sync response hook: raise the typed error the answer means, if any."""
    response.read()
    error = envelope_error(response)
    if error is not None:
        raise error


async def araise_for_envelope(response: httpx.Response) -> None:
    """Async response hook: raise the typed error the answer means, if any."""
    await response.aread()
    error = envelope_error(response)
    if error is not None:
        raise error
