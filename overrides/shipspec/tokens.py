"""Token records and where they are kept, shared by every carrier's token manager.

A ``TokenStore`` keeps one ``TokenRecord`` per key and hands out a per-key exclusive lock. Token managers use
the lock to make refreshing single-flight: load → (stale) → lock → load again → fetch → save. The lock is
*not* re-entrant, and ``save``/``clear`` never take it themselves, so they can be called while holding it.
``clear(only_if_access_token=…)`` is a compare-and-clear; it is atomic against other writers when the caller
holds ``lock(key)``, which is how the managers call it.

Expiry is absolute wall-clock time (unix seconds), not monotonic: records are shared across processes, and
TikTok hands out absolute timestamps. Managers take an injectable clock for tests.

- ``MemoryTokenStore``: one process; the lock is a ``threading.Lock`` per key.
- ``RedisTokenStore`` (``redis_tokens.py``, the ``shipspec[fleet]`` extra): records in Redis, shared by
  processes on several machines; the lock expires and writes are fenced.
- ``FileTokenStore``: one JSON file per key in a directory, shared by processes on one host. Writes are atomic
  (temp file + ``os.replace``, mode 0600); the lock is a ``threading.Lock`` per key (``flock`` does not
  reliably serialise the threads of one process) plus ``fcntl.flock`` on a separate ``.lock`` file, so
  replacing the data file never races with the lock.

Every store's lock gives up after ``lock_timeout`` seconds with ``TokenStoreError`` instead of hanging
forever, and sooner inside a shipment's deadline (``shipspec.deadline``): a shipment waiting for another
caller's refresh never outlives its deadline (``lock_wait``). A
corrupt or foreign token file reads as absent (logged as a warning that never quotes it) and the next save
replaces it; a file that cannot be read or written at all raises ``TokenStoreError``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import logging
import math
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeGuard, runtime_checkable

from . import settings
from .config import CarrierSettings
from .deadline import current_deadline
from .errors import ConfigError, TokenStoreError
from .secrets import Secret

__all__ = [
    "FileTokenStore",
    "LockWait",
    "MemoryTokenStore",
    "RedisTokenStore",
    "TokenRecord",
    "TokenStore",
    "lock_wait",
    "record_from_json",
    "record_to_json",
    "store_from_settings",
]

logger = logging.getLogger(__name__)  # its records are redacted like every record (shipspec.secrets)

_FILE_FORMAT = 1  # bumped if the JSON layout ever changes; other versions read as corrupt (refetch)
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9_-]")
_MAX_NAME_CHARS = 64


@dataclass(frozen=True)
class TokenRecord:
    """An access token, when it expires (absolute unix seconds) and, for OAuth carriers, its refresh token.

    ``origin`` is an opaque fingerprint (a hash, never a token) of the credentials this record descends
    from, carried over by every refresh: a carrier uses it to tell its own rotated tokens from new ones
    the user configured (TikTok: ``carriers/tiktok_shop/tokens.py``). None when unknown.
    """

    access_token: str
    expires_at: float
    refresh_token: str | None = None
    refresh_expires_at: float | None = None
    origin: str | None = None
    # When the carrier issued it (unix seconds), when known. Not part of equality: two records of the same
    # token and expiry are the same record whether or not the issue time was kept.
    issued_at: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # The tokens as Secrets, alive as long as the record: redact() masks a live Secret's value wherever it
        # shows, so a carrier message or log line quoting a token bare (no "access_token=") is masked too.
        # Not a field: it is never stored, compared or shown.
        held = tuple(Secret(t) for t in (self.access_token, self.refresh_token) if t)
        object.__setattr__(self, "_held_secrets", held)

    def __repr__(self) -> str:
        # Tokens are credentials: show only whether they are there.
        refresh = "None" if self.refresh_token is None else "'***'"
        return (
            f"TokenRecord(access_token='***', expires_at={self.expires_at!r}, "
            f"refresh_token={refresh}, refresh_expires_at={self.refresh_expires_at!r})"
        )

    __str__ = __repr__

    def is_fresh(self, now: float, buffer: float = 0.0) -> bool:
        """True while the access token has more than ``buffer`` seconds left at time ``now``.

        With ``issued_at`` known, the buffer is at most half the token's lifetime: a carrier that hands out
        short-lived tokens (a lifetime under twice the buffer) would otherwise get a new fetch on every call.
        """
        if self.issued_at is not None:
            buffer = min(buffer, max(0.0, (self.expires_at - self.issued_at) / 2))
        return now < self.expires_at - buffer


@runtime_checkable
class TokenStore(Protocol):
    """Where token records live; ``lock(key)`` is exclusive across threads (and processes, for files)."""

    def load(self, key: str) -> TokenRecord | None: ...

    def save(self, key: str, record: TokenRecord) -> None: ...

    def clear(self, key: str, only_if_access_token: str | None = None) -> None: ...

    def lock(self, key: str) -> AbstractContextManager[None]: ...


@dataclass(frozen=True)
class LockWait:
    """How long a store lock may be waited for, until when (monotonic), and why no longer."""

    seconds: float
    until: float
    why: str

    def left(self) -> float:
        return max(self.until - time.monotonic(), 0.0)

    def error(self, key: str) -> TokenStoreError:
        return TokenStoreError(f"token lock for {key!r} not acquired {self.why}")


def lock_wait(lock_timeout: float) -> LockWait:
    """The wait for a token lock starting now: ``lock_timeout``, cut to the time left before the deadline of
    the shipment being sent in this thread or task, if any (nothing is waited for once it has passed)."""
    deadline = current_deadline()
    if deadline is None or deadline.left() >= lock_timeout:
        seconds, why = lock_timeout, f"within {lock_timeout:g}s"
    else:
        seconds, why = max(deadline.left(), 0.0), f"in time: {deadline.why()}"
    return LockWait(seconds, time.monotonic() + seconds, why)


def _acquire_thread_lock(lock: threading.Lock, wait: LockWait, key: str) -> None:
    if not lock.acquire(timeout=wait.left()):
        raise wait.error(key)


class MemoryTokenStore:
    """Token records in this process's memory."""

    def __init__(self, *, lock_timeout: float = settings.TOKEN_LOCK_TIMEOUT_SECONDS) -> None:
        self._lock_timeout = lock_timeout
        self._guard = threading.Lock()  # protects the two dicts, held only for dict operations
        self._records: dict[str, TokenRecord] = {}
        self._locks: dict[str, threading.Lock] = {}

    def __repr__(self) -> str:
        return f"MemoryTokenStore(keys={len(self._records)})"

    def load(self, key: str) -> TokenRecord | None:
        with self._guard:
            return self._records.get(key)

    def save(self, key: str, record: TokenRecord) -> None:
        with self._guard:
            self._records[key] = record

    def clear(self, key: str, only_if_access_token: str | None = None) -> None:
        with self._guard:
            current = self._records.get(key)
            if current is None:
                return
            if only_if_access_token is None or current.access_token == only_if_access_token:
                del self._records[key]

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        wait = lock_wait(self._lock_timeout)
        with self._guard:
            key_lock = self._locks.setdefault(key, threading.Lock())
        _acquire_thread_lock(key_lock, wait, key)
        try:
            yield
        finally:
            key_lock.release()


