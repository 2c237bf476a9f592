"""End to end: build, publish to a fresh pypiserver, install shipspec from it alone, ship one package."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from publishing.build import Artifact, build_all
from publishing.credentials import Credentials
from publishing.deps import ensure_dependency_wheels
from publishing.errors import PublishError
from publishing.gate import require_gate
from publishing.index import IndexTarget
from publishing.install_check import check_install
from publishing.projects import ROOT_NAME, SANDBOX_NAME, is_ours, projects
from publishing.publish import target_of, upload_to
from publishing.server import EmbeddedIndex
from publishing.upload import Plan, credentials_refused, explain_refusal, upload
from tests.sandbox.baaship_payloads import forward_body

pytestmark = [pytest.mark.publishing, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[Artifact]:
    require_gate()  # what `make publish` checks first
    return build_all(projects(), tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedIndex]:
    password = secrets.token_urlsafe(16)
    deps = ensure_dependency_wheels(projects())
    root = tmp_path_factory.mktemp("index")
    with EmbeddedIndex(root, Credentials("publisher", password), extra=(deps,)) as running:
        yield running


@pytest.fixture(scope="module")
def published(built: list[Artifact], index: EmbeddedIndex) -> Plan:
    return upload_to(built, target_of(index))


def _by_file(artifacts: list[Artifact]) -> dict[str, str]:
    return {artifact.path.name: artifact.sha256 for artifact in artifacts}


def test_every_distribution_is_shipspec_or_shipspec_dash(built: list[Artifact]) -> None:
    """Each project yields one wheel and one sdist, all named shipspec or shipspec-*."""
    names = sorted(project.name for project in projects())
    assert all(is_ours(name) for name in names)
    assert sorted(artifact.name for artifact in built) == sorted(names * 2)
    assert {artifact.path.name.rsplit(".", 1)[-1] for artifact in built} == {"whl", "gz"}


def test_a_rebuild_is_byte_identical(built: list[Artifact], tmp_path: Path) -> None:
    """Building again gives files with the same names and sha256 (pinned backends, fixed epoch)."""
    again = build_all(projects(), tmp_path / "again")
    assert _by_file(again) == _by_file(built)


def test_a_fresh_venv_installs_shipspec_from_the_index_alone_and_ships(
    published: Plan, built: list[Artifact], index: EmbeddedIndex, tmp_path: Path
) -> None:
    """pip, isolated from pip.conf, installs shipspec alone from the index, without the sandboxes or
    openapi-core; it ships once to a Baaship sandbox run from shipspec-sandbox in a second environment."""
    assert len(published.upload) == len(built)
    versions = {artifact.name: artifact.version for artifact in built}
    report = check_install(
        index.simple_url,
        versions[ROOT_NAME],
        tmp_path,
        body=forward_body("PUBLISH-1"),
        expected=versions,
        sandbox_version=versions[SANDBOX_NAME],
    )
    runtime = {name: version for name, version in versions.items() if name != SANDBOX_NAME}
    assert {name.lower().replace("_", "-"): v for name, v in report["versions"].items()} == runtime
    assert report["absent"] == ["shipspec_sandbox", "openapi_core", "jsonschema"]
    sandbox_side = {name.lower().replace("_", "-"): v for name, v in report["sandbox_versions"].items()}
    assert sandbox_side == versions  # shipspec-sandbox pulls shipspec and the carriers in its own venv
    venv = str((tmp_path / "venv").resolve())
    assert all(location.startswith(venv) for location in report["modules"].values())
    assert {"shipspec.carriers.baaship", "shipspec_tiktok_shop", "shipspec_wechat_shop"} <= set(
        report["modules"]
    )
    shipment = report["shipment"]
    assert shipment["code"] == 200
    assert shipment["waybill"] == "T80000001"
    assert [(entry["action"], entry["key"], entry["result"]["waybill"]) for entry in shipment["ledger"]] == [
        ("shipment_created", "PUBLISH-1", "T80000001")
    ]


def test_without_the_dependency_wheels_the_install_fails(
    built: list[Artifact], tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """An index holding only our packages cannot satisfy httpx & co: proof pip consulted no other source."""
    root = tmp_path_factory.mktemp("bare-index")
    with EmbeddedIndex(root, Credentials("publisher", secrets.token_urlsafe(16))) as bare:
        upload_to(built, target_of(bare))
        root_version = next(artifact.version for artifact in built if artifact.name == ROOT_NAME)
        with pytest.raises(PublishError, match=r"installing shipspec .* alone failed") as caught:
            check_install(bare.simple_url, root_version, tmp_path)
    assert "No matching distribution found" in str(caught.value)


def test_publishing_the_same_versions_again_is_refused(
    published: Plan, built: list[Artifact], index: EmbeddedIndex
) -> None:
    """A second publish of released versions fails before uploading, saying what to bump."""
    with pytest.raises(PublishError, match="nothing to publish: every version is already on") as caught:
        upload_to(built, target_of(index))
    assert "bump" in str(caught.value)


def test_other_bytes_under_a_released_version_are_refused(
    published: Plan, built: list[Artifact], index: EmbeddedIndex, tmp_path: Path
) -> None:
    """A file whose version is on the index with different content is refused by the listing check."""
    original = next(artifact for artifact in built if artifact.path.name.endswith(".whl"))
    changed = tmp_path / original.path.name
    shutil.copyfile(original.path, changed)
    with changed.open("ab") as handle:
        handle.write(b"\0")
    forged = Artifact(changed, original.name, original.version, "0" * 64)
    with pytest.raises(PublishError, match=f"already on .* with different content:\n  {original.name} "):
        upload_to([forged], target_of(index))


def test_the_index_refusing_a_reupload_is_explained(
    published: Plan, built: list[Artifact], index: EmbeddedIndex
) -> None:
    """Past the listing check, pypiserver's 409 becomes a message naming the file and the fix."""
    wheel = next(artifact for artifact in built if artifact.path.name.endswith(".whl"))
    with pytest.raises(PublishError, match=rf"already has {wheel.path.name} \(HTTP 409\): .*bump"):
        upload([wheel], target_of(index))


def test_an_upload_with_a_wrong_password_is_refused_without_showing_it(
    published: Plan, built: list[Artifact], index: EmbeddedIndex
) -> None:
    """Uploads need the password; the refusal names the variables and never echoes the password."""
    wrong = Credentials("publisher", "not-the-password-" + secrets.token_hex(8))
    target = IndexTarget(index.url, index.simple_url, wrong)
    with pytest.raises(
        PublishError, match=r"\(HTTP 40[13]\): check INDEX_USERNAME / INDEX_PASSWORD"
    ) as caught:
        upload(built[:1], target)
    assert wrong.password not in str(caught.value)


def test_a_broken_off_upload_is_explained_by_the_index_refusing_the_credentials(index: EmbeddedIndex) -> None:
    """An index may answer 401 and close before reading the file (uv then reports a broken pipe, no
    status): asking the index with an empty upload form tells a refused login from a network failure."""
    right = target_of(index)
    wrong = IndexTarget(
        index.url, index.simple_url, Credentials("publisher", "not-it-" + secrets.token_hex(8))
    )
    assert credentials_refused(wrong) in (401, 403)
    assert credentials_refused(right) is None  # a valid login: 400 for the missing file, nothing uploaded
    broke = (
        "error: Failed to publish `/d/shipspec-0.1.0-py3-none-any.whl`\n  cause: Broken pipe (os error 32)\n"
    )
    assert "check INDEX_USERNAME" in explain_refusal(broke + "(the index answers status code 401)", "index")
