"""The Baaship sandbox's success paths over real HTTP: shipments, labels, tracking, cancellation, ledger."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from shipspec_baaship.api.baaship import (
    cancel_shipment,
    create_shipment,
    get_shipment_label,
    get_tracking,
    reverse_shipment,
)
from shipspec_baaship.models import (
    CancelShipmentResponse,
    CreateShipmentRequest,
    CreateShipmentResponse,
    ReverseShipmentRequest,
    ReverseShipmentResponse,
    ShipmentLabelResponse,
    ShipmentResult,
    TrackingResponse,
)
from shipspec_sandbox import Sandboxes, start_sandboxes
from shipspec_sandbox.carriers.baaship import DELIVERED, BaashipSandbox

from .baaship_payloads import forward_body, generated_client, http_client, reverse_body


@pytest.fixture
def sandboxes() -> Iterator[Sandboxes]:
    with start_sandboxes(("baaship",)) as running:
        yield running


@pytest.fixture
def http(sandboxes: Sandboxes) -> Iterator[httpx.Client]:
    with http_client(sandboxes.url("baaship")) as client:
        yield client


def app_of(sandboxes: Sandboxes) -> BaashipSandbox:
    app = sandboxes.app("baaship")
    assert isinstance(app, BaashipSandbox)
    return app


def create(http: httpx.Client, reference: str = "REF-1") -> dict[str, str]:
    answer = http.post("/createShipment", json=forward_body(reference)).json()
    assert answer["code"] == 200, answer
    result: dict[str, str] = answer["data"][0]
    return result


def test_create_shipment_answers_an_array_of_one_through_the_generated_client(sandboxes: Sandboxes) -> None:
    """createShipment answers the doc example's shape: data is an array holding the new shipment."""
    client = generated_client(sandboxes.url("baaship"))
    parsed = create_shipment.sync(client=client, body=CreateShipmentRequest.from_dict(forward_body()))
    assert isinstance(parsed, CreateShipmentResponse)
    assert parsed.success is True
    assert parsed.code == 200
    assert parsed.message == "success"
    assert isinstance(parsed.data, list)
    assert len(parsed.data) == 1
    shipment = parsed.data[0]
    assert (shipment.waybill, shipment.reference_no, shipment.product_code) == ("T80000001", "REF-1", "TEST")
    label = f"{sandboxes.url('baaship')}/pdf-file/T80000001/"
    assert isinstance(shipment.label_url, str)
    assert shipment.label_url.startswith(label)
    assert shipment.label_url.endswith(".pdf")


def test_waybills_are_sequential_and_request_ids_deterministic(http: httpx.Client) -> None:
    """Waybills count up from T80000001 and request ids are a counter of 16 hex digits."""
    first = http.post("/createShipment", json=forward_body("A")).json()
    second = http.post("/createShipment", json=forward_body("B")).json()
    assert [first["data"][0]["waybill"], second["data"][0]["waybill"]] == ["T80000001", "T80000002"]
    assert [first["requestId"], second["requestId"]] == ["0000000000000001", "0000000000000002"]


def test_duplicate_reference_makes_no_second_shipment_or_ledger_entry(
    sandboxes: Sandboxes, http: httpx.Client
) -> None:
    """A resent referenceNo answers 1005; the ledger keeps one entry and no waybill is used up."""
    created = create(http, "DUP-1")
    again = http.post("/createShipment", json=forward_body("DUP-1")).json()
    assert again["code"] == 1005
    assert again["success"] is False
    entries = sandboxes.ledger.entries(carrier="baaship", action="shipment_created")
    assert [(e.key, e.result) for e in entries] == [
        ("DUP-1", {"waybill": created["waybill"], "labelUrl": created["labelUrl"]})
    ]
    assert create(http, "NEXT")["waybill"] == "T80000002"


def test_concurrent_resends_create_exactly_one_shipment(sandboxes: Sandboxes) -> None:
    """Eight simultaneous sends of one referenceNo give one success, seven 1005 and one ledger entry."""

    def send(_: int) -> int:
        with http_client(sandboxes.url("baaship")) as client:
            code: int = client.post("/createShipment", json=forward_body("RACE")).json()["code"]
            return code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = sorted(pool.map(send, range(8)))
    assert codes == [200] + [1005] * 7
    assert len(sandboxes.ledger.entries(carrier="baaship", action="shipment_created")) == 1


def test_reverse_shipment_answers_an_object_and_tracks_as_reverse(sandboxes: Sandboxes) -> None:
    """reverseShipment answers data as one object and its tracking says shipmentType Reverse."""
    client = generated_client(sandboxes.url("baaship"))
    parsed = reverse_shipment.sync(client=client, body=ReverseShipmentRequest.from_dict(reverse_body()))
    assert isinstance(parsed, ReverseShipmentResponse)
    assert isinstance(parsed.data, ShipmentResult)
    assert (parsed.data.waybill, parsed.data.product_code) == ("T80000001", "BNRTN")
    tracked = get_tracking.sync(client=client, waybill="T80000001")
    assert isinstance(tracked, TrackingResponse)
    assert tracked.data[0].shipment_type == "Reverse"


