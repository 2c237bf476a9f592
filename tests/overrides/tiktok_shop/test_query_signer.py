"""QuerySigner (one path and query's signing, prepared once) signs exactly as ``sign`` and the oracle do."""

from __future__ import annotations

import json
import random

import pytest
from shipspec.carriers.tiktok_shop.signing import QuerySigner, sign
from tiktok_shop_api import Signer

KEYS = ["app_key", "shop_cipher", "page_size", "Zeta", "a", "u", "sign", "access_token", "version", "tz"]
CONTENT_TYPES = [None, "application/json", "multipart/form-data; boundary=b0"]


@pytest.mark.parametrize("seed", range(200))
def test_prepared_signature_equals_sign_and_the_oracle(seed: int) -> None:
    """For seeded random paths, queries (repeated keys too), timestamps and bodies all three agree."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not cryptography
    keys = [rng.choice(KEYS) for _ in range(rng.randint(0, 6))]
    query = [(key, "".join(rng.choices("abcXYZ019_-é", k=rng.randint(0, 8)))) for key in keys]
    path = rng.choice(["/fulfillment/202309/packages/ship", "/api/x/202309/y"])
    secret = "".join(rng.choices("0123456789abcdef", k=16))
    signer = QuerySigner(path, query)
    for _ in range(3):  # one signer, several requests
        timestamp = str(rng.randint(1_600_000_000, 1_900_000_000))
        package = {"packages": [{"id": str(rng.randint(1, 10**12))}]}
        body = rng.choice([b"", json.dumps(package, ensure_ascii=False).encode("utf-8")])
        content_type = rng.choice(CONTENT_TYPES)
        full = [*query, ("timestamp", timestamp)]
        prepared = signer.sign(timestamp, content_type, body, secret)
        assert prepared == sign(path, full, content_type, body, secret)
        oracle = Signer.sign(path=path, query=full, content_type=content_type, body=body, app_secret=secret)
        assert prepared == oracle


def test_the_timestamp_is_not_part_of_the_prepared_query() -> None:
    with pytest.raises(ValueError, match="timestamp"):
        QuerySigner("/p", [("timestamp", "1")])


def test_the_signer_holds_no_secret() -> None:
    signer = QuerySigner("/p", [("app_key", "k")])
    signer.sign("1700000000", "application/json", b"{}", "the-app-secret")
    assert b"the-app-secret" not in b"".join(getattr(signer, name) for name in signer.__slots__)
