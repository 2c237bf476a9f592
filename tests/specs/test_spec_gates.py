"""Gates every carrier spec passes: OpenAPI validity, Spectral house rules, our x- conventions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from generator.extensions import load_spec, read_tables
from generator.paths import SPECS, carrier_specs
from tests.support.servers import NODE_BIN, REPO

CARRIERS = sorted(carrier_specs())
SPECTRAL_TIMEOUT_SECONDS = 120


def test_all_four_carriers_have_specs() -> None:
    """The four carriers shipspec supports each have a spec."""
    assert CARRIERS == ["baaship", "deftship", "tiktok_shop", "wechat_shop"]


@pytest.mark.parametrize("carrier", CARRIERS)
def test_spec_is_valid_openapi(carrier: str) -> None:
    """openapi-spec-validator accepts the spec."""
    spec_dict, _ = read_from_filename(str(SPECS / f"{carrier}.yaml"))
    validate(spec_dict)


@pytest.mark.parametrize("carrier", CARRIERS)
def test_spec_is_openapi_3_0_3_for_its_carrier(carrier: str) -> None:
    """The spec is OpenAPI 3.0.3 and names its carrier in info.x-carrier."""
    spec = load_spec(SPECS / f"{carrier}.yaml")
    assert spec["openapi"] == "3.0.3"
    assert spec["info"]["x-carrier"] == carrier


@pytest.mark.parametrize("carrier", CARRIERS)
def test_spec_extensions_follow_conventions(carrier: str) -> None:
    """Every operation's x- extensions parse under specs/CONVENTIONS.md (kinds, strategies, tables)."""
    tables = read_tables(load_spec(SPECS / f"{carrier}.yaml"))
    assert tables.operations, "a carrier spec without operations"
    for operation in tables.operations:
        if operation.idempotency.strategy == "state_check":
            ids = {op.operation_id for op in tables.operations}
            assert operation.idempotency.via in ids, f"{operation.operation_id}: via names no operation"


@pytest.mark.parametrize("carrier", CARRIERS)
def test_spectral_house_rules_pass(carrier: str, tmp_path: Path) -> None:
    """Spectral with .spectral.yaml reports nothing at warning level or above."""
    done = subprocess.run(
        [
            str(NODE_BIN / "spectral"),
            "lint",
            "--ruleset",
            str(REPO / ".spectral.yaml"),
            "--fail-severity=warn",
            "--format=text",
            str(SPECS / f"{carrier}.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=SPECTRAL_TIMEOUT_SECONDS,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_spectral_house_rules_catch_a_missing_error_table(tmp_path: Path) -> None:
    """The ruleset fails a spec whose operation lacks x-error-codes (so the gate can fail)."""
    spec = load_spec(SPECS / "baaship.yaml")
    del spec["paths"]["/createShipment"]["post"]["x-error-codes"]
    broken = tmp_path / "broken.json"  # JSON keeps every value's type exactly as loaded
    broken.write_text(json.dumps(spec), encoding="utf-8")
    done = subprocess.run(
        [str(NODE_BIN / "spectral"), "lint", "--ruleset", str(REPO / ".spectral.yaml"), str(broken)],
        capture_output=True,
        text=True,
        timeout=SPECTRAL_TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode != 0
    assert "shipspec-error-codes-everywhere" in done.stdout