def test_reverse_and_forward_share_one_reference_namespace(http: httpx.Client) -> None:
    """A referenceNo used by createShipment answers 1005 on reverseShipment (lookups stay unambiguous)."""
    create(http, "SHARED")
    assert http.post("/reverseShipment", json=reverse_body("SHARED")).json()["code"] == 1005


@pytest.mark.parametrize("currency", ["TWD", "twd"])
def test_value_in_other_currencies_is_not_counted_against_the_usd_limit(
    http: httpx.Client, currency: str
) -> None:
    """Items not in USD add nothing to BNRTN's 295 USD limit: no rates are documented."""
    body = reverse_body()
    body["packageList"]["packageItemList"][0].update(itemValue=9000, currency=currency)
    assert http.post("/reverseShipment", json=body).json()["code"] == 200


def test_label_pdf_downloads_as_a_valid_pdf(http: httpx.Client) -> None:
    """labelUrl serves a one-page PDF naming the waybill, with a correct startxref offset."""
    label_url = create(http)["labelUrl"]
    with httpx.Client(timeout=5.0) as plain:  # no token: label URLs are handed out as links
        response = plain.get(label_url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.endswith(b"%%EOF")
    assert b"(Waybill: T80000001) Tj" in pdf
    assert b"/Count 1" in pdf
    match = re.search(rb"startxref\n(\d+)\n%%EOF$", pdf)
    assert match is not None
    assert pdf[int(match[1]) :].startswith(b"xref\n0 6\n")
    offset_of_object_5 = int(pdf.split(b"xref\n0 6\n")[1].splitlines()[5][:10])
    assert pdf[offset_of_object_5:].startswith(b"5 0 obj")


def test_label_path_with_the_wrong_name_is_not_found(http: httpx.Client) -> None:
    """Only the exact labelUrl path serves the PDF; another name under the waybill is 404."""
    create(http)
    response = http.get("/pdf-file/T80000001/00000000-0000-0000-0000-000000000000.pdf")
    assert response.status_code == 404


def test_label_found_by_reference_equals_label_found_by_waybill(sandboxes: Sandboxes) -> None:
    """getShipmentLabel by referenceNo (the 1005 recovery path) and by waybill answer the same label."""
    client = generated_client(sandboxes.url("baaship"))
    created = create_shipment.sync(client=client, body=CreateShipmentRequest.from_dict(forward_body("L-1")))
    assert isinstance(created, CreateShipmentResponse)
    assert isinstance(created.data, list)
    by_reference = get_shipment_label.sync(client=client, reference_no="L-1")
    by_waybill = get_shipment_label.sync(client=client, waybill="T80000001")
    assert isinstance(by_reference, ShipmentLabelResponse)
    assert isinstance(by_waybill, ShipmentLabelResponse)
    assert by_reference.data.to_dict() == by_waybill.data.to_dict()
    assert by_reference.data.to_dict() == {
        "waybill": "T80000001",
        "referenceNo": "L-1",
        "labelUrl": created.data[0].label_url,
    }


def test_tracking_starts_with_an_info_received_event(http: httpx.Client) -> None:
    """A new shipment tracks with one creation event at the sender's place."""
    create(http)
    result = http.get("/tracking", params={"waybill": "T80000001"}).json()["data"][0]
    assert (result["shipmentType"], result["latestStatus"]) == ("Forward", "Shipment Information Received")
    [event] = result["events"]
    assert (event["statusCode"], event["country"], event["city"]) == ("IR01", "CN", "GUANGZHOU")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", event["localTime"])


def test_advance_tracking_to_delivered_shows_dl01_first(sandboxes: Sandboxes, http: httpx.Client) -> None:
    """advance_tracking(DL01) makes the shipment delivered, newest event first, at the receiver's place."""
    create(http)
    app_of(sandboxes).advance_tracking("T80000001", DELIVERED, "Your parcel has been delivered.")
    result = http.get("/tracking", params={"waybill": "T80000001"}).json()["data"][0]
    assert result["latestStatus"] == "Shipment Delivered"
    assert [e["statusCode"] for e in result["events"]] == ["DL01", "IR01"]
    assert (result["events"][0]["description"], result["events"][0]["city"]) == (
        "Your parcel has been delivered.",
        "Te Aroha",
    )
    assert app_of(sandboxes).shipment("T80000001") is not None
    assert app_of(sandboxes).shipment("T80000001")["state"] == "delivered"  # type: ignore[index]


def test_advance_tracking_of_an_unknown_waybill_raises(sandboxes: Sandboxes) -> None:
    """Tests cannot add events to a shipment that does not exist."""
    with pytest.raises(KeyError):
        app_of(sandboxes).advance_tracking("T89999999", DELIVERED, "Your parcel has been delivered.")


def test_cancel_marks_the_shipment_cancelled_and_records_it_once(sandboxes: Sandboxes) -> None:
    """cancelShipment answers the waybill at the top level and writes one shipment_cancelled entry."""
    client = generated_client(sandboxes.url("baaship"))
    create_shipment.sync(client=client, body=CreateShipmentRequest.from_dict(forward_body("C-1")))
    parsed = cancel_shipment.sync(client=client, waybill="T80000001")
    assert isinstance(parsed, CancelShipmentResponse)
    assert parsed.waybill == "T80000001"
    assert app_of(sandboxes).shipment("T80000001")["state"] == "cancelled"  # type: ignore[index]
    again = cancel_shipment.sync_detailed(client=client, waybill="T80000001").parsed  # sync(): success only
    assert not isinstance(again, CancelShipmentResponse)
    assert again is not None
    assert again.code == 1004
    entries = sandboxes.ledger.entries(carrier="baaship", action="shipment_cancelled")
    assert [(e.key, e.result) for e in entries] == [("T80000001", {"referenceNo": "C-1"})]


def test_a_delivered_shipment_cannot_be_cancelled(sandboxes: Sandboxes, http: httpx.Client) -> None:
    """Cancelling after DL01 answers 1004 and records nothing."""
    create(http)
    app_of(sandboxes).advance_tracking("T80000001", DELIVERED, "Your parcel has been delivered.")
    assert http.get("/cancelShipment", params={"waybill": "T80000001"}).json()["code"] == 1004
    assert sandboxes.ledger.entries(carrier="baaship", action="shipment_cancelled") == []


def test_store_delivery_needs_no_receiver_address(http: httpx.Client) -> None:
    """With a storeId the receiver needs only contact and phone."""
    body = forward_body(storeId="S001", receiver={"contact": "R", "phone": "1"})
    assert http.post("/createShipment", json=body).json()["code"] == 200


@pytest.mark.parametrize("place", ["top", "package"])
def test_cod_amount_is_accepted_at_the_top_or_in_the_parcel(http: httpx.Client, place: str) -> None:
    """A COD product accepts codAmount where the table puts it and where the example puts it."""
    body = forward_body(product="TW711-COD")
    if place == "top":
        body["codAmount"] = 3980
    else:
        body["packageList"][0]["codAmount"] = "3980"
    assert http.post("/createShipment", json=body).json()["code"] == 200


def test_numbers_sent_as_json_numbers_are_accepted(http: httpx.Client) -> None:
    """Number fields validate as JSON numbers as well as the examples' numeric strings."""
    body = forward_body()
    body["packageList"][0].update(weight=13.109, length=50, width=80.5, height=45)
    body["packageList"][0]["packageItemList"][0].update(quantity=2, itemWeight=2.102)
    assert http.post("/createShipment", json=body).json()["code"] == 200


def test_a_registered_token_is_accepted(sandboxes: Sandboxes) -> None:
    """register_token adds a token the header check accepts."""
    app_of(sandboxes).register_token("customer-42")
    with http_client(sandboxes.url("baaship"), token="customer-42") as client:
        assert client.post("/createShipment", json=forward_body()).json()["code"] == 200


def test_state_survives_a_restart(tmp_path: Path) -> None:
    """With db= the shipments, counters, tokens and ledger are still there after a restart."""
    db = tmp_path / "s.db"
    with start_sandboxes(("baaship",), db=db) as first, http_client(first.url("baaship")) as http:
        create(http, "KEEP")
        app_of(first).register_token("kept-token")
    with start_sandboxes(("baaship",), db=db) as second:
        with http_client(second.url("baaship"), token="kept-token") as http:
            assert http.post("/createShipment", json=forward_body("KEEP")).json()["code"] == 1005
            label = http.get("/getShipmentLabel", params={"referenceNo": "KEEP"}).json()["data"]
            assert label["waybill"] == "T80000001"
            assert label["labelUrl"].startswith(second.url("baaship"))
            assert http.get(label["labelUrl"]).content.startswith(b"%PDF")
            assert create(http, "NEW")["waybill"] == "T80000002"
        assert [e.key for e in second.ledger.entries(carrier="baaship")] == ["KEEP", "NEW"]


def test_a_country_written_out_ships_by_default() -> None:
    """ "New Zealand" is taken as written: the doc asks for no ISO codes (the 1008 rule is opt-in)."""
    with start_sandboxes(("baaship",)) as running, http_client(running.url("baaship")) as http:
        body = forward_body()
        body["receiver"] = {**body["receiver"], "country": "New Zealand"}
        answer = http.post("/createShipment", json=body).json()
        assert (answer["success"], answer["code"]) == (True, 200)


def test_tracking_finds_a_shipment_by_its_reference() -> None:
    """/tracking?referenceNo= answers the shipment's events, as the endpoint's 1004 text implies."""
    with start_sandboxes(("baaship",)) as running, http_client(running.url("baaship")) as http:
        created = http.post("/createShipment", json=forward_body("REF-TRACK")).json()
        answer = http.get("/tracking", params={"referenceNo": "REF-TRACK"}).json()
        assert answer["code"] == 200
        assert answer["data"][0]["waybill"] == created["data"][0]["waybill"]
