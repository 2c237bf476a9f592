"""The drift gate: generated/ must be exactly what specs/ produce, and a hand edit is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.__main__ import check
from generator.paths import GENERATED


def test_committed_output_matches_the_specs(capsys: pytest.CaptureFixture[str]) -> None:
    """Regenerating every package into a temporary folder reproduces generated/ byte for byte."""
    status = check([])
    assert status == 0, capsys.readouterr().out


def test_a_hand_edit_fails_the_gate_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Editing a generated file makes the check fail and print that file's path."""
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED / "baaship", copy / "baaship")
    edited = copy / "baaship" / "shipspec_baaship" / "client.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")

    status = check(["baaship"], generated=copy)

    assert status == 1
    assert "generated/baaship/shipspec_baaship/client.py: changed" in capsys.readouterr().out
