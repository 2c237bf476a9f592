"""Token records and the memory, file and Redis token stores: persistence, compare-and-clear, files, locks.

Redis-only behaviour (expiring locks, fencing, Redis down) is in tests/overrides/shared_state/.
"""

from __future__ import annotations

import logging
import stat
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shipspec.errors import ShipspecError, TokenStoreError
from shipspec.tokens import FileTokenStore, MemoryTokenStore, RedisTokenStore, TokenRecord, TokenStore

REPO = Path(__file__).resolve().parents[2]
JOIN_TIMEOUT = 10.0

StoreFactory = Callable[..., TokenStore]  # (tmp_path, request, **options)


def redis_store(tmp: Path, request: pytest.FixtureRequest, **options: Any) -> RedisTokenStore:
    """A store on the session's private Redis, under a prefix of its own so tests never share records."""
    url = request.getfixturevalue("redis_url")
    return RedisTokenStore(url, prefix=f"test-{uuid.uuid4().hex}:", **options)


STORES: dict[str, StoreFactory] = {
    "memory": lambda _tmp, _request, **options: MemoryTokenStore(**options),
    "file": lambda tmp, _request, **options: FileTokenStore(tmp / "tokens", **options),
    "redis": redis_store,
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> TokenStore:
    return STORES[request.param](tmp_path, request)


def record(access: str = "tok-A", expires_at: float = 2000.0) -> TokenRecord:
    return TokenRecord(access, expires_at, refresh_token="ref-A", refresh_expires_at=9e9)


def test_record_repr_and_str_hide_tokens() -> None:
    """Neither repr nor str of a record shows its access or refresh token."""
    shown = repr(record("very-secret-access")) + str(record("very-secret-access"))
    assert "very-secret-access" not in shown
    assert "ref-A" not in shown
    assert "expires_at=2000.0" in shown


def test_record_freshness_honours_the_buffer() -> None:
    """A record is fresh strictly before expiry minus the buffer."""
    rec = record(expires_at=1000.0)
    assert rec.is_fresh(699.9, buffer=300)
    assert not rec.is_fresh(700.0, buffer=300)
    assert rec.is_fresh(999.0)
    assert not rec.is_fresh(1000.0)


def test_stores_satisfy_the_protocol(store: TokenStore) -> None:
    """Every store is a TokenStore."""
    assert isinstance(store, TokenStore)


def test_save_then_load_round_trips(store: TokenStore) -> None:
    """A saved record loads back equal; an unknown key loads as None; keys are independent."""
    assert store.load("wechat:app") is None
    store.save("wechat:app", record())
    store.save("wechat:other", record("tok-B"))
    assert store.load("wechat:app") == record()
    assert store.load("wechat:other") == record("tok-B")


def test_clear_only_if_the_token_still_matches(store: TokenStore) -> None:
    """A compare-and-clear with another token keeps the record; with the stored token it removes it."""
    store.save("k", record("tok-new"))
    store.clear("k", only_if_access_token="tok-old")
    assert store.load("k") == record("tok-new")
    store.clear("k", only_if_access_token="tok-new")
    assert store.load("k") is None
    store.clear("k", only_if_access_token="tok-new")  # clearing an absent key is not an error


def test_clear_without_condition_removes(store: TokenStore) -> None:
    """An unconditional clear removes whatever is stored."""
    store.save("k", record())
    store.clear("k")
    assert store.load("k") is None


def test_file_store_persists_across_instances_with_private_files(tmp_path: Path) -> None:
    """Another store on the same directory reads the record; the file is 0600, the new directory 0700."""
    FileTokenStore(tmp_path / "tokens").save("wechat:app", record())
    store = FileTokenStore(tmp_path / "tokens")
    assert store.load("wechat:app") == record()
    assert stat.S_IMODE(store.path_for("wechat:app").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "tokens").stat().st_mode) == 0o700
    assert sorted(p.suffix for p in (tmp_path / "tokens").iterdir()) == [".json"]  # no temp file left


