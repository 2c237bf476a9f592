"""DeftShip sandbox: batch shipments, validated and shipped asynchronously; bearer auth; account credit.

Documented behaviour simulated (vendor-facts §3, specs/deftship.yaml): create (status ``validating``, at most
1,000 items), asynchronous item validation (→ ``ready`` or ``invalid``), Get Batch with results, Laravel item
pagination, a status filter and, once completed, merged label PDF URLs (≤ 100 labels each), Ship Batch (only
``ready``; charges the account; ``processing`` then ``completed`` asynchronously), Add Items (back to
``validating``) and Remove Items (≤ 10,000 ids; deletes the items' shipment orders), both refused while the
batch is validating, processing or completed. Documented failure texts come from the generated tables.

Every answer is HTTP 200, failures included (``{"success": false, "message", "data"?}``), as the spec
documents them: a bad token ("Unauthenticated."), an unknown batch ("Batch not found."), a field rule broken
("The given data was invalid." with the errors keyed by field in ``data``) and the rate-limit fault ("Too Many
Attempts.", with Retry-After) are the spec's x-error-messages. A rule broken inside one of
``batch_shipments`` (a missing ``to_address.telephone``, …) is no refusal: the item is created and turns
``invalid`` during the asynchronous validation, as documented. Pending items are listed without a status, so
``items.data`` always matches ``results.total_count``.

The asynchronous steps progress lazily: whenever a batch is read or written, the items due by the clock are
validated or shipped (a share of them proportional to the elapsed part of the delay, so completion_percentage
moves), so no background thread exists. Tests inject ``clock`` or call :meth:`validate_now` /
:meth:`complete_now`.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar
from urllib.parse import urlencode

from shipspec_deftship.limits import MAX_ITEMS_PER_BATCH, MAX_LABELS_PER_MERGED_PDF

from ..app import CarrierSandbox, Problem, SandboxRequest, SandboxResponse
from ..labels import label_pdf
from ..ledger import Ledger
from ..state import Store
from .deftship_checks import (
    ErrorBag,
    field_errors,
    item_field_errors,
    label_count,
    merged,
    reference_of,
    shipment_errors,
)

__all__ = ["DeftShipSandbox"]

CARRIER = "deftship"
BATCHES = "deftship.batches"
ORDERS = "deftship.shipment_orders"
CONFIG = "deftship.config"
COUNTERS = "deftship.counters"
DEFAULT_TOKEN = "sandbox-token"  # noqa: S105 - the documented sandbox default
DEFAULT_SHIPPER_ID = 123  # the docs' example shipper_id ...
DEFAULT_SHIPPER_HASH = "99999999"  # ... and its default_shipper_id
DEFAULT_BALANCE_CENTS = 1_000_000  # 10,000.00
DEFAULT_LABEL_PRICE_CENTS = 500  # 5.00 per label
ID_BASES = {"batch": 10_000_000, "item": 20_000_000, "order": 30_000_000, "tracking": 0}
# Not published: the texts of these answers are the sandbox's own (see each use).
UNAUTHENTICATED = "Unauthenticated."
TOO_MANY = "Too Many Attempts."
NOT_FOUND = "Batch not found."
VALIDATION_FAILED = "The given data was invalid."
ITEM_PROBLEM = re.compile(r"^batch_shipments\.(?P<index>\d+)(\.|$)")
ITEM_OPERATIONS = frozenset({"createBatch", "addBatchItems"})
LABEL_PATH = re.compile(r"^/labels/batch-(?P<batch>\d+)-(?P<number>\d+)\.pdf$")
INVALID_ITEMS = "Batch contains invalid orders."
NO_CREDIT = "Not enough credit in your account to ship this batch."
REJECTED = "The carrier rejected the shipment."
BUSY_STATUSES = ("validating", "processing", "completed")

Effect = tuple[str, str, dict[str, Any]]  # ledger action, key, result


class DeftShipSandbox(CarrierSandbox):
    """The DeftShip batch API on 127.0.0.1.

    Seeded on first use of a store (and kept there, so a restart with ``db=`` knows them): bearer token
    ``"sandbox-token"``, shipper ``123`` with hash id ``"99999999"`` (the docs' example), a balance of
    10,000.00 and a label price of 5.00. Change them with :meth:`register_token`, :meth:`register_shipper` and
    :meth:`set_credit`; :meth:`reject_on_ship` makes an item fail while shipping.

    Ledger: ``batch_shipped`` (key: batch id) once per accepted Ship Batch, and ``item_shipped`` once per item
    that completes, keyed by its shipment order id (DeftShip deduplicates nothing: every item sent is a new
    shipment order), with the item's ``package_list[0].reference_1`` (else the item id) as ``reference``.
    """

    carrier = CARRIER
    credentials: ClassVar[dict[str, str]] = {
        "api_token": DEFAULT_TOKEN,
        "shipper_id": str(DEFAULT_SHIPPER_ID),
    }

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float] | None = None,
        validation_delay: float = 0.2,
        processing_delay: float = 0.2,
        per_page: int = 100,
    ) -> None:
        super().__init__(store)
        # Wall-clock time by default: phase start times are persisted and must survive a restart.
        self.clock: Callable[[], float] = clock or time.time
        self.validation_delay = validation_delay
        self.processing_delay = processing_delay
        self.per_page = per_page
        self.handlers.update(
            {
                "createBatch": self._create,
                "getBatch": self._get,
                "shipBatch": self._ship,
                "addBatchItems": self._add_items,
                "removeBatchItems": self._remove_items,
            }
        )
        messages = {
            op: {m.name: m.message for m in entry.error_messages}
            for op, entry in self.tables.operations.items()
        }
        self._shipper_message = str(messages["createBatch"]["SHIPPER_NOT_ELIGIBLE"])
        self._not_ready_message = str(messages["shipBatch"]["BATCH_NOT_READY"])
        self._busy_message = str(messages["removeBatchItems"]["BATCH_BEING_PROCESSED"])
        with self.store.transaction():
            if self.store.get(CONFIG, "account") is None:
                self.store.put(
                    CONFIG,
                    "account",
                    {
                        "tokens": [DEFAULT_TOKEN],
                        "shippers": {
                            str(DEFAULT_SHIPPER_ID): {"hash_id": DEFAULT_SHIPPER_HASH, "eligible": True}
                        },
                        "balance_cents": DEFAULT_BALANCE_CENTS,
                        "label_price_cents": DEFAULT_LABEL_PRICE_CENTS,
                        "rejected_references": [],
                    },
                )

    # ------------------------------------------------------------------ seeding and inspection

    @contextmanager
    def _account(self) -> Iterator[dict[str, Any]]:
        with self.store.transaction():
            account = self._doc(CONFIG, "account")
            yield account
            self.store.put(CONFIG, "account", account)

    def register_token(self, token: str) -> None:
        """Accept ``Authorization: Bearer <token>``."""
        with self._account() as account:
            if token not in account["tokens"]:
                account["tokens"].append(token)

    def revoke_token(self, token: str) -> None:
        """Stop accepting a token (the next call with it answers 401)."""
        with self._account() as account:
            account["tokens"] = [t for t in account["tokens"] if t != token]

    def register_shipper(self, shipper_id: int, hash_id: str, *, eligible: bool = True) -> None:
        """Know a shipper; ``eligible=False`` is one that "does not meet requirements for batch shipping"."""
        with self._account() as account:
            account["shippers"][str(shipper_id)] = {"hash_id": hash_id, "eligible": eligible}

    def set_credit(self, balance: float, label_price: float | None = None) -> None:
        """Set the account balance and, optionally, the price of one label (currency units, e.g. 12.50)."""
        with self._account() as account:
            account["balance_cents"] = round(balance * 100)
            if label_price is not None:
                account["label_price_cents"] = round(label_price * 100)

    def balance(self) -> float:
        """The account balance in currency units."""
        with self._account() as account:
            return int(account["balance_cents"]) / 100

    def reject_on_ship(self, reference_1: str) -> None:
        """Make every item whose first package has this reference_1 fail while shipping (not charged)."""
        with self._account() as account:
            account["rejected_references"].append(reference_1)

    def shipment_order(self, order_id: str) -> dict[str, Any] | None:
        """A shipment order by id, or None when it does not exist (never did, or its item was removed)."""
        order: dict[str, Any] | None = self.store.get(ORDERS, order_id)
        return order

    def validate_now(self, batch_id: str) -> None:
        """Finish the batch's pending validation now, whatever the clock says."""
        self._progress_now(batch_id, None)

    def complete_now(self, batch_id: str, ledger: Ledger) -> None:
        """Finish the batch's pending validation or shipping now, recording shipped items in ``ledger``."""
        self._progress_now(batch_id, ledger)

    def _progress_now(self, batch_id: str, ledger: Ledger | None) -> None:
        effects: list[Effect] = []
        with self.store.transaction():
            batch = self.store.get(BATCHES, batch_id)
            if batch is None:
                raise KeyError(batch_id)
            if batch["status"] == "processing" and ledger is None:
                return  # shipping records ledger entries: complete_now is the way to finish it
            if self._advance(batch, force=True, effects=effects):
                self.store.put(BATCHES, batch_id, batch)
        if ledger is not None:
            self._record(ledger, effects)

    # ------------------------------------------------------------------ carrier answers

    def authenticate(self, request: SandboxRequest) -> SandboxResponse | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip() in self._account_snapshot()["tokens"]:
            return None
        return self._unauthenticated()

    def _unauthenticated(self) -> SandboxResponse:
        # The spec's UNAUTHENTICATED entry: Laravel's API-guard text, as a 200 failure body.
        return self._failure(UNAUTHENTICATED)

    def invalid(self, request: SandboxRequest, problems: list[Problem]) -> SandboxResponse:
        # The field-keyed `data` is what DeftShip's general note describes; the message the spec's
        # VALIDATION_FAILED entry.
        return self._validation_failure(field_errors(problems, request.operation_id))

    def defer(self, request: SandboxRequest, problems: list[Problem]) -> list[Problem]:
        """Problems inside one of ``batch_shipments`` wait for the asynchronous item validation."""
        if request.operation_id not in ITEM_OPERATIONS:
            return []
        return [problem for problem in problems if ITEM_PROBLEM.match(problem.path)]

    def _validation_failure(self, bag: ErrorBag) -> SandboxResponse:
        return self._failure(VALIDATION_FAILED, bag)

    def rate_limited(self, request: SandboxRequest, retry_after_seconds: int) -> SandboxResponse:
        # No batch rate limit is published; the spec's TOO_MANY_ATTEMPTS entry (Laravel's throttle text), as
        # a 200 failure body with Retry-After.
        answer = self._failure(TOO_MANY)
        return SandboxResponse(answer.status, answer.body, {"Retry-After": str(retry_after_seconds)})

    def extra_get(self, path: str) -> SandboxResponse | None:
        """Serve the merged label PDFs Get Batch lists for a completed batch; no token (they are links)."""
        match = LABEL_PATH.match(path)
        if match is None:
            return None
        batch = self.store.get(BATCHES, match["batch"])
        number = int(match["number"])
        if batch is None or batch["status"] != "completed" or not 1 <= number <= len(batch["label_groups"]):
            return SandboxResponse(404, b"label not found", {"Content-Type": "text/plain"})
        numbers = batch["label_groups"][number - 1]
        lines = ["DeftShip sandbox labels (not real labels)", f"Batch: {batch['id']} ({number})", *numbers]
        return SandboxResponse(200, label_pdf(lines), {"Content-Type": "application/pdf"})

    def token_expired(self, request: SandboxRequest) -> SandboxResponse:
        # DeftShip documents no token expiry: an API token that stops working answers like a wrong one.
        return self._unauthenticated()

    # ------------------------------------------------------------------ handlers

    def _create(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        body = self._body(request)
        if body is None:
            return self._validation_failure({"body": ["The body must be a JSON object."]})
        shipments = list(body.get("batch_shipments") or [])
        if len(shipments) > MAX_ITEMS_PER_BATCH:  # also caught by the spec's maxItems when validating
            return self._too_many(0)
        with self.store.transaction():
            shipper = self._account_snapshot()["shippers"].get(str(body.get("shipper_id")))
            if shipper is None or not shipper["eligible"]:
                return self._failure(self._shipper_message)
            batch_id = self._next_id("batch")
            batch: dict[str, Any] = {
                "id": batch_id,
                "status": "validating",
                "service": str(body.get("service", "")),
                "shipper_hash": shipper["hash_id"],
                "items": [],
                "label_groups": [],
                "charged_cents": 0,
            }
            self._append_items(batch, shipments, request.deferred)
            self.store.put(BATCHES, batch_id, batch)
        return self._success(self._summary(batch))

    def _get(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        batch_id = request.path_params["batch_id"]
        effects: list[Effect] = []
        with self.store.transaction():
            batch = self._load(batch_id, effects)
        self._record(ledger, effects)
        if batch is None:
            return self._not_found()
        data = {**self._summary(batch), "results": self._results(batch), "items": self._page(request, batch)}
        if batch["status"] == "completed":
            base = f"http://{request.headers.get('host', '127.0.0.1')}"
            data["labels"] = [
                f"{base}/labels/batch-{batch_id}-{n}.pdf" for n in range(1, len(batch["label_groups"]) + 1)
            ]
        return self._success(data)

    def _ship(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        batch_id = request.path_params["batch_id"]
        effects: list[Effect] = []
        with self.store.transaction():
            batch = self._load(batch_id, effects)
            answer = self._ship_locked(batch, effects) if batch is not None else self._not_found()
        self._record(ledger, effects)
        return answer

    def _ship_locked(self, batch: dict[str, Any], effects: list[Effect]) -> SandboxResponse:
        if batch["status"] == "invalid":
            invalid = [item["id"] for item in batch["items"] if item["status"] == "invalid"]
            # The message is not published (the spec matches this failure by data.invalid_order_ids); the ids
            # are the batch item ids that Remove Items takes, as the spec describes them.
            return self._failure(INVALID_ITEMS, {"invalid_order_ids": invalid})
        if batch["status"] != "ready" or not batch["items"]:
            # An empty batch has nothing to ship; the docs do not say, so it counts as not ready.
            return self._failure(self._not_ready_message)
        labels = sum(item["labels"] for item in batch["items"])
        with self._account() as account:
            cost = labels * int(account["label_price_cents"])
            if cost > account["balance_cents"]:
                # Documented as "not enough credit", exact text not published (the spec matches "credit").
                return self._failure(NO_CREDIT)
            account["balance_cents"] -= cost
            batch["label_price_cents"] = int(account["label_price_cents"])  # refunds use the price charged
        batch.update(status="processing", charged_cents=cost, phase_started=self.clock())
        batch["phase_total"] = len(batch["items"])
        self.store.put(BATCHES, batch["id"], batch)
        effects.append(
            (
                "batch_shipped",
                batch["id"],
                {"items": len(batch["items"]), "labels": labels, "charged_cents": cost},
            )
        )
        return self._success({**self._summary(batch), "results": self._results(batch)})

    def _add_items(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        body = self._body(request)
        if body is None:
            return self._validation_failure({"body": ["The body must be a JSON object."]})
        shipments = list(body.get("batch_shipments") or [])
        effects: list[Effect] = []
        with self.store.transaction():
            batch = self._load(request.path_params["batch_id"], effects)
            if batch is None:
                answer = self._not_found()
            elif batch["status"] in BUSY_STATUSES:
                # Add Items publishes no text for this refusal; Remove Items' text for the same rule is used.
                answer = self._failure(self._busy_message)
            elif len(batch["items"]) + len(shipments) > MAX_ITEMS_PER_BATCH:
                answer = self._too_many(len(batch["items"]))
            else:
                self._append_items(batch, shipments, request.deferred)
                self.store.put(BATCHES, batch["id"], batch)
                answer = self._success(self._summary(batch))
        self._record(ledger, effects)
        return answer

    def _remove_items(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        body = self._body(request)
        if body is None:
            return self._validation_failure({"body": ["The body must be a JSON object."]})
        wanted = {str(item_id) for item_id in body.get("batch_shipment_ids") or []}
        effects: list[Effect] = []
        with self.store.transaction():
            batch = self._load(request.path_params["batch_id"], effects)
            if batch is None:
                answer = self._not_found()
            elif batch["status"] in BUSY_STATUSES:
                answer = self._failure(self._busy_message)
            else:
                # Ids not in the batch are ignored (a resend after success removes nothing and succeeds); the
                # docs do not say how unknown ids are answered.
                for item in batch["items"]:
                    if item["id"] in wanted:
                        self.store.put(ORDERS, item["order_id"], None)  # the store has no delete: a tombstone
                batch["items"] = [item for item in batch["items"] if item["id"] not in wanted]
                batch["status"] = self._settled_status(batch)
                self.store.put(BATCHES, batch["id"], batch)
                answer = self._success({**self._summary(batch), "results": self._results(batch)})
        self._record(ledger, effects)
        return answer

    # ------------------------------------------------------------------ state

    def _load(self, batch_id: str, effects: list[Effect]) -> dict[str, Any] | None:
        """Read a batch and let it progress to what the clock says (call inside a transaction)."""
        batch: dict[str, Any] | None = self.store.get(BATCHES, batch_id)
        if batch is not None and self._advance(batch, force=False, effects=effects):
            self.store.put(BATCHES, batch_id, batch)
        return batch

    def _append_items(
        self, batch: dict[str, Any], shipments: list[dict[str, Any]], deferred: tuple[Problem, ...] = ()
    ) -> None:
        """Add pending items (each with a new shipment order) and restart validation.

        ``deferred``: the spec problems found inside the shipments, reported by the item validation.
        """
        for index, given in enumerate(shipments):
            shipment = given if isinstance(given, dict) else {}  # not an object: invalid later (deferred)
            schema_errors = item_field_errors(deferred, index)
            item_id, order_id = self._next_id("item"), self._next_id("order")
            self.store.put(
                ORDERS,
                order_id,
                {
                    "id": order_id,
                    "batch_id": batch["id"],
                    "item_id": item_id,
                    "service": batch["service"],
                    "main_tracking_number": None,
                    "tracking_numbers": [],
                },
            )
            batch["items"].append(
                {
                    "id": item_id,
                    "order_id": order_id,
                    # Pending validation: not listed, as the documented item statuses have no such value.
                    "status": None,
                    "errors": None,
                    "labels": label_count(shipment),
                    "shipment": shipment,
                    "schema_errors": schema_errors,
                }
            )
        batch.update(status="validating", phase_started=self.clock())
        batch["phase_total"] = sum(1 for item in batch["items"] if item["status"] is None)

    def _advance(self, batch: dict[str, Any], *, force: bool, effects: list[Effect]) -> bool:
        """Validate or ship the items that are due; return whether the batch changed."""
        status = batch["status"]
        if status not in ("validating", "processing"):
            return False
        waiting = "valid" if status == "processing" else None
        queue = [item for item in batch["items"] if item["status"] == waiting]
        delay = self.processing_delay if status == "processing" else self.validation_delay
        due = self._due(batch, len(queue), delay, force)
        if status == "validating":
            for item in queue[:due]:
                errors = merged(item.get("schema_errors") or {}, shipment_errors(item["shipment"]))
                item.update(status="invalid" if errors else "valid", errors=errors or None)
        else:
            rejected = set(self._account_snapshot()["rejected_references"])
            for item in queue[:due]:
                self._ship_item(batch, item, rejected, effects)
        if due < len(queue):
            return due > 0
        if status == "validating":
            batch["status"] = self._settled_status(batch)
        else:
            self._complete(batch)
        return True

    def _due(self, batch: dict[str, Any], waiting: int, delay: float, force: bool) -> int:
        """How many of the waiting items the clock says are done by now."""
        elapsed = self.clock() - float(batch["phase_started"])
        if force or delay <= 0 or elapsed >= delay:
            return waiting
        total = int(batch["phase_total"])
        target = math.floor(total * max(0.0, elapsed) / delay)
        return max(0, min(waiting, target - (total - waiting)))

    def _ship_item(
        self, batch: dict[str, Any], item: dict[str, Any], rejected: set[str], effects: list[Effect]
    ) -> None:
        reference = reference_of(item["shipment"])
        if reference is not None and reference in rejected:
            item.update(status="failed", errors={"shipment": [REJECTED]})
            return
        order = self._doc(ORDERS, item["order_id"])
        numbers = [f"9400{self._next_number('tracking'):018d}" for _ in range(item["labels"])]
        order.update(main_tracking_number=numbers[0], tracking_numbers=numbers)
        self.store.put(ORDERS, item["order_id"], order)
        item["status"] = "completed"
        effects.append(
            (
                "item_shipped",
                item["order_id"],
                {
                    "reference": reference or item["id"],
                    "batch_id": batch["id"],
                    "item_id": item["id"],
                    "main_tracking_number": numbers[0],
                },
            )
        )

    def _complete(self, batch: dict[str, Any]) -> None:
        """All items done: refund the failed ones, merge labels into PDFs of at most 100, mark completed."""
        labels: list[str] = []
        refund = 0
        with self._account() as account:
            for item in batch["items"]:
                if item["status"] == "failed":
                    refund += item["labels"] * int(batch["label_price_cents"])
                elif item["status"] == "completed":
                    labels += self._doc(ORDERS, item["order_id"])["tracking_numbers"]
            account["balance_cents"] += refund
        batch["charged_cents"] -= refund
        step = MAX_LABELS_PER_MERGED_PDF
        batch["label_groups"] = [labels[i : i + step] for i in range(0, len(labels), step)]
        batch["status"] = "completed"

    @staticmethod
    def _settled_status(batch: dict[str, Any]) -> str:
        return "invalid" if any(item["status"] == "invalid" for item in batch["items"]) else "ready"

    def _next_number(self, name: str) -> int:
        with self.store.transaction():
            value = int(self.store.get(COUNTERS, name) or 0) + 1
            self.store.put(COUNTERS, name, value)
        return ID_BASES[name] + value

    def _next_id(self, name: str) -> str:
        return str(self._next_number(name))

    def _account_snapshot(self) -> dict[str, Any]:
        return self._doc(CONFIG, "account")

    def _doc(self, namespace: str, key: str) -> dict[str, Any]:
        """A document that must exist (the account, or the shipment order of an item still in its batch)."""
        found = self.store.get(namespace, key)
        if not isinstance(found, dict):
            raise LookupError(f"{namespace}/{key} is missing")
        return found

    @staticmethod
    def _record(ledger: Ledger, effects: list[Effect]) -> None:
        # Recorded after the store's lock is released: the ledger takes its own lock before the store's, so
        # recording while holding the store's lock could deadlock with another carrier's sandbox.
        for action, key, result in effects:
            ledger.record(CARRIER, action, key, **result)

    # ------------------------------------------------------------------ answer shapes

    @staticmethod
    def _body(request: SandboxRequest) -> dict[str, Any] | None:
        try:
            body = request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    @staticmethod
    def _success(data: dict[str, Any]) -> SandboxResponse:
        return SandboxResponse.json({"success": True, "data": data})

    @staticmethod
    def _failure(message: str, data: Mapping[str, Any] | None = None) -> SandboxResponse:
        # The HTTP status of DeftShip's failures is not published; the spec documents them as 200 bodies.
        payload: dict[str, Any] = {"success": False, "message": message}
        if data is not None:
            payload["data"] = data
        return SandboxResponse.json(payload)

    def _not_found(self) -> SandboxResponse:
        # The spec's BATCH_NOT_FOUND entry (the text is the sandbox's own), as a 200 failure body.
        return self._failure(NOT_FOUND)

    def _too_many(self, current: int) -> SandboxResponse:
        text = f"The batch shipments field must not have more than {MAX_ITEMS_PER_BATCH} items"
        suffix = f" in total (the batch has {current})." if current else "."
        return self._validation_failure({"batch_shipments": [text + suffix]})

    @staticmethod
    def _summary(batch: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": batch["id"],
            "status": batch["status"],
            "default_service": batch["service"],
            "default_shipper_id": batch["shipper_hash"],
        }

    @staticmethod
    def _results(batch: dict[str, Any]) -> dict[str, Any]:
        items = batch["items"]
        count = {
            status: sum(1 for item in items if item["status"] == status) for status in ("valid", "invalid")
        }
        count |= {
            status: sum(1 for item in items if item["status"] == status) for status in ("completed", "failed")
        }
        # Not defined by the docs beyond "a percentage string": the share of the current step done, i.e.
        # items validated while validating (ready/invalid: 100%), items shipped or failed while
        # processing/completed.
        if batch["status"] in ("processing", "completed"):
            done = count["completed"] + count["failed"]
        else:
            done = count["valid"] + count["invalid"]
        percentage = math.floor(100 * done / len(items)) if items else 0
        return {
            "total_count": len(items),
            "completion_percentage": f"{percentage}%",
            "valid_count": count["valid"],
            "invalid_count": count["invalid"],
            "completed_count": count["completed"],
            "failed_count": count["failed"],
        }

    def _page(self, request: SandboxRequest, batch: dict[str, Any]) -> dict[str, Any]:
        """One page of items, Laravel-style (simple pagination fields).

        The docs publish no page parameter; like every Laravel paginator this one reads ``page`` from the
        query (invalid or < 1 means 1), and its URLs keep the status filter, so following ``next_page_url`` as
        the spec says walks every item. Items still waiting for validation are listed without a status.
        """
        wanted = request.query.get("status")
        items = [i for i in batch["items"] if wanted is None or i["status"] == wanted]
        raw_page = request.query.get("page", "1")
        page = int(raw_page) if raw_page.isdigit() and int(raw_page) >= 1 else 1
        per_page = max(1, self.per_page)
        chunk = items[(page - 1) * per_page : page * per_page]
        path = f"http://{request.headers.get('host', '127.0.0.1')}{request.path}"

        def url(number: int) -> str:
            query = {"status": wanted} if wanted is not None else {}
            return f"{path}?{urlencode({**query, 'page': number})}"

        start = (page - 1) * per_page + 1
        return {
            "current_page": page,
            "data": [self._item_view(item) for item in chunk],
            "first_page_url": url(1),
            "from": start if chunk else None,
            "next_page_url": url(page + 1) if page * per_page < len(items) else None,
            "path": path,
            "per_page": per_page,
            "prev_page_url": url(page - 1) if page > 1 else None,
            "to": start + len(chunk) - 1 if chunk else None,
        }

    def _item_view(self, item: dict[str, Any]) -> dict[str, Any]:
        order = self.store.get(ORDERS, item["order_id"])
        shipment_order = None
        if order is not None:
            shipment_order = {
                "id": order["id"],
                "main_tracking_number": order["main_tracking_number"],
                "tracking_numbers": order["tracking_numbers"],
                "service": order["service"],
                "reference_1": reference_of(item["shipment"]),
            }
        view = {"id": item["id"], "errors": item["errors"], "shipment_order": shipment_order}
        if item["status"] is not None:  # absent while the item waits for validation (see the spec)
            view["status"] = item["status"]
        return view
