"""The commands of ``shipspec``: where each lives and its one-line help, known without importing it.

``shipspec --help`` lists every command with its short help; click would import each command's module for
it, and those load httpx, pydantic, rich and the generated clients (about a second). The group reads this
table instead and imports a command's module only to run it (or to show its own ``--help``). Each command
takes its ``short_help`` from here too, so the line is written once.
"""

from __future__ import annotations

from typing import Final, NamedTuple

__all__ = ["COMMANDS", "Entry", "short_help"]


class Entry(NamedTuple):
    module: str
    attribute: str
    short_help: str


COMMANDS: Final[dict[str, Entry]] = {
    "cancel": Entry("shipspec.cli.lookups", "cancel_command", "Cancel a shipment by its tracking number."),
    "carriers": Entry(
        "shipspec.cli.carriers", "carriers_command", "List the carriers, what each can do, batch defaults."
    ),
    "label": Entry("shipspec.cli.lookups", "label_command", "Download a shipment's label PDF."),
    "recover": Entry(
        "shipspec.cli.journal_commands",
        "recover_command",
        "Reconcile the shipments a journal left uncertain.",
    ),
    "results": Entry(
        "shipspec.cli.journal_commands", "results_command", "Write the results file of a journal's shipments."
    ),
    "sandbox": Entry("shipspec.cli.sandbox", "sandbox", "Run local sandboxes of the carrier APIs."),
    "ship": Entry("shipspec.cli.ship", "ship_command", "Ship every row of a CSV or JSONL file."),
    "track": Entry("shipspec.cli.lookups", "track_command", "Show the tracking events of a shipment."),
    "worker": Entry(
        "shipspec.cli.fleet_commands", "worker_command", "Run a fleet worker (ship --broker hands it parts)."
    ),
}


def short_help(name: str) -> str:
    """The one-line help of command ``name``."""
    return COMMANDS[name].short_help
