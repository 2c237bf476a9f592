"""Validate sandbox requests against shipspec's own specs (openapi-core), so spec and sandbox cannot drift.

The spec comes from the generated package (``shipspec_<carrier>/openapi.yaml``), so validation works from an
installed wheel too. Security requirements are left to each carrier's own documented check (Baaship 1001,
TikTok 106001, …), which answers before validation as the real APIs do.

Objects are closed: a property the spec does not declare is a problem (``additionalProperties``), unless the
schema itself says ``additionalProperties``. Otherwise a field removed from a spec would still be accepted by
its sandbox, and a mapping that keeps sending it would never be caught.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest

from .app import Problem, SandboxRequest

__all__ = ["SpecValidator", "close_objects", "load_packaged_spec"]


def load_packaged_spec(carrier: str) -> dict[str, Any]:
    """Load the spec the carrier's generated package carries."""
    text = (files(f"shipspec_{carrier}") / "openapi.yaml").read_text(encoding="utf-8")
    spec: dict[str, Any] = yaml.safe_load(text)
    return spec


# Requests are validated as if served here: the sandbox's real address does not matter to validation, and a
# fixed one lets every sandbox of a carrier share one validator (building one takes most of a second).
VALIDATION_URL = "http://sandbox.invalid"


@cache
def _openapi(carrier: str) -> OpenAPI:
    """The carrier spec with one server, no per-path or per-operation hosts and no security requirements."""
    spec = load_packaged_spec(carrier)
    spec["servers"] = [{"url": VALIDATION_URL}]
    spec["security"] = []
    for item in spec.get("paths", {}).values():
        item.pop("servers", None)  # path-level hosts too (TikTok's token calls live on the auth host)
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("servers", None)
                operation["security"] = []
    close_objects(spec)
    return OpenAPI.from_dict(spec)


def close_objects(node: Any) -> None:
    """Give every schema with ``properties`` and no ``additionalProperties`` of its own the value false.

    Extension values (``x-…``) and examples are data, not schemas, and are left alone.
    """
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for key, value in node.items():
            if not (isinstance(key, str) and (key.startswith("x-") or key in ("example", "examples"))):
                close_objects(value)
    elif isinstance(node, list):
        for value in node:
            close_objects(value)


class SpecValidator:
    """Checks requests against one carrier spec."""

    def __init__(self, carrier: str, *, body_media_type: str | None = None) -> None:
        """``body_media_type``: read every body as this type whatever its Content-Type says (WeChat)."""
        self.carrier = carrier
        self._api = _openapi(carrier)
        self._body_media_type = body_media_type

    def problems(self, request: SandboxRequest) -> list[Problem]:
        """Return every problem of the request, or [] when it is valid."""
        mock = MockRequest(
            VALIDATION_URL,
            request.method.lower(),
            request.path,
            args=request.query,
            headers=dict(request.headers),
            data=request.body or None,
            content_type=self._body_media_type
            or request.headers.get("content-type", "application/json").split(";")[0].strip(),
        )
        found: list[Problem] = []
        for error in self._api.iter_request_errors(mock):
            schema_errors = getattr(error.__cause__, "schema_errors", None)
            if schema_errors:
                where = getattr(error, "name", "")  # a parameter's schema errors have no path of their own
                found += [
                    Problem(
                        ".".join(str(part) for part in item.absolute_path) or where,
                        item.message,
                        str(item.validator),
                    )
                    for item in schema_errors
                ]
            else:
                found.append(Problem(getattr(error, "name", ""), _describe(error), "parameter"))
        return found


def _describe(error: Exception) -> str:
    """The error's text; openapi-core's own ``str()`` decodes the raw body and fails on bytes that are not
    UTF-8, which would kill the server thread instead of answering the request."""
    try:
        return str(error)
    except UnicodeDecodeError:
        return f"{type(error).__name__}: the request body is not valid UTF-8"
