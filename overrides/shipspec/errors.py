"""One error tree for every carrier.

::

    ShipspecError
    ├── InputError                    bad input, caught before anything is sent (names the field path)
    ├── ConfigError                   missing or bad settings (names the carrier and setting, never a value)
    ├── TokenStoreError               a token store cannot be read/written or its lock not taken in time
    ├── JournalError                  the shipment journal cannot be read or written (nothing is sent then)
    ├── SharedStateError              Redis (shared tokens, shared pacing) unreachable, too slow or failing
    ├── CarrierError                  the carrier answered with a business error (envelope code/flag)
    │   ├── RetryableError            kind "retry": transient, safe to try again later
    │   ├── QuotaError                kind "quota": rate or quota exhausted (retry_after when given)
    │   ├── TokenExpiredError         kind "refresh_token": refresh the token once, then resend once
    │   ├── AlreadyDoneError          kind "already_done": an earlier attempt already did it
    │   ├── InvalidRequestError       kind "invalid_request": the caller must fix the input
    │   ├── NotAllowedError           kind "not_allowed": the object's state forbids it
    │   ├── NotFoundError             kind "not_found"
    │   ├── AuthError                 kind "auth": bad credentials or permission; not retryable
    │   └── UnknownCarrierError       kind "unknown": an undocumented code; the raw message is kept
    └── TransportError                no usable answer
        ├── ConnectError              the request never reached the server: safe to resend
        │   └── CarrierUnreachableError   not sent: the carrier's circuit is open (connections kept failing)
        ├── AmbiguousTimeoutError     sent, no answer: the work may have happened (reconcile first)
        └── ResponseDecodeError       an answer that is not the documented JSON (HTML, truncated, bad enum)

Every error's ``str()`` is built from non-secret fields only; see ``shipspec.secrets``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

ErrorKind = Literal[
    "retry",
    "refresh_token",
    "already_done",
    "invalid_request",
    "not_allowed",
    "not_found",
    "auth",
    "quota",
    "unknown",
]

__all__ = [
    "AlreadyDoneError",
    "AmbiguousTimeoutError",
    "AuthError",
    "CarrierError",
    "CarrierUnreachableError",
    "ConfigError",
    "ConnectError",
    "ErrorKind",
    "InputError",
    "InvalidRequestError",
    "JournalError",
    "NotAllowedError",
    "NotFoundError",
    "QuotaError",
    "ResponseDecodeError",
    "RetryableError",
    "SharedStateError",
    "ShipspecError",
    "TokenExpiredError",
    "TokenStoreError",
    "TransportError",
    "UnknownCarrierError",
    "carrier_error",
]


class ShipspecError(Exception):
    """Base of every error shipspec raises."""


class InputError(ShipspecError, ValueError):
    """Input that cannot be sent; ``problems`` maps each bad field path to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        detail = "; ".join(f"{path}: {problem}" for path, problem in sorted(self.problems.items()))
        super().__init__(f"invalid input: {detail}")


class TokenStoreError(ShipspecError):
    """A token store failed: unreadable or unwritable file, or its lock was not acquired in time."""


class JournalError(ShipspecError):
    """The shipment journal failed (database unreachable, disk full, locked too long).

    Nothing is sent for a shipment whose intent could not be recorded; outcomes that could not be recorded
    stay uncertain in the journal and are reconciled by a later run."""


class SharedStateError(ShipspecError):
    """Redis, where processes share tokens and carrier pacing, did not answer in time or failed a command.

    Raised before the carrier request it guards is sent: nothing was sent. The message names the server
    (host and port, never a password) and what was being done.
    """


class ConfigError(ShipspecError, ValueError):
    """A settings problem, named by carrier and setting (never by value)."""


class CarrierError(ShipspecError):
    """A business error from a carrier, with the documented meaning when the code is documented."""

    kind: ClassVar[ErrorKind] = "unknown"

    def __init__(
        self,
        *,
        carrier: str,
        operation: str,
        code: int | None,
        message: str,
        request_id: str | None = None,
        name: str | None = None,
        documented_message: str | None = None,
        http_status: int | None = None,
        retry_after: float | None = None,
        short_term: bool = False,
    ) -> None:
        self.carrier = carrier
        self.operation = operation
        self.code = code
        self.message = message
        self.request_id = request_id
        self.name = name
        self.documented_message = documented_message
        self.http_status = http_status
        self.retry_after = retry_after  # seconds, from Retry-After, when the carrier sent one
        self.short_term = short_term  # the spec marks this quota code as a limit that passes within seconds
        super().__init__(self._describe())

    def _describe(self) -> str:
        code = "no code" if self.code is None else f"code {self.code}"
        label = f" {self.name}" if self.name else ""
        request = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.carrier}.{self.operation}: {code}{label} [{self.kind}]: {self.message}{request}"


class RetryableError(CarrierError):
    kind = "retry"


class QuotaError(CarrierError):
    kind = "quota"


class TokenExpiredError(CarrierError):
    kind = "refresh_token"


class AlreadyDoneError(CarrierError):
    kind = "already_done"


class InvalidRequestError(CarrierError):
    kind = "invalid_request"


class NotAllowedError(CarrierError):
    kind = "not_allowed"


class NotFoundError(CarrierError):
    kind = "not_found"


class AuthError(CarrierError):
    kind = "auth"


class UnknownCarrierError(CarrierError):
    kind = "unknown"


class TransportError(ShipspecError):
    """No usable answer from the carrier."""

    def __init__(self, message: str, *, carrier: str, operation: str) -> None:
        self.carrier = carrier
        self.operation = operation
        super().__init__(f"{carrier}.{operation}: {message}")


class ConnectError(TransportError):
    """The request never reached the server (connection refused, DNS, TLS): resending is safe."""


class CarrierUnreachableError(ConnectError):
    """Not sent: every connection to the carrier failed for a while, so its circuit refuses requests.

    Final for a shipment (a resend in the same run would be refused too); a later run sends it again.
    """


class AmbiguousTimeoutError(TransportError):
    """The request was sent but no answer came: the carrier may have done the work."""


class ResponseDecodeError(TransportError):
    """The answer was not the documented JSON; ``body_excerpt`` keeps its start for diagnosis."""

    def __init__(
        self, message: str, *, carrier: str, operation: str, http_status: int, body_excerpt: str
    ) -> None:
        self.http_status = http_status
        self.body_excerpt = body_excerpt
        self.problem = message  # what is wrong, without the operation and status the message adds
        super().__init__(f"{message} (HTTP {http_status})", carrier=carrier, operation=operation)


_BY_KIND: dict[str, type[CarrierError]] = {
    cls.kind: cls
    for cls in (
        RetryableError,
        QuotaError,
        TokenExpiredError,
        AlreadyDoneError,
        InvalidRequestError,
        NotAllowedError,
        NotFoundError,
        AuthError,
        UnknownCarrierError,
    )
}


def carrier_error(kind: str, **fields: Any) -> CarrierError:
    """Build the CarrierError subclass for a kind (an unknown kind gives UnknownCarrierError)."""
    cls = _BY_KIND.get(kind, UnknownCarrierError)
    return cls(**fields)
