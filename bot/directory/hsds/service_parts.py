"""The parts of an imported service: categories and terms, phones, texts, details.

Categories come from the taxonomy map (or, for our own exports, from the
Homeward category attributes, which win). The term names are written to the
service's ``taxonomy_terms``, which search reads like keywords: a 211's
"Homeless Shelter" or "Food Pantries" are the words texters use too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.directory.hsds import values as V
from bot.directory.hsds.homeward_terms import SERVICE_LIST_EXTRAS
from bot.directory.hsds.records import RawPhone, RawService
from bot.directory.hsds.report import ImportReport
from bot.directory.hsds.taxonomy import TaxonomyMap
from bot.directory.hsds.textfix import clean_text, one_line
from bot.directory.model import CATEGORY_SLUGS, RECORDS_VALUES, SERVES_VALUES

BAD_PHONE = "phone numbers that are not phone numbers left out"
NO_LANGUAGE = "language notes that name no language left out"
BAD_DATE = "verification dates unreadable or in the future left out"
NATIONAL_AREAS = {"united states", "nationwide", "national", "usa", "us", "u.s.", "u.s.a."}
ENGLISH_TEXTS = ("eligibility_description", "fees_description", "application_process", "notes")


def _first(values: list[str] | None) -> str:
    return values[0] if values else ""


class ServiceParts:
    """Reads the parts of services, counting repairs in the shared report."""

    def __init__(self, taxonomy: TaxonomyMap, report: ImportReport, today: dt.date) -> None:
        self.taxonomy = taxonomy
        self.report = report
        self.today = today

    def classify(self, service: RawService) -> dict[str, Any]:
        """categories and taxonomy_terms."""
        explicit = [c for c in dict.fromkeys(service.categories) if c in CATEGORY_SLUGS]
        categories = (
            explicit if service.categories else list(self.taxonomy.categories(service.terms))
        )
        terms = []
        for term in service.terms:
            name, _ = one_line(term.name)
            entry = {k: v for k, v in (("code", term.code.strip()), ("name", name)) if v}
            if term.taxonomy.strip():
                entry["taxonomy"] = " ".join(term.taxonomy.split())
            if name and entry not in terms:
                terms.append(entry)
        return {"categories": categories, "taxonomy_terms": terms}

    def taxonomy_knows(self, service: RawService) -> bool:
        """Whether the map knows one of the service's terms (even as "no category")."""
        if service.categories:
            return True
        return any(self.taxonomy.term_categories(term) is not None for term in service.terms)

    def phones(self, raws: list[RawPhone], record: str) -> list[dict[str, str]]:
        """Phones the validator accepts; others are counted and left out."""
        out: list[dict[str, str]] = []
        for raw in raws:
            number, note, fix = V.clean_phone(raw.number, raw.extension)
            if number is None:
                if raw.number.strip():
                    self.report.repaired(BAD_PHONE, record)
                continue
            if fix:
                self.report.repaired(fix, record)
            entry = {"number": number, "type": V.phone_type(raw.type)}
            description = ", ".join(p for p in (one_line(raw.description)[0], note) if p)
            if description:
                entry["description"] = description
            if entry not in out:
                out.append(entry)
                self.report.imported["phones"] += 1
        return out

    def url(self, value: str, record: str) -> str:
        """A web address with its scheme."""
        url, fix = V.clean_url(value)
        if fix:
            self.report.repaired(fix, record)
        return url

    def texts(self, service: RawService, record: str, hours_notes: list[str]) -> dict[str, Any]:
        """The free-text fields, English and (from our own exports) Spanish."""
        out: dict[str, Any] = {}
        extras = service.extras
        out["description_es"] = self._text(_first(extras.get("description_es")), record)
        raw = dict(service.texts)
        if hours_notes and "hours_notes" not in extras:
            raw["hours_notes"] = "\n".join(hours_notes)
        for name in ("hours_notes", *ENGLISH_TEXTS):
            value = _first(extras.get(name)) or raw.get(name, "")
            out[name] = self._text(value, record)
            out[f"{name}_es"] = self._text(_first(extras.get(f"{name}_es")), record)
        return out

    def details(self, service: RawService, record: str) -> dict[str, Any]:
        """Languages, who is served, records, documents, keywords, area, last check."""
        extras = service.extras
        out: dict[str, Any] = {"languages": self._languages(service.languages, record)}
        records = _first(extras.get("accepts_records"))
        if records not in RECORDS_VALUES:
            records = "yes" if self.taxonomy.accepts_records(service.terms) else ""
        out["accepts_records"] = records
        if "serves" in extras:
            out["serves"] = [g for g in dict.fromkeys(extras["serves"]) if g in SERVES_VALUES]
        else:
            out["serves"] = list(self.taxonomy.serves(service.terms))
        out["what_to_bring"] = self._items(service.documents, record)
        for key in SERVICE_LIST_EXTRAS:
            if key != "serves":
                out[key] = self._items(extras.get(key, []), record)
        area = _first(extras.get("service_area"))
        if area not in ("local", "national"):
            national = any(one_line(a)[0].lower() in NATIONAL_AREAS for a in service.areas)
            area = "national" if national else ""
        out["service_area"] = area
        out["assured_date"] = None
        if service.assured_date.strip():
            out["assured_date"] = V.parse_date(service.assured_date, self.today)
            if out["assured_date"] is None:
                self.report.repaired(BAD_DATE, record)
        return out

    def _languages(self, values: list[str], record: str) -> list[str]:
        codes: list[str] = []
        for value in values:
            text, _ = clean_text(value)
            found = False
            for part in text.replace(";", ",").replace("/", ",").replace("\n", ",").split(","):
                for piece in part.split(" and "):
                    code = self.taxonomy.language(piece.strip()) if piece.strip() else None
                    if code:
                        found = True
                        if code not in codes:
                            codes.append(code)
            if not found and text:
                self.report.repaired(NO_LANGUAGE, record)
        return codes

    def _items(self, values: list[str], record: str) -> list[str]:
        out = []
        for value in values:
            text = self._text(value, record, line=True)
            if text and text not in out:
                out.append(text)
        return out

    def _text(self, value: str, record: str, *, line: bool = False) -> str:
        text, repairs = one_line(value) if line else clean_text(value)
        for repair in repairs:
            self.report.repaired(repair, record)
        return text
