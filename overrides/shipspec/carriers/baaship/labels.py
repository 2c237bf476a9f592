"""Downloading a Baaship label PDF from its labelUrl: a safe GET, retried, with a size cap.

The labelUrl is a plain link (no token goes with it). A download is a read, so connection failures,
timeouts and 5xx answers are retried by the usual policy; 404 is ``NotFoundError``. The body is read in
pieces and refused past ``MAX_LABEL_BYTES``: a label is a few hundred KB, and a link that streams without
end must not fill the memory.
"""

from __future__ import annotations

from typing import Final

import httpx

from ...errors import (
    AmbiguousTimeoutError,
    CarrierError,
    ConnectError,
    ResponseDecodeError,
    ShipspecError,
    carrier_error,
)
from ...retry import RetryPolicy
from ...secrets import redact
from ...transport import pause

__all__ = ["MAX_LABEL_BYTES", "PDF_MAGIC", "download_label"]

MAX_LABEL_BYTES: Final = 20 * 1024 * 1024
"""A merged label file of a large shipment is still far below this."""
PDF_MAGIC: Final = b"%PDF"
WHERE: Final = {"carrier": "baaship", "operation": "labelPdf"}


def _fetch(http: httpx.Client, url: str) -> bytes:
    """One attempt: the body, or a typed error (ConnectError / AmbiguousTimeoutError / CarrierError)."""
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                status = response.status_code
                kind = "not_found" if status == 404 else "retry" if status >= 500 else "unknown"
                raise carrier_error(kind, code=None, message=f"HTTP {status}", http_status=status, **WHERE)
            body = bytearray()
            for piece in response.iter_bytes():
                body += piece
                if len(body) > MAX_LABEL_BYTES:
                    raise ResponseDecodeError(
                        f"label larger than {MAX_LABEL_BYTES} bytes",
                        http_status=response.status_code,
                        body_excerpt="",
                        **WHERE,
                    )
            return bytes(body)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise ConnectError(redact(f"{type(exc).__name__}: {exc}"), **WHERE) from exc
    except httpx.TransportError as exc:
        raise AmbiguousTimeoutError(redact(f"{type(exc).__name__}: {exc}"), **WHERE) from exc


def _worth_again(error: ShipspecError) -> bool:
    if isinstance(error, ConnectError | AmbiguousTimeoutError):
        return True  # a GET of a link: nothing happens twice
    return isinstance(error, CarrierError) and error.kind == "retry"


def download_label(
    url: str, *, timeout: httpx.Timeout, transport: httpx.BaseTransport | None, policy: RetryPolicy
) -> bytes:
    """The PDF bytes behind ``url``; typed errors after the policy's attempts."""
    with httpx.Client(timeout=timeout, follow_redirects=True, transport=transport) as http:
        attempt = 1
        while True:
            try:
                content = _fetch(http, url)
                break
            except ShipspecError as error:
                if attempt >= policy.max_attempts or not _worth_again(error):
                    raise
                pause(policy.backoff(attempt))
                attempt += 1
    if not content.startswith(PDF_MAGIC):
        raise ResponseDecodeError(
            "label is not a PDF",
            http_status=200,
            body_excerpt=redact(content[:200].decode("utf-8", "replace")),
            **WHERE,
        )
    return content