def record_to_json(record: TokenRecord) -> bytes:
    data: dict[str, Any] = {"format": _FILE_FORMAT, **dataclasses.asdict(record)}
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def record_from_json(raw: bytes) -> TokenRecord:
    """Parse a stored record; ValueError (without the content) when it is not one."""
    data = json.loads(raw)
    if not isinstance(data, dict) or data.get("format") != _FILE_FORMAT:
        raise ValueError("not a token record of this format")
    access_token = data.get("access_token")
    expires_at = data.get("expires_at")
    refresh_token = data.get("refresh_token")
    refresh_expires_at = data.get("refresh_expires_at")
    origin = data.get("origin")  # absent in files written before it existed: unknown
    issued_at = data.get("issued_at")  # likewise
    if not isinstance(access_token, str) or not access_token or not _is_number(expires_at):
        raise ValueError("access_token or expires_at missing or of the wrong type")
    if refresh_token is not None and not isinstance(refresh_token, str):
        raise ValueError("refresh_token of the wrong type")
    if refresh_expires_at is not None and not _is_number(refresh_expires_at):
        raise ValueError("refresh_expires_at of the wrong type")
    if origin is not None and not isinstance(origin, str):
        raise ValueError("origin of the wrong type")
    if issued_at is not None and not _is_number(issued_at):
        raise ValueError("issued_at of the wrong type")
    return TokenRecord(
        access_token=access_token,
        expires_at=float(expires_at),
        refresh_token=refresh_token,
        refresh_expires_at=None if refresh_expires_at is None else float(refresh_expires_at),
        origin=origin,
        issued_at=None if issued_at is None else float(issued_at),
    )


