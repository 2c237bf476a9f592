"""``shipspec.carriers.deftship.client(api_token=…, base_url=…)``: the generated DeftShip client, wired."""

from __future__ import annotations

import httpx
from shipspec_deftship import AuthenticatedClient

from ...pacing import Pacer
from ...secrets import Secret
from ...settings import DEFAULT_TIMEOUT
from ...static_auth import StaticCredentialAuth
from ...wiring import CREDENTIAL_HELD_BY_AUTH, wire


def client(
    *,
    api_token: str | Secret,
    base_url: str,
    timeout: httpx.Timeout | None = None,
    pacer: Pacer | None = None,
    concurrency: int | None = None,
) -> AuthenticatedClient:
    """Return a DeftShip client: bearer token, retries, typed errors, default timeout.

    ``base_url`` is required: DeftShip's live and sandbox hosts are not confirmed publicly
    (specs/deftship.yaml keeps the server URL a required variable), so shipspec never guesses one.
    ``pacer`` (``shipspec.pacing``) paces its requests with other clients and processes.
    """
    if not base_url or not base_url.startswith(("http://", "https://")):
        raise ValueError("deftship needs base_url, e.g. the host DeftShip gave you (no default is assumed)")
    generated = AuthenticatedClient(
        base_url=base_url, token=CREDENTIAL_HELD_BY_AUTH, timeout=timeout or DEFAULT_TIMEOUT
    )
    return wire(
        generated,
        carrier="deftship",
        base_url=base_url,
        auth=StaticCredentialAuth("deftship", api_token),
        timeout=timeout,
        pacer=pacer,
        concurrency=concurrency,
    )
