"""Scripted answers for httpx.MockTransport: JSON replies and raised httpx errors, in order, with a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

__all__ = ["Answer", "Script", "fail", "reply"]

Answer = Callable[[httpx.Request], httpx.Response]


def reply(body: Any = None, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    """Answer with JSON (a dict/list), raw bytes or text."""

    def answer(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(status, content=body, headers=headers)
        if isinstance(body, str):
            return httpx.Response(status, text=body, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return answer


def fail(error: type[httpx.TransportError], message: str = "scripted failure") -> Answer:
    """Raise an httpx transport error instead of answering."""

    def answer(request: httpx.Request) -> httpx.Response:
        raise error(message, request=request)

    return answer


class Script:
    """Answers requests in order (the last one repeats) and records what was sent."""

    def __init__(self, *answers: Answer) -> None:
        if not answers:
            raise ValueError("a script needs at least one answer")
        self._answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = min(len(self.requests), len(self._answers)) - 1
        return self._answers[index](request)

    @property
    def bodies(self) -> list[bytes]:
        return [request.content for request in self.requests]

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)
