"""``shipspec ship FILE --broker … --journal …`` and ``shipspec worker``: the results file comes from the
journal; a fleet without a PostgreSQL journal, or with timings that cannot work, is refused before anything
is recorded."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from shipspec.cli import main
from shipspec.config import as_environment as environment
from shipspec.journal import open_journal
from shipspec_sandbox import Sandboxes
from shipspec_sandbox.clients import sandbox_settings

from scripts.fleet_check import Workers

from .conftest import LEASE, VISIBILITY_TIMEOUT
from .support import batch, seed, times_shipped


def test_ship_a_file_on_the_fleet(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, fleet_workers: Workers, tmp_path: Path
) -> None:
    shipments = batch(10, start=500)
    seed(sandboxes, shipments)
    orders = tmp_path / "orders.jsonl"
    rows = [s.model_dump(mode="json", exclude_none=True) for s in shipments]
    rows.insert(3, {"reference": "BAD-1", "carrier": "baaship"})  # invalid: fails with its field paths
    orders.write_text("".join(json.dumps(row) + "\n" for row in rows))
    out = tmp_path / "orders.results.jsonl"
    fleet_workers.start("one")
    fleet_workers.start("two")

    result = CliRunner().invoke(
        main,
        [
            "ship",
            str(orders),
            f"--broker={redis_url}",
            f"--journal={journal_url}",
            f"--out={out}",
            f"--lease={LEASE}",
            f"--visibility-timeout={VISIBILITY_TIMEOUT}",
        ],
        env=environment(sandbox_settings(sandboxes)),
    )

    assert result.exit_code == 1, result.output  # the invalid row failed; every other row shipped
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["reference"] for line in lines] == [row["reference"] for row in rows]
    by_reference = {line["reference"]: line for line in lines}
    assert by_reference.pop("BAD-1")["status"] == "failed"
    assert {line["status"] for line in by_reference.values()} == {"shipped"}
    assert set(times_shipped(sandboxes, shipments).values()) == {1}
    with open_journal(journal_url) as journal:
        entries = journal.find([s.reference for s in shipments])
    assert {e.state for e in entries.values()} == {"shipped"}
    tracking = {ref: e.tracking_number for ref, e in entries.items()}
    assert {ref: by_reference[ref].get("tracking_number") for ref in entries} == tracking


def test_a_fleet_needs_a_postgresql_journal(redis_url: str, tmp_path: Path) -> None:
    orders = tmp_path / "orders.jsonl"
    orders.write_text(json.dumps(batch(1)[0].model_dump(mode="json", exclude_none=True)) + "\n")
    result = CliRunner().invoke(
        main, ["ship", str(orders), f"--broker={redis_url}", f"--journal={tmp_path / 'j.sqlite'}"]
    )
    assert result.exit_code == 2
    assert "journal: a fleet needs a postgresql:// URL" in result.output
    assert not (tmp_path / "j.sqlite").exists()


def test_a_visibility_timeout_under_the_lease_is_refused(redis_url: str, journal_url: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "worker",
            f"--broker={redis_url}",
            f"--journal={journal_url}",
            "--lease=60",
            "--visibility-timeout=30",
        ],
    )
    assert result.exit_code == 2
    assert "visibility_timeout: must exceed the lease (60 s), not 30" in result.output


def test_a_broker_must_be_redis(journal_url: str) -> None:
    result = CliRunner().invoke(main, ["worker", "--broker=amqp://127.0.0.1", f"--journal={journal_url}"])
    assert result.exit_code == 2
    assert "broker: use a redis:// or rediss:// URL" in result.output
