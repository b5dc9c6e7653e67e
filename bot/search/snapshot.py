"""A search index saved as one file, mapped into memory by every worker.

Building the index of 100,000 services takes tens of seconds, and reading
the directory back from the database as many again; a worker that starts
should do neither. The index of a directory version is built once, by
``homeward directory load`` or by the first worker that needs it, and saved
here. A worker opens it in about a second at 100,000 services: the NumPy
arrays (postings, categories, coordinates, centrality) are mapped from the
file, so the operating system shares their pages between workers, and each
service is unpickled only when a reply shows it (``ServiceTable``). Holding
100,000 services as Python objects took 5 s to unpickle and 800 MB per worker.

The file is::

    MAGIC (8 bytes) | header length (8 bytes, little-endian) | header (pickle)
    | array bytes, each array aligned to 64 bytes

The header holds the directory without its services, the word tables, the
service ids and, for each array, its dtype, shape and offset. The services
are one pickle each, back to back in the array ``services_blob``. A file
is written under a temporary name and renamed into place, so a reader sees
a whole file or none. It is pickle: the folder must be as private as the
database it was built from (Homeward creates it readable by its own user
only).
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from bot.directory.model import Service
from bot.search.index import PostingsTable, SearchIndex

# The format's version: a file of another one (an older Homeward's) is rebuilt.
# 2: category_doubt, and Service.inferred_strength in the pickled services.
MAGIC = b"HWINDEX2"
ALIGN = 64
# SearchIndex fields that are arrays, saved as bytes and mapped back.
ARRAY_FIELDS = (
    "category_mask",
    "primary_category",
    "category_doubt",
    "record_quality",
    "assured_day",
    "national",
    "group_mask",
    "restricted",
    "phone_only",
    "location_service",
    "location_lat",
    "location_lon",
    "sound_table",
)
# Fields kept as Python objects in the header.
OBJECT_FIELDS = ("directory", "category_slugs", "surface_df", "language_words", "places")


class SnapshotError(Exception):
    """The file is not a whole index of this format (truncated, foreign, older)."""


Centrality = dict[str, npt.NDArray[np.float32]]
# Services decoded and kept per worker: the ones replies show again (details, MORE).
DECODED_SERVICES = 4096


class ServiceTable(Sequence[Service]):
    """A directory's services, each unpickled from the mapped file when asked for."""

    def __init__(
        self, ids: list[str], starts: npt.NDArray[np.int64], blob: npt.NDArray[np.uint8]
    ) -> None:
        self.ids = ids
        self.starts = starts
        self.blob = blob
        self._decode = lru_cache(maxsize=DECODED_SERVICES)(self._decode_uncached)

    def _decode_uncached(self, n: int) -> Service:
        start, end = int(self.starts[n]), int(self.starts[n + 1])
        service: Service = pickle.loads(self.blob[start:end].tobytes())  # noqa: S301 (our file)
        return service

    @overload
    def __getitem__(self, n: int) -> Service: ...

    @overload
    def __getitem__(self, n: slice) -> list[Service]: ...

    def __getitem__(self, n: int | slice) -> Service | list[Service]:
        if isinstance(n, slice):
            return [self._decode(i) for i in range(*n.indices(len(self.ids)))]
        if n < 0:
            n += len(self.ids)
        if not 0 <= n < len(self.ids):
            raise IndexError(n)
        return self._decode(n)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Service]:
        return (self._decode_uncached(n) for n in range(len(self.ids)))


