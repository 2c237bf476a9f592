"""The pytest plugin works for users: a scratch test file outside the repo gets sandboxes and clients."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRATCH_TEST = """
from shipspec_baaship.api.baaship import get_tracking
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import BatchShipPackagesRequest
from shipspec.errors import NotFoundError
import pytest


def test_sandboxes_and_clients(shipspec_sandboxes, shipspec_client, shipspec_sandbox_settings):
    assert set(shipspec_sandbox_settings) == {"tiktok_shop", "wechat_shop", "baaship", "deftship"}
    assert shipspec_sandboxes.url("baaship").startswith("http://127.0.0.1:")
    with shipspec_client("baaship") as client, pytest.raises(NotFoundError):
        get_tracking.sync(client=client, waybill="NOPE")
    shipspec_sandboxes.app("tiktok_shop").add_package("PKG-1")
    with shipspec_client("tiktok_shop") as client:
        body = BatchShipPackagesRequest.from_dict({"packages": [{"id": "PKG-1"}]})
        answer = batch_ship_packages.sync(client=client, body=body, shop_cipher="SANDBOX_SHOP")
    assert answer is not None and answer.code == 0
    assert [e.key for e in shipspec_sandboxes.ledger.entries(action="package_shipped")] == ["PKG-1"]
"""


def test_a_scratch_test_outside_the_repo_uses_the_fixtures(tmp_path: Path) -> None:
    """pytest, started in an empty folder, loads the plugin by its entry point and the fixtures work."""
    (tmp_path / "test_scratch.py").write_text(SCRATCH_TEST, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_scratch.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout
