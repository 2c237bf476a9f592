"""RedisTokenStore against a private redis-server: expiring locks, fencing of late writes, corrupt records."""

from __future__ import annotations

import logging
import threading
import time
import uuid

import pytest
import redis
from shipspec.errors import TokenStoreError
from shipspec.tokens import RedisTokenStore, TokenRecord

LOCK_TTL = 0.3  # the holder's lock expires after this; the tests pause longer than it
PAST_TTL = 3 * LOCK_TTL
KEY = "wechat_shop.app.stable"


def pair(redis_url: str, **options: float) -> tuple[RedisTokenStore, RedisTokenStore]:
    """Two stores on one Redis and prefix: two machines sharing the same tokens."""
    prefix = f"test-{uuid.uuid4().hex}:"
    return (
        RedisTokenStore(redis_url, prefix=prefix, lock_ttl=LOCK_TTL, **options),
        RedisTokenStore(redis_url, prefix=prefix, lock_ttl=LOCK_TTL, **options),
    )


EXPIRES_AT = 4_000_000_000.0


def token(name: str) -> TokenRecord:
    return TokenRecord(access_token=name, expires_at=EXPIRES_AT)


def test_a_holder_paused_past_its_lock_cannot_overwrite_a_newer_token(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A takes the lock and stalls past its TTL; B locks, stores tok-B; A's late save is refused."""
    slow, fast = pair(redis_url)
    with slow.lock(KEY):
        time.sleep(PAST_TTL)  # a stop-the-world pause: the lock expires under the holder
        with fast.lock(KEY):  # taken at once: the slow holder's lock is gone
            fast.save(KEY, token("tok-B"))
        with caplog.at_level(logging.WARNING, logger="shipspec.redis_tokens"):
            slow.save(KEY, token("tok-A-stale"))
    assert fast.load(KEY) == token("tok-B")
    assert slow.load(KEY) == token("tok-B")
    assert "refused" in caplog.text
    assert "tok-" not in caplog.text  # the warning names the key, never a token


def test_a_stale_holder_is_refused_even_before_the_newer_holder_writes(redis_url: str) -> None:
    """Once B holds the lock, A's late save and late clear are refused, whatever B does next."""
    slow, fast = pair(redis_url)
    fast.save(KEY, token("tok-0"))
    with slow.lock(KEY):
        time.sleep(PAST_TTL)
        with fast.lock(KEY):
            slow.save(KEY, token("tok-A-stale"))
            slow.clear(KEY, only_if_access_token="tok-0")
            slow.clear(KEY)
            assert fast.load(KEY) == token("tok-0")


def test_a_late_release_does_not_free_the_next_holders_lock(redis_url: str) -> None:
    """A's lock expired and B took it: A leaving its block must not delete B's lock (compare-and-delete)."""
    slow, fast = pair(redis_url, lock_timeout=0.2)
    third = RedisTokenStore(redis_url, prefix=fast._prefix, lock_ttl=30.0, lock_timeout=0.2)
    b_holds, a_left, b_done = threading.Event(), threading.Event(), threading.Event()

    def b() -> None:
        with fast.lock(KEY):
            b_holds.set()
            a_left.wait(10)
            b_done.wait(10)

    holder = threading.Thread(target=b)
    try:
        with slow.lock(KEY):
            time.sleep(PAST_TTL)
            holder.start()
            assert b_holds.wait(10)
        a_left.set()
        # A's release ran; B's lock must still stand (its TTL is LOCK_TTL, so look at once).
        with pytest.raises(TokenStoreError), third.lock(KEY):
            pass
    finally:
        a_left.set()
        b_done.set()
        holder.join(10)


def test_a_holder_whose_lock_expired_unclaimed_still_saves(redis_url: str) -> None:
    """Fencing refuses only when someone newer came: a slow holder alone still stores its token."""
    slow, fast = pair(redis_url)
    with slow.lock(KEY):
        time.sleep(PAST_TTL)
        slow.save(KEY, token("tok-A"))
    assert fast.load(KEY) == token("tok-A")


def test_a_save_without_the_lock_is_the_newest_write(redis_url: str) -> None:
    """A caller seeding the store without the lock wins over a holder still in flight."""
    holder, seeder = pair(redis_url)
    with holder.lock(KEY):
        seeder.save(KEY, token("tok-seeded"))
        holder.save(KEY, token("tok-holder"))
    assert seeder.load(KEY) == token("tok-seeded")


def test_a_corrupt_record_reads_as_absent_and_is_replaced(redis_url: str) -> None:
    """Foreign bytes under the record key load as None (logged without content); the next save replaces."""
    store, _ = pair(redis_url)
    record_key, _, _ = store._keys(KEY)
    redis.Redis.from_url(redis_url).hset(record_key, "record", b"\xff not json tok-secret")
    assert store.load(KEY) is None
    store.save(KEY, token("tok-new"))
    assert store.load(KEY) == token("tok-new")


def test_records_keep_every_field(redis_url: str) -> None:
    """OAuth fields, origin and issue time survive the round trip through Redis."""
    store, other = pair(redis_url)
    full = TokenRecord("a", 10.0, refresh_token="r", refresh_expires_at=20.0, origin="o", issued_at=5.0)
    store.save(KEY, full)
    loaded = other.load(KEY)
    assert loaded == full
    assert loaded is not None
    assert (loaded.origin, loaded.issued_at) == ("o", 5.0)
