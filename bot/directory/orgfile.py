"""Read one organization file into model objects, noting every problem.

The checks run field by field and never stop early: a curator fixing a file
wants the whole list at once. Cross-file checks (duplicate ids, categories)
happen in ``loader``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.directory import fields as F
from bot.directory.filecheck import FieldReader
from bot.directory.model import (
    PHONE_TYPES,
    RECORDS_VALUES,
    SERVES_VALUES,
    SERVICE_AREAS,
    SERVICE_TEXT_FIELDS,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
)
from bot.directory.problems import ProblemLog
from bot.directory.yamlfile import LineDict, LineList

ORG_FIELDS = {
    "id",
    "name",
    "description",
    "description_es",
    "url",
    "email",
    "fictional",
    "phones",
    "locations",
    "services",
    "source",
}
LOCATION_FIELDS = {
    "id",
    "name",
    "address_1",
    "city",
    "state_province",
    "postal_code",
    "latitude",
    "longitude",
}
PHONE_FIELDS = {"number", "type", "description"}
# Where an imported file came from (written by `homeward directory import-hsds`).
SOURCE_FIELDS = {"format", "name", "title", "license", "organization_id", "imported", "url"}
TERM_FIELDS = {"code", "name", "taxonomy"}
# The mark of categories guessed from a service's words at import (see review.py).
INFERRED_FIELDS = {"confidence", "strength", "evidence"}
SCHEDULE_FIELDS = {"weekday", "opens_at", "closes_at"}
SERVICE_FIELDS = {
    "id",
    "name",
    "categories",
    "description",
    "description_es",
    "locations",
    "phones",
    "url",
    "email",
    "schedules",
    "languages",
    "accepts_records",
    "serves",
    "what_to_bring",
    "what_to_bring_es",
    "keywords",
    "service_area",
    "assured_date",
    "taxonomy_terms",
    "inferred",
    *SERVICE_TEXT_FIELDS,
    *(f"{name}_es" for name in SERVICE_TEXT_FIELDS),
}


@dataclass
class OrgFile:
    """What one file holds, ready for cross-file checks."""

    organization: Organization | None = None
    id_line: int = 1
    services: list[Service] = field(default_factory=list)
    locations: list[tuple[Location, int, str]] = field(default_factory=list)
    service_lines: dict[str, tuple[int, str]] = field(default_factory=dict)
    category_refs: list[tuple[str, int, str]] = field(default_factory=list)


class OrgFileReader(FieldReader):
    """Turns one parsed organization file into an OrgFile, logging problems."""

    def __init__(self, log: ProblemLog, today: dt.date, source_file: str) -> None:
        super().__init__(log)
        self.today = today
        self.source_file = source_file
        self.out = OrgFile()
        self.imported = False  # imported files (with a source) may list services without category

    def read(self, data: Any) -> OrgFile:
        """Read the whole file; problems go to the log."""
        if not isinstance(data, LineDict):
            what = "is empty" if data is None else "must be a mapping of fields"
            self.log.add(getattr(data, "line", 1), "(file)", what)
            return self.out
        self._unknown(data, ORG_FIELDS, "")
        self.out.id_line = data.lines.get("id", data.line)
        org = Organization(
            id=self._id(data, "id"),
            name=self._text(data, "name", "name", required=True),
            description=self._text(data, "description", "description"),
            description_es=self._text(data, "description_es", "description_es"),
            url=self._text(data, "url", "url"),
            email=self._text(data, "email", "email"),
            fictional=data.get("fictional") is True,
            phones=self._phones(data, "phones", "phones"),
            source_file=self.source_file,
        )
        self.imported = self._source(data)
        self.out.organization = org
        locations = self._locations(data)
        for i, item in enumerate(self._list(data, "services", "services")):
            self._service(item, f"services[{i}]", org, locations, data["services"], i)
        return self.out

    # -- parts -----------------------------------------------------------

    def _phones(self, data: LineDict, key: str, path: str) -> tuple[Phone, ...]:
        phones = []
        items = self._list(data, key, path)
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            if not isinstance(item, LineDict):
                self.log.at(items, i, where, "must be a mapping with number and type")
                continue
            self._unknown(item, PHONE_FIELDS, where + ".")
            problem = F.check_phone(item.get("number"))
            if problem:
                self.log.at(item, "number", f"{where}.number", problem)
                continue
            kind = self._choice(item, "type", f"{where}.type", PHONE_TYPES, "voice")
            desc = self._text(item, "description", f"{where}.description")
            phones.append(Phone(str(item["number"]).strip(), kind, desc))
        return tuple(phones)

    def _locations(self, data: LineDict) -> dict[str, Location]:
        found: dict[str, Location] = {}
        items = self._list(data, "locations", "locations")
        for i, item in enumerate(items):
            where = f"locations[{i}]"
            if not isinstance(item, LineDict):
                self.log.at(items, i, where, "must be a mapping")
                continue
            self._unknown(item, LOCATION_FIELDS, where + ".")
            location = self._location(item, where)
            if location.id:
                found[location.id] = location
                self.out.locations.append((location, item.line, f"{where}.id"))
        return found

    def _location(self, item: LineDict, where: str) -> Location:
        zip_code = self._text(item, "postal_code", f"{where}.postal_code")
        problem = F.check_zip(zip_code)
        if problem:
            self.log.at(item, "postal_code", f"{where}.postal_code", problem)
        lat = self._coordinate(item, "latitude", f"{where}.latitude", 90)
        lon = self._coordinate(item, "longitude", f"{where}.longitude", 180)
        if (lat is None or lon is None) and zip_code and not problem:
            lat, lon = F.zip_centroid(zip_code) or (None, None)
        return Location(
            id=self._id(item, f"{where}.id"),
            name=self._text(item, "name", f"{where}.name", required=True),
            address_1=self._text(item, "address_1", f"{where}.address_1"),
            city=self._text(item, "city", f"{where}.city"),
            state_province=self._text(item, "state_province", f"{where}.state_province"),
            postal_code=zip_code,
            latitude=lat,
            longitude=lon,
        )

    def _coordinate(self, item: LineDict, key: str, path: str, limit: float) -> float | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > limit:
            self.log.at(item, key, path, f"'{value}' is not a {key} between -{limit} and {limit}")
            return None
        return float(value)

    def _schedules(self, data: LineDict, path: str) -> tuple[Schedule, ...]:
        out = []
        items = self._list(data, "schedules", path)
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            if not isinstance(item, LineDict):
                self.log.at(items, i, where, "must be a mapping with weekday, opens_at, closes_at")
                continue
            self._unknown(item, SCHEDULE_FIELDS, where + ".")
            schedule = self._schedule(item, where)
            if schedule:
                out.append(schedule)
        return tuple(out)

    def _schedule(self, item: LineDict, where: str) -> Schedule | None:
        days, day_problem = F.parse_weekdays(item.get("weekday"))
        if day_problem:
            self.log.at(item, "weekday", f"{where}.weekday", day_problem)
        times = {}
        for key in ("opens_at", "closes_at"):
            problem = F.check_time(item.get(key))
            if problem:
                self.log.at(item, key, f"{where}.{key}", problem)
            else:
                times[key] = str(item[key]).strip()
        if len(times) == 2 and F.minutes(times["closes_at"]) <= F.minutes(times["opens_at"]):
            self.log.at(
                item,
                "closes_at",
                f"{where}.closes_at",
                f"closes at {times['closes_at']}, not after it opens at {times['opens_at']} "
                "(write overnight hours as two rows)",
            )
            return None
        if day_problem or len(times) < 2:
            return None
        return Schedule(days, times["opens_at"], times["closes_at"])

    def _service(
        self,
        item: Any,
        where: str,
        org: Organization,
        locations: dict[str, Location],
        items: LineList,
        index: int,
    ) -> None:
        if not isinstance(item, LineDict):
            self.log.at(items, index, where, "must be a mapping")
            return
        self._unknown(item, SERVICE_FIELDS, where + ".")
        service_id = self._id(item, f"{where}.id")
        categories = self._strings(item, "categories", f"{where}.categories")
        terms = self._taxonomy_terms(item, f"{where}.taxonomy_terms")
        strength = self._inferred(item, f"{where}.inferred")
        if not categories and not self.imported:
            self.log.at(item, "categories", f"{where}.categories", "needs at least one category")
        for i, slug in enumerate(categories):
            line = F.line_of_item(item, "categories", i)
            if slug in categories[:i]:
                self.log.add(line, f"{where}.categories[{i}]", f"'{slug}' is listed twice")
            self.out.category_refs.append((slug, line, f"{where}.categories[{i}]"))
        categories = tuple(dict.fromkeys(categories))
        service = Service(
            id=service_id,
            name=self._text(item, "name", f"{where}.name", required=True),
            organization=org,
            categories=categories,
            description=self._text(item, "description", f"{where}.description"),
            description_es=self._text(item, "description_es", f"{where}.description_es"),
            url=self._text(item, "url", f"{where}.url"),
            email=self._text(item, "email", f"{where}.email"),
            phones=self._phones(item, "phones", f"{where}.phones"),
            locations=self._service_locations(item, where, locations),
            schedules=self._schedules(item, f"{where}.schedules"),
            texts=self._texts(item, where),
            languages=self._languages(item, where),
            accepts_records=self._choice(
                item, "accepts_records", f"{where}.accepts_records", RECORDS_VALUES, "unknown"
            ),
            serves=self._choices(item, "serves", f"{where}.serves", SERVES_VALUES),
            what_to_bring=self._strings(item, "what_to_bring", f"{where}.what_to_bring"),
            what_to_bring_es=self._strings(item, "what_to_bring_es", f"{where}.what_to_bring_es"),
            keywords=self._strings(item, "keywords", f"{where}.keywords") + terms,
            service_area=self._choice(
                item, "service_area", f"{where}.service_area", SERVICE_AREAS, "local"
            ),
            assured_date=self._assured(item, where),
            inferred_strength=strength,
        )
        self.out.services.append(service)
        if service_id:
            self.out.service_lines[service_id] = (item.lines.get("id", item.line), f"{where}.id")

    def _source(self, data: LineDict) -> bool:
        """The optional record of where an imported file came from; True when present."""
        source = data.get("source")
        if source is None:
            return False
        if not isinstance(source, LineDict):
            self.log.at(data, "source", "source", "must be a mapping (format, name, title...)")
            return False
        self._unknown(source, SOURCE_FIELDS, "source.")
        for key, value in source.items():
            if isinstance(value, LineDict | LineList):
                self.log.at(source, key, f"source.{key}", "must be text or a date")
        return True

    def _inferred(self, item: LineDict, path: str) -> float | None:
        """``inferred: {confidence, strength, evidence}``, the mark of guessed categories.

        Returns the guess's strength (0..1; 1 when the mark gives none, as marks
        written before it existed), or None when the categories are not a guess.
        """
        mark = item.get("inferred")
        if mark is None:
            return None
        if not isinstance(mark, LineDict):
            self.log.at(item, "inferred", path, "must be a mapping (confidence, evidence)")
            return None
        self._unknown(mark, INFERRED_FIELDS, path + ".")
        for name in ("confidence", "strength"):
            value = mark.get(name)
            if name == "strength" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.log.at(mark, name, f"{path}.{name}", "must be a number from 0 to 1")
            elif not 0 <= value <= 1:
                self.log.at(mark, name, f"{path}.{name}", "must be from 0 to 1")
        self._strings(mark, "evidence", f"{path}.evidence")
        strength = mark.get("strength", 1.0)
        ok = isinstance(strength, int | float) and not isinstance(strength, bool)
        return min(1.0, max(0.0, float(strength))) if ok else None

    def _taxonomy_terms(self, item: LineDict, path: str) -> tuple[str, ...]:
        """Names of the service's taxonomy terms (text, or {code, name, taxonomy})."""
        names = []
        items = self._list(item, "taxonomy_terms", path)
        for i, term in enumerate(items):
            where = f"{path}[{i}]"
            if isinstance(term, LineDict):
                self._unknown(term, TERM_FIELDS, where + ".")
                name = self._text(term, "name", f"{where}.name", required=True)
                self._text(term, "code", f"{where}.code")
                self._text(term, "taxonomy", f"{where}.taxonomy")
            elif isinstance(term, str | int) and not isinstance(term, bool) and str(term).strip():
                name = " ".join(str(term).split())
            else:
                self.log.at(items, i, where, "must be a term name or {code, name, taxonomy}")
                continue
            if name and name not in names:
                names.append(name)
        return tuple(names)

    def _service_locations(
        self, item: LineDict, where: str, locations: dict[str, Location]
    ) -> tuple[Location, ...]:
        out = []
        refs = self._strings(item, "locations", f"{where}.locations")
        for i, ref in enumerate(refs):
            if ref in locations:
                out.append(locations[ref])
            else:
                self.log.at(
                    item["locations"],
                    i,
                    f"{where}.locations[{i}]",
                    f"no location '{ref}' in this file",
                )
        return tuple(out)

    def _texts(self, item: LineDict, where: str) -> dict[str, str]:
        texts = {}
        for name in SERVICE_TEXT_FIELDS:
            for key in (name, f"{name}_es"):
                value = self._text(item, key, f"{where}.{key}")
                if value:
                    texts[key] = value
        return texts

    def _languages(self, item: LineDict, where: str) -> tuple[str, ...]:
        codes = self._strings(item, "languages", f"{where}.languages")
        for i, code in enumerate(codes):
            if len(code) != 2 or not code.isalpha() or not code.islower():
                self.log.at(
                    item["languages"],
                    i,
                    f"{where}.languages[{i}]",
                    f"'{code}' is not a two-letter language code",
                )
        return tuple(c for c in codes if len(c) == 2)

    def _assured(self, item: LineDict, where: str) -> dt.date | None:
        value = item.get("assured_date")
        if value is None:
            return None
        problem = F.check_date(value, self.today)
        if problem:
            self.log.at(item, "assured_date", f"{where}.assured_date", problem)
            return None
        assert isinstance(value, dt.date)
        return value
