"""A sandbox's configured latency: every carrier request waits that long, admin requests do not."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from shipspec_sandbox import start_sandboxes

from .baaship_payloads import http_client

LATENCY = 1.5  # seconds; the admin request's bound below is generous against it


def test_every_carrier_request_is_answered_no_sooner_than_the_latency() -> None:
    """Two tracking calls, each at least the configured latency; the health check is not delayed."""
    with start_sandboxes(("baaship",), validate=False, latency_seconds=LATENCY) as running:
        url = running.url("baaship")
        with http_client(url) as client:
            for _ in range(2):
                started = time.perf_counter()
                answer = client.get("/tracking", params={"waybill": "T8000001"})
                assert time.perf_counter() - started >= LATENCY
                assert answer.status_code in (200, 400, 404)
            started = time.perf_counter()
            health = httpx.get(f"{url}/__sandbox/health", timeout=10.0)
            assert health.status_code == 200
            assert time.perf_counter() - started < LATENCY


def test_concurrent_requests_wait_side_by_side_not_one_after_another() -> None:
    """Eight connections at once finish in about one latency, not eight (the sandbox's capacity)."""
    with start_sandboxes(("baaship",), validate=False, latency_seconds=LATENCY) as running:
        url = running.url("baaship")
        clients = [http_client(url) for _ in range(8)]
        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda c: c.get("/tracking", params={"waybill": "T8000001"}), clients))
            elapsed = time.perf_counter() - started
        finally:
            for client in clients:
                client.close()
    assert LATENCY <= elapsed < 4 * LATENCY


def test_a_negative_latency_is_refused() -> None:
    """A latency below zero is a mistake, not "no latency"."""
    with pytest.raises(ValueError, match="latency_seconds"):
        start_sandboxes(("baaship",), latency_seconds=-0.1)
