"""Turn a texter's words into a query: place, categories, content words, language.

Order matters: ZIP codes and place names come out first (so "fruitvale" is a
place, not a typo), then unknown words are corrected, then the vocabulary's
phrases are found on the corrected words ("plase to stay" -> housing) and read
apart into needs and the texter's situation (``bot.search.reading``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.directory.fields import zip_centroid
from bot.search import pieces
from bot.search.facilities import KINDS as FACILITY_KINDS
from bot.search.facilities import is_mark
from bot.search.facilities import mark as facility_mark
from bot.search.frequency import is_common, only_common_in
from bot.search.geo import Point
from bot.search.index import SearchIndex
from bot.search.lexicon import Lexicon, plain_forms
from bot.search.reading import BREAK, clause_words, read
from bot.search.said import without_hosts, without_said
from bot.search.situations import SituationTerm, situation_stems
from bot.search.soundalike import SoundAlike
from bot.search.text import loose_stems, stem, words
from bot.search.vocabulary import Term, Vocabulary

_ZIP_RE = re.compile(r"^\d{5}$")
# Zipf 4 is ten times a million words: "died" (4.9) is meant as written, while
# "jed" (3.1) and "bert" (3.5) may be "ged" and "birth" beside a need.
EVERYDAY_ZIPF = 4.0
SHORT_PIECE = 3  # a piece this short whose typo fix is a small word may join its neighbour
_SPANISH_MARKS = re.compile(r"[ñáéíóúü¿¡]")
# How strongly a situation phrase alone counts for the chatter gate: below STRONG (0.8).
SITUATION_WEIGHT = 0.5


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
    situations: set[str] = field(default_factory=set)
    place_name: str | None = None  # the place as texters see it named ("West Oakland")
    language_clear: bool = True  # the words said the language (not the default English)
    facilities: list[str] = field(default_factory=list)  # custody places named (ids): context
    # The vocabulary phrases found with their strongest weight (a situation's: SITUATION_WEIGHT)
    matched: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    # Those of them that name a situation and no need ("on parole", a custody place's mark).
    situation_spans: list[tuple[str, ...]] = field(default_factory=list)
    letters_joined: int = 0  # letter names made one acronym ("aych eye vee": 2): words meant
    unmet: str | None = None  # the text less a need said to be met, which the reader reads
    asked: float = 0.0  # the strongest need asked for ("i need", "necesito"): the decider's
    settled: set[str] = field(default_factory=set)  # named only as had ("i have a job, but")
    told: set[str] = field(default_factory=set)  # had ("got my ID"), a need asked after it

    def keys(self, word: str) -> set[str]:
        """Index keys of a content word: its English and Spanish stems."""
        return {stem(word, "en"), stem(word, "es"), word}


class QueryParser:
    """Parses queries against one vocabulary and one index."""

    def __init__(self, vocabulary: Vocabulary, index: SearchIndex) -> None:
        self.vocabulary = vocabulary
        self.terms: dict[tuple[str, tuple[str, ...]], list[Term]] = defaultdict(list)
        # Spanish stems keep a short plural's s ("actas"): phrases are also found by singulars
        self.loose_terms: dict[tuple[str, tuple[str, ...]], list[Term]] = defaultdict(list)
        for term in vocabulary.terms:
            self.terms[(term.language, term.stems)].append(term)
            self.loose_terms[(term.language, loose_stems(term.words, term.language))].append(term)
        self.term_languages = sorted({t.language for t in vocabulary.terms})
        self.situation_terms = defaultdict[tuple[str, tuple[str, ...]], list[SituationTerm]](list)
        for mark in vocabulary.situations.terms:
            self.situation_terms[(mark.language, mark.stems)].append(mark)
        self.situation_phrases = {mark.words for mark in vocabulary.situations.terms}
        self.longest = max(
            max((len(t.stems) for t in vocabulary.terms), default=1),
            max((len(m.stems) for m in vocabulary.situations.terms), default=1),
        )
        self.stop_words: set[str] = set().union(*vocabulary.stop_words.values())
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
        self.place_names = {name: " ".join(w.capitalize() for w in name) for name in index.places}
        self.place_names.update({p.words: p.label for p in vocabulary.places if p.label})
        self.facilities = vocabulary.facilities
        self.facility_marks = {
            facility_mark(kind): [
                SituationTerm("", (facility_mark(kind),), (facility_mark(kind),), slug)
            ]
            for kind in FACILITY_KINDS
            if (slug := vocabulary.situations.for_facility(kind))
        }
        for name in self.facilities.by_words:  # a custody place is never the texter's place
            self.places.pop(name, None)
        place_words = {w for name in self.places for w in name}
        self.lexicon = Lexicon(
            {w for t in vocabulary.terms for w in t.words}
            | {w for m in vocabulary.situations.terms for w in m.words},
            vocabulary.known_words() | place_words,
            index.surface_df,
            tuple(self.term_languages),
        )
        single_terms: dict[str, set[str]] = defaultdict(set)
        for term in vocabulary.terms:
            if len(term.words) == 1:
                single_terms[term.words[0]].add(term.category)
        self.word_categories = {w: set(cats) for w, cats in single_terms.items()}
        # The languages whose terms hold each word (a sound-alike stays in the text's).
        self.term_word_languages: dict[str, set[str]] = defaultdict(set)
        for term in vocabulary.terms:
            for w in term.words:
                self.term_word_languages[w].add(term.language)
        for mark in vocabulary.situations.terms:
            for w in mark.words:
                self.term_word_languages[w].add(mark.language)
            if len(mark.words) == 1:
                single_terms[mark.words[0]].add(f"situation:{mark.situation}")
        phrases = {t.words for t in vocabulary.terms if len(t.words) > 1}
        phrases |= {m.words for m in vocabulary.situations.terms if len(m.words) > 1}
        self.sounds = SoundAlike(
            dict(single_terms),
            sorted(phrases),
            self.stop_words,
            index.sound_table,
            index.surface_df,
            self.lexicon.is_common,
            self._everyday,
        )

    def parse(self, text: str, language: str | None = None) -> ParsedQuery:
        """Parse one query; ``language`` forces the language instead of detecting it."""
        questioned = "?" in text or "\u00bf" in text
        raw, met = without_said(
            clause_words(text), self.vocabulary.situations, self.lexicon.correct, questioned
        )
        detected = language or self.detect_language(text)
        parsed = ParsedQuery(text=text, language=detected or "en", language_clear=bool(detected))
        parsed.unmet = " ".join(w for w in raw if w != BREAK) if met else None
        kept = self._take_zip(raw, parsed)
        kept = self._take_facilities(kept, parsed)
        corrected = self._take_facilities(self._correct(kept, parsed), parsed)
        corrected = self._take_place(corrected, parsed)
        reading = read(
            corrected,
            lambda seq, start: self._match_noted(seq, start, parsed),
            self.vocabulary.situations,
        )
        parsed.categories, parsed.situations = reading.categories, reading.situations
        parsed.asked, parsed.settled, parsed.told = reading.asked, reading.settled, reading.told
        unsaid = self.stop_words | self.vocabulary.situations.places_left(reading.situations)
        said = (w for w in corrected if not (w.isdigit() or w == BREAK or is_mark(w)))
        parsed.content = [w for w in said if w not in unsaid]
        parsed.groups = self._groups(without_hosts(corrected, self.vocabulary.situations))
        return parsed

    def detect_language(self, text: str) -> str | None:
        """The language a text is written in, or None when its words do not say."""
        scores = self.language_counts(text)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def language_counts(self, text: str) -> dict[str, int]:
        """Per language, the words only it owns, read after typo correction (a typo is
        not a word of the other language); a Spanish mark (n with tilde, an accent, an
        opening question mark) counts as one more Spanish word."""
        scores = dict.fromkeys(self.term_languages, 0)
        for word in self.corrected_words(text):
            owners = [lang for lang, known in self.language_words.items() if word in known]
            if len(owners) == 1:
                scores[owners[0]] += 1
        if "es" in scores and _SPANISH_MARKS.search(text.casefold()):
            scores["es"] += 1
        return scores

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

    def _take_facilities(self, seq: list[str], parsed: ParsedQuery) -> list[str]:
        """Custody places come out before places: a jail is context, never where to look.
        Each name becomes a mark of its kind, which the reading takes as the situation
        it says (``Situations.for_facility``). A one-word name that is an everyday word
        of the text's language is that word: Spanish "soledad" is loneliness."""

        def everyday(name: tuple[str, ...]) -> bool:
            return len(name) == 1 and is_common(name[0], parsed.language, EVERYDAY_ZIPF)

        kept, named = self.facilities.marked(seq, everyday)
        parsed.facilities += [f.id for f in named if f.id not in parsed.facilities]
        return kept

    def corrected_words(self, text: str) -> list[str]:
        """A text's folded words with typos corrected (custody places' names kept)."""
        return [self.lexicon.correct(w) or w for w in words(text)]

    def _correct(self, raw: list[str], parsed: ParsedQuery) -> list[str]:
        """Unknown words made known: typo correction first, then sound-alikes."""
        spoken = self.sounds.spoken_letters(raw)
        parsed.letters_joined = len(raw) - len(spoken)
        raw = spoken
        unknown = [self._unknown(w) for w in raw]
        seq = self.sounds.phrases_in(raw, unknown) if any(unknown) else list(raw)
        if len(seq) != len(raw):
            unknown = [self._unknown(w) for w in seq]
        lost = [u and self._lost(w) for w, u in zip(seq, unknown, strict=True)]
        joined = pieces.joined(self.sounds, seq, lost, self.lexicon.correct)
        if joined != seq:  # "ex pun jment", "gen ral asistance", "pay role": pieces of a word
            seq = joined
            unknown = [self._unknown(w) for w in seq]
        out: list[str] = []
        common: list[tuple[int, str]] = []  # real words the directory does not know: context
        facility_words = self.vocabulary.situations.facility_words
        terms = self.sounds.single_terms
        for n, word in enumerate(seq):
            if not unknown[n]:
                out.append(word)
            elif n + 1 < len(seq) and seq[n + 1] in facility_words:
                out.append(word)  # a name: "wasco state prison", "rikers island"
            else:
                fixed = self.lexicon.correct(word)
                if fixed in plain_forms(word) or (fixed in self.stop_words and fixed[0] == word[0]):
                    pass  # "hows" is "how's": a small word, not a sound-alike "house"
                elif fixed is None or not self.sounds.names_term(fixed):
                    if self.lexicon.is_common(word):  # "died" is never "dad"
                        common += [] if self._everyday(word) else [(len(out), word)]
                    else:
                        # a typo fix to a real word ("sumwhere": somewhere) stands unless
                        # the sound is a vocabulary word's ("fone": phone, not "one")
                        heard = self.sounds.word(word)
                        if heard is not None and (fixed is None or heard in terms):
                            fixed = heard
                else:  # "bibienda" is said as vivienda, not "bebiendo"
                    fixed = self.sounds.said_rather(word, fixed, parsed.language)
                if (
                    fixed is None
                    and not self.lexicon.is_common(word)
                    and (parts := pieces.split(self.sounds, word, self.lexicon.correct))
                ):
                    out.extend(parts)  # "foodpantree": food pantry; "sintiendo" is a word
                    continue
                out.append(fixed or word)
        for n, word in common:
            others = {w for m, w in enumerate(out) if m != n}
            context = {c for w in others for c in self.sounds.single_terms.get(w, ())}
            said = parsed.language if parsed.language_clear else None
            bent = self.sounds.word(word, context, said)
            out[n] = bent if bent is not None and self._of_language(bent, parsed) else out[n]
        return out

    def _of_language(self, word: str, parsed: ParsedQuery) -> bool:
        """Whether a real word of the text may be bent into ``word``: a term of the
        text's language, or of no language only, when the text says its language.
        "sita" in a Spanish text is not English "std" or "stay" (a misspelled word may
        still reach the other language's term: "methadoan" is "metadona")."""
        languages = self.term_word_languages.get(word)
        if not languages or parsed.language in languages or not parsed.language_clear:
            return True
        return word in self.own_words.get(parsed.language, set())

    def _unknown(self, word: str) -> bool:
        """A word neither the directory nor the vocabulary knows (a typo, a sound-alike)."""
        return not (word == BREAK or is_mark(word) or word in self.lexicon or word.isdigit())

    def _lost(self, word: str) -> bool:
        """An unknown word nothing reads: not common, no typo or sound-alike of its own."""
        if self.lexicon.is_common(word):
            return False
        if (fixed := self.lexicon.correct(word)) is not None:
            short = len(word) <= SHORT_PIECE  # a short fix into a small word: "tox" is "to"
            return short and fixed in self.stop_words and self.sounds.word(word) is None
        # a sound-alike that is only a directory word reads little ("jment": "amend")
        return self.sounds.word(word) not in self.sounds.single_terms

    def _everyday(self, word: str) -> bool:
        """A word too common to be a spelling of another ("died", "sun")."""
        return any(is_common(word, lang, EVERYDAY_ZIPF) for lang in self.term_languages)

    def _take_place(self, seq: list[str], parsed: ParsedQuery) -> list[str]:
        for length in range(min(4, len(seq)), 0, -1):
            for start in range(len(seq) - length + 1):
                name = tuple(seq[start : start + length])
                if name in self.places and not all(w in self.stop_words for w in name):
                    parsed.place = " ".join(name)
                    parsed.place_name = self.place_names.get(name, parsed.place)
                    if parsed.point is None:
                        parsed.point = self.places[name]
                    if name in self.situation_phrases:  # "santa rita": a place and a jail
                        return seq
                    return seq[:start] + seq[start + length :]
        return seq

    def _match_noted(
        self, seq: Sequence[str], start: int, parsed: ParsedQuery
    ) -> tuple[int, list[Term], list[SituationTerm]] | None:
        """``_match_at``, noting the phrase found and its strongest weight in ``parsed.matched``
        (the chatter gate, ``bot.search.need``, reads them). A situation phrase alone ("on
        parole") counts as a weak word of the vocabulary: it explains the text, names no need."""
        found = self._match_at(seq, start, parsed.language)
        if found is not None:
            length, terms, _marks = found
            weight = max((t.weight for t in terms), default=SITUATION_WEIGHT)
            span = tuple(seq[start : start + length])
            parsed.matched.append((span, weight))
            if not terms:
                parsed.situation_spans.append(span)
        return found

    def _match_at(
        self, seq: Sequence[str], start: int, language: str
    ) -> tuple[int, list[Term], list[SituationTerm]] | None:
        """The longest vocabulary phrase at ``start``: need and situation terms alike ("came
        home" beats the need word "home"); a custody place's mark is its kind's situation."""
        if is_mark(seq[start]):
            return 1, [], self.facility_marks.get(seq[start], [])
        own = self.own_words.get(language, set())
        for length in range(min(self.longest, len(seq) - start), 0, -1):
            span = tuple(seq[start : start + length])
            if length == 1 and span[0] in self.stop_words:
                continue
            found: list[Term] = []
            marks: list[SituationTerm] = []
            for lang in self.term_languages:
                stems = tuple(stem(w, lang) for w in span)
                terms: Sequence[Term] = self.terms.get((lang, stems)) or self.loose_terms.get(
                    (lang, loose_stems(span, lang)), []
                )
                numbered = situation_stems(span, lang, self.vocabulary.situations.numbers)
                situation = self.situation_terms.get((lang, numbered), ())
                if lang != language and any(
                    w in own or only_common_in(w, language, lang, EVERYDAY_ZIPF) for w in span
                ):
                    # the exact spelling only, and not one word everyday here ("los fines de")
                    alone = length == 1 and only_common_in(span[0], language, lang, EVERYDAY_ZIPF)
                    terms = [t for t in terms if t.words == span and not alone]
                    situation = [m for m in situation if m.words == span]
                found.extend(terms)
                marks.extend(situation)
            if found or marks:
                if any(t.language == language for t in found) or any(
                    m.language == language for m in marks
                ):
                    # English "soledad" is a prison, Spanish "soledad" loneliness
                    found = [t for t in found if t.language == language]
                    marks = [m for m in marks if m.language == language]
                # "hijo" (weak) and "hijos" (strong) share a stem: the exact spelling decides.
                exact = [t for t in found if t.words == span]
                found = exact or [t for t in found if not self._other_meaning(span, t)]
                if found or marks:
                    return length, found, marks
        return None

    def _other_meaning(self, span: Sequence[str], term: Term) -> bool:
        """A word of ``span`` is a vocabulary word of other categories than the term it
        shares a stem with, spelled as long (another word, not another form of it): "mi
        casa" (housing) is not "mi caso" (legal), while "deposito dinero" is "depositar
        dinero"."""
        known = self.word_categories
        return any(
            said != listed
            and len(said) == len(listed)
            and term.category not in known.get(said, {term.category})
            for said, listed in zip(span, term.words, strict=True)
        )
