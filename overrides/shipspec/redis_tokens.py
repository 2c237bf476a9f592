"""``RedisTokenStore``: token records in Redis, so processes on several machines share one token per app.

Same interface as the other stores (``shipspec.tokens.TokenStore``), so the token managers stay as they are:
load → (stale) → lock → load again → fetch → save. What Redis changes is the lock, which can now outlive
neither its holder's process nor a network partition, and therefore expires:

- ``lock(key)`` takes a Redis lock: ``SET lock owner NX PX ttl`` and, in the same script, ``INCR`` of the
  key's fencing counter, so every holder gets a number larger than any earlier holder's. The lock is
  released with a compare-and-delete script: only while it still holds this holder's random owner value,
  so a holder whose lock expired never deletes the lock of the next one. Threads of one process first queue
  on a ``threading.Lock`` per key, so only one of them polls Redis.
- A holder can pause past its lock's expiry (a stop-the-world pause, a slow carrier) while another takes the
  lock and stores a newer token. Its late ``save``/``clear`` then carries a fencing number that is no longer
  the latest, and the write script refuses it atomically (M. Kleppmann, "How to do distributed locking",
  2016): the newer token stays. The refused write is logged as a warning; the slow holder's caller still
  gets the token it fetched, which the carrier issued and which stays valid until its own expiry.
- A ``save`` or ``clear`` without the lock (a caller seeding the store) takes a fresh fencing number:
  it is the newest write, and an older holder still in flight cannot overwrite it afterwards either.

Records are JSON (the ``FileTokenStore`` layout) in a hash with their fencing number; a record that does not
parse reads as absent. Redis holds credentials here: give it a password (``redis://:pw@host``) or ACL user
and TLS (``rediss://``) off a private network. Every Redis failure is a ``SharedStateError`` within the
client's timeouts (``settings.REDIS_*``), never a hang; a lock not taken within ``lock_timeout`` is a
``TokenStoreError``, like the other stores.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from typing import Any

from . import settings
from .redis_client import connect, display, shared_state_errors
from .tokens import LockWait, TokenRecord, lock_wait, record_from_json, record_to_json

__all__ = ["RedisTokenStore"]

logger = logging.getLogger(__name__)  # its records are redacted like every record (shipspec.secrets)

# KEYS: lock, fence. ARGV: owner, ttl ms. The fencing number when the lock was taken, else nil.
_ACQUIRE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return nil
"""
# KEYS: lock. ARGV: owner. Deletes the lock only while it is still this owner's.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# KEYS: record, fence. ARGV: fencing number (0 = none held: take a fresh one), record JSON.
# Writes only when no holder took the lock after this one; returns 1 when written, 0 when refused.
_SAVE = """
local fence = tonumber(ARGV[1])
if fence == 0 then
  fence = redis.call('INCR', KEYS[2])
elseif tonumber(redis.call('GET', KEYS[2]) or '0') > fence then
  return 0
end
redis.call('HSET', KEYS[1], 'record', ARGV[2], 'fence', fence)
return 1
"""
# KEYS: record, fence. ARGV: fencing number (0 = none held), access token to match ('' = any).
# Returns 1 when the record was deleted or absent, 0 when refused (a newer holder) or not matching.
_CLEAR = """
local fence = tonumber(ARGV[1])
if fence == 0 then
  redis.call('INCR', KEYS[2])
elseif tonumber(redis.call('GET', KEYS[2]) or '0') > fence then
  return 0
end
if ARGV[2] ~= '' then
  local raw = redis.call('HGET', KEYS[1], 'record')
  if not raw then return 1 end
  local ok, record = pcall(cjson.decode, raw)
  if not ok or type(record) ~= 'table' or record['access_token'] ~= ARGV[2] then return 0 end
end
redis.call('DEL', KEYS[1])
return 1
"""


