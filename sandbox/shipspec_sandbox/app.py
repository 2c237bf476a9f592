"""What a carrier sandbox implements, and the request/response objects it works with."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from shipspec.spec_tables import CarrierTables, tables_for

from .ledger import Ledger
from .state import Store

__all__ = ["CarrierSandbox", "Problem", "SandboxRequest", "SandboxResponse"]


@dataclass(frozen=True)
class Problem:
    """One way a request breaks the spec: where, what, and the JSON Schema keyword that failed.

    Defined here, beside the request it describes, so that the validator (which finds problems) and the
    carriers (which answer them) both import this module and it imports neither.
    """

    path: str
    message: str
    keyword: str  # maxLength, required, type, enum, pattern, … ("parameter" for query/path problems)

    def __str__(self) -> str:
        return f"{self.path or 'body'}: {self.message}"


@dataclass(frozen=True)
class SandboxRequest:
    """One request, routed to its operation."""

    carrier: str
    operation_id: str
    method: str
    path: str
    path_params: Mapping[str, str]
    query_items: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    volatile_query: frozenset[str] = field(default=frozenset())
    # Spec problems the carrier answers later instead of refusing the request (DeftShip's asynchronous item
    # validation): set by the server from ``CarrierSandbox.defer``.
    deferred: tuple[Problem, ...] = ()

    @property
    def query(self) -> dict[str, str]:
        """Query parameters, first value of each."""
        found: dict[str, str] = {}
        for key, value in self.query_items:
            found.setdefault(key, value)
        return found

    @property
    def identity(self) -> bytes:
        """What stays the same when a caller resends this request (auth parameters left out)."""
        stable = sorted((k, v) for k, v in self.query_items if k not in self.volatile_query)
        return f"{self.method} {self.path} {stable}".encode() + b"\n" + self.body

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError on bad JSON."""
        return json.loads(self.body or b"null")


@dataclass(frozen=True)
class SandboxResponse:
    """An answer: status, body bytes and extra headers."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, payload: Any, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> SandboxResponse:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(int(status), body, dict(headers or {}))


Handler = Callable[[SandboxRequest, Ledger], SandboxResponse]


class CarrierSandbox:
    """Base of the four carrier sandboxes: dispatch by operationId plus the carrier's documented answers.

    A subclass sets ``carrier``, fills ``handlers`` (operationId → method) and answers the carrier-specific
    cases: ``authenticate`` (None when allowed), ``invalid`` (spec validation failed), ``rate_limited`` and
    ``token_expired`` (used by fault injection).
    """

    carrier: ClassVar[str]
    credentials: ClassVar[dict[str, str]] = {}  # the defaults a fresh sandbox accepts (not real secrets)
    volatile_query: ClassVar[frozenset[str]] = frozenset()  # query keys that change between resends
    # A carrier that specifies no request content type reads every body as this type (None: the header's).
    body_media_type: ClassVar[str | None] = None

    def __init__(self, store: Store) -> None:
        self.store = store
        self.tables: CarrierTables = tables_for(self.carrier)
        self.handlers: dict[str, Handler] = {}

    def credentials_hint(self) -> str:
        """The default sandbox credentials, for the start-up table (sandbox-only values)."""
        return ", ".join(f"{key}={value}" for key, value in self.credentials.items()) or "-"

    def handle(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        handler = self.handlers.get(request.operation_id)
        if handler is None:
            return SandboxResponse.json({"message": f"{request.operation_id} is not simulated"}, 501)
        return handler(request, ledger)

    def authenticate(self, request: SandboxRequest) -> SandboxResponse | None:
        return None

    def invalid(self, request: SandboxRequest, problems: list[Problem]) -> SandboxResponse:
        return SandboxResponse.json({"message": "; ".join(str(problem) for problem in problems)}, 400)

    def defer(self, request: SandboxRequest, problems: list[Problem]) -> list[Problem]:
        """The problems the carrier documents as found later, not at the request; none by default."""
        return []

    def unrouted(self, method: str, path: str) -> SandboxResponse:
        """Answer a request that matches no operation of the spec (unknown path, wrong method)."""
        return SandboxResponse.json({"message": f"no operation at {method} {path}"}, 404)

    def extra_get(self, path: str) -> SandboxResponse | None:
        """Answer a GET outside the spec's operations (Baaship's label PDFs), or None to route it normally."""
        return None

    def rate_limited(self, request: SandboxRequest, retry_after_seconds: int) -> SandboxResponse:
        return SandboxResponse.json(
            {"message": "too many requests"}, 429, {"Retry-After": str(retry_after_seconds)}
        )

    def token_expired(self, request: SandboxRequest) -> SandboxResponse:
        return SandboxResponse.json({"message": "token expired"}, 401)
