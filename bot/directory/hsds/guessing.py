"""Give imported services without a category the categories their words read as.

A service gets guessed categories only when its taxonomy said nothing the map
knows (no terms, or terms the map does not list); a term the map sends to
``[]`` on purpose (tax preparation, recreation) is a decision, not a gap.
Services with categories are handed over too, as examples of this
directory's words. Each guess is written beside the categories, marked so a
curator can confirm it (``inferred: {confidence, strength, evidence}``);
deleting the mark confirms the categories. ``strength`` is how plainly the
words name the main category: search ranks a weak guess below sure entries.
"""

from __future__ import annotations

from typing import Any

from bot.directory.hsds.assemble import OrgDoc
from bot.directory.hsds.report import GUESSED, ImportReport
from bot.directory.inference import Categorizer, ServiceText

UNGUESSED = "services without a category"


def _text(service: dict[str, Any], org: dict[str, Any]) -> ServiceText:
    keywords = list(service.get("keywords") or [])
    keywords += [t["name"] for t in service.get("taxonomy_terms") or [] if t.get("name")]
    return ServiceText(
        id=str(service["id"]),
        name=str(service.get("name") or ""),
        description=str(service.get("description") or ""),
        keywords=tuple(keywords),
        eligibility=str(service.get("eligibility_description") or ""),
        organization_id=str(org["id"]),
        organization_name=str(org.get("name") or ""),
        organization_description=str(org.get("description") or ""),
        known=tuple(service.get("categories") or ()),
    )


def add_guesses(
    docs: list[OrgDoc], settled: set[str], categorizer: Categorizer, report: ImportReport
) -> int:
    """Guess the categories of every open service in ``docs``; returns how many got some."""
    texts: list[ServiceText] = []
    by_id: dict[str, dict[str, Any]] = {}
    for doc in docs:
        for service in doc.data.get("services", []):
            if service["categories"] or str(service["id"]) not in settled:
                texts.append(_text(service, doc.data))
                by_id[str(service["id"])] = service
    if not any(not t.known for t in texts):
        return 0
    guesses = categorizer.guess(texts)
    for service_id, guess in guesses.items():
        service = by_id.get(service_id)
        if service is None or service["categories"] or not guess.categories:
            continue
        service["categories"] = list(guess.categories)
        marked = {
            "confidence": guess.confidence,
            "strength": guess.strength,
            "evidence": list(guess.evidence),
        }
        keys = list(service)
        at = keys.index("categories") + 1
        items = list(service.items())
        items.insert(at, ("inferred", {k: v for k, v in marked.items() if v or k != "evidence"}))
        service.clear()
        service.update(items)
        report.imported[GUESSED] += 1
        report.imported[UNGUESSED] -= 1
    return report.imported[GUESSED]
