"""Exactly-once under faults, across the four sandboxes: ship N packages with a share of injected faults,
then compare every result with the sandboxes' ledger.

    .venv/bin/python -m scripts.exactly_once --count 10000 --fault-share 0.3 --seed 7

Passes when the ledger has 0 duplicates, no shipment is lost (one result each) and every result agrees with
the ledger: shipped / already_shipped ⇔ recorded exactly once; failed ⇔ not recorded.

A ``pending`` result means the state could not be learnt within the shipper's bounded attempts (e.g. WeChat
answered "daily quota" right after a lost answer). The documented remedy is to submit the same shipments
again later: exactly-once makes that safe (Baaship finds the earlier shipment by referenceNo, TikTok and
WeChat answer "already shipped"). The check does that in up to ``--passes`` passes and reports how many it
needed; a result still pending after them fails the check. DeftShip pending results are followed with
``DeftShipShipper.resume_batch`` instead, never resent (DeftShip cannot detect a reference shipped in another
batch).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipspec.carriers.deftship.shipper import from_settings as deftship_shipper
from shipspec.settings import instant_backoff
from shipspec.shipping.runner import ship
from shipspec_sandbox import FaultPlan, FaultRule, Sandboxes, start_sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_sandbox.faults import FaultKind
from shipspec_shipping_models import Shipment, ShipmentResult

CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")
FAULT_KINDS: tuple[FaultKind, ...] = (
    "error_5xx",
    "reset",
    "timeout_after_commit",
    "rate_limit",
    "malformed",
    "html",
)
# What each sandbox records for a shipment that really happened (action, and how its key is derived).
LEDGER_ACTIONS = {
    "tiktok_shop": "package_shipped",
    "wechat_shop": "delivery_sent",
    "baaship": "shipment_created",
    "deftship": "item_shipped",
}
HOLD_SECONDS = 0.2  # timeout_after_commit: do the work, then drop the connection after this long

ADDRESS_CN = {
    "line1": "No.100 South Baiyun Street",
    "city": "Guangzhou",
    "state": "GUANGDONG",
    "postal_code": "510000",
    "country": "CN",
}
ADDRESS_NZ = {
    "line1": "3 Churchill Avenue",
    "city": "Te Aroha",
    "state": "Waikato",
    "postal_code": "3320",
    "country": "NZ",
}
ADDRESS_TX = {"line1": "1 Main St", "city": "Austin", "state": "TX", "postal_code": "73301", "country": "US"}
ADDRESS_CA = {
    "line1": "2 Oak Ave",
    "city": "Los Angeles",
    "state": "CA",
    "postal_code": "90001",
    "country": "US",
}


def _tiktok(index: int) -> dict[str, Any]:
    return {"reference": f"TT-{index}", "carrier": "tiktok_shop", "platform": {"package_id": f"TT-{index}"}}


def _wechat(index: int) -> dict[str, Any]:
    platform = {
        "order_id": str(700_000 + index),
        "tracking_number": f"SF{index:08d}",
        "shipping_provider_id": "SF",
    }
    return {"reference": f"WX-{index}", "carrier": "wechat_shop", "platform": platform}


def _baaship(index: int) -> dict[str, Any]:
    return {
        "reference": f"BS-{index}",
        "carrier": "baaship",
        "service": "TEST",
        "sender": {"name": "Li Lei", "phone": "0977777777", "address": ADDRESS_CN},
        "recipient": {"name": "Kim Lee", "phone": "212340908", "address": ADDRESS_NZ},
        "parcels": [{"weight": {"value": "1.5", "unit": "kg"}}],
        "items": [
            {
                "name": "Computer Bag",
                "name_cn": "电脑包",
                "quantity": 1,
                "unit_value": {"amount": "29.90", "currency": "USD"},
                "unit_weight": {"value": "1.2", "unit": "kg"},
            }
        ],
    }


def _deftship(index: int) -> dict[str, Any]:
    return {
        "reference": f"DS-{index}",
        "carrier": "deftship",
        "service": "USPS-3",
        "sender": {"name": "Ann Lee", "phone": "5551234567", "address": ADDRESS_TX},
        "recipient": {"name": "Bob Roe", "phone": "5559876543", "address": ADDRESS_CA},
        "parcels": [
            {
                "weight": {"value": "2", "unit": "lb"},
                "dimensions": {"length": "10", "width": "8", "height": "4", "unit": "in"},
            }
        ],
    }


BUILDERS = {"tiktok_shop": _tiktok, "wechat_shop": _wechat, "baaship": _baaship, "deftship": _deftship}


def ledger_key(shipment: Shipment) -> str:
    """The caller reference the carrier's sandbox records a shipped shipment under (its key, or DeftShip's
    reference)."""
    if shipment.carrier == "wechat_shop":
        assert shipment.platform is not None
        return f"{shipment.platform.order_id}/{shipment.platform.tracking_number}"
    if shipment.carrier == "tiktok_shop":
        assert shipment.platform is not None
        return str(shipment.platform.package_id)
    return shipment.reference


def shipments(count: int) -> list[Shipment]:
    """``count`` shipments spread evenly over the four carriers, interleaved."""
    return [Shipment.model_validate(BUILDERS[CARRIERS[index % 4]](index)) for index in range(count)]


def seed(sandboxes: Sandboxes, batch: list[Shipment]) -> None:
    """Create the TikTok packages and WeChat orders the shipments refer to, and fund the DeftShip account."""
    tiktok: Any = sandboxes.app("tiktok_shop")
    wechat: Any = sandboxes.app("wechat_shop")
    deftship: Any = sandboxes.app("deftship")
    deftship.set_credit(10.0 * len(batch), label_price=5.0)  # the default balance covers 2,000 labels
    for shipment in batch:
        if shipment.carrier == "tiktok_shop" and shipment.platform is not None:
            tiktok.add_package(str(shipment.platform.package_id))
        elif shipment.carrier == "wechat_shop" and shipment.platform is not None:
            wechat.add_order(int(str(shipment.platform.order_id)), [(1, 1, 1)])


@dataclass
class Report:
    """What one run found."""

    results: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    duplicates: dict[tuple[str, str, str], int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    seconds: float = 0.0
    passes: int = 1

    @property
    def ok(self) -> bool:
        return not (self.duplicates or self.lost or self.disagreements or self.pending)

    def lines(self) -> Iterator[str]:
        statuses = dict(sorted(self.statuses.items()))
        yield f"results: {self.results} in {self.seconds:.1f}s; statuses: {statuses}"
        yield f"ledger duplicates: {len(self.duplicates)}; lost: {len(self.lost)}"
        yield f"results disagreeing with the ledger: {len(self.disagreements)}; pending: {len(self.pending)}"
        yield f"passes: {self.passes} (later passes re-submit what was pending)"
        for line in (self.disagreements + self.pending + self.lost)[:20]:
            yield f"  {line}"


def compare(batch: list[Shipment], results: list[ShipmentResult], sandboxes: Sandboxes) -> Report:
    """Check the results against the ledger (see the module docstring)."""
    # By reference as well as by key: DeftShip records items under new shipment order ids, and this run's
    # references are unique, so a reference recorded twice is a shipment made twice.
    duplicates = sandboxes.ledger.duplicates() | sandboxes.ledger.duplicates(by="reference")
    report = Report(results=len(results), duplicates=duplicates)
    by_reference = {result.reference: result for result in results}
    recorded = Counter(
        (entry.carrier, entry.caller_reference)
        for carrier, action in LEDGER_ACTIONS.items()
        for entry in sandboxes.ledger.entries(carrier=carrier, action=action)
    )
    for shipment in batch:
        result = by_reference.get(shipment.reference)
        if result is None:
            report.lost.append(shipment.reference)
            continue
        report.statuses[f"{shipment.carrier}:{result.status}"] += 1
        times = recorded[(shipment.carrier, ledger_key(shipment))]
        if result.status == "pending":
            report.pending.append(f"{shipment.reference}: pending ({times} in the ledger)")
        elif result.status in ("shipped", "already_shipped") and times != 1:
            report.disagreements.append(f"{shipment.reference}: {result.status}, ledger has it {times}x")
        elif result.status == "failed" and times != 0:
            kind = result.error.kind if result.error else "?"
            report.disagreements.append(f"{shipment.reference}: failed ({kind}), ledger has it {times}x")
    if len(results) != len(batch):
        report.lost.append(f"{len(batch)} shipments, {len(results)} results")
    return report


# Refusals that say nothing about whether an EARLIER attempt shipped (the carrier did not process this call).
# For a shipment that was pending they leave it pending: only shipped/already_shipped or a refusal about the
# shipment itself settles it.
SAYS_NOTHING_ABOUT_EARLIER = frozenset({"quota", "retry", "auth", "refresh_token", "unknown"})


def _resubmit(batch: list[Shipment], results: dict[str, ShipmentResult], settings: Any) -> None:
    """One more pass over what is pending: resend (safe by exactly-once) or resume DeftShip batches."""
    waiting = [s for s in batch if results[s.reference].status == "pending"]
    resend = [s for s in waiting if s.carrier != "deftship"]
    for result in ship(resend, settings=settings):
        unsettled = (
            result.status == "failed"
            and result.error is not None
            and result.error.kind in SAYS_NOTHING_ABOUT_EARLIER
        )
        if not unsettled:
            results[result.reference] = result
    by_batch: dict[str, list[Shipment]] = {}
    for shipment in waiting:
        batch_id = results[shipment.reference].batch_id
        if shipment.carrier == "deftship" and batch_id:
            by_batch.setdefault(batch_id, []).append(shipment)
    if by_batch:
        shipper = deftship_shipper(settings["deftship"])
        for batch_id, members in by_batch.items():
            for result in shipper.resume_batch(batch_id, members):
                results[result.reference] = result


def run(count: int, fault_share: float, seed_value: int, passes: int = 5) -> Report:
    """Ship ``count`` shipments through the four sandboxes with faults; return the comparison."""
    batch = shipments(count)
    plan = FaultPlan(seed=seed_value)
    with start_sandboxes(CARRIERS, faults=plan) as sandboxes:
        seed(sandboxes, batch)
        settings = sandbox_settings(sandboxes)  # before the faults: setup is not what is being tested
        each = fault_share / len(FAULT_KINDS)
        plan.rules = tuple(FaultRule(kind, each, hold_seconds=HOLD_SECONDS) for kind in FAULT_KINDS)
        started = time.perf_counter()
        with instant_backoff():
            results = {result.reference: result for result in ship(batch, settings=settings)}
            used = 1
            while used < passes and any(result.status == "pending" for result in results.values()):
                _resubmit(batch, results, settings)
                used += 1
        elapsed = time.perf_counter() - started
        report = compare(batch, list(results.values()), sandboxes)
        report.seconds = elapsed
        report.passes = used
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.exactly_once", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--count", type=int, default=10_000, help="shipments, spread over the four carriers")
    parser.add_argument("--fault-share", type=float, default=0.3, help="share of requests given a fault")
    parser.add_argument("--seed", type=int, default=7, help="seed of the fault plan")
    parser.add_argument("--passes", type=int, default=5, help="passes, later ones re-submitting pending")
    parser.add_argument(
        "--crash",
        action="store_true",
        help="instead: kill shipspec ship at every journal boundary and re-run (see scripts/crash_matrix.py)",
    )
    parser.add_argument("--journal", help="with --crash: a postgresql:// server URL (default: SQLite files)")
    parser.add_argument(
        "--postgres", action="store_true", help="with --crash: on a private PostgreSQL server started for it"
    )
    parser.add_argument("--random", type=int, default=0, help="with --crash: runs killed at random moments")
    options = parser.parse_args(argv)
    if options.crash and options.postgres:
        from tests.support.postgres import postgres_server

        with postgres_server() as url:
            return crash(url, options.random, options.seed)
    if options.crash:
        return crash(options.journal, options.random, options.seed)
    report = run(options.count, options.fault_share, options.seed, options.passes)
    for line in report.lines():
        print(line)  # noqa: T201 - a command-line report
    print("exactly-once: OK" if report.ok else "exactly-once: FAILED")  # noqa: T201
    return 0 if report.ok else 1


def crash(server: str | None, random_runs: int, seed_value: int) -> int:
    """The crash matrix over the four carriers (one line per case, then a summary)."""
    from tempfile import TemporaryDirectory

    from .crash_matrix import Harness, matrix

    made: dict[str, str] = {}

    def database(name: str) -> str:  # one fresh database per case (its first run and its re-runs share it)
        import psycopg

        assert server is not None
        if name not in made:
            label = f"crash_{len(made) + 1}"
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{label}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{label}"')
            made[name] = server.rsplit("/", 1)[0] + f"/{label}"
        return made[name]

    failed = 0
    started = time.perf_counter()
    with TemporaryDirectory(prefix="shipspec-crash-") as work, start_sandboxes(CARRIERS) as sandboxes:
        harness = Harness(sandboxes, Path(work), database if server else None)
        cases = 0
        for case in matrix(harness, CARRIERS, random_runs, seed_value):
            cases += 1
            failed += not case.ok
            print(case.line())  # noqa: T201 - a command-line report
        duplicates = sandboxes.ledger.duplicates() | sandboxes.ledger.duplicates(by="reference")
    print(  # noqa: T201
        f"crash matrix: {cases} cases, {failed} failed, ledger duplicates {len(duplicates)}, "
        f"{time.perf_counter() - started:.0f}s"
    )
    return 0 if failed == 0 and not duplicates else 1


if __name__ == "__main__":
    sys.exit(main())
