"""The version gate: a changed spec must carry the version its breaking-change report asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.versions import release, version_problems
from tests.generator.tiny_specs import tiny_spec


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "tiny.yaml").write_text(yaml.safe_dump(tiny_spec()), encoding="utf-8")
    released = specs / "released"
    assert release(specs, released) == ["tiny"]
    return specs, released


def _rewrite(specs: Path, spec: dict[str, Any]) -> None:
    (specs / "tiny.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")


def test_the_repository_specs_pass_the_gate() -> None:
    """Every committed carrier spec carries a version its changes since release allow."""
    assert version_problems() == []


def test_unchanged_spec_needs_no_bump(tmp_path: Path) -> None:
    """A spec equal to its release passes with the same version."""
    specs, released = _folders(tmp_path)
    assert version_problems(specs, released) == []


def test_a_removed_operation_without_major_bump_fails(tmp_path: Path) -> None:
    """Removing an operation is breaking: 2.1.0 must become 3.0.0."""
    specs, released = _folders(tmp_path)
    spec = tiny_spec()
    del spec["paths"]["/read"]
    _rewrite(specs, spec)
    problems = version_problems(specs, released)
    assert len(problems) == 1
    assert "need info.version >= 3.0.0" in problems[0]

    spec["info"]["version"] = "3.0.0"
    _rewrite(specs, spec)
    assert version_problems(specs, released) == []


def test_an_addition_needs_a_minor_bump(tmp_path: Path) -> None:
    """A new optional request field is an addition: a patch bump is not enough, a minor one is."""
    specs, released = _folders(tmp_path)
    spec = tiny_spec()
    spec["components"]["schemas"]["Ship"]["properties"]["note"] = {"type": "string"}
    spec["info"]["version"] = "2.1.1"
    _rewrite(specs, spec)
    assert "need info.version >= 2.2.0" in version_problems(specs, released)[0]

    spec["info"]["version"] = "2.2.0"
    _rewrite(specs, spec)
    assert version_problems(specs, released) == []


def test_reclassifying_an_error_kind_is_breaking(tmp_path: Path) -> None:
    """Changing a code's kind changes retry behaviour, so it needs a major bump."""
    specs, released = _folders(tmp_path)
    spec = tiny_spec()
    spec["x-error-codes"][0]["kind"] = "invalid_request"
    _rewrite(specs, spec)
    assert "need info.version >= 3.0.0" in version_problems(specs, released)[0]
