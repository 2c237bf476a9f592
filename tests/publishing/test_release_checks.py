"""Release coherence: requirements admit the built carriers, committed sources, installed = built, secrets."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, ClassVar

import pytest

from publishing import publish as publish_module
from publishing.errors import PublishError
from publishing.index import IndexTarget
from publishing.install_check import check_install
from publishing.projects import Project
from publishing.release_checks import installed_version_problems, requirement_problems, uncommitted_changes


def project(name: str, version: str, *dependencies: str) -> Project:
    return Project(name, version, Path(f"/src/{name}"), ("hatchling==1.27.0",), dependencies)


def test_a_requirement_that_excludes_a_carrier_being_published_is_refused() -> None:
    """shipspec pinning shipspec-baaship>=1,<2 while baaship 2.0.0 is built: named, with the fix."""
    found = [project("shipspec-baaship", "2.0.0"), project("shipspec", "1.0.0", "shipspec-baaship>=1,<2")]
    (problem,) = requirement_problems(found)
    assert problem.startswith(
        "shipspec requires shipspec-baaship>=1,<2, which does not admit shipspec-baaship 2.0.0"
    )
    assert "/src/shipspec/pyproject.toml" in problem


def test_requirements_on_unbuilt_distributions_are_refused_and_third_party_ones_ignored() -> None:
    """A shipspec-* requirement this publish does not build cannot be checked: refused; httpx is not ours."""
    found = [project("shipspec", "1.0.0", "shipspec-gone>=1", "httpx>=0.23")]
    assert requirement_problems(found) == [
        "shipspec requires shipspec-gone>=1, which this publish does not build"
    ]


def test_admitted_versions_pass() -> None:
    """The repository's own shape: every carrier inside shipspec's ranges."""
    found = [project("shipspec-baaship", "1.4.0"), project("shipspec", "0.3.0", "shipspec-baaship>=1,<2")]
    assert requirement_problems(found) == []


def test_the_repository_requirements_admit_its_carriers() -> None:
    """What `make publish` would build today is coherent."""
    from publishing.projects import projects

    assert requirement_problems(projects()) == []


def test_installed_versions_must_equal_the_built_ones() -> None:
    """Names compare canonically and versions normalized; a different carrier version is named."""
    built = {"shipspec": "1.0.0", "shipspec-baaship": "2.0.0"}
    assert installed_version_problems(built, {"shipspec": "1.0", "shipspec_baaship": "2.0.0"}) == []
    assert installed_version_problems(built, {"shipspec": "1.0.0", "shipspec-baaship": "1.0.0"}) == [
        "shipspec-baaship: built 2.0.0, installed 1.0.0"
    ]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60)


def test_uncommitted_and_untracked_packaged_files_are_found(tmp_path: Path) -> None:
    """git status --porcelain over what is packaged: an edit, an untracked file; other paths do not count."""
    _git(tmp_path, "init", "-q")
    (tmp_path / "overrides" / "shipspec").mkdir(parents=True)
    (tmp_path / "overrides" / "shipspec" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    assert uncommitted_changes(tmp_path) == []
    (tmp_path / "notes.txt").write_text("not packaged")
    assert uncommitted_changes(tmp_path) == []
    (tmp_path / "overrides" / "shipspec" / "scratch_notes.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert sorted(uncommitted_changes(tmp_path)) == [
        " M pyproject.toml",
        "?? overrides/shipspec/scratch_notes.py",
    ]


def test_outside_a_repository_nothing_can_be_vouched_for(tmp_path: Path) -> None:
    """No git repository: reported as a problem, never as clean."""
    (problem,) = uncommitted_changes(tmp_path / "nowhere")
    assert "cannot tell whether" in problem


def test_a_real_release_of_a_dirty_tree_is_refused_before_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """publish() to a real index stops at the first uncommitted file, before the gate or a build."""
    _git(tmp_path, "init", "-q")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "scratch_notes.py").write_text("x = 1\n")

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("built despite uncommitted changes")

    monkeypatch.setattr(publish_module, "require_gate", must_not_run)
    monkeypatch.setattr(publish_module, "build_all", must_not_run)
    target = IndexTarget("http://127.0.0.1:9/", "http://127.0.0.1:9/simple/", None)
    with pytest.raises(
        PublishError, match=r"uncommitted changes or untracked files[^\n]*\n  \?\? overrides/"
    ):
        publish_module.publish(tmp_path / "dist", target, repo=tmp_path)


class FakeRuns:
    """Stands in for subprocess.run in install_check: records argv and env, answers like venv/pip/smoke."""

    def __init__(self, versions: dict[str, str]) -> None:
        self.calls: list[tuple[list[str], dict[str, str]]] = []
        self.versions = versions

    def __call__(self, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((argv, kwargs["env"]))
        stdout = ""
        if any(part.endswith("smoke.py") for part in argv):
            ledger = [{"action": "shipment_created", "key": "R-1", "result": {"waybill": "W1"}}]
            shipment = {"reference": "R-1", "waybill": "W1", "ledger": ledger, "code": 200}
            report = {"modules": {}, "absent": [], "versions": self.versions, "shipment": shipment}
            stdout = json.dumps(report)
        elif "-c" in argv:  # the installed versions of the sandbox's environment
            stdout = json.dumps(self.versions)
        return subprocess.CompletedProcess(argv, 0, stdout, "")


class FakeSandbox:
    """Stands in for subprocess.Popen in install_check: records the sandbox command, writes its ready file."""

    started: ClassVar[list[tuple[list[str], dict[str, str]]]] = []

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        self.started.append((argv, kwargs["env"]))
        ready = Path(argv[argv.index("--ready-file") + 1])
        ready.write_text(json.dumps({"baaship": "http://127.0.0.1:9"}), encoding="utf-8")

    def poll(self) -> int | None:
        return None

    def terminate(self) -> None:
        """Nothing runs."""

    def wait(self, timeout: float | None = None) -> int:
        return 0


def test_a_password_in_the_index_url_never_reaches_argv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """user:password in INDEX_SIMPLE_URL / --index-url goes to a private netrc file, not pip's argv."""
    runs = FakeRuns({"shipspec": "1.0.0"})
    monkeypatch.setattr("publishing.install_check.subprocess.run", runs)
    monkeypatch.setattr("publishing.install_check.subprocess.Popen", FakeSandbox)
    FakeSandbox.started.clear()
    check_install("https://ci:s3cr%40t@index.example/simple/", "1.0.0", tmp_path)
    assert runs.calls
    assert FakeSandbox.started
    for argv, env in runs.calls + FakeSandbox.started:
        assert not any("s3cr" in part for part in argv)
        assert not any("s3cr" in value for key, value in env.items() if key != "NETRC")
    pip_argv = next(argv for argv, _ in runs.calls if "pip" in argv)
    assert "https://index.example/simple/" in pip_argv
    netrc = tmp_path / "netrc"
    assert netrc.read_text() == "machine index.example login ci password s3cr@t\n"
    assert netrc.stat().st_mode & 0o777 == 0o600


def test_check_install_refuses_other_carrier_versions_than_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """shipspec 1.0.0 pulling shipspec-baaship 1.0.0 while 2.0.0 was built fails, naming both versions."""
    runs = FakeRuns({"shipspec": "1.0.0", "shipspec-baaship": "1.0.0"})
    monkeypatch.setattr("publishing.install_check.subprocess.run", runs)
    monkeypatch.setattr("publishing.install_check.subprocess.Popen", FakeSandbox)
    built = {"shipspec": "1.0.0", "shipspec-baaship": "2.0.0"}
    with pytest.raises(PublishError, match=r"shipspec-baaship: built 2\.0\.0, installed 1\.0\.0"):
        check_install("http://127.0.0.1:9/simple/", "1.0.0", tmp_path, expected=built)
