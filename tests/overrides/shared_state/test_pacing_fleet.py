"""Processes sharing one Redis pacer: together under the carrier's limit, and one's 429 pauses the others.

Requests are counted where they arrive, at the Baaship sandbox (``RecordingPlan``), on the wall clock that
the worker processes share with this one.
"""

from __future__ import annotations

import time
import uuid

from shipspec_sandbox.runner import Sandboxes

from .arrivals import LABEL_RETRY_AFTER, TRACKING, RecordingPlan, most_in_any_window
from .processes import workers

LIMIT = 20  # per second
PROCESSES, THREADS, REQUESTS = 3, 2, 6  # 36 requests: at least 1.75 s at 20/s


def test_processes_together_stay_under_the_limit(
    redis_url: str, baaship: Sandboxes, plan: RecordingPlan
) -> None:
    """3 processes x 2 threads sending as fast as they can at 20/s shared: no second holds more than 20."""
    args = {
        "prefix": f"test-{uuid.uuid4().hex}:",
        "base_url": baaship.url("baaship"),
        "rate": f"{LIMIT}/s",
        "threads": THREADS,
        "requests": REQUESTS,
        "path": "/tracking",
        "param": "waybill",
    }
    with workers(redis_url) as group:
        group.start("send", args, PROCESSES)
        group.go()
        answers = [answer for result in group.results() for answer in result["answers"]]
    total = PROCESSES * THREADS * REQUESTS
    assert [status for _, status, _ in answers] == [200] * total
    times = plan.times(TRACKING)
    assert len(times) == total
    busiest = most_in_any_window(times, 1.0)
    span = times[-1] - times[0]
    print(f"\n{total} requests at {LIMIT}/s: busiest second {busiest}, span {span:.2f} s")  # noqa: T201
    assert busiest <= LIMIT  # each request counts until a second after its answer: jitter cannot add any
    assert span >= (total - 1) / LIMIT * 0.7


def test_a_429_seen_by_one_process_pauses_the_others(
    redis_url: str, baaship: Sandboxes, plan: RecordingPlan
) -> None:
    """One process keeps tracking at 50/s; another gets a 429 asking for 3 s: tracking stops for about 3 s."""
    common = {"prefix": f"test-{uuid.uuid4().hex}:", "base_url": baaship.url("baaship"), "threads": 1}
    with workers(redis_url) as tracker, workers(redis_url) as limited:
        tracker.start(
            "send", common | {"rate": "50/s", "seconds": 6.0, "path": "/tracking", "param": "waybill"}
        )
        limited.start(
            "send",
            common | {"requests": 1, "max_attempts": 1, "path": "/getShipmentLabel", "param": "referenceNo"},
        )
        tracker.go()
        deadline = time.monotonic() + 60
        while len(plan.times(TRACKING)) < 20 and time.monotonic() < deadline:  # the tracker is under way
            time.sleep(0.05)
        limited.go()
        ((limited_at, status, error),) = limited.results()[0]["answers"]
        (tracker_result,) = tracker.results()
    assert (status, error) == (0, "QuotaError")
    assert all(error is None for _, _, error in tracker_result["answers"])
    times = plan.times(TRACKING)
    before = [t for t in times if t < limited_at]
    during = [t for t in times if limited_at + 0.5 <= t <= limited_at + LABEL_RETRY_AFTER - 0.5]
    after = [t for t in times if t > limited_at + LABEL_RETRY_AFTER]
    print(f"\ntracking before {len(before)}, during the hold {len(during)}, after {len(after)}")  # noqa: T201
    assert len(before) >= 20
    assert during == []  # unpaused, 50/s would put about 100 here
    assert after  # and it resumed
