"""shipspec's version moves at least as far as the largest carrier-package move (README, 'Versions')."""

from __future__ import annotations

import pytest
from packaging.version import Version

from publishing.versioning import latest_version, shipspec_version_problems, step


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("1.0.0", "2.0.0", "major"),
        ("1.0.0", "1.1.0", "minor"),
        ("1.0.0", "1.0.1", "patch"),
        ("1.2.0", "1.2.0", None),
        ("2.0.0", "1.9.0", None),
    ],
)
def test_step(old: str, new: str, expected: str | None) -> None:
    """The semver step between two versions, None when not upwards."""
    assert step(Version(old), Version(new)) == expected


def test_latest_version_reads_wheel_and_sdist_names() -> None:
    """The highest version among an index's files."""
    names = ["shipspec_baaship-1.0.0-py3-none-any.whl", "shipspec_baaship-1.10.0.tar.gz", "README.html"]
    assert latest_version(names) == Version("1.10.0")


def test_a_major_carrier_step_with_a_minor_shipspec_step_is_refused() -> None:
    """shipspec-baaship 1 → 2 while shipspec goes 0.1.0 → 0.2.0 breaks the rule."""
    new = {"shipspec-baaship": Version("2.0.0"), "shipspec": Version("0.2.0")}
    latest = {"shipspec-baaship": Version("1.0.0"), "shipspec": Version("0.1.0")}
    (problem,) = shipspec_version_problems(new, latest)
    assert "a major step for a carrier package needs at least a major step for shipspec" in problem
    assert "0.1.0 -> 0.2.0 is a minor step" in problem


def test_a_matching_step_passes() -> None:
    """A carrier minor step with a shipspec minor (or larger) step is fine."""
    new = {"shipspec-baaship": Version("1.1.0"), "shipspec": Version("0.2.0")}
    latest = {"shipspec-baaship": Version("1.0.0"), "shipspec": Version("0.1.0")}
    assert shipspec_version_problems(new, latest) == []


def test_first_releases_have_nothing_to_compare_with() -> None:
    """An empty index accepts any versions."""
    new = {"shipspec-baaship": Version("1.0.0"), "shipspec": Version("0.1.0")}
    assert shipspec_version_problems(new, {"shipspec-baaship": None, "shipspec": None}) == []


def test_shipspec_alone_may_move() -> None:
    """A shipspec-only release (its own fix or feature) needs nothing from the carriers."""
    assert shipspec_version_problems({"shipspec": Version("0.1.1")}, {"shipspec": Version("0.1.0")}) == []
