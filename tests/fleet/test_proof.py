"""The fleet's proof at a smaller size (``make fleet-check`` runs it at 10,000): 1,000 shipments over the four
carriers with 30 % faults, three worker processes, one killed with SIGKILL while it holds a batch in
``sending``, another restarted midway."""

from __future__ import annotations

import pytest

from scripts.fleet_check import run

ROWS = 1000


@pytest.mark.timeout(900)
def test_a_thousand_shipments_on_three_workers_one_killed(redis_url: str, postgres_url: str) -> None:
    report = run(ROWS, 3, redis_url=redis_url, postgres_url=postgres_url)
    print(report)  # noqa: T201 - the figures, for the log
    assert report["workers_killed"] == 1
    assert report["workers_restarted"] == 1
    assert report["duplicates"] == 0
    assert report["lost"] == 0
    assert report["pending"] == 0
    assert report["disagreements"] == 0, report["examples"]  # every result equals the ledger
    assert (
        report["token_fetches"]["wechat_shop"] == 1
    )  # one fetch for all workers (the token never expires here)
    assert report["limit_exceeded"] == []
    assert sum(report["statuses"].values()) == ROWS