def test_file_names_are_sanitised_and_distinct(tmp_path: Path) -> None:
    """Keys with path characters stay inside the directory, and keys that sanitise alike keep apart."""
    store = FileTokenStore(tmp_path / "tokens")
    for key in ("../../escape", "a:b", "a_b", "a/b"):
        path = store.path_for(key)
        assert path.parent == tmp_path / "tokens"
        assert "/" not in path.name
        assert not path.name.startswith(".")
    assert len({store.path_for(k) for k in ("a:b", "a_b", "a/b")}) == 3
    store.save("../../escape", record())
    assert store.load("../../escape") == record()
    assert not (tmp_path.parent / "escape").exists()


def test_corrupt_file_reads_as_absent_is_logged_without_content_and_is_overwritten(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A corrupt file loads as None with a warning that does not quote it; the next save replaces it."""
    store = FileTokenStore(tmp_path)
    truncated = b'{"access_token": "leaked-token-1", "expi'
    incomplete = b'{"format": 1, "access_token": "leaked-token-1"}'
    for garbage in (truncated, incomplete):
        store.path_for("k").write_bytes(garbage)
        with caplog.at_level(logging.DEBUG):
            assert store.load("k") is None
        assert "corrupt" in caplog.text
        assert "leaked-token-1" not in caplog.text
        caplog.clear()
    store.save("k", record())
    assert store.load("k") == record()


def test_unreadable_file_is_a_typed_error(tmp_path: Path) -> None:
    """A data path that cannot be read (here a directory) raises TokenStoreError, a ShipspecError."""
    store = FileTokenStore(tmp_path)
    store.path_for("k").mkdir()
    with pytest.raises(TokenStoreError, match="cannot read token file"):
        store.load("k")
    with pytest.raises(ShipspecError):
        store.save("k", record())
    assert [p.name for p in tmp_path.iterdir()] == [store.path_for("k").name]  # temp file cleaned up


def test_writes_are_atomic_for_concurrent_readers(tmp_path: Path) -> None:
    """A reader polling while a writer keeps replacing the record never sees a missing or partial file."""
    store = FileTokenStore(tmp_path)
    store.save("k", record("tok-0"))
    seen_bad: list[object] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            loaded = store.load("k")
            if loaded is None or not loaded.access_token.startswith("tok-"):
                seen_bad.append(loaded)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(300):
            store.save("k", record(f"tok-{n}" + "x" * 600))  # longer than one small write
    finally:
        done.set()
        reader.join(JOIN_TIMEOUT)
    assert not seen_bad


def test_lock_is_exclusive_across_threads(store: TokenStore) -> None:
    """Many threads taking the same key's lock never overlap; another key's lock is independent."""
    holders = 0
    overlap: list[int] = []
    counter = [0]

    def work() -> None:
        nonlocal holders
        for _ in range(5):
            with store.lock("k"):
                holders += 1
                overlap.append(holders)
                value = counter[0]
                time.sleep(0.0005)  # widen the window a missing lock would expose
                counter[0] = value + 1
                holders -= 1

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    with store.lock("other-key"):
        pass
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert counter[0] == 16 * 5
    assert max(overlap) == 1


@pytest.mark.parametrize("kind", sorted(STORES))
def test_lock_wait_is_bounded(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A lock held elsewhere makes another thread give up with TokenStoreError after lock_timeout."""
    store = STORES[kind](tmp_path, request, lock_timeout=0.05)
    errors: list[BaseException] = []

    def contend() -> None:
        try:
            with store.lock("k"):
                pass
        except TokenStoreError as exc:
            errors.append(exc)

    with store.lock("k"):
        thread = threading.Thread(target=contend)
        thread.start()
        thread.join(JOIN_TIMEOUT)
    assert len(errors) == 1
    assert "not acquired within" in str(errors[0])
    with store.lock("k"):  # released properly after the failure
        pass


HOLD_LOCK = """
import sys
from pathlib import Path
from shipspec.tokens import FileTokenStore
with FileTokenStore(Path(sys.argv[1])).lock("shared"):
    print("held", flush=True)
    sys.stdin.read()  # hold until the parent closes our stdin
"""


def test_file_lock_is_exclusive_across_processes(tmp_path: Path) -> None:
    """While another process holds a key's file lock, this process cannot take it; afterwards it can."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"held\n"
        store = FileTokenStore(tmp_path, lock_timeout=0.2)
        with pytest.raises(TokenStoreError), store.lock("shared"):
            pass
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(JOIN_TIMEOUT)
    with store.lock("shared"):
        pass
