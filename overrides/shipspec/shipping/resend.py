"""What a failed ship call means for sending it again: the judgement the carriers' shippers share.

Two ways of staying exactly-once, and the helpers of each:

- Resend as is (tiktok_shop, wechat_shop): the spec's ``x-idempotency`` (``already_done_code``) makes a resend
  safe, so an unsure call is simply sent again and the carrier's "already done" code tells. ``judge`` says
  whether to resend and whether the failed call may have shipped; ``decode_problem`` turns a 200 body the
  generated parser choked on into a ``ResponseDecodeError``.
- Learn the state first (baaship by a lookup, deftship by reading the batch): ``inconclusive`` says whether
  the answer leaves the state to be learnt before acting again, ``wait_before`` how long to wait first.

A refusal by the carrier's open circuit (``CarrierUnreachableError``; see ``shipspec.circuit``) is final for
the shipment in every one of them: the next request would be refused the same way.
"""

from __future__ import annotations

from ..errors import (
    AmbiguousTimeoutError,
    CarrierError,
    CarrierUnreachableError,
    ConnectError,
    InputError,
    ResponseDecodeError,
    SharedStateError,
    ShipspecError,
    TokenStoreError,
    TransportError,
)
from ..retry import RetryPolicy, is_ambiguous, is_short_term_quota

__all__ = ["decode_problem", "inconclusive", "judge", "transient", "wait_before"]


def judge(error: ShipspecError, operation: str) -> tuple[bool, bool]:
    """``(resend, maybe_shipped)`` for a ship call of ``operation`` that ended in ``error``.

    An error from another operation (TikTok's token refresh, WeChat's token call) means the ship call was
    never sent. A carrier's ``retry`` code is resent but may have shipped: TikTok's (e.g. 36009007) because
    the spec notes the work may have been committed, and the resend tells; WeChat's -1 "system exceptions"
    because the spec says a resend is safe, not that nothing happened.
    """
    if getattr(error, "operation", operation) != operation:
        return transient(error), False
    if isinstance(error, CarrierUnreachableError):
        return False, False
    if isinstance(error, ConnectError | TokenStoreError | SharedStateError):
        return True, False
    if isinstance(error, AmbiguousTimeoutError | ResponseDecodeError) or is_ambiguous(error):
        return True, True
    if isinstance(error, CarrierError) and error.kind == "retry":
        return True, True
    return transient(error), False


def transient(error: ShipspecError) -> bool:
    """Worth sending again soon: no usable answer, a token store or Redis hiccup (nothing sent), or a "not
    now" that passes soon."""
    if isinstance(error, InputError | CarrierUnreachableError):
        return False
    if isinstance(error, TransportError | TokenStoreError | SharedStateError):
        return True
    if isinstance(error, CarrierError):
        return error.kind == "retry" or (error.kind == "quota" and is_short_term_quota(error))
    return False


def decode_problem(exc: Exception, carrier: str, operation: str) -> ResponseDecodeError:
    """The generated parser choked on a 200 body the classifier let pass: not the documented shape."""
    return ResponseDecodeError(
        f"undocumented answer ({type(exc).__name__})",
        carrier=carrier,
        operation=operation,
        http_status=200,
        body_excerpt="",
    )


def inconclusive(error: ShipspecError) -> bool:
    """No usable answer, or the carrier said "not now": the state must be learnt before acting again."""
    if isinstance(error, CarrierUnreachableError):
        return False
    if isinstance(error, TransportError):
        return True
    return isinstance(error, CarrierError) and (error.kind in ("retry", "quota") or is_ambiguous(error))


def wait_before(error: ShipspecError | None, attempt: int, policy: RetryPolicy) -> float:
    """Seconds to wait after failed attempt ``attempt``: the carrier's Retry-After, else the backoff."""
    retry_after = error.retry_after if isinstance(error, CarrierError) else None
    return retry_after if retry_after is not None else policy.backoff(attempt)
