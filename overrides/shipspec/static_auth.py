"""Static credentials placed where the carrier spec says (Baaship ``token`` header, DeftShip bearer)."""

from __future__ import annotations

import importlib
from collections.abc import Generator

import httpx

from .secrets import Secret

__all__ = ["StaticCredentialAuth"]


class StaticCredentialAuth(httpx.Auth):
    """Adds one fixed credential per the carrier's only security scheme; the value stays a ``Secret``."""

    def __init__(self, carrier: str, credential: str | Secret) -> None:
        schemes = importlib.import_module(f"shipspec_{carrier}.operations").AUTH_SCHEMES
        if len(schemes) != 1:
            raise ValueError(f"{carrier} has {len(schemes)} security schemes; static auth needs exactly one")
        (scheme,) = schemes.values()
        if not credential:
            raise ValueError(f"{carrier}: the credential for {scheme.name} is empty")
        self.carrier = carrier
        self._type, self._location, self._parameter = scheme.type, scheme.location, scheme.parameter
        self._bearer = scheme.type == "http" and (scheme.scheme or "").lower() == "bearer"
        if not self._bearer and not (scheme.type == "apiKey" and scheme.location in ("header", "query")):
            raise ValueError(f"{carrier}: scheme {scheme.name} ({scheme.type}) is not a static credential")
        self._credential = Secret(credential)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        value = self._credential.reveal()
        if self._bearer:
            request.headers["Authorization"] = f"Bearer {value}"
        elif self._location == "header":
            request.headers[str(self._parameter)] = value
        else:
            request.url = request.url.copy_set_param(str(self._parameter), value)
        yield request

    def __repr__(self) -> str:
        return f"StaticCredentialAuth({self.carrier!r}, ***)"
