"""shipspec without the optional redis package (plain ``pip install shipspec``): one process works as before,
and asking for a Redis store says which extra to install."""

from __future__ import annotations

import subprocess
import sys

from tests.support.servers import REPO

# sys.modules["redis"] = None makes every `import redis` fail, as on an install without the extra.
WITHOUT_REDIS = """
import sys
sys.modules["redis"] = None
import shipspec
from shipspec.carriers import baaship, deftship, tiktok_shop, wechat_shop
from shipspec.config import CarrierSettings, ConfigError, build_shipper
from shipspec_sandbox.runner import start_sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec.tokens import store_from_settings

with start_sandboxes(("baaship",)) as sandboxes:
    shipper = build_shipper("baaship", sandbox_settings(sandboxes)["baaship"] | {"rate_limit": "50/s"})
    shipper.close()
try:
    store_from_settings(CarrierSettings("wechat_shop", {"token_store": "redis://127.0.0.1:6379"}))
except ConfigError as error:
    print(error)
"""


def test_one_process_needs_no_redis_and_a_redis_setting_names_the_extra() -> None:
    """Imports, a shipper with a local rate limit, and a clear ConfigError for token_store: no ImportError."""
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_REDIS], capture_output=True, cwd=REPO, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert done.stdout.decode().strip() == (
        "wechat_shop: setting 'token_store' needs the redis package: pip install 'shipspec[fleet]'"
    )
