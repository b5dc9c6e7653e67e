"""A shared location as stored: two finite numbers in range, or nothing."""

from __future__ import annotations

import math


def valid_point(value: object) -> tuple[float, float] | None:
    """``value`` as (latitude, longitude) when it is two finite numbers in range, else None."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return None
    latitude, longitude = float(value[0]), float(value[1])
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    return latitude, longitude
