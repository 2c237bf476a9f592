"""Where the generator reads and writes; one place so tests can point it elsewhere."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
GENERATED = REPO / "generated"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# openapi-python-client templates of ours, used in place of its own of the same name.
CLIENT_TEMPLATES = TEMPLATES / "client"
CLIENT_CONFIGS = Path(__file__).resolve().parent / "config"
SHIPPING_SPEC_NAME = "shipping"
SHIPPING_MODELS_DIR = "shipping_models"
LOCK_NAME = "generator.lock.json"


def carrier_specs(specs: Path = SPECS) -> dict[str, Path]:
    """Return the carrier specs by carrier id (the file stem), in a stable order."""
    return {path.stem: path for path in sorted(specs.glob("*.yaml")) if path.stem != SHIPPING_SPEC_NAME}


def package_specs(specs: Path = SPECS) -> dict[str, Path]:
    """Return every generated package name with its spec (the carriers', then the neutral models').

    The same list as ``generator.build.packages``, without importing the build tools (jinja2, yaml): the
    command line's no-op run needs only this and the lock files. (``build.py`` keeps its own copy because
    it is hashed into every lock file: changing it would mark every generated package stale.)
    """
    found = carrier_specs(specs)
    shipping = specs / f"{SHIPPING_SPEC_NAME}.yaml"
    if shipping.is_file():
        found[SHIPPING_MODELS_DIR] = shipping
    return found


def package_name(carrier: str) -> str:
    """Return the import package name of a carrier's generated client."""
    return f"shipspec_{carrier}"


def distribution_name(carrier: str) -> str:
    """Return the (normalized) distribution name of a carrier's generated client."""
    return f"shipspec-{carrier.replace('_', '-')}"
