"""Tiny inline specs for the generator's functional tests (the openapi-python-client test pattern)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

TINY: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Tiny Carrier", "version": "2.1.0", "x-carrier": "tiny"},
    "servers": [{"url": "https://tiny.example"}],
    "x-envelope": {
        "code": "code",
        "success_codes": [0],
        "success_flag": None,
        "message": "message",
        "request_id": "request_id",
    },
    "x-error-codes": [
        {"code": 5, "name": "BUSY", "message": "Busy,   try later.", "kind": "retry"},
        {
            "code": 7,
            "name": "OVERLOADED",
            "message": "Bad request.",
            "kind": "invalid_request",
            "message_rules": [{"contains": "Token", "kind": "refresh_token"}],
        },
    ],
    "x-limits": [
        {"name": "max_items", "value": 3, "unit": "items", "applies_to": ["shipIt"], "description": "Three."},
        {"name": "rate", "value": None, "unknown": True, "description": "Not published."},
    ],
    "security": [{"Key": []}],
    "paths": {
        "/ship": {
            "post": {
                "operationId": "shipIt",
                "x-error-codes": [
                    {"code": 5, "name": "SHIPPED", "message": "Already shipped.", "kind": "already_done"}
                ],
                "x-error-messages": [
                    {"name": "NO_CREDIT", "contains": "credit", "kind": "not_allowed"},
                ],
                "x-idempotency": {"strategy": "already_done_code", "codes": [5], "note": "Resend says 5."},
                "x-partial-success": {"path": "data.errors", "item_key": "id"},
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ship"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}},
                    }
                },
            }
        },
        "/read": {
            "servers": [{"url": "https://read.tiny.example"}],
            "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "readIt",
                "x-error-codes": [],
                "x-idempotency": {"strategy": "safe", "note": "A read."},
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}},
                    }
                },
            },
        },
    },
    "components": {
        "securitySchemes": {"Key": {"type": "apiKey", "in": "header", "name": "token"}},
        "schemas": {
            "Ship": {
                "type": "object",
                "required": ["ids"],
                "properties": {"ids": {"type": "array", "items": {"type": "string", "maxLength": 5}}},
            },
            "Result": {
                "type": "object",
                "required": ["code"],
                "properties": {
                    "code": {"type": "integer"},
                    "message": {"type": "string"},
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"state": {"type": "string", "enum": ["a", "b"]}},
                        },
                    },
                },
            },
        },
    },
}

CONFIG = "project_name_override: shipspec-tiny\npackage_name_override: shipspec_tiny\npost_hooks: []\n"


def tiny_spec(**changes: Any) -> dict[str, Any]:
    """Return a deep copy of the tiny spec with top-level keys replaced."""
    spec = copy.deepcopy(TINY)
    spec.update(changes)
    return spec


def write_spec(folder: Path, spec: dict[str, Any]) -> tuple[Path, Path]:
    """Write a spec and its openapi-python-client config; return both paths."""
    spec_path = folder / "tiny.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    config_path = folder / "tiny-config.yaml"
    config_path.write_text(CONFIG, encoding="utf-8")
    return spec_path, config_path
