"""The ``shipspec`` command line."""

from __future__ import annotations

import click

from .sandbox import sandbox


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shipspec")
def main() -> None:
    """Ship orders through TikTok Shop, WeChat mini-shops, Baaship and DeftShip."""


main.add_command(sandbox)

__all__ = ["main"]
