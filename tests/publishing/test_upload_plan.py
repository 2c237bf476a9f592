"""The upload plan: new versions are sent, identical releases skipped, changed releases refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from publishing.build import Artifact
from publishing.errors import PublishError
from publishing.upload import plan_upload


def artifact(name: str, version: str, digest: str, kind: str = "whl") -> Artifact:
    stem = f"{name.replace('-', '_')}-{version}"
    file_name = f"{stem}-py3-none-any.whl" if kind == "whl" else f"{stem}.tar.gz"
    return Artifact(Path("/dist") / file_name, name, version, digest)


BAASHIP = [artifact("shipspec-baaship", "1.0.0", "a1"), artifact("shipspec-baaship", "1.0.0", "a2", "sdist")]
ROOT = [artifact("shipspec", "0.1.0", "r1"), artifact("shipspec", "0.1.0", "r2", "sdist")]


def listing_of(*released: Artifact) -> dict[str, dict[str, str | None]]:
    found: dict[str, dict[str, str | None]] = {}
    for item in released:
        found.setdefault(item.name, {})[item.path.name] = item.sha256
    return found


def test_an_empty_index_gets_everything_with_shipspec_last() -> None:
    """Nothing released yet: every file is sent, carrier packages before shipspec."""
    plan = plan_upload(ROOT + BAASHIP, lambda name: {}, "index")
    assert [item.name for item in plan.upload] == ["shipspec-baaship"] * 2 + ["shipspec"] * 2
    assert plan.already_released == ()


def test_shipspec_sandbox_is_sent_after_the_shipspec_it_requires() -> None:
    """shipspec-sandbox requires shipspec: the index never lists it before shipspec is there."""
    sandbox = [
        artifact("shipspec-sandbox", "0.1.0", "s1"),
        artifact("shipspec-sandbox", "0.1.0", "s2", "sdist"),
    ]
    plan = plan_upload(sandbox + ROOT + BAASHIP, lambda name: {}, "index")
    names = [item.name for item in plan.upload]
    assert names == ["shipspec-baaship"] * 2 + ["shipspec"] * 2 + ["shipspec-sandbox"] * 2


def test_an_identical_release_is_skipped_and_the_rest_sent() -> None:
    """A version on the index with our exact bytes counts as released; only the new one is sent."""
    index = listing_of(*BAASHIP)
    bumped = [artifact("shipspec", "0.1.1", "n1"), artifact("shipspec", "0.1.1", "n2", "sdist")]
    plan = plan_upload(bumped + BAASHIP, lambda name: index.get(name, {}), "index")
    assert [item.version for item in plan.upload] == ["0.1.1", "0.1.1"]
    assert plan.already_released == ("shipspec-baaship 1.0.0",)


def test_different_bytes_under_a_released_version_are_refused() -> None:
    """Same version, other sha256: refused with the distribution, version and what to bump."""
    index = listing_of(artifact("shipspec-baaship", "1.0.0", "OTHER"))
    expected = r"different content:\n  shipspec-baaship 1\.0\.0 \(on the index: .*\)\na released version"
    with pytest.raises(PublishError, match=expected):
        plan_upload(BAASHIP, lambda name: index.get(name, {}), "index")


def test_a_release_without_a_sha256_on_the_index_is_refused() -> None:
    """An index that gives no hash cannot prove the bytes are ours: treated as a conflict."""
    index: dict[str, dict[str, str | None]] = {"shipspec-baaship": {BAASHIP[0].path.name: None}}
    with pytest.raises(PublishError, match="different content"):
        plan_upload(BAASHIP, lambda name: index.get(name, {}), "index")


def test_files_missing_from_an_interrupted_upload_are_sent() -> None:
    """The wheel made it earlier, the sdist did not: only the sdist is sent."""
    index = listing_of(BAASHIP[0])
    plan = plan_upload(BAASHIP + ROOT, lambda name: index.get(name, {}), "index")
    assert [item.path.name for item in plan.upload] == [BAASHIP[1].path.name] + [
        item.path.name for item in ROOT
    ]


def test_nothing_new_is_refused() -> None:
    """Publishing only released versions fails and says so."""
    index = listing_of(*BAASHIP, *ROOT)
    with pytest.raises(PublishError, match="nothing to publish: every version is already on index"):
        plan_upload(BAASHIP + ROOT, lambda name: index.get(name, {}), "index")


def test_a_new_carrier_version_needs_a_new_shipspec_version() -> None:
    """shipspec-baaship 1.1.0 with shipspec still at a released 0.1.0 is refused."""
    index = listing_of(*BAASHIP, *ROOT)
    newer = [
        artifact("shipspec-baaship", "1.1.0", "b1"),
        artifact("shipspec-baaship", "1.1.0", "b2", "sdist"),
    ]
    with pytest.raises(PublishError, match="shipspec's version is already there"):
        plan_upload(newer + ROOT, lambda name: index.get(name, {}), "index")
