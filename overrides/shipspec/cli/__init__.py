"""The ``shipspec`` command line: ship, recover, results, track, label, cancel, carriers and sandbox."""

from __future__ import annotations

import click

from .carriers import carriers_command
from .journal_commands import recover_command, results_command
from .lookups import cancel_command, label_command, track_command
from .sandbox import sandbox
from .ship import ship_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shipspec")
def main() -> None:
    """Ship orders through TikTok Shop, WeChat mini-shops, Baaship and DeftShip.

    Carrier settings come from SHIPSPEC_<CARRIER>_<SETTING> environment variables (e.g.
    SHIPSPEC_BAASHIP_TOKEN) or a TOML file given with --config; credentials are never printed.
    """


for command in (
    ship_command,
    recover_command,
    results_command,
    track_command,
    label_command,
    cancel_command,
    carriers_command,
    sandbox,
):
    main.add_command(command)

__all__ = ["main"]
