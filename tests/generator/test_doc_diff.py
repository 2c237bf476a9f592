"""generator.doc_diff: what changed between two revisions of a vendor doc, one fact per line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.doc_diff import diff_docs, main
from generator.vendor_docs import parse_baaship
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
