"""A fleet worker's carrier settings: tokens and pacing shared in the broker's Redis unless set otherwise."""

from __future__ import annotations

import pytest
from shipspec.errors import ConfigError
from shipspec.fleet import FleetConfig, fleet_settings

BROKER = "redis://127.0.0.1:6379/0"


def test_tokens_and_pacing_default_to_the_broker() -> None:
    settings = {
        "wechat_shop": {"appid": "a"},
        "tiktok_shop": {"token_dir": "/var/tokens"},
        "baaship": {"rate_store": "redis://other:6379/1"},
        "deftship": {},
    }
    shared = fleet_settings(settings, BROKER)
    assert shared["wechat_shop"] == {"appid": "a", "token_store": BROKER, "rate_store": BROKER}
    assert shared["tiktok_shop"] == {"token_dir": "/var/tokens", "rate_store": BROKER}  # one store, not two
    assert shared["baaship"] == {"rate_store": "redis://other:6379/1"}
    assert shared["deftship"] == {"rate_store": BROKER}
    assert settings["wechat_shop"] == {"appid": "a"}  # the caller's settings are not changed


@pytest.mark.parametrize(
    ("broker", "journal", "lease", "visibility", "problem"),
    [
        ("amqp://h", "postgresql://h/db", 60.0, 7200.0, "broker: use a redis:// or rediss:// URL"),
        (BROKER, "fleet.sqlite", 60.0, 7200.0, "journal: a fleet needs a postgresql:// URL"),
        (BROKER, "postgresql://h/db", 0.0, 7200.0, "lease: must be more than 0 seconds"),
        (BROKER, "postgresql://h/db", 60.0, 60.0, "visibility_timeout: must exceed the lease (60 s), not 60"),
    ],
)
def test_a_fleet_that_cannot_work_is_refused(
    broker: str, journal: str, lease: float, visibility: float, problem: str
) -> None:
    with pytest.raises(ConfigError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        FleetConfig(broker, journal, lease=lease, visibility_timeout=visibility)
