"""Fixtures for the WeChat tests: the in-process fake WeChat on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shipspec import settings

from .fake_wechat import FakeWeChat, running_fake_wechat


@pytest.fixture
def wechat() -> Iterator[FakeWeChat]:
    with running_fake_wechat() as fake:
        yield fake


@pytest.fixture(autouse=True)
def instant_backoff() -> Iterator[None]:
    """Token calls retry by policy; the waits between attempts are skipped in these tests."""
    with settings.instant_backoff():
        yield
