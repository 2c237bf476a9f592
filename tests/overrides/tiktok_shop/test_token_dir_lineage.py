"""token_dir: tokens a refresh stored win over the configured ones they descend from; a re-authorization wins.

Real HTTP on 127.0.0.1: the fake authorization host ROTATES refresh tokens (a used one is revoked), so
shipping with a stale configured pair fails the way the real API would, and the requests are counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from shipspec.carriers.tiktok_shop import TikTokTokens, client
from shipspec.carriers.tiktok_shop.shipper import from_settings
from shipspec.errors import ConfigError
from shipspec.tokens import FileTokenStore, TokenRecord
from shipspec_shipping_models import Shipment

from .fake_server import APP_KEY, APP_SECRET, SHIP_PATH, SHOP_CIPHER, FakeTikTok, Seen, running_fake

KEY = f"tiktok_shop.{APP_KEY}"  # the key from_settings and TikTokTokens use by default
REFRESH_PATH = "/api/v2/token/refresh"


class RotatingHost(FakeTikTok):
    """The fake API, except that a refresh token is revoked once it has been used."""

    def _token_refresh(self, seen: Seen, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        status, answer = super()._token_refresh(seen, query)
        if answer["code"] == 0:
            self.valid_refresh.discard(query["refresh_token"])
        return status, answer


@pytest.fixture
def host() -> RotatingHost:
    return RotatingHost(auth_codes={"code-1", "code-2"})


@pytest.fixture
def url(host: RotatingHost) -> Iterator[str]:
    with running_fake(host) as running:
        yield running


def _settings(url: str, token_dir: Path, **tokens: str) -> dict[str, str]:
    base = {"app_key": APP_KEY, "app_secret": APP_SECRET, "shop_cipher": SHOP_CIPHER}
    return base | {"base_url": url, "auth_base_url": url, "token_dir": str(token_dir)} | tokens


def _tokens(url: str, token_dir: Path) -> TikTokTokens:
    """Another process's token manager on the same token_dir."""
    return TikTokTokens(
        app_key=APP_KEY, app_secret=APP_SECRET, store=FileTokenStore(token_dir), auth_base_url=url
    )


def _ship_one(settings: dict[str, str]) -> str:
    shipment = Shipment.model_validate(
        {"reference": "R1", "carrier": "tiktok_shop", "platform": {"package_id": "P1"}}
    )
    with from_settings(settings) as shipper:
        [result] = shipper.ship_batch([shipment])
    return result.status


def _requests(host: RotatingHost, path: str) -> list[Seen]:
    with host.lock:
        return [seen for seen in host.seen if seen.path == path]


def test_a_refreshed_record_wins_over_the_configured_tokens_it_descends_from(
    host: RotatingHost, url: str, tmp_path: Path
) -> None:
    """Configured access-1/refresh-1, rotated since to access-2/refresh-2: a new process keeps the pair."""
    configured = _settings(url, tmp_path, access_token="access-1", refresh_token="refresh-1")
    host.valid_access, host.valid_refresh = {"access-1"}, {"refresh-1"}
    host.issued = 1
    from_settings(configured).close()  # the first process seeds token_dir from the configuration
    _tokens(url, tmp_path).refresh()  # ... and a refresh rotates the pair (refresh-1 is now revoked)

    assert _ship_one(configured) == "shipped"  # a later process with the same configuration

    stored = FileTokenStore(tmp_path).load(KEY)
    assert stored is not None
    assert (stored.access_token, stored.refresh_token) == ("access-2", "refresh-2")
    assert [seen.headers["x-tts-access-token"] for seen in _requests(host, SHIP_PATH)] == ["access-2"]
    assert len(_requests(host, REFRESH_PATH)) == 1  # only the rotation: no refresh with the stale token
    # The record remembers its origin as a fingerprint, never the stale token itself.
    assert "refresh-1" not in FileTokenStore(tmp_path).path_for(KEY).read_text()


