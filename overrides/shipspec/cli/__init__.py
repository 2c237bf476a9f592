"""The ``shipspec`` command line: ship, recover, results, track, label, cancel, carriers and sandbox.

Commands are imported when they run (``catalog``): ``shipspec --help`` starts in the time of click alone.
"""

from __future__ import annotations

import importlib

import click

from .catalog import COMMANDS


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use; the listing comes from ``catalog.COMMANDS``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        try:
            module = importlib.import_module(entry.module)
        except ModuleNotFoundError as missing:
            # shipspec-sandbox is a distribution of its own: without it, `sandbox` says how to install it.
            if (missing.name or "").partition(".")[0] != "shipspec_sandbox":
                raise
            module = importlib.import_module("shipspec.cli.sandbox_missing")
        command: click.Command = getattr(module, entry.attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name].short_help) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shipspec")
def main() -> None:
    """Ship orders through TikTok Shop, WeChat mini-shops, Baaship and DeftShip.

    Carrier settings come from SHIPSPEC_<CARRIER>_<SETTING> environment variables (e.g.
    SHIPSPEC_BAASHIP_TOKEN) or a TOML file given with --config; credentials are never printed.
    """


__all__ = ["main"]
