"""The HSDS 3.0 API, read-only, under ``/hsds/``: the directory for other tools.

A county 211 or a partner reads our directory the way Open Referral's API
description says (``../shared/data/hsds3-api/openapi.json``); ours is
``bot/web/hsds_openapi.json``, served at ``/hsds/openapi.json`` and checked
against these routes by a test. Lists are HSDS pages (``total_items``,
``total_pages``, ``page_number``, ``size``, ``first_page``, ``last_page``,
``empty``, ``contents``); ``search`` uses Homeward's own engine. Every address
may make ``HOMEWARD_HSDS_API_RATE`` requests a minute (per worker); past it,
429 with Retry-After. ``HOMEWARD_HSDS_API=0`` leaves the routes out.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.directory.fields import zip_centroid
from bot.directory.hsds.homeward_terms import CATEGORY_TAXONOMY
from bot.directory.model import Service
from bot.directory.store import directory_state
from bot.search.geo import miles_to
from bot.storage.db import session_scope
from bot.web.hsds_catalog import Catalog, catalog_for

OPENAPI = Path(__file__).with_name("hsds_openapi.json")
HSDS_VERSION = "3.0.0"
PROFILE = "https://docs.openreferral.org/en/latest/hsds/schema_reference.html"
PER_PAGE, MAX_PER_PAGE = 50, 500
METERS_PER_MILE = 1609.344
# The query parameters each list route reads (a test compares them with hsds_openapi.json).
PARAMETERS = {
    "/services": (
        "search",
        "page",
        "per_page",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
    ),
    "/organizations": ("search", "page", "per_page", "full_service"),
    "/organizations/{id}": ("full_service",),
    "/taxonomies": ("page", "per_page"),
    "/taxonomy_terms": ("page", "per_page", "taxonomy_id"),
    "/service_at_locations": (
        "search",
        "page",
        "per_page",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "postcode",
        "proximity",
        "full",
    ),
}
T = TypeVar("T")


class BadRequest(Exception):
    """A query parameter that cannot be used; the message says which and why."""


class RateLimiter:
    """At most ``per_minute`` requests per address in any minute (a sliding window)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait(self, address: str, now: float | None = None) -> float:
        """0 when the request may go on, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._seen) > 10_000:  # forget quiet addresses
                self._seen = {a: t for a, t in self._seen.items() if t and t[-1] > now - 60}
            recent = [t for t in self._seen.get(address, []) if t > now - 60]
            if len(recent) >= self.per_minute:
                self._seen[address] = recent
                return max(0.0, recent[0] + 60 - now)
            recent.append(now)
            self._seen[address] = recent
            return 0.0


def hsds_routes(per_minute: int) -> list[BaseRoute]:
    """Every route of the API, each behind the per-address limit."""
    limiter = RateLimiter(per_minute)
    endpoints: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
        ("/hsds/", _root),
        ("/hsds/openapi.json", _openapi),
        ("/hsds/services", _services),
        ("/hsds/services/{id}", _service),
        ("/hsds/organizations", _organizations),
        ("/hsds/organizations/{id}", _organization),
        ("/hsds/taxonomies", _taxonomies),
        ("/hsds/taxonomies/{id}", _taxonomy),
        ("/hsds/taxonomy_terms", _terms),
        ("/hsds/taxonomy_terms/{id}", _term),
        ("/hsds/service_at_locations", _at_locations),
        ("/hsds/service_at_locations/{id}", _at_location),
    ]
    return [Route(path, _guarded(limiter, handler), methods=["GET"]) for path, handler in endpoints]


def _guarded(
    limiter: RateLimiter, handler: Callable[[Request], Awaitable[Response]]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        address = request.client.host if request.client else "unknown"
        wait = limiter.wait(address)
        if wait:
            return JSONResponse(
                {"error": "too many requests; wait and try again"},
                status_code=429,
                headers={"Retry-After": str(math.ceil(wait))},
            )
        try:
            response = await handler(request)
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        response.headers["Cache-Control"] = "public, max-age=60"
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return endpoint


async def _catalog(request: Request) -> Catalog:
    conversation = request.app.state.conversation
    search = conversation.search

    def build() -> Catalog:
        with session_scope(conversation.database) as session:
            state = directory_state(session)
            loaded = state.loaded_at if state is not None else None
        modified = loaded or dt.datetime.now(dt.UTC)
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=dt.UTC)
        return catalog_for(search.index.directory, search.version, modified)

    return await run_in_threadpool(build)


async def _root(request: Request) -> Response:
    conversation = request.app.state.conversation
    info = conversation.search.index.directory.info
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE,
            "openapi_url": f"{base}/hsds/openapi.json",
            "publisher": {"name": info.name, "region": info.region, "sample": info.sample},
        }
    )


async def _openapi(request: Request) -> Response:
    return JSONResponse(json.loads(OPENAPI.read_text(encoding="utf-8")))


def _page(request: Request, items: list[T], shape: Callable[[T], dict[str, Any]]) -> Response:
    """One HSDS page of ``items``."""
    page = _integer(request, "page", 1, 1, 10**6)
    per_page = _integer(request, "per_page", PER_PAGE, 1, MAX_PER_PAGE)
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    shown = items[(page - 1) * per_page : page * per_page]
    return JSONResponse(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(shown),
            "first_page": page == 1,
            "last_page": page >= pages,
            "empty": not shown,
            "contents": [shape(item) for item in shown],
        }
    )


def _integer(request: Request, name: str, default: int, low: int, high: int) -> int:
    value = request.query_params.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    return int(value)


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "").strip().lower()
    if value in ("", "false", "0", "no"):
        return False
    if value in ("true", "1", "yes"):
        return True
    raise BadRequest(f"{name} must be true or false")


def _when(request: Request, name: str) -> dt.datetime | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        found = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{name} must be a date-time like 2026-12-01T00:00:00Z") from None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def _filtered(request: Request, catalog: Catalog) -> list[Service]:
    """The services the list parameters select, in search order when ``search`` is given."""
    services = list(catalog.services.values())
    text = request.query_params.get("search", "").strip()
    if text:
        engine = request.app.state.conversation.search
        found = engine.search(text[:200], limit=max(1, len(services)))
        services = [hit.service for hit in found.hits]
    term = request.query_params.get("taxonomy_term_id", "").strip()
    if term:
        slug = catalog.category_of_term(term)
        services = [s for s in services if slug is not None and slug in s.categories]
    taxonomy = request.query_params.get("taxonomy_id", "").strip()
    if taxonomy:
        name = catalog.taxonomies.get(taxonomy, {}).get("name")
        services = [s for s in services if name == CATEGORY_TAXONOMY and s.categories]
    org = request.query_params.get("organization_id", "").strip()
    if org:
        owner = catalog.organizations.get(org)
        services = [s for s in services if owner is not None and s.organization.id == owner.id]
    after = _when(request, "modified_after")
    if after is not None and catalog.modified < after:
        services = []
    return services


async def _services(request: Request) -> Response:
    catalog = await _catalog(request)
    services = await run_in_threadpool(_filtered, request, catalog)
    if _flag(request, "minimal"):
        return _page(request, services, lambda s: _minimal(catalog, s))
    shape = catalog.service_full if _flag(request, "full") else catalog.service_item
    return await run_in_threadpool(_page, request, services, shape)


def _minimal(catalog: Catalog, service: Service) -> dict[str, Any]:
    item = catalog.service_item(service)
    return {key: item[key] for key in ("id", "name", "status", "last_modified")}


async def _service(request: Request) -> Response:
    catalog = await _catalog(request)
    service = catalog.services.get(request.path_params["id"])
    if service is None:
        return _not_found("service")
    return JSONResponse(await run_in_threadpool(catalog.service_full, service))


async def _organizations(request: Request) -> Response:
    catalog = await _catalog(request)
    orgs = list(catalog.organizations.values())
    text = request.query_params.get("search", "").strip().casefold()
    if text:
        orgs = [o for o in orgs if text in o.name.casefold() or text in o.description.casefold()]
    if _flag(request, "full_service"):
        return _page(request, orgs, lambda o: catalog.organization_full(o, True))
    return _page(request, orgs, catalog.organization_item)


async def _organization(request: Request) -> Response:
    catalog = await _catalog(request)
    org = catalog.organizations.get(request.path_params["id"])
    if org is None:
        return _not_found("organization")
    full = _flag(request, "full_service")
    return JSONResponse(await run_in_threadpool(catalog.organization_full, org, full))


async def _taxonomies(request: Request) -> Response:
    catalog = await _catalog(request)
    return _page(request, list(catalog.taxonomies.values()), dict)


async def _taxonomy(request: Request) -> Response:
    found = (await _catalog(request)).taxonomies.get(request.path_params["id"])
    return JSONResponse(found) if found is not None else _not_found("taxonomy")


async def _terms(request: Request) -> Response:
    catalog = await _catalog(request)
    terms: Iterable[dict[str, Any]] = catalog.terms.values()
    taxonomy = request.query_params.get("taxonomy_id", "").strip()
    if taxonomy:
        terms = [t for t in terms if t["taxonomy_id"] == taxonomy]
    return _page(request, list(terms), dict)


async def _term(request: Request) -> Response:
    found = (await _catalog(request)).terms.get(request.path_params["id"])
    return JSONResponse(found) if found is not None else _not_found("taxonomy term")


async def _at_locations(request: Request) -> Response:
    catalog = await _catalog(request)
    full = _flag(request, "full")
    keys = await run_in_threadpool(_located, request, catalog)
    return await run_in_threadpool(
        _page, request, keys, lambda k: catalog.at_location(k, full=full)
    )


async def _at_location(request: Request) -> Response:
    catalog = await _catalog(request)
    key = request.path_params["id"]
    if key not in catalog.at_locations:
        return _not_found("service at location")
    return JSONResponse(await run_in_threadpool(lambda: catalog.at_location(key, full=True)))


def _located(request: Request, catalog: Catalog) -> list[str]:
    """Service-at-location ids the parameters select; nearest first with a proximity."""
    wanted = {s.id for s in _filtered(request, catalog)}
    keys = [k for k, (s, _) in catalog.at_locations.items() if s.id in wanted]
    postcode = request.query_params.get("postcode", "").strip()[:10]
    proximity = request.query_params.get("proximity", "").strip()
    if proximity and not postcode:
        raise BadRequest("proximity needs a postcode")
    if not postcode:
        return keys
    centre = zip_centroid(postcode[:5])
    if centre is None:
        raise BadRequest("postcode must be a US ZIP code")
    if not proximity:
        return [k for k in keys if catalog.at_locations[k][1].postal_code[:5] == postcode[:5]]
    try:
        meters = float(proximity)
    except ValueError:
        raise BadRequest("proximity must be a number of meters") from None
    near = []
    for key in keys:
        location = catalog.at_locations[key][1]
        point = (location.latitude, location.longitude)
        if point[0] is None or point[1] is None:
            continue
        miles = float(miles_to(centre, _array(point[0]), _array(point[1]))[0])
        if miles * METERS_PER_MILE <= meters:
            near.append((miles, key))
    return [key for _, key in sorted(near)]


def _array(value: float) -> Any:
    return np.array([value], dtype=np.float64)


def _not_found(kind: str) -> Response:
    return JSONResponse({"error": f"no such {kind}"}, status_code=404)
