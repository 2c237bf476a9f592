"""A second `make publish` to the embedded index uploads nothing and succeeds, as the real-index path does."""

from __future__ import annotations

from pathlib import Path

import pytest

from publishing.publish import publish

pytestmark = [pytest.mark.publishing, pytest.mark.timeout(600)]


def test_publishing_the_same_build_again_to_the_embedded_index_is_not_an_error(tmp_path: Path) -> None:
    """The first publish uploads every file; the second finds them all there, identical, and uploads none."""
    index_root = tmp_path / "index"
    first = publish(tmp_path / "dist", index_root=index_root)
    assert first.uploaded
    again = publish(tmp_path / "dist", index_root=index_root)
    assert again.uploaded == ()
    assert set(again.already_released) == {f"{a.name} {a.version}" for a in first.uploaded}
