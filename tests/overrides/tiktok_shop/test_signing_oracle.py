"""shipspec's signer agrees with the independent PyPI signer tiktok_shop_api.Signer (0.1.0)."""

from __future__ import annotations

import json
import random

import pytest
from shipspec.carriers.tiktok_shop.signing import sign
from tiktok_shop_api import Signer

KEYS = ["app_key", "timestamp", "shop_cipher", "page_size", "Zeta", "a", "sign", "access_token", "version"]
CONTENT_TYPES = [
    None,
    "application/json",
    "multipart/form-data; boundary=b0",
    "application/json; charset=utf-8",
]


@pytest.mark.parametrize("seed", range(200))
def test_random_requests_sign_alike(seed: int) -> None:
    """For seeded random paths, queries, content types and bodies both signers give the same digest."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not cryptography
    keys = rng.sample(KEYS, rng.randint(0, len(KEYS)))
    query = [(key, "".join(rng.choices("abcXYZ019_-é", k=rng.randint(0, 12)))) for key in keys]
    package = {"packages": [{"id": str(rng.randint(1, 10**12))}]}
    body = rng.choice([b"", json.dumps(package, ensure_ascii=False).encode("utf-8")])
    path = rng.choice(["/fulfillment/202309/packages/ship", "/api/x/202309/y"])
    content_type = rng.choice(CONTENT_TYPES)
    secret = "".join(rng.choices("0123456789abcdef", k=16))
    ours = sign(path, query, content_type, body, secret)
    theirs = Signer.sign(path=path, query=query, content_type=content_type, body=body, app_secret=secret)
    assert ours == theirs
