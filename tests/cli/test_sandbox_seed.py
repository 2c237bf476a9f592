"""``shipspec sandbox --seed-data`` and ``--env-file``: preloaded records and settings for the commands."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from shipspec.cli import main
from shipspec.cli.seed import SeedError, apply_seed, load_seed
from shipspec_sandbox import start_sandboxes

EXAMPLE_SEED = Path(__file__).resolve().parents[2] / "examples" / "sandbox-seed.yaml"


def test_seeded_records_exist_in_the_sandboxes(tmp_path: Path) -> None:
    """TikTok packages and WeChat orders (lines written as mappings) are added with the sandbox methods."""
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "tiktok_shop:\n  packages:\n    - {package_id: PKG-1, state: SHIPPED}\n"
        "wechat_shop:\n  orders:\n    - {order_id: 42, items: [{product_id: 1, sku_id: 2, count: 3}]}\n",
        encoding="utf-8",
    )
    with start_sandboxes(("tiktok_shop", "wechat_shop")) as running:
        assert apply_seed(running, load_seed(seed)) == 2
        package = running.app("tiktok_shop").package("PKG-1")  # type: ignore[attr-defined]
        order = running.app("wechat_shop").order(42)  # type: ignore[attr-defined]
    assert package["state"] == "SHIPPED"
    assert [(sku["product_id"], sku["sku_id"], sku["count"]) for sku in order["skus"]] == [(1, 2, 3)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("baaship:\n  shipments: []\n", "no seed data for 'baaship'"),
        ("tiktok_shop:\n  orders: []\n", "has no section 'orders'"),
        ("tiktok_shop:\n  packages: {package_id: P}\n", "must be a list of records"),
        ("- just a list\n", "expected a mapping"),
        ("tiktok_shop: [\n", "cannot read seed data"),
    ],
)
def test_a_malformed_seed_file_is_refused(tmp_path: Path, text: str, words: str) -> None:
    """Unknown carriers or sections and wrong shapes are errors, not silently skipped."""
    seed = tmp_path / "seed.yaml"
    seed.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError, match=words):
        load_seed(seed)


def test_a_record_that_does_not_fit_names_its_place(tmp_path: Path) -> None:
    """An unknown field of the second package is reported as tiktok_shop.packages[1]."""
    seed = tmp_path / "seed.yaml"
    seed.write_text("tiktok_shop:\n  packages:\n    - {package_id: A}\n    - {id: B}\n", encoding="utf-8")
    with start_sandboxes(("tiktok_shop",)) as running, pytest.raises(SeedError, match=r"packages\[1\]"):
        apply_seed(running, load_seed(seed))


def test_the_command_seeds_and_writes_private_env_and_ready_files(tmp_path: Path) -> None:
    """The example seed loads; the env file exports every carrier's settings (mode 0600); a ready file."""
    env_file, ready_file = tmp_path / "sandbox.env", tmp_path / "ready.json"
    arguments = ["sandbox", "--seed-data", str(EXAMPLE_SEED), "--env-file", str(env_file)]
    arguments += ["--ready-file", str(ready_file), "--for-seconds", "0"]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "seeded 8 records" in result.stderr
    urls = json.loads(ready_file.read_text(encoding="utf-8"))
    assert sorted(urls) == ["baaship", "deftship", "tiktok_shop", "wechat_shop"]
    lines = env_file.read_text(encoding="utf-8").splitlines()
    names = {line.split("=", 1)[0].removeprefix("export ") for line in lines}
    assert {
        "SHIPSPEC_BAASHIP_TOKEN",
        "SHIPSPEC_DEFTSHIP_SHIPPER_ID",
        "SHIPSPEC_TIKTOK_SHOP_ACCESS_TOKEN",
        "SHIPSPEC_WECHAT_SHOP_SECRET",
    } <= names
    assert f"export SHIPSPEC_BAASHIP_BASE_URL={urls['baaship']}" in lines
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


def test_a_bad_seed_file_is_a_usage_error(tmp_path: Path) -> None:
    """The command refuses a malformed seed file with exit 2 before starting anything."""
    seed = tmp_path / "seed.yaml"
    seed.write_text("fedex: {}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sandbox", "--seed-data", str(seed), "--for-seconds", "0"])
    assert result.exit_code == 2
    assert "no seed data for 'fedex'" in result.stderr
