"""generator.doc_diff: what changed between two revisions of a vendor doc, one fact per line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.doc_check import main as doc_check
from generator.doc_diff import diff_docs, main
from generator.vendor_docs import PARSERS, parse_baaship
from tests.generator.test_doc_check import BAASHIP_SNIPPET

REPO = Path(__file__).resolve().parents[2]


def _lines(old: str, new: str) -> list[str]:
    return [change.line for change in diff_docs(parse_baaship(old), parse_baaship(new))]


def test_identical_revisions_have_no_change() -> None:
    """A doc compared with itself yields nothing."""
    assert _lines(BAASHIP_SNIPPET, BAASHIP_SNIPPET) == []


def test_each_kind_of_fact_is_one_line() -> None:
    """A removed field, a new one, a changed length, required flag and message, a new code: one line each."""
    new = (
        BAASHIP_SNIPPET.replace("storeId | Store code |\nYes (for store delivery) | String | 20 |\n", "")
        .replace("| Yes | String | 30 |", "| No | String | 40 |")
        .replace("sender |", "remark2 | Note | No | String | 99 |\nsender |")
        .replace("1001 | Token validation error. |", "1001 | Token invalid. |\n1009 | Gone. |")
    )
    assert _lines(BAASHIP_SNIPPET, new) == [
        "required-changed       POST /createShipment referenceNo: required -> optional",
        "length-changed         POST /createShipment referenceNo: 30 -> 40",
        "field-added            POST /createShipment remark2: body, optional, length 99",
        "field-removed          POST /createShipment storeId: was body, conditionally required, length 20",
        "error-message-changed  POST /createShipment error 1001: "
        "'Token validation error.' -> 'Token invalid.'",
        "error-code-added       POST /createShipment error 1009: 'Gone.'",
    ]


def test_added_and_removed_operations() -> None:
    """An endpoint section renamed is one removed and one added operation, not a list of its fields."""
    renamed = BAASHIP_SNIPPET.replace("host:/createShipment", "host:/createOrder")
    assert _lines(BAASHIP_SNIPPET, renamed) == [
        "operation-removed      POST /createShipment: was 4 fields",
        "operation-added        POST /createOrder: 4 fields",
    ]


def test_cli_compares_a_git_revision_with_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`doc-diff HEAD:specs/sources/<doc> NEW` finds the carrier from the file name; exit 1 lists changes."""
    snapshot = REPO / "specs" / "sources" / "baaship-shipments.md"
    text = snapshot.read_text(encoding="utf-8")
    changed = tmp_path / "baaship-shipments.md"
    changed.write_text(text.replace("1005 | ", "1005 | Renamed: ", 1), encoding="utf-8")
    assert main(["HEAD:specs/sources/baaship-shipments.md", str(changed), "--repo", str(REPO)]) == 1
    out = capsys.readouterr().out
    assert "error-message-changed  POST /createShipment error 1005:" in out
    assert main([str(snapshot), str(snapshot)]) == 0


def test_cli_unparsable_revision_exits_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A revision the parser cannot read is exit 2 with the file and line."""
    bad = tmp_path / "new.md"
    bad.write_text(BAASHIP_SNIPPET.replace("| Yes | String | 30", "| Maybe | String | 30"), encoding="utf-8")
    good = tmp_path / "old.md"
    good.write_text(BAASHIP_SNIPPET, encoding="utf-8")
    assert main([str(good), str(bad), "--carrier", "baaship"]) == 2
    assert f"{bad}:5:" in capsys.readouterr().err
    assert main([str(good), str(bad)]) == 2  # neither name is a snapshot's: the carrier must be given
    assert "--carrier" in capsys.readouterr().err


SNAPSHOT_EDITS = {
    "tiktok_shop": (
        "21011040 | Package has shipped. Please do not retry.",
        "21011040 | Package already shipped.",
        "error-message-changed  POST /fulfillment/202309/packages/ship error 21011040:",
    ),
    "wechat_shop": (
        "| 109001 | The current order has been shipped and cannot be repeated |",
        "| 109001 | Shipped already |",
        "error-message-changed  POST /product/delivery/send error 109001:",
    ),
    "baaship": (
        "1005 | Customer-defined order number is duplicated. |",
        "1005 | Duplicate order. |",
        "error-message-changed  POST /createShipment error 1005:",
    ),
    "deftship": (
        "maximum of 1,000 items per batch",
        "maximum of 500 items per batch",
        "item-cap-changed       POST /batches batch_shipments: 1000 -> 500",
    ),
}


@pytest.mark.parametrize("carrier", sorted(SNAPSHOT_EDITS))
def test_doc_diff_and_doc_check_on_each_snapshot(
    carrier: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On each carrier's snapshot an edit is a doc-diff line per operation and a doc-check difference."""
    snapshot = REPO / "specs" / "sources" / PARSERS[carrier][0]
    old, new, line = SNAPSHOT_EDITS[carrier]
    text = snapshot.read_text(encoding="utf-8")
    assert old in text
    edited = tmp_path / snapshot.name
    edited.write_text(text.replace(old, new), encoding="utf-8")

    assert main([str(snapshot), str(edited)]) == 1
    changes = [x for x in capsys.readouterr().out.splitlines() if not x.startswith(f"{carrier}:")]
    assert changes[0].startswith(line), changes
    assert {x.split()[0] for x in changes} == {line.split()[0]}, changes

    assert doc_check(["--carrier", carrier, str(edited)]) == 1
    assert "differs" in capsys.readouterr().out
