"""Categories from a service's own words, for directories without a usable taxonomy.

Two readers agree on a service's categories:

1. The curator's vocabulary (the words texters use for each category), read
   field by field: the name counts most, then keywords and taxonomy term
   names, the organization's name, the description, eligibility, and the
   organization's description. A field's evidence saturates, so a long
   description naming "food, clothing and shelter" does not outweigh a name.
2. The directory's own words: services whose category is sure (the taxonomy
   gave it, or the vocabulary is clear) teach a naive Bayes model the words
   this publisher uses ("pantry", "VITA", "AA"); it then reads every service.

Services of one organization lean the same way (a 211 files each site of a
program as a service), so each service also hears its siblings; the
organization's own overview entry (named as the organization, beside its
programs) speaks for all of them, so its guess is a weaker one. Nothing here
is tuned to a particular directory or query set: the weights are about
fields and evidence, the words come from the vocabulary and the directory.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.directory.inference import Guess, ServiceText
from bot.search.model import NaiveBayes
from bot.search.text import stem, words
from bot.search.vocabulary import Term, Vocabulary

# How much each field says about what a service is.
FIELD_WEIGHTS = {
    "name": 3.0,
    "keywords": 2.0,
    "organization_name": 1.0,
    "description": 1.0,
    "eligibility": 0.4,
    "organization_description": 0.3,
}
SATURATION = 1.5  # a field's evidence for a category: 1 - exp(-sum / SATURATION)
VOCABULARY_PART = 0.7  # the vocabulary's part in the final reading; the model has the rest
SIBLING_PART = 0.15  # the organization's other services' part
ROUNDS = 2  # rounds of teaching the model with its own readings
KEEP_SHARE = 0.5  # a category is kept when it has this share of the main one's probability
AUDIENCE = 0.3  # "children", "veterans": in a service's text they say who it is for, not what
NONE = ""  # "no category": what a recreation club or a chamber of commerce reads as
NONE_PRIOR = 1.0  # evidence the vocabulary needs before a category outweighs "none"
TAXONOMY_NAME_WEIGHT = 1.0  # a taxonomy term name (the map's "terms") found in a service's text
MIN_CONFIDENCE = 0.15  # a guess less sure than this (main minus runner-up) is left out
# What a category needs before it is guessed: a full-weight vocabulary word in the
# name or the keywords (what the service says it is), or this much evidence over all
# fields; a description alone saturates at 1.0, so it must name the category again
# and again. The model only chooses among the categories a service's own words say:
# alone it learns the directory's habits ("business", "professional"), not needs.
MIN_EVIDENCE = 1.0
SAYS_FIELDS = ("name", "keywords")
# Vocabulary evidence that makes a guess as sure as a curated category: the name
# naming it plainly (1.5) and the description or keywords again. A guess's
# ``strength`` is its main category's evidence over this, at most 1.
STRONG_EVIDENCE = 2.0
# An organization's overview entry (named as the organization, beside the
# organization's own programs) reads the whole organization's words: what it is
# for is its programs' business, so its guess is this much as strong. Search
# then puts the organization's program of the asked kind, or another's, first.
OVERVIEW_STRENGTH = 0.5


@dataclass(frozen=True)
class Reading:
    """The vocabulary's evidence for one service: per category, and the words behind it."""

    scores: dict[str, float]
    words: dict[str, list[tuple[float, str]]]
    named: frozenset[str] = frozenset()  # categories the name or keywords say outright

    def says(self, slug: str) -> bool:
        """Whether the service's own words say enough for ``slug`` to be guessed."""
        return slug in self.named or self.scores.get(slug, 0.0) >= MIN_EVIDENCE


def taxonomy_name_terms(names: Mapping[str, Sequence[str]]) -> list[Term]:
    """The taxonomy map's term names as English phrases: a name the map sends to
    categories says them; one it sends to ``[]`` ("tax preparation") says "no
    category", evidence against every category when a service's text uses it."""
    terms = []
    for name, categories in names.items():
        found = tuple(w for w in words(name) if not w.isdigit())
        if not found:
            continue
        stems = tuple(stem(w, "en") for w in found)
        for slug in categories or (NONE,):
            terms.append(Term("en", found, stems, slug, TAXONOMY_NAME_WEIGHT))
    return terms


