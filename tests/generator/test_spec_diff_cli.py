"""generator.spec_diff around the rules: version bump, report text, the REV:path loader and main()."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.spec_diff import Change, SpecDiffError, load_spec, main, next_version, render_report

BREAKING = Change("field-removed", "POST /s (ship) request a", True, "field removed (was string)")
ADDED = Change("field-added", "POST /s (ship) request b", False, "optional field added (string)")
OTHER = Change("known-values-changed", "POST /s (ship) request c", False, "x-known-values added X")

SPEC_V1 = """\
openapi: 3.0.3
info: {title: t, version: 1.4.2}
paths:
  /s:
    post:
      operationId: ship
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Req'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Req:
      type: object
      properties:
        a: {type: string}
"""


@pytest.mark.parametrize(
    ("old", "changes", "expected"),
    [
        ("1.4.2", [], "1.4.2"),
        ("1.4.2", [OTHER], "1.4.3"),
        ("1.4.2", [OTHER, ADDED], "1.5.0"),
        ("1.4.2", [ADDED, BREAKING], "2.0.0"),
        ("0.4.2", [ADDED], "0.5.0"),
        ("0.4.2", [BREAKING], "1.0.0"),
        ("2.0.0-rc.1", [OTHER], "2.0.1"),
    ],
)
def test_next_version(old: str, changes: list[Change], expected: str) -> None:
    """Major on breaking, minor on additions, patch otherwise, unchanged without changes; 0.x alike."""
    assert next_version(old, changes) == expected


def test_next_version_rejects_non_semver() -> None:
    """A version that is not MAJOR.MINOR.PATCH is an error, not a guess."""
    with pytest.raises(SpecDiffError, match=r"MAJOR\.MINOR\.PATCH"):
        next_version("v1.2", [ADDED])


def test_report_groups_by_kind_with_markers_and_summary() -> None:
    """The report has a header per kind, one marked line per change and a summary with the bump."""
    lines = render_report([ADDED, BREAKING], "1.4.2").splitlines()
    assert lines == [
        "field-removed",
        "  BREAKING  POST /s (ship) request a: field removed (was string)",
        "",
        "field-added",
        "  ok        POST /s (ship) request b: optional field added (string)",
        "",
        "Summary: 2 change(s), 1 breaking, 1 ok; suggested version bump: major (1.4.2 -> 2.0.0)",
    ]


def test_report_without_changes() -> None:
    """An empty report says so and suggests no bump."""
    summary = "Summary: 0 change(s), 0 breaking, 0 ok; suggested version bump: none"
    assert render_report([]) == f"No changes.\n{summary}\n"


def git(repo: Path, *args: str) -> None:
    """Run git in `repo` with a fixed identity."""
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(repo), *identity, *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repo whose commit holds SPEC_V1 and whose work tree renames field `a` to `z`."""
    spec = tmp_path / "specs" / "tiny.yaml"
    spec.parent.mkdir()
    spec.write_text(SPEC_V1, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "v1")
    spec.write_text(SPEC_V1.replace("a: {type: string}", "z: {type: string}"), encoding="utf-8")
    return tmp_path


def test_load_spec_reads_file_and_revision(repo: Path) -> None:
    """A plain path reads the work tree; REV:path reads the file as committed."""
    committed = load_spec("HEAD:specs/tiny.yaml", repo)
    current = load_spec("specs/tiny.yaml", repo)
    assert list(committed["components"]["schemas"]["Req"]["properties"]) == ["a"]
    assert list(current["components"]["schemas"]["Req"]["properties"]) == ["z"]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("nope:specs/tiny.yaml", "revision 'nope' does not exist"),
        ("HEAD:specs/gone.yaml", "'specs/gone.yaml' does not exist at revision 'HEAD'"),
        ("specs/gone.yaml", "spec file not found"),
    ],
)
def test_load_spec_errors_are_clear(repo: Path, ref: str, message: str) -> None:
    """A missing revision, path or file says which one is missing."""
    with pytest.raises(SpecDiffError, match=message):
        load_spec(ref, repo)


def test_main_exits_1_on_breaking_changes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """main() prints the report and returns 1 when a change breaks clients (CI gates on it)."""
    assert main(["HEAD:specs/tiny.yaml", "specs/tiny.yaml", "--repo", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "BREAKING  POST /s (ship) request a: field removed" in out
    assert out.rstrip().endswith("suggested version bump: major (1.4.2 -> 2.0.0)")


def test_main_exits_0_and_prints_json_without_breaking_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints the change list; an addition alone returns 0."""
    spec = repo / "specs" / "tiny.yaml"
    spec.write_text(SPEC_V1.replace("a: {type: string}", "a: {type: string}\n        b: {type: string}"))
    assert main(["HEAD:specs/tiny.yaml", "specs/tiny.yaml", "--repo", str(repo), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "kind": "field-added",
            "location": "POST /s (ship) request b",
            "breaking": False,
            "detail": "optional field added (string)",
        }
    ]


def test_main_exits_2_on_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unreadable spec is an error (exit 2), not a clean report."""
    assert main(["v9:specs/tiny.yaml", "specs/tiny.yaml", "--repo", str(repo)]) == 2
    assert "revision 'v9' does not exist" in capsys.readouterr().err


def test_help_explains_rev_path(capsys: pytest.CaptureFixture[str]) -> None:
    """--help documents the REV:path form and the exit statuses."""
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "REV:path" in out
    assert "1 breaking change(s)" in out
