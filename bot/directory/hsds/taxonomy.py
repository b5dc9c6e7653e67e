"""Taxonomy terms -> Homeward categories, groups served and "accepts records".

Everything here is read from ``resources_directory/taxonomy/hsds-map.yaml``
(or the same path in the directory folder), so a curator changes the mapping
without a release. AIRS / 211 LA codes match by their longest listed prefix;
other taxonomies (Open Eligibility, a 211's own list) match by term name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from bot.directory.hsds.records import RawTerm
from bot.directory.hsds.tabular_terms import AIRS_CODE_RE
from bot.directory.loader import parse_file
from bot.directory.model import SERVES_VALUES
from bot.directory.problems import Problem, ProblemLog
from bot.directory.yamlfile import LineDict, LineList

MAP_FILE = "taxonomy/hsds-map.yaml"


def name_key(name: str) -> str:
    """A term name as the map writes it: lowercase, no accents, "&" read as "and"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(folded.replace("&", " and ").split())


def airs_prefixes(code: str) -> list[str]:
    """A code and its shorter prefixes, longest first: BH-1800.8500, BH-1800, BH, B."""
    out = [code]
    current = code
    while True:
        cut = max(current.rfind("-"), current.rfind("."))
        if cut <= 0:
            break
        current = current[:cut]
        out.append(current)
    if len(current) > 1 and current[0].isalpha():
        out.append(current[0])
    return out


@dataclass
class TaxonomyMap:
    """The mapping file, ready to use."""

    airs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    serves_airs: dict[str, str] = field(default_factory=dict)
    serves_terms: dict[str, str] = field(default_factory=dict)
    records_airs: set[str] = field(default_factory=set)
    records_terms: set[str] = field(default_factory=set)
    languages: dict[str, str] = field(default_factory=dict)

    def term_categories(self, term: RawTerm) -> tuple[str, ...] | None:
        """The categories of one term; None when the map does not know it."""
        code = term.code.strip().upper()
        if code and AIRS_CODE_RE.match(code):
            for prefix in airs_prefixes(code):
                if prefix in self.airs:
                    return self.airs[prefix]
        for name in (term.name, *term.parents):
            found = self.terms.get(name_key(name))
            if found is not None:
                return found
        return None

    def categories(self, terms: Iterable[RawTerm]) -> tuple[str, ...]:
        """All categories of a service's terms, the one most terms name first."""
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for i, term in enumerate(terms):
            for slug in self.term_categories(term) or ():
                counts[slug] += 1
                first.setdefault(slug, i)
        return tuple(sorted(counts, key=lambda s: (-counts[s], first[s])))

    def serves(self, terms: Iterable[RawTerm]) -> tuple[str, ...]:
        """Groups a service is only for; empty when it is open to everyone."""
        groups: set[str] = set()
        for term in terms:
            code = term.code.strip().upper()
            if code and AIRS_CODE_RE.match(code):
                group = next(
                    (self.serves_airs[p] for p in airs_prefixes(code) if p in self.serves_airs),
                    None,
                )
            else:
                group = self.serves_terms.get(name_key(term.name))
            if group:
                groups.add(group)
        if "everyone" in groups or len(groups) >= 3:
            return ()
        return tuple(g for g in SERVES_VALUES if g in groups)

    def accepts_records(self, terms: Iterable[RawTerm]) -> bool:
        """True when a term says people with records are welcome (reentry programs...)."""
        for term in terms:
            code = term.code.strip().upper()
            if code and any(p in self.records_airs for p in airs_prefixes(code)):
                return True
            if name_key(term.name) in self.records_terms:
                return True
        return False

    def language(self, value: str) -> str | None:
        """A two-letter code for a language name or code ("Spanish (limited)" -> es)."""
        text = re.sub(r"\(.*?\)", " ", value).strip().lower()
        if re.fullmatch(r"[a-z]{2}", text):
            return text
        if text in self.languages:
            return self.languages[text]
        words = text.replace("-", " - ").split()
        for size in range(min(3, len(words)), 0, -1):
            name = " ".join(words[:size]).replace(" - ", "-")
            code = self.languages.get(name) or _babel_names().get(name)
            if code:
                return code
        return None


_NAMES: dict[str, str] = {}


def _babel_names() -> dict[str, str]:
    if not _NAMES:
        for code, name in Locale("en").languages.items():
            if len(code) == 2:
                _NAMES.setdefault(name.lower(), code)
    return _NAMES


def load_map(path: Path, categories: set[str]) -> tuple[TaxonomyMap, list[Problem]]:
    """Read and check the mapping file; problems say ``file:line: field: problem``."""
    problems: list[Problem] = []
    data = parse_file(path, problems)
    result = TaxonomyMap()
    if not isinstance(data, LineDict):
        if data is not None:
            problems.append(Problem(str(path), 1, "(file)", "must be a mapping"))
        return result, problems
    log = ProblemLog(path)
    result.airs = _category_table(data, "airs", categories, log, upper=True)
    result.terms = _category_table(data, "terms", categories, log, upper=False)
    serves = data.get("serves")
    if isinstance(serves, LineDict):
        result.serves_airs = _group_table(serves, "airs", log, upper=True)
        result.serves_terms = _group_table(serves, "terms", log, upper=False)
    records = data.get("accepts_records")
    if isinstance(records, LineDict):
        result.records_airs = {str(c).strip().upper() for c in records.get("airs") or []}
        result.records_terms = {name_key(str(t)) for t in records.get("terms") or []}
    languages = data.get("languages")
    if isinstance(languages, LineDict):
        result.languages = {str(k).lower(): str(v).lower() for k, v in languages.items()}
    return result, problems + log.problems


def _category_table(
    data: LineDict, key: str, categories: set[str], log: ProblemLog, *, upper: bool
) -> dict[str, tuple[str, ...]]:
    table = data.get(key)
    if table is None:
        return {}
    if not isinstance(table, LineDict):
        log.at(data, key, key, "must map codes or names to lists of categories")
        return {}
    out = {}
    for name, slugs in table.items():
        if not isinstance(slugs, LineList):
            log.at(table, name, f"{key}.{name}", "must be a list of categories ([] for none)")
            continue
        bad = [str(s) for s in slugs if str(s) not in categories]
        if bad:
            log.at(table, name, f"{key}.{name}", f"not a category: {', '.join(bad)}")
        found = tuple(str(s) for s in slugs if str(s) in categories)
        out[name.strip().upper() if upper else name_key(name)] = found
    return out


def _group_table(data: LineDict, key: str, log: ProblemLog, *, upper: bool) -> dict[str, str]:
    table = data.get(key)
    if not isinstance(table, LineDict):
        return {}
    out = {}
    for name, group in table.items():
        if str(group) not in SERVES_VALUES:
            log.at(table, name, f"serves.{key}.{name}", f"'{group}' is not one of {SERVES_VALUES}")
            continue
        out[name.strip().upper() if upper else name_key(name)] = str(group)
    return out
