"""Keep app secrets, tokens and signatures out of reprs, exceptions and logs.

- ``Secret`` holds a credential; its ``repr``/``str``/format are ``***``; only ``.reveal()`` gives the value.
  Every live ``Secret`` is also scrubbed from log records that pass a ``RedactingFilter``.
- ``redact(text)`` replaces known secret values (of at least ``MIN_BARE_LENGTH`` characters) and the
  usual ``key=value`` / ``"key": "value"`` / ``Header: value`` shapes of credential fields (sign,
  access_token, app_secret, secret, token headers ...).
- ``RedactingFilter`` applies ``redact`` to a log record's message, arguments and traceback text.

Importing this module (``import shipspec`` does) wraps the process's log record factory so that every record,
whichever logger makes it, is redacted as it is made (``install_record_redaction``). A logger's filter would
not do: it sees only the records logged on that logger itself, not its children's, and a handler's filter
only the handlers it is added to; httpcore logs a redirect's ``Location`` (which may echo a request's
``app_secret=…&refresh_token=…``) on ``httpcore.http11``, a logger nobody thinks of. A record is made only
when its logger is enabled for its level, so the cost is paid only for what is really logged.
``redact_logger`` still adds a ``RedactingFilter`` to one logger, for a program that replaces the factory.
"""

from __future__ import annotations

import hmac
import logging
import re
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Final

__all__ = [
    "MASK",
    "MIN_BARE_LENGTH",
    "SECRET_KEYS",
    "RedactingFilter",
    "Secret",
    "install_record_redaction",
    "redact",
    "redact_logger",
]

MASK: Final = "***"

MIN_BARE_LENGTH: Final = 6
"""Known values shorter than this are masked only where they stand as a credential field's value.

A value of a character or two ("s", "k") is part of every word: masking it wherever it occurs turned
"HTTP Request" into "HTTP Reque***t" and made what a log line says depend on which ``Secret`` objects
happened to be alive. Real carrier credentials are far longer (TikTok app secrets 40 characters, WeChat
secrets 32, tokens longer still), so every real one is still masked wherever it appears.
"""

SECRET_KEYS: Final = (
    "x-tts-access-token",
    "access_token",
    "refresh_token",
    "app_secret",
    "appsecret",
    "secret",
    "auth_code",
    "api_token",
    "api_key",
    "sign",
    "token",
    "authorization",
)
"""Names whose value is a credential wherever they appear (query, form, JSON, header, tuple)."""

_KEYS = "|".join(re.escape(key) for key in SECRET_KEYS)
# key, then a separator: key=value / "key": "value" / Key: value / ('key', 'value') / (b'key', b'value')
_KEY_VALUE = re.compile(
    rf"""(?P<key>(?<![\w-])(?:{_KEYS})(?![\w-]))"""
    r"""(?P<sep>['"]?\s*[:=]\s*(?:b?['"])?|['"]\s*,\s*b?['"])"""
    r"""(?P<scheme>(?:bearer|basic)\s+)?"""
    r"""(?P<value>[^\s'"&,;)}\]]+)""",
    re.IGNORECASE,
)
_BEARER = re.compile(r"\b(?P<scheme>bearer|basic)\s+(?P<value>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE)

_LIVE: weakref.WeakSet[Secret] = weakref.WeakSet()


class Secret:
    """A credential whose text never shows in ``repr``/``str``/f-strings; ``reveal()`` returns it."""

    __slots__ = ("__weakref__", "_value")

    def __init__(self, value: str | Secret) -> None:
        self._value = value.reveal() if isinstance(value, Secret) else value
        _LIVE.add(self)

    def reveal(self) -> str:
        """The credential itself: call only where it is sent or signed."""
        return self._value

    def __repr__(self) -> str:
        return MASK

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def _known_values(secrets: Iterable[str | Secret]) -> list[str]:
    values = {s.reveal() if isinstance(s, Secret) else s for s in secrets}
    values.update(secret.reveal() for secret in list(_LIVE))
    # longest first: a value inside another is not half-masked
    return sorted((value for value in values if len(value) >= MIN_BARE_LENGTH), key=len, reverse=True)


def redact(text: str, secrets: Iterable[str | Secret] = ()) -> str:
    """Mask in ``text`` the given values, every live ``Secret``'s value and credential-shaped fields."""
    for value in _known_values(secrets):
        text = text.replace(value, MASK)
    text = _BEARER.sub(lambda m: f"{m['scheme']} {MASK}", text)
    return _KEY_VALUE.sub(lambda m: f"{m['key']}{m['sep']}{m['scheme'] or ''}{MASK}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the record (message, arguments, traceback); it drops nothing."""

    def __init__(self, secrets: Iterable[str | Secret] = ()) -> None:
        super().__init__()
        self._secrets: list[str | Secret] = list(secrets)

    def add(self, secret: str | Secret) -> None:
        """Mask this value too (a ``Secret`` is masked anyway while it is alive)."""
        self._secrets.append(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        _scrub(record, self._secrets)
        return True


def _scrub(record: logging.LogRecord, secrets: Iterable[str | Secret]) -> None:
    """Redact a record in place: its message (formatted with its arguments), traceback and stack text."""
    try:
        message = record.getMessage()
    except Exception:  # arguments that do not fit the message: show neither unredacted
        message = f"{record.msg} (log arguments not shown: they do not fit the message)"
    record.msg = redact(message, secrets)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text, secrets)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, secrets)


class _RedactingRecordFactory:
    """Makes each record with the factory it replaced, then redacts it."""

    def __init__(self, inner: Callable[..., logging.LogRecord]) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        _scrub(record, ())
        return record


def install_record_redaction() -> None:
    """Redact every log record of the process as it is made (once; the current factory is kept inside)."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, _RedactingRecordFactory):
        logging.setLogRecordFactory(_RedactingRecordFactory(current))


def redact_logger(logger: logging.Logger | str) -> RedactingFilter:
    """Add (once) a ``RedactingFilter`` to a logger and return it."""
    target = logging.getLogger(logger) if isinstance(logger, str) else logger
    for existing in target.filters:
        if isinstance(existing, RedactingFilter):
            return existing
    added = RedactingFilter()
    target.addFilter(added)
    return added


install_record_redaction()
