"""Fixtures for the TikTok Shop tests: the in-process fake API and token managers pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .fake_server import FakeTikTok, running_fake


@pytest.fixture
def fake() -> FakeTikTok:
    return FakeTikTok()


@pytest.fixture
def fake_url(fake: FakeTikTok) -> Iterator[str]:
    with running_fake(fake) as url:
        yield url
