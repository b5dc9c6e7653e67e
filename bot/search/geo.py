"""Distances and places: ZIP centroids, "lat,lon" strings, miles."""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from bot.directory.fields import zip_centroid
from bot.directory.model import Location

EARTH_RADIUS_MILES = 3958.8
_LATLON_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")

Point = tuple[float, float]


def parse_near(value: str) -> Point | None:
    """A point from a ZIP ("94607") or "lat,lon" ("37.80,-122.27"); None if neither."""
    match = _LATLON_RE.match(value)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if abs(lat) <= 90 and abs(lon) <= 180:
            return lat, lon
        return None
    return zip_centroid(value.strip())


def miles_to(
    point: Point, lats: npt.NDArray[np.float64], lons: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Great-circle miles from a point to many (NaN where a coordinate is missing)."""
    lat1, lon1 = np.radians(point[0]), np.radians(point[1])
    lat2, lon2 = np.radians(lats), np.radians(lons)
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    result: npt.NDArray[np.float64] = (
        2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    )
    return result


def nearest_location(locations: tuple[Location, ...], point: Point | None) -> Location | None:
    """The location nearest the point (the first with coordinates when there is none)."""
    located = [loc for loc in locations if loc.latitude is not None and loc.longitude is not None]
    if not located:
        return locations[0] if locations else None
    if point is None:
        return located[0]
    lats = np.array([loc.latitude for loc in located], dtype=np.float64)
    lons = np.array([loc.longitude for loc in located], dtype=np.float64)
    return located[int(np.argmin(miles_to(point, lats, lons)))]
