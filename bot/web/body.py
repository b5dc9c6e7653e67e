"""Read request bodies with a size cap, before anything else looks at them."""

from __future__ import annotations

from starlette.requests import Request


class TooLarge(Exception):
    """The body is over the cap."""


async def read_capped(request: Request, limit: int) -> bytes:
    """The whole body, or TooLarge as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
