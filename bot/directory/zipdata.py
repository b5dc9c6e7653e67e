"""US ZIP centres and time zones, from a compact file made from the zipcodes package.

The zipcodes package decompresses all 42,000 ZIPs on its first lookup, about
0.6 s, which every worker paid before it could answer. The same fields
(latitude, longitude, time zone) are kept in ``bot/data/zips.tsv.gz``, one
line per ZIP in code order. A lookup decompresses the file once (a few
milliseconds) and bisects its lines in place: building a dict of all 42,000
would cost 40 ms, most of what ``homeward search "food 94607"`` spends
after its imports. The file is made from the installed package with
``python -m bot.directory.zipdata``; a test checks it still says what the
package says, so an upgrade of zipcodes that changes its data is caught.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

ZIP_FILE = Path(__file__).resolve().parent.parent / "data" / "zips.tsv.gz"


class ZipPoint(NamedTuple):
    """A ZIP's centre as the package writes it (decimal strings) and its time zone."""

    lat: str
    long: str
    timezone: str


def zip_point(code: str) -> ZipPoint | None:
    """One five-digit ZIP's centre and time zone, or None when the file has no such ZIP."""
    table = _zip_table()
    key = code.encode("ascii", "replace")
    low, high = 0, len(table)
    while low < high:  # bisect on line starts: any offset is moved to the next line's start
        middle = (low + high) // 2
        start = table.rfind(b"\n", 0, middle) + 1
        found = table[start : start + 5]
        if found == key:
            end = table.find(b"\n", start)
            lat, long, zone = table[start + 6 : end].decode("utf-8").split("\t")
            return ZipPoint(lat, long, zone)
        if found < key:
            low = table.find(b"\n", start) + 1 or len(table)
        else:
            high = start
    return None


def zip_points() -> dict[str, ZipPoint]:
    """Every ZIP in the file: code -> centre and time zone (for checks, not lookups)."""
    rows = (line.split("\t") for line in _zip_table().decode("utf-8").splitlines())
    return {code: ZipPoint(lat, long, zone) for code, lat, long, zone in rows}


@lru_cache(maxsize=1)
def _zip_table() -> bytes:
    with gzip.open(ZIP_FILE, "rb") as handle:
        return handle.read()


def from_package() -> dict[str, ZipPoint]:
    """The same table, read from the zipcodes package (slow: for making and checking)."""
    import zipcodes

    return {
        z["zip_code"]: ZipPoint(z["lat"], z["long"], z.get("timezone") or "")
        for z in zipcodes._zipcodes.list_all()
    }


def write_zip_file(path: Path = ZIP_FILE) -> int:
    """Write the table from the package; returns the number of ZIPs."""
    table = from_package()
    lines = "".join(
        f"{code}\t{p.lat}\t{p.long}\t{p.timezone}\n" for code, p in sorted(table.items())
    )
    with gzip.GzipFile(path, "wb", mtime=0) as out:  # mtime 0: the same bytes every time
        out.write(lines.encode("utf-8"))
    return len(table)


if __name__ == "__main__":
    print(f"{write_zip_file()} ZIPs written to {ZIP_FILE}")
