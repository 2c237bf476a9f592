"""Carrier adapters: one sub-package per carrier with the same small shape."""
