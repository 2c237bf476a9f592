"""Redis connections for the state several processes share (tokens, carrier pacing): one place for timeouts,
URL checks and typed errors.

The ``redis`` package is the optional ``shipspec[fleet]`` extra: one process needs no Redis, so it is
imported only when a Redis store is built, and its absence is a ``ConfigError`` that says what to install.

- ``connect(url)``: a client with short default timeouts and a single quick retry
  (``settings.REDIS_*``), shared by every store of this process that uses the same URL and timeouts (one
  connection pool; redis-py gives a forked child its own pool).
- ``shared_state_errors(server, doing)``: turns any redis-py error into ``SharedStateError`` naming the
  server (host and port, never a password) and what was being done.
- ``display(url)``: a URL fit for messages and reprs, without its credentials.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import settings
from .errors import ConfigError, SharedStateError

if TYPE_CHECKING:
    import redis

__all__ = ["REDIS_SCHEMES", "connect", "display", "is_redis_url", "shared_state_errors"]

REDIS_SCHEMES = ("redis", "rediss", "unix")
INSTALL_HINT = "pip install 'shipspec[fleet]'"

_clients: dict[tuple[str, float, float], redis.Redis] = {}
_clients_guard = threading.Lock()


def is_redis_url(url: str) -> bool:
    """True for ``redis://``, ``rediss://`` (TLS) and ``unix://`` URLs."""
    return urlsplit(url).scheme in REDIS_SCHEMES


def display(url: str) -> str:
    """The URL without user name and password: what messages and reprs show."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = parts.hostname or "localhost"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a number: connect() refuses the URL with its own message
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def connect(
    url: str,
    *,
    connect_timeout: float = settings.REDIS_CONNECT_TIMEOUT_SECONDS,
    command_timeout: float = settings.REDIS_COMMAND_TIMEOUT_SECONDS,
) -> redis.Redis:
    """The process's client for ``url``.

    ConfigError for a URL that is not Redis or when redis is missing; its message is a predicate ("is not
    a Redis URL …") that callers put after the name of the setting or argument.
    """
    if not is_redis_url(url):
        raise ConfigError("is not a Redis URL (redis://, rediss:// or unix://)")
    try:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry
    except ImportError:
        raise ConfigError(f"needs the redis package: {INSTALL_HINT}") from None
    key = (url, connect_timeout, command_timeout)
    with _clients_guard:
        client = _clients.get(key)
        if client is None:
            try:
                client = redis.Redis.from_url(
                    url,
                    socket_connect_timeout=connect_timeout,
                    socket_timeout=command_timeout,
                    retry=Retry(NoBackoff(), settings.REDIS_COMMAND_RETRIES),
                )
            except ValueError as exc:  # redis-py's message names the URL part, not its credentials
                raise ConfigError(f"is not a usable Redis URL: {exc}") from None
            _clients[key] = client
        return client


@contextmanager
def shared_state_errors(server: str, doing: str) -> Iterator[None]:
    """Within the block, a redis-py error becomes ``SharedStateError`` ("<doing> on <server>: <what>")."""
    import redis

    try:
        yield
    except redis.RedisError as exc:
        # redis-py's messages name host and port, never the password; the type says timeout vs refused.
        raise SharedStateError(f"{doing} on {server}: {type(exc).__name__}: {exc}") from exc
