"""Label downloads: a safe GET, retried on failures that pass, refused past the size cap."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from shipspec.carriers.baaship.labels import MAX_LABEL_BYTES, download_label
from shipspec.errors import ConnectError, NotFoundError, ResponseDecodeError
from shipspec.retry import RetryPolicy
from shipspec.settings import instant_backoff

URL = "https://labels.example/L1.pdf"
PDF = b"%PDF-1.4 label"


@pytest.fixture(autouse=True)
def _instant() -> Iterator[None]:
    with instant_backoff():
        yield


def fetch(handler: httpx.MockTransport) -> bytes:
    return download_label(URL, timeout=httpx.Timeout(5.0), transport=handler, policy=RetryPolicy())


def test_passing_failures_are_retried_until_the_pdf_comes() -> None:
    answers: Iterator[httpx.Response | httpx.ConnectError] = iter(
        [httpx.ConnectError("refused"), httpx.Response(503), httpx.Response(200, content=PDF)]
    )
    calls: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert fetch(httpx.MockTransport(serve)) == PDF
    assert calls == [URL] * 3


def test_a_missing_label_is_not_found_at_once() -> None:
    calls: list[int] = []

    def serve(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(404)

    with pytest.raises(NotFoundError):
        fetch(httpx.MockTransport(serve))
    assert len(calls) == 1


def test_attempts_are_bounded() -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(ConnectError):
        fetch(httpx.MockTransport(serve))


def test_a_body_past_the_cap_is_refused_without_reading_it_all() -> None:
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        chunk = b"%PDF" + b"x" * (1024 * 1024 - 4)
        while True:
            sent.append(len(chunk))
            yield chunk

    with pytest.raises(ResponseDecodeError, match="larger than"):
        fetch(httpx.MockTransport(lambda request: httpx.Response(200, content=endless())))
    assert sum(sent) <= MAX_LABEL_BYTES + 2 * 1024 * 1024
