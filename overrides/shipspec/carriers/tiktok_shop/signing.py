"""TikTok Shop request signing (API 202309): pure functions, no I/O.

The algorithm is the spec's root ``x-auth.signing`` (specs/tiktok_shop.yaml), from the vendor's
"sign your API request" page:

    app_secret + path + k1 v1 k2 v2 ... (query keys sorted, sign/access_token left out)
              + body bytes (unless multipart/form-data) + app_secret
    sign = lowercase hex HMAC-SHA256 of that, keyed with app_secret

The string is built as bytes so the body is signed exactly as it is sent, whatever its encoding.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Sequence
from email.message import Message

# Never part of the signed string: the signature itself and the legacy query-string token.
EXCLUDED_QUERY_KEYS = frozenset({"sign", "access_token"})
MULTIPART_FORM_DATA = "multipart/form-data"
TIMESTAMP = "timestamp"

__all__ = ["EXCLUDED_QUERY_KEYS", "QuerySigner", "is_multipart", "sign", "string_to_sign"]


def is_multipart(content_type: str | None) -> bool:
    """Whether a Content-Type's media type is multipart/form-data (case-insensitive, parameters ignored)."""
    if not content_type:
        return False
    return _media_type_is_multipart(content_type)


@functools.lru_cache(maxsize=64)
def _media_type_is_multipart(content_type: str) -> bool:
    """``is_multipart`` for a non-empty header, remembered: a client sends a handful of Content-Types, and
    parsing one with the email package each call was a measurable share of signing (``make bench``)."""
    # The official Java/Node/Python samples compare the whole header; a real multipart request always
    # carries "; boundary=...", so only the media type is compared (as the official Go sample does).
    message = Message()
    message["content-type"] = content_type
    return message.get_content_type() == MULTIPART_FORM_DATA


def _sorted_pairs(query: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The signed pairs in signing order: keys in byte order (stable, so repeated keys keep theirs)."""
    return sorted(
        ((key, value) for key, value in query if key not in EXCLUDED_QUERY_KEYS),
        key=lambda pair: pair[0].encode("utf-8"),
    )


def string_to_sign(
    path: str,
    query: Sequence[tuple[str, str]],
    content_type: str | None,
    body: bytes,
    app_secret: str,
) -> bytes:
    """Return the exact bytes that are HMAC-ed: secret, path, sorted query pairs, body, secret.

    ``query`` holds the decoded (key, value) pairs as the server will see them; keys are sorted in byte
    order (case-sensitive) and repeated keys keep their given order, though the spec asks callers to avoid
    them.
    """
    parts = [app_secret.encode("utf-8"), path.encode("utf-8")]
    parts.extend(f"{key}{value}".encode() for key, value in _sorted_pairs(query))
    if not is_multipart(content_type):
        parts.append(body)
    parts.append(app_secret.encode("utf-8"))
    return b"".join(parts)


def sign(
    path: str,
    query: Sequence[tuple[str, str]],
    content_type: str | None,
    body: bytes,
    app_secret: str,
) -> str:
    """Return the request's ``sign`` value: lowercase hex HMAC-SHA256 of the string to sign."""
    message = string_to_sign(path, query, content_type, body, app_secret)
    # hmac.digest: the same HMAC in one C call, without building an hmac.HMAC object per request.
    return hmac.digest(app_secret.encode("utf-8"), message, hashlib.sha256).hex()


class QuerySigner:
    """``sign`` for the requests of one path and query that differ only in their ``timestamp`` and body.

    The same call sends the same path and query pairs every time; only the timestamp and the body change.
    The pairs are sorted and encoded here once, so each signature joins a few prepared byte strings with
    the timestamp and the body (``sign`` sorted and encoded every pair on every request). Holds no secret:
    the app secret is passed to each ``sign`` call.
    """

    __slots__ = ("_after", "_before")

    def __init__(self, path: str, query: Sequence[tuple[str, str]]) -> None:
        """``query``: every signed pair but the timestamp, which each ``sign`` call supplies."""
        if any(key == TIMESTAMP for key, _ in query):
            raise ValueError("the timestamp is given to each sign() call, not to the signer")
        pairs = _sorted_pairs([*query, (TIMESTAMP, "")])
        at = pairs.index((TIMESTAMP, ""))
        encoded = [f"{key}{value}".encode() for key, value in pairs]
        self._before = path.encode("utf-8") + b"".join(encoded[:at]) + TIMESTAMP.encode()
        self._after = b"".join(encoded[at + 1 :])

    def sign(self, timestamp: str, content_type: str | None, body: bytes, app_secret: str) -> str:
        """The ``sign`` of this path and query with ``timestamp`` added (equal to ``sign(...)``'s)."""
        secret = app_secret.encode("utf-8")
        signed_body = b"" if is_multipart(content_type) else body
        message = b"".join((secret, self._before, timestamp.encode(), self._after, signed_body, secret))
        return hmac.digest(secret, message, hashlib.sha256).hex()