def safe_file_stem(key: str) -> str:
    """A file name stem for a key: its safe characters plus a hash, so distinct keys never share a file."""
    readable = _UNSAFE_CHARS.sub("_", key)[:_MAX_NAME_CHARS] or "key"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{readable}-{digest}"


class FileTokenStore:
    """One JSON file per key under ``directory`` (made 0700 if absent), shared by the processes of a host."""

    def __init__(
        self,
        directory: Path,
        *,
        lock_timeout: float = settings.TOKEN_LOCK_TIMEOUT_SECONDS,
        lock_poll_seconds: float = settings.TOKEN_LOCK_POLL_SECONDS,
    ) -> None:
        self.directory = Path(directory)
        self._lock_timeout = lock_timeout
        self._lock_poll = lock_poll_seconds
        self._guard = threading.Lock()
        self._thread_locks: dict[str, threading.Lock] = {}
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise TokenStoreError(f"cannot create token directory {self.directory}: {exc.strerror}") from exc

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.directory)!r})"

    def path_for(self, key: str) -> Path:
        """The data file of a key."""
        return self.directory / f"{safe_file_stem(key)}.json"

    def _lock_path(self, key: str) -> Path:
        # A separate, never-replaced file: flock on the data file would be lost by os.replace.
        return self.directory / f"{safe_file_stem(key)}.lock"

    def load(self, key: str) -> TokenRecord | None:
        path = self.path_for(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise TokenStoreError(f"cannot read token file {path}: {exc.strerror}") from exc
        try:
            return record_from_json(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            # Never log the content: it may hold a token. The next save overwrites the file.
            reason = str(exc) if type(exc) is ValueError else type(exc).__name__
            logger.warning("token file %s is corrupt (%s); treating it as absent", path, reason)
            return None

    def save(self, key: str, record: TokenRecord) -> None:
        path = self.path_for(key)
        try:
            fd, temp_name = tempfile.mkstemp(dir=self.directory, prefix=f".{path.stem}.", suffix=".tmp")
        except OSError as exc:
            raise TokenStoreError(f"cannot write token file {path}: {exc.strerror}") from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(record_to_json(record))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise TokenStoreError(f"cannot write token file {path}: {exc.strerror}") from exc
        self._sync_directory()

    def _sync_directory(self) -> None:
        # Make the rename durable; best effort (some filesystems refuse fsync on directories).
        with contextlib.suppress(OSError):
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def clear(self, key: str, only_if_access_token: str | None = None) -> None:
        if only_if_access_token is not None:
            current = self.load(key)
            if current is None or current.access_token != only_if_access_token:
                return
        path = self.path_for(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise TokenStoreError(f"cannot remove token file {path}: {exc.strerror}") from exc

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        wait = lock_wait(self._lock_timeout)
        with self._guard:
            thread_lock = self._thread_locks.setdefault(key, threading.Lock())
        _acquire_thread_lock(thread_lock, wait, key)
        try:
            lock_path = self._lock_path(key)
            try:
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise TokenStoreError(f"cannot open lock file {lock_path}: {exc.strerror}") from exc
            try:
                self._flock(fd, wait, key)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            thread_lock.release()

    def _flock(self, fd: int, wait: LockWait, key: str) -> None:
        """Take the process lock, polling (a blocking flock cannot time out) with a short capped backoff."""
        pause = self._lock_poll / 8
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                remaining = wait.left()
                if remaining <= 0:
                    raise wait.error(key) from None
                time.sleep(min(pause, remaining))
                pause = min(pause * 2, self._lock_poll)


def store_from_settings(read: CarrierSettings) -> TokenStore | None:
    """The store a carrier's ``token_store`` (a Redis URL) or ``token_dir`` setting names; None for neither.

    Both at once is a ConfigError: two stores would mean two tokens, which is what a shared store prevents.
    """
    url = read.optional("token_store")
    directory = read.optional("token_dir")
    if url is not None and directory is not None:
        raise read.error("token_store", "and 'token_dir' are both set; keep one")
    if url is not None:
        try:
            return RedisTokenStore(url)
        except ConfigError as exc:
            raise read.error("token_store", str(exc)) from None
    return FileTokenStore(Path(directory)) if directory is not None else None


# At the end: redis_tokens builds on the record codec above (an import cycle that resolves in this order).
from .redis_tokens import RedisTokenStore  # noqa: E402
