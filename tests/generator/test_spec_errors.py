"""Invalid specs exit 2 naming the file and field path; versions parse as PEP 440 (pre-releases lower)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

import generator.__main__ as cli
import generator.versions as versions
from generator.extensions import SpecError
from generator.spec_check import check_carrier
from generator.spec_diff import diff_specs, next_version
from tests.generator.test_spec_diff import make_spec
from tests.generator.tiny_specs import tiny_spec


def _write(folder: Path, spec: dict[str, Any] | str, name: str = "tiny.yaml") -> Path:
    path = folder / name
    text = spec if isinstance(spec, str) else yaml.safe_dump(spec, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _ship_codes(*entries: Any) -> dict[str, Any]:
    spec = tiny_spec()
    spec["paths"]["/ship"]["post"]["x-error-codes"] = list(entries)
    return spec


SHIPPED = {"code": 5, "name": "SHIPPED", "message": "Already shipped.", "kind": "already_done"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("openapi: 3.0.3\npaths: [unclosed\n", "tiny.yaml: not valid YAML: "),
        ("- a list\n", "tiny.yaml: expected a mapping at the top level"),
        (
            tiny_spec(components={"schemas": {}}),
            "tiny.yaml: paths./ship.post.requestBody.content.application/json.schema.$ref: "
            "'#/components/schemas/Ship' points to nothing",
        ),
        (_ship_codes(SHIPPED, 9999), "tiny.yaml: paths./ship.post.x-error-codes[1]: expected a mapping"),
        (
            _ship_codes(SHIPPED, {**SHIPPED, "code": 6, "name": "OTHER", "kind": "oops"}),
            "tiny.yaml: paths./ship.post.x-error-codes[1].kind: 'oops' is not one of",
        ),
        (
            _ship_codes(SHIPPED, {**SHIPPED, "name": "OTHER"}),
            "tiny.yaml: paths./ship.post.x-error-codes[1].code: 5 is already used by "
            "paths./ship.post.x-error-codes[0]",
        ),
        (
            _ship_codes({**SHIPPED, "message_rules": ["x"]}),
            "tiny.yaml: paths./ship.post.x-error-codes[0].message_rules[0]: expected a mapping",
        ),
        (
            tiny_spec(**{"x-error-codes": [{"code": "7", "name": "X", "message": "m", "kind": "retry"}]}),
            "tiny.yaml: x-error-codes[0].code: must be an integer, got '7'",
        ),
    ],
)
def test_an_invalid_spec_is_named_with_its_field_path(
    tmp_path: Path, spec: dict[str, Any] | str, message: str
) -> None:
    """Each defect is a SpecError naming the file and the full field path, never a bare KeyError/TypeError."""
    with pytest.raises(SpecError) as raised:
        check_carrier(_write(tmp_path, spec))
    assert message in str(raised.value)
    assert str(raised.value).startswith(str(tmp_path / "tiny.yaml"))


def test_a_duplicate_operation_id_is_refused_naming_both_paths(tmp_path: Path) -> None:
    """Two operations with one operationId would generate one function: refused, not generated silently."""
    spec = tiny_spec()
    spec["paths"]["/read"]["get"]["operationId"] = "shipIt"
    with pytest.raises(
        SpecError, match=r"operationId 'shipIt' is used by paths\./ship\.post and paths\./read\.get"
    ):
        check_carrier(_write(tmp_path, spec))


def test_the_tiny_spec_passes(tmp_path: Path) -> None:
    """A valid spec is returned as read."""
    assert check_carrier(_write(tmp_path, tiny_spec())) == tiny_spec()


def test_generate_exits_2_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m generator` on a broken spec: exit 2 and one error line, not a traceback."""
    spec = _write(tmp_path, "openapi: 3.0.3\npaths: [unclosed\n")
    monkeypatch.setattr(cli, "package_specs", lambda: {"tiny": spec})
    monkeypatch.setattr(cli, "GENERATED", tmp_path / "generated")
    assert cli.main(["tiny"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {spec}: not valid YAML")
    assert "Traceback" not in err
    assert not (tmp_path / "generated").exists()


def _gate(tmp_path: Path, released_version: str, new_spec: dict[str, Any]) -> tuple[Path, Path]:
    specs, released = tmp_path / "specs", tmp_path / "specs" / "released"
    released.mkdir(parents=True)
    old = tiny_spec()
    old["info"]["version"] = released_version
    _write(released, old)
    _write(specs, new_spec)
    return specs, released


def test_versions_exits_2_on_a_broken_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m generator versions` names the broken file instead of a ParserError traceback."""
    specs, released = _gate(tmp_path, "2.1.0", tiny_spec())
    _write(specs, "info: [unclosed\n")
    monkeypatch.setattr(
        versions, "version_problems", functools.partial(versions.version_problems, specs, released)
    )
    assert cli.main(["versions"]) == 2
    assert capsys.readouterr().err.startswith(f"error: {specs / 'tiny.yaml'}: not valid YAML")


def _with_version(version: str, **changes: Any) -> dict[str, Any]:
    spec = tiny_spec(**changes)
    spec["info"]["version"] = version
    return spec


def test_versions_parse_pre_releases(tmp_path: Path) -> None:
    """A released 1.1.0rc1 is a version, not a ValueError; an unchanged spec needs no bump."""
    specs, released = _gate(tmp_path, "1.1.0rc1", _with_version("1.1.0rc1"))
    assert versions.version_problems(specs, released) == []


@pytest.mark.parametrize(("version", "passes"), [("2.0.0-rc.1", False), ("2.0.0rc1", False), ("2.0.0", True)])
def test_a_pre_release_does_not_satisfy_its_release(tmp_path: Path, version: str, passes: bool) -> None:
    """Removing an operation requires 3.0.0 from 2.1.0; 3.0.0-rc.1 is lower than that, 3.0.0 is not."""
    major = version.replace("2.0.0", "3.0.0")
    spec = _with_version(major)
    del spec["paths"]["/read"]
    specs, released = _gate(tmp_path, "2.1.0", spec)
    problems = versions.version_problems(specs, released)
    assert (problems == []) is passes, problems


def test_an_invalid_version_names_the_file(tmp_path: Path) -> None:
    """A version PEP 440 cannot read is a SpecError naming the file."""
    specs, released = _gate(tmp_path, "2.1.0", _with_version("two"))
    with pytest.raises(SpecError, match=r"tiny\.yaml: info\.version 'two' is not a version"):
        versions.version_problems(specs, released)


@pytest.mark.parametrize(
    ("old", "expected"), [("1.1.0rc1", "2.0.0"), ("2.0.0-rc.1", "3.0.0"), ("0.4.2", "1.0.0")]
)
def test_next_version_reads_pre_releases(old: str, expected: str) -> None:
    """next_version bumps from the release part of a PEP 440 version."""
    old_spec = make_spec()
    new_spec = make_spec()
    del new_spec["paths"]["/shipments"]
    assert next_version(old, diff_specs(old_spec, new_spec)) == expected
