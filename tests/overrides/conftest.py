"""Fixtures for every test under tests/overrides: the session's private redis-server, started on first use."""

from __future__ import annotations

from tests.support.redis_server import redis_url

__all__ = ["redis_url"]
