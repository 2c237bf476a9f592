"""Runtime constants: timeouts are always set and the instant-backoff switch works in both ways."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
from shipspec import settings

PROBE = "import shipspec.settings as s; print(s.backoff_is_instant())"


def test_default_timeout_is_never_none() -> None:
    """Every phase of the default timeout is bounded: 10 s to connect, 30 s for the rest."""
    timeout = settings.DEFAULT_TIMEOUT
    assert isinstance(timeout, httpx.Timeout)
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (10.0, 30.0, 30.0, 30.0)


def test_retry_budget_fits_tiktok_timestamp_window() -> None:
    """Failed attempts plus the longest waits stay inside TikTok's 300 s window for one signed timestamp."""
    timeout = settings.DEFAULT_TIMEOUT
    assert timeout.connect is not None
    assert timeout.read is not None
    failed = settings.MAX_ATTEMPTS - 1
    longest_wait = max(settings.MAX_DELAY, settings.MAX_RETRY_AFTER)
    assert failed * (timeout.connect + timeout.read + longest_wait) < 300


def test_instant_backoff_context_restores_previous_state() -> None:
    """The switch turns on inside the block, nests, and comes back to what it was."""
    before = settings.backoff_is_instant()
    with settings.instant_backoff():
        assert settings.backoff_is_instant()
        with settings.instant_backoff(enabled=False):
            assert not settings.backoff_is_instant()
        assert settings.backoff_is_instant()
    assert settings.backoff_is_instant() == before


def _probe(value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != settings.INSTANT_BACKOFF_ENV}
    if value is not None:
        env[settings.INSTANT_BACKOFF_ENV] = value
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_environment_variable_turns_instant_backoff_on() -> None:
    """SHIPSPEC_INSTANT_BACKOFF=1 makes waits instant; unset or any other value does not."""
    assert _probe("1") == "True"
    assert _probe("0") == "False"
    assert _probe(None) == "False"
