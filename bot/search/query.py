"""Turn a texter's words into a query: place, categories, content words, language.

Order matters: ZIP codes and place names come out first (so "fruitvale" is a
place, not a typo), then unknown words are corrected, then the vocabulary's
phrases are found on the corrected words ("plase to stay" -> housing).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from bot.directory.fields import zip_centroid
from bot.search.geo import Point
from bot.search.index import SearchIndex
from bot.search.lexicon import Lexicon
from bot.search.text import stem, words
from bot.search.vocabulary import Term, Vocabulary

_ZIP_RE = re.compile(r"^\d{5}$")
_SPANISH_MARKS = re.compile(r"[ñáéíóúü¿¡]")
# People name their main need first ("id to get a job"): each later phrase
# counts a little less, which breaks ties without outvoting a stronger word.
LATER_NEED_FACTOR = 0.92


@dataclass
class ParsedQuery:
    """What a query asks for, ready for ranking."""

    text: str
    language: str
    content: list[str] = field(default_factory=list)
    categories: dict[str, float] = field(default_factory=dict)
    zip_code: str | None = None
    point: Point | None = None
    place: str | None = None
    groups: set[str] = field(default_factory=set)
    # The vocabulary phrases found, with their strongest weight (bot.search.need reads them).
    matched: list[tuple[tuple[str, ...], float]] = field(default_factory=list)

    def keys(self, word: str) -> set[str]:
        """Index keys of a content word: its English and Spanish stems."""
        return {stem(word, "en"), stem(word, "es"), word}


class QueryParser:
    """Parses queries against one vocabulary and one index."""

    def __init__(self, vocabulary: Vocabulary, index: SearchIndex) -> None:
        self.vocabulary = vocabulary
        self.terms: dict[tuple[str, tuple[str, ...]], list[Term]] = defaultdict(list)
        for term in vocabulary.terms:
            self.terms[(term.language, term.stems)].append(term)
        self.term_languages = sorted({t.language for t in vocabulary.terms})
        self.longest = max((len(t.stems) for t in vocabulary.terms), default=1)
        self.stop_words = (
            set().union(*vocabulary.stop_words.values()) if vocabulary.stop_words else set()
        )
        self.language_words = {
            lang: vocabulary.language_words(lang) for lang in self.term_languages
        }
        # Words known to be of a language (its vocabulary and the directory's text in it):
        # such a word only matches another language's terms when spelled the same, so
        # English "case" never reads as Spanish "casa" through their shared stem.
        self.own_words = {
            lang: known | index.language_words.get(lang, set())
            for lang, known in self.language_words.items()
        }
        self.places: dict[tuple[str, ...], Point] = dict(index.places)
        self.places.update({p.words: (p.latitude, p.longitude) for p in vocabulary.places})
        place_words = {w for name in self.places for w in name}
        self.lexicon = Lexicon(
            {w for t in vocabulary.terms for w in t.words},
            vocabulary.known_words() | place_words,
            index.surface_df,
            tuple(self.term_languages),
        )

    def parse(self, text: str, language: str | None = None) -> ParsedQuery:
        """Parse one query; ``language`` forces the language instead of detecting it."""
        raw = words(text)
        parsed = ParsedQuery(text=text, language=language or self._language(text, raw))
        kept = self._take_zip(raw, parsed)
        corrected = self._correct(kept, parsed)
        corrected = self._take_place(corrected, parsed)
        parsed.categories = self._categories(corrected, parsed.language, parsed.matched)
        parsed.content = [w for w in corrected if w not in self.stop_words and not w.isdigit()]
        parsed.groups = self._groups(corrected)
        return parsed

    def _language(self, text: str, raw: list[str]) -> str:
        return self.detect_language(text) or "en"

    def detect_language(self, text: str) -> str | None:
        """The language a text is written in, or None when its words do not say."""
        raw = words(text)
        scores = dict.fromkeys(self.term_languages, 0)
        for word in raw:
            owners = [lang for lang, known in self.language_words.items() if word in known]
            if len(owners) == 1:
                scores[owners[0]] += 1
        if "es" in scores and _SPANISH_MARKS.search(text.casefold()):
            scores["es"] += 1
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def _groups(self, seq: list[str]) -> set[str]:
        """Who the text is about ("my son", "veteran"): ``serves`` groups it names."""
        keys = {
            stem(w, lang) for w in seq if w not in self.stop_words for lang in self.term_languages
        }
        return {slug for slug, stems in self.vocabulary.groups.items() if keys & stems}

    def _take_zip(self, raw: list[str], parsed: ParsedQuery) -> list[str]:
        kept = []
        for word in raw:
            if _ZIP_RE.match(word) and parsed.zip_code is None and zip_centroid(word):
                parsed.zip_code, parsed.point = word, zip_centroid(word)
            else:
                kept.append(word)
        return kept

    def _correct(self, raw: list[str], parsed: ParsedQuery) -> list[str]:
        out = []
        for word in raw:
            fixed = self.lexicon.correct(word)
            if fixed is None:
                out.append(word)
            else:
                out.append(fixed)
        return out

    def _take_place(self, seq: list[str], parsed: ParsedQuery) -> list[str]:
        for length in range(min(4, len(seq)), 0, -1):
            for start in range(len(seq) - length + 1):
                name = tuple(seq[start : start + length])
                if name in self.places and not all(w in self.stop_words for w in name):
                    parsed.place = " ".join(name)
                    if parsed.point is None:
                        parsed.point = self.places[name]
                    return seq[:start] + seq[start + length :]
        return seq

    def _categories(
        self, seq: list[str], language: str, matched: list[tuple[tuple[str, ...], float]]
    ) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        start = spans = 0
        while start < len(seq):
            found = self._match_at(seq, start, language)
            if found is None:
                start += 1
                continue
            length, terms = found
            best: dict[str, float] = {}
            for term in terms:
                best[term.category] = max(best.get(term.category, 0.0), term.weight)
            matched.append((tuple(seq[start : start + length]), max(best.values())))
            for slug, weight in best.items():
                scores[slug] += weight * LATER_NEED_FACTOR**spans
            spans += 1
            start += length
        return dict(scores)

    def _match_at(self, seq: list[str], start: int, language: str) -> tuple[int, list[Term]] | None:
        """The longest vocabulary phrase starting at ``start``, with its terms."""
        for length in range(min(self.longest, len(seq) - start), 0, -1):
            span = tuple(seq[start : start + length])
            if length == 1 and span[0] in self.stop_words:
                continue
            found: list[Term] = []
            for lang in self.term_languages:
                terms = self.terms.get((lang, tuple(stem(w, lang) for w in span)), ())
                if lang != language and any(w in self.own_words.get(language, ()) for w in span):
                    terms = [t for t in terms if t.words == span]
                found.extend(terms)
            if found:
                # "hijo" (weak) and "hijos" (strong) share a stem: the exact spelling decides.
                exact = [t for t in found if t.words == span]
                return length, exact or found
        return None
