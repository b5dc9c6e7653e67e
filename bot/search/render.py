"""Search results as the CLI's JSON object and as a readable list."""

from __future__ import annotations

from typing import Any

from bot.directory.fields import display_phone
from bot.directory.model import Service
from bot.search.engine import SearchHit, SearchResult


def main_phone(service: Service) -> str | None:
    """The number to call: a voice or hotline number first."""
    phones = service.contact_phones()
    if not phones:
        return None
    ranked = sorted(phones, key=lambda p: p.type not in ("voice", "hotline"))
    return display_phone(ranked[0].number)


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """One result in the documented JSON shape."""
    service = hit.service
    return {
        "id": service.id,
        "name": service.name,
        "organization": service.organization.name,
        "categories": list(service.categories),
        "score": hit.score,
        "distance_miles": hit.distance_miles,
        "phone": main_phone(service),
        "address": hit.location.full_address() if hit.location else None,
        "open_now": hit.open_now,
    }


def result_json(result: SearchResult) -> dict[str, Any]:
    """``{"query", "language", "categories", "chatter", "results": [...]}``."""
    return {
        "query": result.query,
        "language": result.language,
        "categories": list(result.categories),
        "chatter": result.chatter,
        "results": [hit_json(h) for h in result.hits],
    }


def result_text(result: SearchResult) -> str:
    """A readable numbered list for the terminal."""
    if result.chatter:
        return "This asks for no service (chatter): no results. Try a need like food or shelter."
    if not result.hits:
        return "No matching services. Try a word like food, shelter, job or clinic."
    lines = []
    understood = ", ".join(result.categories) or "words"
    where = f" near {result.zip_code or result.place}" if (result.zip_code or result.place) else ""
    lines.append(f"{result.total} services match ({understood}){where}:")
    for n, hit in enumerate(result.hits, 1):
        lines.append(_hit_lines(n, hit))
    return "\n".join(lines)


def _hit_lines(n: int, hit: SearchHit) -> str:
    service = hit.service
    first = f"{n}. {service.name} - {service.organization.name}"
    details = [main_phone(service) or "no phone listed"]
    if hit.location:
        details.append(hit.location.short_address())
    if hit.distance_miles is not None:
        details.append(f"{hit.distance_miles} mi")
    if hit.open_now is not None:
        details.append("open now" if hit.open_now else "closed now")
    details.append(", ".join(service.categories))
    return f"{first}\n   " + " | ".join(details)