class RedisTokenStore:
    """Token records in the Redis at ``url``, shared by every process and machine that uses it.

    ``prefix`` namespaces the keys (several shipspec deployments on one Redis). ``lock_ttl``: how long a
    lock outlives a holder that never releases it; ``lock_timeout``: how long ``lock`` waits before
    ``TokenStoreError``; ``connect_timeout``/``command_timeout`` bound every Redis call.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "shipspec:",
        lock_ttl: float = settings.REDIS_TOKEN_LOCK_TTL_SECONDS,
        lock_timeout: float = settings.TOKEN_LOCK_TIMEOUT_SECONDS,
        lock_poll_seconds: float = settings.TOKEN_LOCK_POLL_SECONDS,
        connect_timeout: float = settings.REDIS_CONNECT_TIMEOUT_SECONDS,
        command_timeout: float = settings.REDIS_COMMAND_TIMEOUT_SECONDS,
    ) -> None:
        if lock_ttl <= 0:
            raise ValueError("lock_ttl must be more than 0 seconds")
        self.server = display(url)
        self._redis = connect(url, connect_timeout=connect_timeout, command_timeout=command_timeout)
        self._prefix = prefix
        self._lock_ttl_ms = max(1, round(lock_ttl * 1000))
        self._lock_timeout = lock_timeout
        self._lock_poll = lock_poll_seconds
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)
        self._save = self._redis.register_script(_SAVE)
        self._clear = self._redis.register_script(_CLEAR)
        self._guard = threading.Lock()
        self._thread_locks: dict[str, threading.Lock] = {}
        # key → fencing number of the lock this store holds. One holder per key per store (the thread lock),
        # and a dict rather than a thread-local: async callers take the lock in a worker thread and save
        # from the event loop's thread.
        self._fences: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"RedisTokenStore({self.server!r}, prefix={self._prefix!r})"

    def _keys(self, key: str) -> tuple[str, str, str]:
        base = f"{self._prefix}token:{key}"
        return base, f"{base}:lock", f"{base}:fence"

    def _call(self, doing: str, key: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        with shared_state_errors(self.server, f"{doing} token {key!r}"):
            return function(*args, **kwargs)

    def load(self, key: str) -> TokenRecord | None:
        record_key, _, _ = self._keys(key)
        raw = self._call("reading", key, self._redis.hget, record_key, "record")
        if raw is None:
            return None
        try:
            return record_from_json(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            reason = str(exc) if type(exc) is ValueError else type(exc).__name__
            logger.warning("token record %r in %s is corrupt (%s); treating it as absent", key, self, reason)
            return None

    def save(self, key: str, record: TokenRecord) -> None:
        record_key, _, fence_key = self._keys(key)
        fence = self._fences.get(key, 0)
        args = [fence, record_to_json(record)]
        written = self._call("writing", key, self._save, keys=[record_key, fence_key], args=args)
        if not written:
            self._refused("save", key)

    def clear(self, key: str, only_if_access_token: str | None = None) -> None:
        record_key, _, fence_key = self._keys(key)
        args = [self._fences.get(key, 0), only_if_access_token or ""]
        self._call("clearing", key, self._clear, keys=[record_key, fence_key], args=args)

    def _refused(self, what: str, key: str) -> None:
        logger.warning(
            "token %r: %s refused, another holder took the lock after this one's expired and its token stays",
            key,
            what,
        )

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        wait = lock_wait(self._lock_timeout)
        with self._guard:
            thread_lock = self._thread_locks.setdefault(key, threading.Lock())
        if not thread_lock.acquire(timeout=wait.left()):
            raise wait.error(key)
        try:
            owner = secrets.token_hex(16)
            self._fences[key] = self._take(key, owner, wait)
            try:
                yield
            finally:
                del self._fences[key]
                _, lock_key, _ = self._keys(key)
                self._call("releasing the lock of", key, self._release, keys=[lock_key], args=[owner])
        finally:
            thread_lock.release()

    def _take(self, key: str, owner: str, wait: LockWait) -> int:
        """Poll for the Redis lock with a short capped backoff; its fencing number once taken."""
        _, lock_key, fence_key = self._keys(key)
        pause = self._lock_poll / 8
        while True:
            fence = self._call(
                "locking",
                key,
                self._acquire,
                keys=[lock_key, fence_key],
                args=[owner, self._lock_ttl_ms],
            )
            if fence is not None:
                return int(fence)
            remaining = wait.left()
            if remaining <= 0:
                raise wait.error(key)
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, self._lock_poll)
