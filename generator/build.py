"""Build generated packages: openapi-python-client per carrier, our tables, the neutral models."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from .extensions import load_spec, read_tables
from .guards import render_guard_modules
from .lock import write_lock
from .paths import (
    CLIENT_CONFIGS,
    CLIENT_TEMPLATES,
    SHIPPING_MODELS_DIR,
    SHIPPING_SPEC_NAME,
    SPECS,
    carrier_specs,
    package_name,
)
from .render import render_carrier_modules, render_file
from .tools import GeneratorError, run_tool

SHIPPING_PACKAGE = "shipspec_shipping_models"
PACKAGED_SPEC_NAME = "openapi.yaml"
# Why pydantic v2 BaseModel: its ValidationError lists every bad field with its path (loc), which is what
# "bad input gets a clear error naming the field path" needs; dataclasses/TypedDict do not validate.
DATAMODEL_CODEGEN_ARGS = (
    "--input-file-type",
    "jsonschema",
    "--schema-version",
    "draft-07",
    "--output-model-type",
    "pydantic_v2.BaseModel",
    "--target-python-version",
    "3.11",
    # Plain field types (str, Literal[...]) rather than wrapper root models: user code passes mypy --strict.
    "--skip-root-model",
    "--collapse-root-models",
    "--enum-field-as-literal",
    "all",
    "--use-annotated",
    "--strict-nullable",
    "--output-datetime-class",
    "AwareDatetime",
    "--use-schema-description",
    # Keep pydantic imports at runtime: ruff would move them under TYPE_CHECKING and break the models.
    "--no-use-type-checking-imports",
    "--disable-timestamp",
    "--formatters",
    "ruff-check",
    "ruff-format",
)


def format_tree(root: Path) -> None:
    """Fix and format a generated tree with the pinned ruff, using the tree's own ruff config."""
    run_tool(["ruff", "check", "--fix", "--quiet", "--exit-zero", "."], cwd=root)
    run_tool(["ruff", "format", "--quiet", "."], cwd=root)


def build_carrier(carrier: str, spec: Path, out_dir: Path, config: Path | None = None) -> None:
    """Generate one carrier's installable package into out_dir (which must not exist yet)."""
    config = config or CLIENT_CONFIGS / f"{carrier}.yaml"
    if not config.is_file():
        raise GeneratorError(f"no openapi-python-client config for {carrier}: expected {config}")
    document = load_spec(spec)
    tables = read_tables(document)
    if tables.carrier != carrier:
        raise GeneratorError(f"{spec}: info.x-carrier is {tables.carrier!r}, expected {carrier!r}")
    with tempfile.TemporaryDirectory(prefix=f"shipspec-view-{carrier}-") as scratch:
        view = Path(scratch) / spec.name
        view.write_text(client_view(spec.read_text(encoding="utf-8")), encoding="utf-8")
        _generate_client(view, config, out_dir)
    render_carrier_modules(tables, out_dir / package_name(carrier))
    render_guard_modules(document, out_dir / package_name(carrier))
    # The package carries its own spec (the wire contract, as written), so request validation (the sandbox)
    # works from an installed wheel.
    shutil.copyfile(spec, out_dir / package_name(carrier) / PACKAGED_SPEC_NAME)
    format_tree(out_dir)
    write_lock(out_dir, spec)


def client_view(text: str) -> str:
    """The spec as the generated functions should see it: parameters the wired client supplies optional.

    A parameter marked ``x-supplied-by: auth`` (TikTok's ``shop_cipher``) is required on the wire, and the
    auth adds it to every request that lacks one; a generated function that required it anyway made every
    caller pass what the client already knows. The spec stays the wire contract (the sandbox validates
    against it); only openapi-python-client gets this view. Unchanged specs give unchanged text.
    """
    document = yaml.safe_load(text)
    changed = False
    for path_item in (document.get("paths") or {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if isinstance(parameter, dict) and parameter.get("x-supplied-by") == "auth":
                    parameter["required"] = False
                    changed = True
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True) if changed else text


def _generate_client(spec: Path, config: Path, out_dir: Path) -> None:
    run_tool(
        [
            "openapi-python-client",
            "generate",
            "--path",
            str(spec),
            "--config",
            str(config),
            "--meta",
            "uv",
            # Our endpoint template: check requests and answers against the spec (generator/guards.py).
            "--custom-template-path",
            str(CLIENT_TEMPLATES),
            "--output-path",
            str(out_dir),
        ],
        cwd=out_dir.parent,
    )


def build_shipping_models(spec: Path, out_dir: Path) -> None:
    """Generate the carrier-neutral pydantic models package into out_dir (which must not exist yet)."""
    package_dir = out_dir / SHIPPING_PACKAGE
    package_dir.mkdir(parents=True)
    version = str(load_spec(spec).get("version", "1.0.0"))
    render_file("shipping_pyproject.toml.j2", out_dir / "pyproject.toml", version=version)
    render_file("shipping_init.py.j2", package_dir / "__init__.py")
    (package_dir / "py.typed").write_text("", encoding="utf-8")
    run_tool(
        [
            "datamodel-codegen",
            "--input",
            str(spec),
            "--output",
            str(package_dir / "models.py"),
            *DATAMODEL_CODEGEN_ARGS,
        ],
        cwd=out_dir,
    )
    format_tree(out_dir)
    write_lock(out_dir, spec)


def build_into(name: str, spec: Path, target: Path) -> None:
    """Build one package in a scratch folder, then move it to target (replacing what was there)."""
    with tempfile.TemporaryDirectory(prefix=f"shipspec-gen-{name}-") as scratch:
        out_dir = Path(scratch) / name
        if name == SHIPPING_MODELS_DIR:
            build_shipping_models(spec, out_dir)
        else:
            build_carrier(name, spec, out_dir)  # openapi-python-client wants a folder that does not exist
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(out_dir, target)


def packages(specs: Path = SPECS) -> dict[str, Path]:
    """Return every generated package name with its spec."""
    found = carrier_specs(specs)
    shipping = specs / f"{SHIPPING_SPEC_NAME}.yaml"
    if shipping.is_file():
        found[SHIPPING_MODELS_DIR] = shipping
    return found
