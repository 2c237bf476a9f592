"""``shipspec ship`` against the real sandboxes: exit codes, messages, results file, no credential shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from shipspec.cli import main
from shipspec_sandbox import Sandboxes

from .support import BAASHIP_ROW, read_results, sandboxes, write_csv

CARRIERS = ("tiktok_shop", "baaship")


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[Sandboxes, dict[str, str]]]:
    with sandboxes(*CARRIERS) as started:
        yield started


def invoke(env: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(main, ["ship", *args], env=env, catch_exceptions=False)


def test_every_row_shipped_exits_0_with_the_summary_table(
    running: tuple[Sandboxes, dict[str, str]], tmp_path: Path
) -> None:
    """Two Baaship rows and a seeded TikTok package ship; the summary counts them; results go next to FILE."""
    sandbox, env = running
    sandbox.app("tiktok_shop").add_package("CLI-P1")  # type: ignore[attr-defined]
    rows = [
        {**BAASHIP_ROW, "reference": "CLI-OK-1"},
        {**BAASHIP_ROW, "reference": "CLI-OK-2"},
        {"reference": "CLI-OK-3", "carrier": "tiktok_shop", "platform.package_id": "CLI-P1"},
    ]
    result = invoke(env, str(write_csv(tmp_path / "orders.csv", rows)), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "results per carrier" in result.stdout
    assert "│ baaship     │       2 │" in result.stdout
    results = read_results(tmp_path / "orders.results.csv")
    assert sorted((r["reference"], r["status"]) for r in results) == [
        ("CLI-OK-1", "shipped"),
        ("CLI-OK-2", "shipped"),
        ("CLI-OK-3", "shipped"),
    ]
    assert all(r["tracking_number"] for r in results if r["carrier"] == "baaship")
    keys = [entry.key for entry in sandbox.ledger.entries("baaship", "shipment_created")]
    assert {"CLI-OK-1", "CLI-OK-2"} <= set(keys)


def test_a_bad_row_exits_1_and_the_good_rows_still_ship(
    running: tuple[Sandboxes, dict[str, str]], tmp_path: Path
) -> None:
    """Row 3 (a non-numeric weight) is named on stderr and failed in the results; rows 2 and 4 ship."""
    sandbox, env = running
    rows = [
        {**BAASHIP_ROW, "reference": "CLI-BAD-1"},
        {**BAASHIP_ROW, "reference": "CLI-BAD-2", "parcels.0.weight.value": "heavy"},
        {**BAASHIP_ROW, "reference": "CLI-BAD-3"},
    ]
    out = tmp_path / "out.jsonl"
    result = invoke(env, str(write_csv(tmp_path / "o.csv", rows)), "--out", str(out))
    assert result.exit_code == 1
    assert (
        "row 3 (CLI-BAD-2): parcels[0].weight.value: must be a decimal number greater than 0" in result.stderr
    )
    assert '"reference": "CLI-BAD-2", "carrier": "baaship", "status": "failed"' in out.read_text()
    keys = {entry.key for entry in sandbox.ledger.entries("baaship", "shipment_created")}
    assert {"CLI-BAD-1", "CLI-BAD-3"} <= keys
    assert "CLI-BAD-2" not in keys


@pytest.mark.parametrize(
    ("name", "text", "extra", "words"),
    [
        ("o.txt", "reference\nA\n", [], "expected a .csv or .jsonl file"),
        ("o.csv", "reference,sender.adress.city\nA,B\n", [], "is not a field"),
        ("o.csv", "reference\nA\n", ["--out", "r.xlsx"], "use a .csv or .jsonl file"),
        ("o.csv", "reference\nA\n", ["--out", "no/such/r.csv"], "does not exist"),
        ("o.csv", "reference\nA\n", ["--config", "missing.toml"], "does not exist"),
    ],
)
def test_usage_problems_exit_2(
    running: tuple[Sandboxes, dict[str, str]],
    tmp_path: Path,
    name: str,
    text: str,
    extra: list[str],
    words: str,
) -> None:
    """A file that cannot be read as shipments, or a wrong option, exits 2 and ships nothing."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = invoke(running[1], str(path), *extra)
    assert result.exit_code == 2
    assert words in result.stderr


def test_missing_settings_exit_2_before_anything_ships(
    running: tuple[Sandboxes, dict[str, str]], tmp_path: Path
) -> None:
    """Without SHIPSPEC_BAASHIP_TOKEN the run stops at once, naming the setting and not shipping row 2."""
    sandbox, env = running
    partial = {key: value for key, value in env.items() if key != "SHIPSPEC_BAASHIP_TOKEN"}
    path = write_csv(tmp_path / "o.csv", [{**BAASHIP_ROW, "reference": "CLI-NOCONF-1"}])
    result = invoke(partial, str(path))
    assert result.exit_code == 2
    assert "SHIPSPEC_BAASHIP_TOKEN" in result.stderr
    keys = {entry.key for entry in sandbox.ledger.entries("baaship", "shipment_created")}
    assert "CLI-NOCONF-1" not in keys


def test_no_credential_is_ever_shown_or_written(
    running: tuple[Sandboxes, dict[str, str]], tmp_path: Path
) -> None:
    """A rejected Baaship token and TikTok's app secret and tokens appear nowhere: stdout, stderr, results."""
    _, env = running
    wrong = "wrong-token-8f3a9c"
    config = tmp_path / "shipspec.toml"
    config.write_text(f'[baaship]\ntoken = "{wrong}"\n', encoding="utf-8")
    without_token = {key: value for key, value in env.items() if key != "SHIPSPEC_BAASHIP_TOKEN"}
    rows = [
        {**BAASHIP_ROW, "reference": "CLI-SECRET-1"},
        {"reference": "CLI-SECRET-2", "carrier": "tiktok_shop", "platform.package_id": "NO-SUCH-PACKAGE"},
    ]
    out = tmp_path / "r.csv"
    result = invoke(
        without_token, str(write_csv(tmp_path / "o.csv", rows)), "--config", str(config), "--out", str(out)
    )
    assert result.exit_code == 3  # a carrier refused the credentials
    assert "baaship refused the credentials (baaship 1001: " in result.stderr
    secrets = [
        wrong,
        env["SHIPSPEC_TIKTOK_SHOP_APP_SECRET"],
        env["SHIPSPEC_TIKTOK_SHOP_ACCESS_TOKEN"],
        env["SHIPSPEC_TIKTOK_SHOP_REFRESH_TOKEN"],
    ]
    shown = result.stdout + result.stderr + out.read_text(encoding="utf-8")
    assert [secret for secret in secrets if secret in shown] == []
