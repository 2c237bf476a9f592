"""Every fact a vendor doc snapshot states (field, required flag, length, error code, cap) is in its spec.

The parser and the checks are product code (``generator.vendor_docs``, ``generator.doc_check``: the
``doc-check`` command); here they run on every snapshot in ``specs/sources``, one test per operation.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import pytest

from generator.doc_check import check_operations
from generator.doc_check import main as doc_check
from generator.extensions import load_spec
from generator.vendor_docs import PARSERS, DocOperation, VendorDocError, find_docs_dir, load_carrier

REPO = Path(__file__).resolve().parents[2]
EXPECTED_OPERATIONS = {
    ("tiktok_shop", "POST", "/fulfillment/202309/packages/ship"),
    ("wechat_shop", "POST", "/product/delivery/send"),
    ("baaship", "POST", "/createShipment"),
    ("baaship", "POST", "/reverseShipment"),
    ("baaship", "GET", "/cancelShipment"),
    ("baaship", "GET", "/tracking"),
    ("baaship", "GET", "/getShipmentLabel"),
    ("deftship", "POST", "/batches"),
}


def _load_docs() -> tuple[list[DocOperation], dict[str, str]]:
    try:
        docs = find_docs_dir(REPO)
    except FileNotFoundError as error:
        return [], {carrier: str(error) for carrier in PARSERS}
    operations: list[DocOperation] = []
    errors: dict[str, str] = {}
    for carrier in PARSERS:
        try:
            operations += load_carrier(docs, carrier)
        except (OSError, VendorDocError) as error:
            errors[carrier] = f"{type(error).__name__}: {error}"
    return operations, errors


DOC_OPERATIONS, DOC_ERRORS = _load_docs()


@cache
def _spec(carrier: str) -> dict[str, object]:
    return load_spec(REPO / "specs" / f"{carrier}.yaml")


@pytest.mark.parametrize("carrier", sorted(PARSERS))
def test_vendor_doc_is_found_and_parsed(carrier: str) -> None:
    """Each carrier's vendor doc exists and has the structure the parser knows."""
    assert carrier not in DOC_ERRORS, DOC_ERRORS.get(carrier)


def test_doc_operations_are_the_mapped_ones() -> None:
    """The docs describe exactly the operations mapped to spec paths and methods."""
    got = {(op.carrier, op.method, op.path) for op in DOC_OPERATIONS}
    assert not DOC_ERRORS, DOC_ERRORS
    assert got == EXPECTED_OPERATIONS, sorted(got ^ EXPECTED_OPERATIONS)


@pytest.mark.parametrize("op", DOC_OPERATIONS, ids=lambda op: f"{op.carrier}:{op.method}{op.path}")
def test_spec_carries_every_fact_of_the_operation(op: DocOperation) -> None:
    """Every documented field, required flag, length, object/array kind, error code and cap is in the spec."""
    facts, findings = check_operations(_spec(op.carrier), [op])
    assert facts > len(op.fields)  # the operation, each field and its facts, each code were checked
    assert [f.text for f in findings if f.status == "differs"] == []


def test_doc_check_passes_on_every_snapshot(capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m generator doc-check` (all carriers, snapshots) exits 0, listing recorded conflicts only."""
    assert doc_check([]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert {line.split()[0] for line in out.splitlines() if not line.split()[0].endswith(":")} <= {"conflict"}
    assert all(f"{carrier}: " in out for carrier in PARSERS)


def test_missing_vendor_docs_is_an_error(tmp_path: Path) -> None:
    """Without specs/sources or SHIPSPEC_VENDOR_DOCS the docs lookup fails loudly, naming the variable."""
    with pytest.raises(FileNotFoundError, match="SHIPSPEC_VENDOR_DOCS"):
        find_docs_dir(tmp_path / "repo", env={})


def test_snapshots_match_their_recorded_sha256() -> None:
    """Every vendor doc snapshot in specs/sources is listed in SOURCES.md with its origin and its sha256."""
    sources = REPO / "specs" / "sources"
    table = (sources / "SOURCES.md").read_text(encoding="utf-8")
    row = r"^\| (\w+) \| `([^`]+)` \| (https://\S+) \| [\d-]+ \| `([0-9a-f]{64})` \|$"
    rows = re.findall(row, table, re.M)
    assert {name for _, name, _, _ in rows} == {p.name for p in sources.glob("*.md")} - {"SOURCES.md"}
    for _, name, _, digest in rows:
        assert hashlib.sha256((sources / name).read_bytes()).hexdigest() == digest, name
