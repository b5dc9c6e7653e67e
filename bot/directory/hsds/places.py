"""HSDS locations into Homeward locations: an address a texter can walk to.

Coordinates are kept when they are real numbers in range (not 0,0); when they
are missing, the validator puts the location at its ZIP's centre, so the
import leaves them out and counts it. A ZIP that is not a real US ZIP (a
Canadian postcode, "00000") is left out rather than failing the whole file.
"""

from __future__ import annotations

from typing import Any

from bot.directory.fields import zip_centroid
from bot.directory.hsds import values as V
from bot.directory.hsds.records import RawLocation
from bot.directory.hsds.report import NO_POINT, ImportReport
from bot.directory.hsds.textfix import one_line

ZIP_CENTRE = "locations without coordinates placed at their ZIP's centre"
BAD_ZIP = "postal codes that are not US ZIP codes left out"
BAD_POINT = "coordinates out of range or 0,0 left out"
NO_NAME = "locations without a name named after their street or service"


def _coordinate(value: str, limit: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -limit <= number <= limit else None


def read_location(
    raw: RawLocation, service_name: str, record: str, report: ImportReport
) -> dict[str, Any] | None:
    """A Homeward location dict, or None (skipped) when its id cannot be used."""
    location_id, fix = V.clean_id(raw.homeward_id or raw.id)
    if location_id is None:
        report.skipped(raw.where, "location id unusable", repr(raw.id))
        return None
    if fix and not raw.homeward_id:
        report.repaired(fix, record)
    fields: dict[str, str] = {}
    for key in ("name", "address_1", "address_2", "city", "state_province"):
        text, repairs = one_line(getattr(raw, key))
        for repair in repairs:
            report.repaired(repair, record)
        fields[key] = text
    street = ", ".join(p for p in (fields["address_1"], fields["address_2"]) if p)
    name = fields["name"] or street or service_name
    if not fields["name"]:
        report.repaired(NO_NAME, record)
    data: dict[str, Any] = {"id": location_id, "name": " ".join(name.split())}
    if street:
        data["address_1"] = street
    for key in ("city", "state_province"):
        if fields[key]:
            data[key] = fields[key]
    zip_code, zip_fix = V.clean_zip(raw.postal_code)
    if zip_fix:
        report.repaired(zip_fix, record)
    if zip_code:
        data["postal_code"] = zip_code
    elif raw.postal_code.strip():
        report.repaired(BAD_ZIP, record)
    lat, lon = _coordinate(raw.latitude, 90), _coordinate(raw.longitude, 180)
    if raw.latitude.strip() and (lat is None or lon is None or (lat == 0 and lon == 0)):
        report.repaired(BAD_POINT, record)
        lat = lon = None
    if lat is not None and lon is not None:
        data["latitude"], data["longitude"] = lat, lon
    elif zip_code and zip_centroid(zip_code):
        report.repaired(ZIP_CENTRE, record)
    else:
        report.imported[NO_POINT] += 1
    return data
