"""``shipspec.carriers.baaship.client(token=…)``: the generated Baaship client, wired for production use."""

from __future__ import annotations

from typing import Literal

import httpx
from shipspec_baaship import AuthenticatedClient
from shipspec_baaship.operations import SERVERS

from ...errors import ConfigError
from ...pacing import Pacer
from ...secrets import Secret
from ...settings import DEFAULT_TIMEOUT
from ...static_auth import StaticCredentialAuth
from ...wiring import CREDENTIAL_HELD_BY_AUTH, wire

Environment = Literal["test", "production"]
# The spec lists the test host first, then production (vendor doc order); checked here so a spec change that
# reorders or renames them fails loudly instead of silently shipping to the wrong host.
ENVIRONMENTS: dict[str, str] = {"test": SERVERS[0], "production": SERVERS[1]}
if "apitest." not in ENVIRONMENTS["test"] or "apitest." in ENVIRONMENTS["production"]:
    raise ImportError(f"specs/baaship.yaml servers changed order or hosts: {SERVERS}")


def client(
    *,
    token: str | Secret,
    environment: Environment = "test",
    base_url: str | None = None,
    timeout: httpx.Timeout | None = None,
    pacer: Pacer | None = None,
    concurrency: int | None = None,
) -> AuthenticatedClient:
    """Return a Baaship client: ``token`` header, retries, typed errors, default timeout.

    ``environment`` picks the documented server (test by default, so nothing real ships by accident);
    ``base_url`` overrides it, e.g. for the local sandbox. ``pacer`` (``shipspec.pacing``) paces its
    requests with other clients and processes.
    """
    if environment not in ENVIRONMENTS:
        # ConfigError is a ValueError too: handlers written for the ValueError still catch it.
        known = ", ".join(sorted(ENVIRONMENTS))
        raise ConfigError(f"baaship: environment must be one of {known}, not {environment!r}")
    url = base_url or ENVIRONMENTS[environment]
    generated = AuthenticatedClient(
        base_url=url, token=CREDENTIAL_HELD_BY_AUTH, timeout=timeout or DEFAULT_TIMEOUT
    )
    return wire(
        generated,
        carrier="baaship",
        base_url=url,
        auth=StaticCredentialAuth("baaship", token),
        timeout=timeout,
        pacer=pacer,
        concurrency=concurrency,
    )
