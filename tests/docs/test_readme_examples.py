"""The README's Python examples run as written: each ```python block is taken from README.md and executed.

What a block leaves to the reader (``my_rows()``, ``baaship_token``) the test supplies, like doctest globals;
settings come from SHIPSPEC_* variables pointing at sandboxes this test starts and stops.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from shipspec.carriers.baaship.shipper import from_settings
from shipspec_sandbox import start_sandboxes
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN

from tests.shipping.support_baaship import shipment

README = Path(__file__).resolve().parents[2] / "README.md"
GOOD = ("DOC-1", "DOC-2", "DOC-4")


def python_blocks() -> dict[str, str]:
    """Every ```python block of the README, keyed by the heading it sits under."""
    text = README.read_text(encoding="utf-8")
    blocks: dict[str, str] = {}
    heading = ""
    for part in re.split(r"^(#{2,3} .+)$", text, flags=re.MULTILINE):
        if part.startswith("#"):
            heading = part.lstrip("# ").strip()
            continue
        for number, block in enumerate(re.findall(r"^```python\n(.*?)^```$", part, re.DOTALL | re.MULTILINE)):
            blocks[f"{heading} #{number}" if number else heading] = block
    return blocks


def run_block(block: str, names: dict[str, Any]) -> None:
    """Run a README block with the names it leaves to the reader (what the reader's program would do)."""
    exec(compile(block, str(README), "exec"), names)  # noqa: S102  (our own README, the point of the test)


def my_rows() -> Iterator[dict[str, Any]]:
    """Four Baaship orders as plain mappings; the third weighs 0 kg, which the model refuses."""
    for reference in ("DOC-1", "DOC-2", "DOC-3", "DOC-4"):
        row = shipment(reference).model_dump(mode="json", exclude_none=True)
        if reference == "DOC-3":
            row = copy.deepcopy(row)
            row["parcels"][0]["weight"]["value"] = "0"
        yield row


def test_every_python_block_is_covered() -> None:
    """A new example must get a test here (or this list a reason)."""
    assert sorted(python_blocks()) == ["Local sandboxes", "Shipping from Python", "Using a carrier client"]


def test_shipping_from_python_runs_as_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ship() ships the good rows and fails the bad one alone; aship() with its own rows finds them done."""
    block = python_blocks()["Shipping from Python"]
    with start_sandboxes(("baaship",)) as running:
        monkeypatch.setenv("SHIPSPEC_BAASHIP_BASE_URL", running.url("baaship"))
        monkeypatch.setenv(
            "SHIPSPEC_BAASHIP_TOKEN", DEFAULT_TOKEN
        )  # the first run's; settings= gives the second's
        run_block(block, {"my_rows": my_rows, "baaship_token": DEFAULT_TOKEN})
        created = [entry.key for entry in running.ledger.entries("baaship", "shipment_created")]
    lines = capsys.readouterr().out.splitlines()
    assert sorted(created) == list(GOOD)
    first, second = lines[:4], lines[4:8]
    assert sorted(line.split()[:2] for line in first if "DOC-3" not in line) == [[r, "shipped"] for r in GOOD]
    [bad] = [line for line in first if line.startswith("DOC-3 failed")]
    assert "parcels[0].weight.value: must be a decimal number greater than 0" in bad
    assert sorted(second) == [
        "DOC-1 already_shipped",
        "DOC-2 already_shipped",
        "DOC-3 failed",
        "DOC-4 already_shipped",
    ]
    assert "baaship" in lines[8]


def test_using_a_carrier_client_runs_as_written() -> None:
    """The clients are built (nothing sent) and the Baaship one tracks a shipment the sandbox shipped."""
    block = python_blocks()["Using a carrier client"]
    with start_sandboxes(("baaship",)) as running:
        url = running.url("baaship")
        shipper = from_settings({"token": DEFAULT_TOKEN, "base_url": url})
        [shipped] = shipper.ship_batch([shipment("DOC-TRACK")])
        shipper.close()
        names: dict[str, Any] = {
            "baaship_token": DEFAULT_TOKEN,
            "baaship_url": url,
            "waybill": shipped.tracking_number,
            "deftship_url": "http://127.0.0.1:9",  # never called: building a client sends nothing
        }
        run_block(block, names)
    assert shipped.tracking_number
    assert shipped.tracking_number in str(names["tracking"].to_dict())
    assert {"tiktok", "wechat", "deft"} <= set(names)


def test_the_pytest_plugin_example_runs_as_written(tmp_path: Path) -> None:
    """The example test, saved as a file, passes under pytest with the installed plugin."""
    example = tmp_path / "test_example.py"
    example.write_text(python_blocks()["Local sandboxes"], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(example)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
