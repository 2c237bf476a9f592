"""One side of a comparison: a raw spec with ``$ref``-aware readers of operations, parameters, bodies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import HTTP_METHODS, as_list, as_map
from .schemas import Field, Flattener, Resolver


@dataclass(frozen=True)
class OperationView:
    method: str
    path: str
    spec: Mapping[str, Any]
    shared_parameters: tuple[Any, ...]
    path_servers: Any = None

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId") or "")

    @property
    def label(self) -> str:
        name = f" ({self.operation_id})" if self.operation_id else ""
        return f"{self.method.upper()} {self.path}{name}"


class SpecView:
    """One side of the comparison: raw spec plus $ref-aware readers."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self._resolver = Resolver(raw)
        self._flattener = Flattener(self._resolver)

    def resolve(self, node: Any) -> Any:
        return self._resolver.resolve(node)[0]

    def flatten(self, schema: Any, required: bool) -> dict[str, Field]:
        return self._flattener.flatten(schema, required)

    def operations(self) -> dict[tuple[str, str], OperationView]:
        """Operations keyed by (method, path with parameter names blanked)."""
        found: dict[tuple[str, str], OperationView] = {}
        for path, item in as_map(self.raw.get("paths")).items():
            item_map = as_map(self.resolve(item))
            shared = tuple(as_list(item_map.get("parameters")))
            for method in HTTP_METHODS:
                op = item_map.get(method)
                if isinstance(op, Mapping):
                    key = (method, re.sub(r"\{[^}]*\}", "{}", str(path)))
                    found[key] = OperationView(method, str(path), op, shared, item_map.get("servers"))
        return found

    def parameters(self, op: OperationView) -> dict[str, Mapping[str, Any]]:
        """Effective parameters keyed `in:name`; the operation's win."""
        found: dict[str, Mapping[str, Any]] = {}
        for node in (*op.shared_parameters, *as_list(op.spec.get("parameters"))):
            param = as_map(self.resolve(node))
            if param:
                found[f"{param.get('in')}:{param.get('name')}"] = param
        return found

    def request_bodies(self, op: OperationView) -> dict[str, dict[str, Field]]:
        """Flattened request body schema per media type."""
        body = as_map(self.resolve(op.spec.get("requestBody")))
        return self._contents(body, body.get("required") is True)

    def responses(self, op: OperationView) -> dict[str, dict[str, dict[str, Field]]]:
        """Flattened response schema per status code and media type."""
        return {
            str(status): self._contents(as_map(self.resolve(node)), True)
            for status, node in as_map(op.spec.get("responses")).items()
        }

    def _contents(self, holder: Mapping[str, Any], required: bool) -> dict[str, dict[str, Field]]:
        return {
            str(media): self.flatten(as_map(content).get("schema"), required)
            for media, content in as_map(holder.get("content")).items()
        }