class TermMatcher:
    """Finds vocabulary phrases in running text, longest first."""

    def __init__(self, vocabulary: Vocabulary, extra: Sequence[Term] = ()) -> None:
        self.terms: dict[tuple[str, tuple[str, ...]], list[Term]] = defaultdict(list)
        every = [*vocabulary.terms, *extra]
        for term in every:
            self.terms[(term.language, term.stems)].append(term)
        self.languages = sorted({t.language for t in every})
        self.longest = max((len(t.stems) for t in every), default=1)
        self.stop_words = vocabulary.stop_words
        self.first_stems = {(lang, stems[0]) for lang, stems in self.terms}
        # Words naming people (the vocabulary's groups): who a service is for, not what it is.
        self.audience = set().union(*vocabulary.groups.values()) if vocabulary.groups else set()

    def language(self, tokens: list[str]) -> str:
        """The language most of a text's small words belong to."""
        counts = {
            lang: sum(t in self.stop_words.get(lang, ()) for t in tokens) for lang in self.languages
        }
        return max(counts, key=lambda lang: (counts[lang], lang == "en"), default="en")

    def names_people(self, terms: list[Term]) -> bool:
        """Whether a one-word term is a word for people ("children", "veteran")."""
        return all(len(t.stems) == 1 and t.stems[0] in self.audience for t in terms)

    def find(self, tokens: list[str], language: str) -> list[tuple[str, list[Term]]]:
        """Every phrase found, as (surface words, its terms)."""
        stops = self.stop_words.get(language, set())
        stems = {lang: [stem(w, lang) for w in tokens] for lang in self.languages}
        found = []
        start = 0
        while start < len(tokens):
            match = self._at(tokens, stems, start, language, stops)
            if match is None:
                start += 1
                continue
            length, terms = match
            found.append((" ".join(tokens[start : start + length]), terms))
            start += length
        return found

    def _at(
        self,
        tokens: list[str],
        stems: dict[str, list[str]],
        start: int,
        language: str,
        stops: set[str],
    ) -> tuple[int, list[Term]] | None:
        if not any((lang, stems[lang][start]) in self.first_stems for lang in self.languages):
            return None
        for length in range(min(self.longest, len(tokens) - start), 0, -1):
            span = tuple(tokens[start : start + length])
            if length == 1 and span[0] in stops:
                continue
            terms = list(
                self.terms.get((language, tuple(stems[language][start : start + length])), ())
            )
            for other in self.languages:
                if other != language:  # another language's term only when spelled the same
                    key = (other, tuple(stems[other][start : start + length]))
                    terms += [t for t in self.terms.get(key, ()) if t.words == span]
            if terms:
                return length, terms
        return None


