"""US ZIP centres and time zones, from a compact file made from the zipcodes package.

The zipcodes package decompresses all 42,000 ZIPs on its first lookup, about
0.6 s, which every worker paid before it could answer. The same fields
(latitude, longitude, time zone) are kept in ``bot/data/zips.tsv.gz``,
read in about 0.05 s. The file is made from the installed package with
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


@lru_cache(maxsize=1)
def zip_points() -> dict[str, ZipPoint]:
    """Every ZIP in the file: code -> centre and time zone."""
    with gzip.open(ZIP_FILE, "rt", encoding="utf-8") as handle:
        rows = (line.rstrip("\n").split("\t") for line in handle)
        return {code: ZipPoint(lat, long, zone) for code, lat, long, zone in rows}


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
    lines = "".join(f"{code}\t{p.lat}\t{p.long}\t{p.timezone}\n" for code, p in table.items())
    with gzip.GzipFile(path, "wb", mtime=0) as out:  # mtime 0: the same bytes every time
        out.write(lines.encode("utf-8"))
    return len(table)


if __name__ == "__main__":
    print(f"{write_zip_file()} ZIPs written to {ZIP_FILE}")