def save_snapshot(path: Path, index: SearchIndex, centrality: Centrality) -> None:
    """Write ``index`` and its category centrality to ``path``, atomically."""
    arrays: dict[str, npt.NDArray[Any]] = {name: getattr(index, name) for name in ARRAY_FIELDS}
    arrays["postings_starts"] = index.postings.starts
    arrays["postings_services"] = index.postings.services
    arrays["postings_weights"] = index.postings.weights
    arrays.update({f"language:{code}": mask for code, mask in index.languages.items()})
    arrays.update({f"centrality:{slug}": scores for slug, scores in centrality.items()})
    pickled = [
        pickle.dumps(service, protocol=pickle.HIGHEST_PROTOCOL) for service in index.services
    ]
    service_starts = np.zeros(len(pickled) + 1, dtype=np.int64)
    service_starts[1:] = np.cumsum([len(one) for one in pickled])
    arrays["services_starts"] = service_starts
    arrays["services_blob"] = np.frombuffer(b"".join(pickled), dtype=np.uint8)
    objects: dict[str, Any] = {name: getattr(index, name) for name in OBJECT_FIELDS}
    objects["directory"] = replace(index.directory, services=())
    layout: dict[str, tuple[str, tuple[int, ...], int]] = {}
    offset = 0
    for name, array in arrays.items():
        offset = -(-offset // ALIGN) * ALIGN
        layout[name] = (array.dtype.str, array.shape, offset)
        offset += array.nbytes
    header = pickle.dumps(
        {
            "arrays": layout,
            "objects": objects,
            "postings_keys": index.postings.keys_in_order,
            "service_ids": [service.id for service in index.services],
        },
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    start = -(-(len(MAGIC) + 8 + len(header)) // ALIGN) * ALIGN
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + struct.pack("<Q", len(header)) + header)
            for name, array in arrays.items():
                out.seek(start + layout[name][2])
                out.write(np.ascontiguousarray(array).tobytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_snapshot(path: Path) -> tuple[SearchIndex, Centrality]:
    """The index and centrality saved in ``path``, their arrays mapped read-only.

    Raises SnapshotError when the file is not a whole index of this format.
    """
    with path.open("rb") as handle:
        try:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError as empty:
            raise SnapshotError(f"{path}: empty") from empty
    if mapped[: len(MAGIC)] != MAGIC:
        raise SnapshotError(f"{path}: not a Homeward index of this format")
    if len(mapped) < len(MAGIC) + 8:
        raise SnapshotError(f"{path}: truncated")
    (length,) = struct.unpack("<Q", mapped[len(MAGIC) : len(MAGIC) + 8])
    if len(MAGIC) + 8 + length > len(mapped):
        raise SnapshotError(f"{path}: truncated")
    try:
        # Our own file, written by save_snapshot in a folder as private as the database.
        header = pickle.loads(mapped[len(MAGIC) + 8 : len(MAGIC) + 8 + length])  # noqa: S301
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as broken:
        raise SnapshotError(f"{path}: unreadable header") from broken
    start = -(-(len(MAGIC) + 8 + length) // ALIGN) * ALIGN
    try:
        return _assemble(header, mapped, start)
    except (KeyError, TypeError, ValueError, AttributeError) as broken:
        raise SnapshotError(f"{path}: not a Homeward index of this format ({broken})") from broken


def _assemble(header: Any, mapped: mmap.mmap, start: int) -> tuple[SearchIndex, Centrality]:
    arrays: dict[str, Any] = {}
    for name, (dtype, shape, offset) in header["arrays"].items():
        count = int(np.prod(shape))
        if start + offset + count * np.dtype(dtype).itemsize > len(mapped):
            raise ValueError("truncated")
        arrays[name] = np.frombuffer(
            mapped, dtype=np.dtype(dtype), count=count, offset=start + offset
        ).reshape(shape)
    objects = header["objects"]
    services = ServiceTable(
        header["service_ids"], arrays["services_starts"], arrays["services_blob"]
    )
    objects["directory"] = replace(objects["directory"], services=services)
    index = SearchIndex(
        services=services,
        postings=PostingsTable(
            header["postings_keys"],
            arrays["postings_starts"],
            arrays["postings_services"],
            arrays["postings_weights"],
        ),
        languages=_prefixed(arrays, "language:"),
        **{name: arrays[name] for name in ARRAY_FIELDS},
        **{name: objects[name] for name in OBJECT_FIELDS},
    )
    if not isinstance(index.surface_df, Counter):
        raise TypeError("word counts are not a Counter")
    return index, _prefixed(arrays, "centrality:")


def _prefixed(arrays: dict[str, npt.NDArray[Any]], prefix: str) -> dict[str, Any]:
    return {name[len(prefix) :]: array for name, array in arrays.items() if name.startswith(prefix)}
