"""``shipspec track``, ``label`` and ``cancel`` against the Baaship sandbox, and carriers that cannot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from shipspec.cli import main
from shipspec.cli.ship import ship_file
from shipspec.config import load_settings
from shipspec_sandbox import Sandboxes

from .support import BAASHIP_ROW, read_results, sandboxes, write_csv


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandboxes, dict[str, str], str]]:
    """A Baaship sandbox holding one shipment (reference LOOK-1), the environment and its waybill."""
    folder = tmp_path_factory.mktemp("lookups")
    with sandboxes("baaship") as (running, env):
        path = write_csv(folder / "o.csv", [{**BAASHIP_ROW, "reference": "LOOK-1"}])
        ship_file(path, out=folder / "r.csv", settings=load_settings(env=env))
        [result] = read_results(folder / "r.csv")
        assert result["status"] == "shipped", result
        yield running, env, result["tracking_number"]


def invoke(env: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_track_shows_the_events_of_a_waybill(shipped: tuple[Sandboxes, dict[str, str], str]) -> None:
    """The creation event comes back as a table row; --as-json gives TrackingEvent lines."""
    _, env, waybill = shipped
    table = invoke(env, "track", waybill, "--carrier", "baaship")
    assert table.exit_code == 0, table.output
    assert waybill in table.stdout
    assert "IR01" in table.stdout
    lines = invoke(env, "track", waybill, "--carrier", "baaship", "--as-json").stdout.splitlines()
    assert lines
    assert all(f'"tracking_number":"{waybill}"' in line for line in lines)


def test_track_of_an_unknown_waybill_exits_1(shipped: tuple[Sandboxes, dict[str, str], str]) -> None:
    """Baaship's "does not exist" answer is printed as the error."""
    result = invoke(shipped[1], "track", "T8NOSUCH", "--carrier", "baaship")
    assert result.exit_code == 1
    assert "baaship" in result.stderr
    assert "1004" in result.stderr


@pytest.mark.parametrize("by", ["--tracking", "--reference"])
def test_label_downloads_the_pdf(
    shipped: tuple[Sandboxes, dict[str, str], str], tmp_path: Path, by: str
) -> None:
    """The label is found by waybill or by reference and saved as a PDF."""
    _, env, waybill = shipped
    target = tmp_path / "label.pdf"
    key = waybill if by == "--tracking" else "LOOK-1"
    result = invoke(env, "label", "--carrier", "baaship", by, key, "--out", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")


def test_label_needs_exactly_one_key(shipped: tuple[Sandboxes, dict[str, str], str]) -> None:
    """Neither or both of --tracking and --reference is a usage error."""
    assert invoke(shipped[1], "label", "--carrier", "baaship").exit_code == 2
    both = invoke(shipped[1], "label", "--carrier", "baaship", "--tracking", "T", "--reference", "R")
    assert both.exit_code == 2


def test_cancel_then_cancel_again(shipped: tuple[Sandboxes, dict[str, str], str], tmp_path: Path) -> None:
    """A shipped waybill cancels (exit 0, one ledger entry); the second cancel is refused (exit 1)."""
    running, env, _ = shipped
    path = write_csv(tmp_path / "o.csv", [{**BAASHIP_ROW, "reference": "LOOK-CANCEL"}])
    ship_file(path, out=tmp_path / "r.csv", settings=load_settings(env=env))
    waybill = read_results(tmp_path / "r.csv")[0]["tracking_number"]
    first = invoke(env, "cancel", waybill, "--carrier", "baaship")
    assert first.exit_code == 0, first.output
    assert f"baaship cancelled {waybill}" in first.stdout
    second = invoke(env, "cancel", waybill, "--carrier", "baaship")
    assert second.exit_code == 1
    assert f"baaship did not cancel {waybill} (unknown 1004): " in second.stderr
    assert "most likely does not exist or is already cancelled" in second.stderr
    assert [entry.key for entry in running.ledger.entries("baaship", "shipment_cancelled")] == [waybill]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["track", "X", "--carrier", "deftship"], "deftship cannot track"),
        (["label", "--carrier", "wechat_shop", "--tracking", "X"], "wechat_shop cannot fetch labels"),
        (["cancel", "X", "--carrier", "tiktok_shop"], "tiktok_shop cannot cancel"),
    ],
)
def test_a_carrier_without_the_capability_says_so(args: list[str], words: str) -> None:
    """The check is on the shipper class, before any setting is read: exit 2 with a clear message."""
    result = invoke({}, *args)
    assert result.exit_code == 2
    assert words in result.stderr
