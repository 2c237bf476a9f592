"""Carrier-neutral shipping models (pydantic v2), generated from specs/shipping.yaml; do not edit by hand."""

from .models import *  # noqa: F403 - the models module is the whole public surface
