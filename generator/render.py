"""Render our jinja2 templates (generator/templates/) into a generated package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .extensions import CarrierTables
from .paths import TEMPLATES

# Modules rendered into every carrier package, from the template of the same name.
CARRIER_MODULES = ("spec_types.py", "error_codes.py", "limits.py", "operations.py")


def _py(value: Any) -> str:
    """Render a literal as Python source (repr is exact and deterministic for our value types)."""
    if isinstance(value, list):
        value = tuple(value)
    return repr(value)


def _docline(value: str) -> str:
    """Make text safe inside a one-line docstring."""
    return " ".join(value.replace('"""', "'''").replace("\\", "\\\\").split()) or "-"


def environment() -> jinja2.Environment:
    """Return the jinja2 environment our templates are rendered with."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - we render Python source, not HTML
    )
    env.filters["py"] = _py
    env.filters["docline"] = _docline
    return env


def render_carrier_modules(tables: CarrierTables, package_dir: Path) -> list[Path]:
    """Write the table modules for one carrier into its generated package; return the paths."""
    env = environment()
    context = {
        "t": tables,
        "limit_constants": [limit.name.upper() for limit in tables.limits if limit.value is not None],
    }
    written = []
    for module in CARRIER_MODULES:
        template = env.get_template(f"{module}.j2")
        target = package_dir / module
        target.write_text(template.render(**context), encoding="utf-8")
        written.append(target)
    return written


def render_file(template_name: str, target: Path, **context: Any) -> None:
    """Render one template to a file."""
    target.write_text(environment().get_template(template_name).render(**context), encoding="utf-8")
