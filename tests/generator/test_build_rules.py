"""Generator rules: warnings fail the build, bad extensions fail, output is deterministic, locks skip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.build import build_carrier
from generator.drift import compare_trees
from generator.extensions import SpecError
from generator.lock import is_current
from generator.tools import GeneratorError
from tests.generator.tiny_specs import tiny_spec, write_spec


def _build(folder: Path, spec: dict[str, Any], name: str = "out") -> Path:
    spec_path, config = write_spec(folder, spec)
    out = folder / name
    build_carrier("tiny", spec_path, out, config=config)
    return out


def test_a_skipped_endpoint_fails_the_build(tmp_path: Path) -> None:
    """A body type openapi-python-client cannot handle makes it skip the endpoint: that is an error."""
    spec = tiny_spec()
    body = spec["paths"]["/ship"]["post"]["requestBody"]["content"]
    body["text/xml"] = body.pop("application/json")
    with pytest.raises(GeneratorError, match="will not be generated"):
        _build(tmp_path, spec)


def test_an_unknown_error_kind_fails_naming_the_place(tmp_path: Path) -> None:
    """A kind outside the vocabulary is rejected with the spec location in the message."""
    spec = tiny_spec()
    spec["paths"]["/ship"]["post"]["x-error-codes"][0]["kind"] = "maybe"
    with pytest.raises(SpecError, match=r"paths\./ship\.post\[0\].*'maybe'"):
        _build(tmp_path, spec)


def test_a_missing_idempotency_marker_fails(tmp_path: Path) -> None:
    """Every operation must say how it can be repeated safely."""
    spec = tiny_spec()
    del spec["paths"]["/read"]["get"]["x-idempotency"]
    with pytest.raises(SpecError, match="x-idempotency"):
        _build(tmp_path, spec)


def test_a_duplicate_error_code_fails(tmp_path: Path) -> None:
    """A code listed twice in one table is rejected (one of them would silently win)."""
    spec = tiny_spec()
    codes = spec["x-error-codes"]
    codes.append({**codes[0], "name": "BUSY_AGAIN"})
    with pytest.raises(SpecError, match="duplicate"):
        _build(tmp_path, spec)


def test_a_limit_without_value_must_say_unknown(tmp_path: Path) -> None:
    """A limit with no value and no unknown flag is rejected: no made-up defaults."""
    spec = tiny_spec()
    spec["x-limits"][1].pop("unknown")
    with pytest.raises(SpecError, match="unknown: true"):
        _build(tmp_path, spec)


def test_output_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    """Two builds of the same spec give identical trees, lock file included."""
    first = _build(tmp_path, tiny_spec(), "first")
    second = _build(tmp_path, tiny_spec(), "second")
    assert compare_trees(first, second) == []


def test_lock_marks_package_current_until_spec_or_output_changes(tmp_path: Path) -> None:
    """The lock says current after a build, and not after the spec or a generated file changes."""
    out = _build(tmp_path, tiny_spec())
    spec_path = tmp_path / "tiny.yaml"
    assert is_current(out, spec_path)

    client = out / "shipspec_tiny" / "client.py"
    original = client.read_text(encoding="utf-8")
    client.write_text(original + "# hand edit\n", encoding="utf-8")
    assert not is_current(out, spec_path)
    client.write_text(original, encoding="utf-8")
    assert is_current(out, spec_path)

    spec_path.write_text(spec_path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert not is_current(out, spec_path)


def test_compare_trees_names_every_kind_of_drift(tmp_path: Path) -> None:
    """A changed, a missing and an unexpected file are each reported by path."""
    committed = _build(tmp_path, tiny_spec(), "committed")
    fresh = _build(tmp_path, tiny_spec(), "fresh")
    (committed / "shipspec_tiny" / "types.py").write_text("edited\n", encoding="utf-8")
    (committed / "shipspec_tiny" / "client.py").unlink()
    (committed / "shipspec_tiny" / "extra.py").write_text("", encoding="utf-8")
    found = {(drift.path, drift.problem) for drift in compare_trees(committed, fresh)}
    assert found == {
        ("shipspec_tiny/types.py", "changed"),
        ("shipspec_tiny/client.py", "missing"),
        ("shipspec_tiny/extra.py", "unexpected"),
    }