class WordCategorizer:
    """Guesses categories from the vocabulary and the directory's own words."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        categories: Sequence[str],
        taxonomy_names: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """``taxonomy_names``: the taxonomy map's ``terms`` (name -> categories), read
        in services' texts beside the vocabulary; its empty entries say "no category"."""
        self.categories = tuple(categories)
        known = set(self.categories)
        names = {
            name: [slug for slug in slugs if slug in known]
            for name, slugs in (taxonomy_names or {}).items()
        }
        self.matcher = TermMatcher(vocabulary, taxonomy_name_terms(names))

    def read(self, service: ServiceText) -> Reading:
        """The vocabulary's evidence, field by field, saturating within a field."""
        fields = {
            "name": service.name,
            "keywords": "\n".join(service.keywords),
            "organization_name": service.organization_name,
            "description": service.description,
            "eligibility": service.eligibility,
            "organization_description": service.organization_description,
        }
        body = words(" ".join((service.name, service.description)))
        language = self.matcher.language(body)
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[tuple[float, str]]] = defaultdict(list)
        named: set[str] = set()
        for field, text in fields.items():
            raw: dict[str, float] = defaultdict(float)
            for lines in text.split("\n") if field == "keywords" else [text]:
                for surface, terms in self.matcher.find(words(lines), language):
                    best: dict[str, float] = {}
                    factor = AUDIENCE if self.matcher.names_people(terms) else 1.0
                    for term in terms:
                        weight = term.weight * factor
                        best[term.category] = max(best.get(term.category, 0.0), weight)
                    for slug, weight in best.items():
                        raw[slug] += weight
                        evidence[slug].append((weight * FIELD_WEIGHTS[field], surface))
            for slug, total in raw.items():
                scores[slug] += FIELD_WEIGHTS[field] * (1 - math.exp(-total / SATURATION))
                if field in SAYS_FIELDS and total >= 1.0:
                    named.add(slug)
        return Reading(dict(scores), dict(evidence), frozenset(named))

    def guess(self, services: Sequence[ServiceText]) -> Mapping[str, Guess]:
        """A guess for every service without known categories whose words say something."""
        readings = {s.id: self.read(s) for s in services}
        features = {s.id: _features(s) for s in services}
        beliefs = {s.id: self._vocabulary_belief(s, readings[s.id]) for s in services}
        for _ in range(ROUNDS):
            model = NaiveBayes((*self.categories, NONE))
            for service in services:
                model.learn(features[service.id], beliefs[service.id])
            model.finish()
            if not model.trained:
                break
            beliefs = {
                s.id: self._blend(s, readings[s.id], model.probabilities(features[s.id]))
                for s in services
            }
        siblings = _by_organization(services)
        names = {s.id: s.name for s in services}
        out: dict[str, Guess] = {}
        for service in services:
            if service.known:
                continue
            own = beliefs[service.id]
            family = [o for o in siblings[service.organization_id] if o != service.id]
            others = [beliefs[o] for o in family]
            guess = self._decide(own, others, readings[service.id])
            if guess is None:
                continue
            if _is_overview(service, [names[o] for o in family]):
                strength = round(guess.strength * OVERVIEW_STRENGTH, 2)
                guess = Guess(guess.categories, guess.confidence, guess.evidence, strength)
            out[service.id] = guess
        return out

    def _vocabulary_belief(self, service: ServiceText, reading: Reading) -> dict[str, float]:
        """A probability per category (and "none") from the known categories or the vocabulary."""
        if service.known:
            share = 1 / len(service.known)
            return {slug: share for slug in service.known}
        total = sum(reading.scores.values()) + NONE_PRIOR
        belief = {slug: score / total for slug, score in reading.scores.items()}
        belief[NONE] = (NONE_PRIOR + reading.scores.get(NONE, 0.0)) / total
        return belief

    def _blend(
        self, service: ServiceText, reading: Reading, learned: Mapping[str, float]
    ) -> dict[str, float]:
        """The vocabulary's belief and the model's together (known categories stay)."""
        vocab = self._vocabulary_belief(service, reading)
        if service.known or not learned:
            return vocab
        part = VOCABULARY_PART
        return {
            slug: part * vocab.get(slug, 0.0) + (1 - part) * learned.get(slug, 0.0)
            for slug in set(vocab) | set(learned)
        }

    def _decide(
        self, own: dict[str, float], others: list[dict[str, float]], reading: Reading
    ) -> Guess | None:
        mixed = dict(own)
        if others:
            for slug in set().union(*others):
                sibling = sum(o.get(slug, 0.0) for o in others) / len(others)
                mixed[slug] = (1 - SIBLING_PART) * mixed.get(slug, 0.0) + SIBLING_PART * sibling
        ranked = sorted(mixed.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][0] == NONE:
            return None
        nothing = mixed.get(NONE, 0.0)  # "no category" is a rival like any other
        ranked = [(slug, p) for slug, p in ranked if slug != NONE and reading.says(slug)]
        if not ranked or ranked[0][1] <= nothing:
            return None
        top = ranked[0][1]
        chosen = tuple(slug for slug, p in ranked if p >= KEEP_SHARE * top)[:3]
        runner_up = max(next((p for slug, p in ranked if slug not in chosen), 0.0), nothing)
        evidence = sorted(
            {w for slug in chosen for _, w in sorted(reading.words.get(slug, []), reverse=True)[:3]}
        )
        confidence = round(max(0.0, min(1.0, top - runner_up)), 2)
        if confidence < MIN_CONFIDENCE:
            return None
        strength = round(min(1.0, reading.scores.get(chosen[0], 0.0) / STRONG_EVIDENCE), 2)
        return Guess(chosen, confidence, tuple(evidence[:5]), strength)


def _features(service: ServiceText) -> Counter[str]:
    """Stems of the service's words, the name and keywords counted more."""
    counts: Counter[str] = Counter()
    for text, weight in (
        (service.name, 3),
        (" ".join(service.keywords), 2),
        (service.description, 1),
        (service.organization_name, 1),
    ):
        for word in words(text):
            if len(word) > 2 and not word.isdigit():
                counts[stem(word, "en")] += weight
    return counts


def _is_overview(service: ServiceText, sibling_names: Sequence[str]) -> bool:
    """Whether ``service`` is its organization's overview entry: named as the
    organization, while the organization lists other services by other names."""
    own = words(service.name)
    if not own or own != words(service.organization_name):
        return False
    return any(words(name) != own for name in sibling_names)


def _by_organization(services: Sequence[ServiceText]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for service in services:
        out[service.organization_id].append(service.id)
    return out
