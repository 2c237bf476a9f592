"""The signer reproduces the spec's x-auth test vectors and property checks exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from shipspec.carriers.tiktok_shop.signing import is_multipart, sign, string_to_sign

SPEC = Path(__file__).resolve().parents[3] / "specs" / "tiktok_shop.yaml"
X_AUTH: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["x-auth"]
VECTORS = {vector["id"]: vector for vector in X_AUTH["test_vectors"]}


def _inputs(vector: dict[str, Any]) -> dict[str, Any]:
    body = vector["body"]
    return {
        "path": vector["path"],
        "query": [(key, str(value)) for key, value in vector["query"].items()],
        "content_type": vector["content_type"],
        "body": b"" if body is None else body.encode("utf-8"),
        "app_secret": vector["app_secret"],
    }


def test_spec_has_the_three_vectors() -> None:
    """The spec ships vectors A, B and C (so the parametrised tests below cannot silently run on nothing)."""
    assert sorted(VECTORS) == ["A", "B", "C"]


@pytest.mark.parametrize("vector_id", ["A", "B", "C"])
def test_vector_string_to_sign(vector_id: str) -> None:
    """The string to sign equals the vector's published string byte for byte."""
    vector = VECTORS[vector_id]
    assert string_to_sign(**_inputs(vector)) == vector["string_to_sign"].encode("utf-8")


@pytest.mark.parametrize("vector_id", ["A", "B", "C"])
def test_vector_sign(vector_id: str) -> None:
    """The signature equals the vector's expected lowercase hex digest."""
    vector = VECTORS[vector_id]
    assert sign(**_inputs(vector)) == vector["expected_sign"]


def test_query_order_does_not_matter() -> None:
    """Query pairs are sorted by key before signing, so their order on the wire is irrelevant."""
    inputs = _inputs(VECTORS["B"])
    inputs["query"] = list(reversed(inputs["query"]))
    assert sign(**inputs) == VECTORS["B"]["expected_sign"]


def test_access_token_and_sign_in_query_leave_the_sign_unchanged() -> None:
    """Property check 1: sign and access_token query parameters are not part of the signature."""
    check = X_AUTH["property_checks"][0]
    inputs = _inputs(VECTORS[check["based_on"]])
    inputs["query"] = [*inputs["query"], ("access_token", "X"), ("sign", "Y")]
    assert sign(**inputs) == check["expected_sign"]


def test_multipart_body_with_boundary_is_not_signed() -> None:
    """Property check 2: a multipart/form-data body (with a boundary parameter) is left out."""
    check = X_AUTH["property_checks"][1]
    inputs = _inputs(VECTORS[check["based_on"]])
    inputs["content_type"] = "multipart/form-data; boundary=x"
    inputs["body"] = b"--x\r\nContent-Disposition: form-data; name=f\r\n\r\nanything\r\n--x--\r\n"
    assert sign(**inputs) == check["expected_sign"]


def test_reordered_json_body_changes_the_sign() -> None:
    """Property check 3: the exact body bytes are signed, so re-ordering the JSON keys changes the digest."""
    check = X_AUTH["property_checks"][2]
    assert check["expected_sign_differs"] is True
    inputs = _inputs(VECTORS[check["based_on"]])
    inputs["body"] = b'{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}'
    assert sign(**inputs) != VECTORS["C"]["expected_sign"]


@pytest.mark.parametrize(
    ("content_type", "multipart"),
    [
        ("multipart/form-data", True),
        ("Multipart/Form-Data; boundary=abc", True),
        ("multipart/form-data;boundary=abc", True),
        ("application/json", False),
        ("multipart/form-data-x", False),
        ("multipart/mixed; boundary=abc", False),
        (None, False),
    ],
)
def test_multipart_detection(content_type: str | None, multipart: bool) -> None:
    """Only the media type counts, case-insensitively; parameters are ignored."""
    assert is_multipart(content_type) is multipart


def test_keys_sort_in_byte_order() -> None:
    """Upper-case keys sort before lower-case ones (case-sensitive byte order, as the official Go sample)."""
    text = string_to_sign("/p", [("b", "2"), ("B", "1"), ("a", "3")], None, b"", "k")
    assert text == b"k/pB1a3b2k"
