"""A user's script: track a Baaship shipment and read the events, with no narrowing of the answer."""

from shipspec.carriers import baaship
from shipspec_baaship.api.baaship import get_tracking


def latest_statuses(token: str, waybill: str) -> list[str]:
    client = baaship.client(token=token)
    tracking = get_tracking.sync(client=client, waybill=waybill)
    return [str(result.latest_status) for result in tracking.data]