def test_tokens_of_a_new_authorization_replace_the_stored_ones(
    host: RotatingHost, url: str, tmp_path: Path
) -> None:
    """The seller authorized again (a different configured refresh_token): the configured tokens win."""
    old = _tokens(url, tmp_path)
    old.exchange_auth_code("code-1")  # access-1/refresh-1
    old.refresh()  # access-2/refresh-2
    renewed = TikTokTokens(app_key=APP_KEY, app_secret=APP_SECRET, auth_base_url=url)
    grant = renewed.exchange_auth_code("code-2")  # a new authorization, held outside token_dir
    configured = _settings(
        url, tmp_path, access_token=grant.access_token, refresh_token=grant.refresh_token or ""
    )

    assert _ship_one(configured) == "shipped"

    stored = FileTokenStore(tmp_path).load(KEY)
    assert stored is not None
    assert (stored.access_token, stored.refresh_token) == ("access-3", "refresh-3")
    assert [seen.headers["x-tts-access-token"] for seen in _requests(host, SHIP_PATH)] == ["access-3"]


def test_tokens_from_an_exchange_are_the_origin_of_their_refreshes(
    host: RotatingHost, url: str, tmp_path: Path
) -> None:
    """Exchange into token_dir, configure the pair it gave, refresh: the configuration stays behind."""
    tokens = _tokens(url, tmp_path)
    first = tokens.exchange_auth_code("code-1")
    tokens.refresh()
    configured = _settings(
        url, tmp_path, access_token=first.access_token, refresh_token=first.refresh_token or ""
    )
    assert _ship_one(configured) == "shipped"
    assert [seen.headers["x-tts-access-token"] for seen in _requests(host, SHIP_PATH)] == ["access-2"]


def test_a_record_written_before_origins_is_adopted_when_its_refresh_token_matches(
    host: RotatingHost, url: str, tmp_path: Path
) -> None:
    """A stored record without an origin and the configured refresh_token becomes theirs, then rotates."""
    host.valid_access, host.valid_refresh, host.issued = {"access-1"}, {"refresh-1"}, 1
    FileTokenStore(tmp_path).save(KEY, TokenRecord("access-1", 4_000_000_000.0, "refresh-1"))
    configured = _settings(url, tmp_path, access_token="access-1", refresh_token="refresh-1")
    from_settings(configured).close()
    _tokens(url, tmp_path).refresh()
    assert _ship_one(configured) == "shipped"
    assert [seen.headers["x-tts-access-token"] for seen in _requests(host, SHIP_PATH)] == ["access-2"]


def test_client_with_tokens_keeps_a_stored_descendant(tmp_path: Path) -> None:
    """The Python entry point follows the same rule as the settings: no overwrite of a rotated record."""
    store = FileTokenStore(tmp_path)
    client(app_key="k", app_secret="s", access_token="a1", refresh_token="r1", store=store, key="t")
    seeded = store.load("t")
    assert seeded is not None
    assert seeded.origin is not None
    store.save("t", TokenRecord("a2", 4_000_000_000.0, "r2", origin=seeded.origin))  # as a refresh would
    client(app_key="k", app_secret="s", access_token="a1", refresh_token="r1", store=store, key="t")
    assert store.load("t") == TokenRecord("a2", 4_000_000_000.0, "r2", origin=seeded.origin)
    client(app_key="k", app_secret="s", access_token="a9", refresh_token="r9", store=store, key="t")
    replaced = store.load("t")
    assert replaced is not None
    assert (replaced.access_token, replaced.refresh_token) == ("a9", "r9")
    assert replaced.origin not in (None, seeded.origin)


def test_without_a_configured_access_token_the_stored_tokens_are_used(
    host: RotatingHost, url: str, tmp_path: Path
) -> None:
    """Without access_token, token_dir must hold the tokens (whatever refresh_token says); else an error."""
    with pytest.raises(ConfigError, match="access_token") as caught:
        from_settings(_settings(url, tmp_path, refresh_token="refresh-other"))
    assert "token_dir" in str(caught.value)
    assert "refresh-other" not in str(caught.value)
    host.valid_access = {"access-1"}
    FileTokenStore(tmp_path).save(KEY, TokenRecord("access-1", 4_000_000_000.0, "refresh-1"))
    assert _ship_one(_settings(url, tmp_path, refresh_token="refresh-other")) == "shipped"
    assert [seen.headers["x-tts-access-token"] for seen in _requests(host, SHIP_PATH)] == ["access-1"]
