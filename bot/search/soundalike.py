"""Sound-alike matching: the last step before a word is left unknown.

Typo correction (``bot.search.lexicon``) tries first; only a word it could not
bring to a vocabulary word comes here, and it is matched by phonetic key
(``bot.search.sounds``) to the word meant: "resumay" -> "resume", "klinika" ->
"clinica", "salvashun" -> "salvation". Two passes:

1. Phrases: a run of words that sounds like a vocabulary phrase takes its
   words ("stait aydee" -> "state id", "bert sertifikit" -> "birth
   certificate"), even where one of them is a real word ("bert"), when one
   word holds it: the phrase's own word, or a rare spelling close to it.
2. Words: an unknown word whose key is that of a one-word vocabulary term (any
   language) or, for longer words, of a word of the directory. A common word
   ("jed", "git") is bent only when another word of the text names the same
   category ("jed clas": class, education, so GED).

Guards keep chatter unanswered: keys of two sounds or more, words of four
letters or more (five for the directory's words), a spelling at least half the
same ("qwerty" is not "court"; nearer still for the directory's words), the
nearest spelling among several candidates, and nothing when that nearest is a
stop word ("tonite" is "tonight", which asks for nothing).

The directory's words and their keys are computed when the index is built and saved
with it (``encode_table``): a worker reads the table when a word first needs it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import product

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import DamerauLevenshtein, Indel, Levenshtein

from bot.search.sounds import LETTER_ALTERNATES, LETTER_NAMES, respelled, sound_keys

MIN_LENGTH = 3  # a common word bent by its context ("jed clas")
MIN_WORD = 4  # any other word alone ("wyd" is chat, not "weed")
MIN_INDEX_LENGTH = 5  # a directory word is a sound-alike target only for longer words
MIN_INDEX_SIMILARITY = 0.6
MIN_SIMILARITY = 0.5  # a one-word match is spelled at least half the same ("qwerty" != "court")
MIN_NEAR_KEY = 6  # a key this long may lose one sound and still name its word
MIN_RESPELLED = 0.7  # or nearer still once by-ear spellings are undone ("rezoomay": resume)
MIN_JOINED = 6  # letters of a word two pieces make ("ex punjment"), or of one to cut in two
MAX_PHRASE = 4
MAX_LETTERS = 5  # "es es dee eye"
LONGEST_NAME = max(len(name) for name in LETTER_NAMES)
_SCHEMES = {"en": "e:", "es": "s:"}  # the keys of each language (bot.search.sounds)
FORM_PREFIX = 4  # letters two forms of one word share ("empece", "empezo")
_VOWELS = frozenset("aeiouy")
MAX_ACRONYM = 3  # letters of a vowelless word read as an acronym only


def encode_table(words: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Each key with the words that have it, as bytes ("key\\tw1 w2\\n" lines) for
    the saved index: mapped with the other arrays, read only when needed."""
    table: dict[str, set[str]] = defaultdict(set)
    for word in words:
        if len(word) >= MIN_INDEX_LENGTH and word.isalpha():
            for key in sound_keys(word):
                table[key].add(word)
    text = "".join(f"{key}\t{' '.join(sorted(table[key]))}\n" for key in sorted(table))
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def decode_table(blob: npt.NDArray[np.uint8]) -> dict[str, tuple[str, ...]]:
    """The table ``encode_table`` wrote."""
    out: dict[str, tuple[str, ...]] = {}
    for line in blob.tobytes().decode("utf-8").splitlines():
        key, _, found = line.partition("\t")
        out[key] = tuple(found.split())
    return out


class SoundAlike:
    """Finds the vocabulary word or phrase, or the directory word, a spelling sounds like."""

    def __init__(
        self,
        single_terms: dict[str, set[str]],
        phrases: Iterable[tuple[str, ...]],
        stop_words: set[str],
        index_table: npt.NDArray[np.uint8],
        frequency: Counter[str],
        is_common: Callable[[str], bool],
        everyday: Callable[[str], bool] | None = None,
    ) -> None:
        """``single_terms`` maps each one-word term to its categories (situations
        count as categories here); ``phrases`` are the multi-word terms. Keys are
        computed the first time a text needs them, so start-up stays as it was."""
        self.single_terms = single_terms
        self.phrase_list = [p for p in phrases if 2 <= len(p) <= MAX_PHRASE]
        self.phrases = {p for p in self.phrase_list if len(p) == 2}
        self.first_words = {p[0] for p in self.phrases}
        self.phrase_words = {
            w for p in self.phrase_list for w in p if len(w) >= MIN_JOINED and w not in stop_words
        }
        self.stop_words = stop_words
        self.frequency = frequency
        self.is_common = is_common
        self.everyday = everyday or (lambda word: False)  # a word too common to bend
        self._blob = index_table
        self._index: dict[str, tuple[str, ...]] | None = None
        self._terms_by_key: dict[str, set[str]] | None = None
        self._phrases_by_key: dict[str, list[tuple[str, ...]]] | None = None
        self._loose: tuple[dict[str, list[tuple[str, set[str]]]], dict[str, set[str]]] | None = None

    def spoken_letters(self, seq: Sequence[str]) -> list[str]:
        """Letters said aloud, as the vocabulary's acronym they spell: "dee em vee" ->
        "dmv", "g e d" -> "ged". Only a whole one-word term counts, so "i see u" stays.
        A letter that is also a word before the run ("a pee tee es dee") is kept as a
        word when the run after it spells a longer term ("ptsd", not "apt")."""
        out: list[str] = []
        n = 0
        while n < len(seq):
            found = self._spelled_at(seq, n)
            later = self._spelled_at(seq, n + 1) if found is not None else None
            if found is not None and later is not None and len(later[1]) > len(found[1]):
                found = None  # a longer term starts after this word
            letter = LETTER_NAMES.get(seq[n])
            if found is None and out and letter and (out[-1], letter) in self.phrases:
                out.append(letter)  # "hep see": hep c
                n += 1
            elif found is None:
                out.append(seq[n])
                n += 1
            else:
                out.append(found[1])
                n = found[0]
        return out

    def _spelled_at(self, seq: Sequence[str], n: int) -> tuple[int, str] | None:
        """Where the longest run of two letter names or more from ``n`` that spells a
        term ends, and the term."""
        end = n
        while end < len(seq) and end - n < MAX_LETTERS and seq[end] in LETTER_NAMES:
            end += 1
        for stop in range(end, n + 1, -1):  # the longest run of two letters or more
            if len(set(seq[n:stop])) < 2:  # "ay ay": a cry
                continue
            acronym = self._acronym(seq[n:stop])
            if acronym is not None:
                return stop, acronym
        return None

    def names_term(self, word: str) -> bool:
        """A one-word term, or a long word of a phrase: a typo fixed into one stands
        ("transision" is "transicion", of "casa de transicion", not "transit")."""
        return word in self.single_terms or word in self.phrase_words

    def joined_letters(self, word: str) -> str | None:
        """The acronym that letter names written as one word spell: "esesai" (SSI),
        "dimvi" (DMV). Only names of two letters or more count, two to ``MAX_LETTERS``
        of them and not all the same, and only a whole one-word term. A word the typo
        step already fixed never comes here ("aidi" is "aid")."""
        ways: list[list[list[str]]] = [[] for _ in range(len(word) + 1)]
        ways[0] = [[]]
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - LONGEST_NAME), end - 1):
                name = word[start:end]
                if name in LETTER_NAMES and len(name) >= 2:
                    ways[end] += [[*w, name] for w in ways[start] if len(w) < MAX_LETTERS]
        for names in ways[len(word)]:
            if len(names) >= 2 and len(set(names)) >= 2:
                acronym = self._acronym(names)
                if acronym is not None:
                    return acronym
        return None

    def _acronym(self, names: Sequence[str]) -> str | None:
        """The one-word term the letter names spell, reading an ambiguous name ("i":
        English I, or E as a Spanish speaker writes it) either way."""
        choices = [
            (LETTER_NAMES[w], *([LETTER_ALTERNATES[w]] if w in LETTER_ALTERNATES else []))
            for w in names
        ]
        for letters in product(*choices):
            acronym = "".join(letters)
            if acronym in self.single_terms:
                return acronym
        return None

    def phrases_in(self, raw: Sequence[str], unknown: Sequence[bool]) -> list[str]:
        """Runs of words that sound like a vocabulary phrase, as that phrase."""
        out: list[str] = []
        n = 0
        while n < len(raw):
            phrase = self.phrase_at(raw, n, unknown)
            if phrase is None:
                out.append(raw[n])
                n += 1
            else:
                out.extend(phrase)
                n += len(phrase)
        return out

    def phrase_at(
        self, seq: Sequence[str], start: int, unknown: Sequence[bool]
    ) -> tuple[str, ...] | None:
        """The vocabulary phrase that the words from ``start`` sound like, when one of
        them is not a word the directory or the vocabulary knows."""
        by_key = self._phrases()
        for length in range(min(MAX_PHRASE, len(seq) - start), 1, -1):
            if not any(unknown[start : start + length]):
                continue
            window = tuple(seq[start : start + length])
            marks = [_marks(w) for w in window]
            for key in marks[0]:
                for phrase in by_key.get(key, ()):
                    if (
                        len(phrase) == length
                        and phrase != window
                        and all(set(marks[i]) & set(_marks(phrase[i])) for i in range(1, length))
                        and any(self._anchors(w, p) for w, p in zip(window, phrase, strict=True))
                        and all(self._bends(w, p) for w, p in zip(window, phrase, strict=True))
                    ):
                        return phrase
        return None

    def _bends(self, word: str, meant: str) -> bool:
        """A word of the text may be read as the phrase's word unless it is an everyday
        word said as meant: "my dog just ate" is not "just out"; another form of the
        same word may ("empece a tomar": "empezo a tomar")."""
        if word == meant or _acronym_only(word, meant):
            return word == meant  # "el dmb" is not "el tambo": letters are an acronym
        return word[:FORM_PREFIX] == meant[:FORM_PREFIX] or not self.everyday(word)

    def _anchors(self, word: str, meant: str) -> bool:
        """A word that holds a phrase match: the phrase's own word, or a rare spelling
        close to it. "in tokyo" is not "un techo": neither word anchors it."""
        return word == meant or (not self.is_common(word) and alike(word, meant))

    def word(
        self, word: str, context: set[str] | None = None, language: str | None = None
    ) -> str | None:
        """The word a spelling sounds like, or None.

        ``context`` is given for a common word ("jed"): the categories the rest of
        the text names; the word is then bent only into a term of one of them, and
        with ``language`` (the text's, when its words say it) only by that language's
        keys: in a Spanish text "sita" sounds like "cita", not like "sida".
        """
        if len(word) < MIN_LENGTH or not word.isalpha():
            return None
        joined = self.joined_letters(word)
        if joined is not None:
            return joined
        keys = sound_keys(word)
        if language is not None:
            keys = tuple(k for k in keys if k.startswith(_SCHEMES.get(language, k[:2])))
        by_key = self._terms()
        near = {t for key in keys for t in by_key.get(key, ()) if alike(word, t)}
        if len(word) < MIN_WORD and context is None:  # "fud" is food: spelled as said
            near = {t for t in near if respelled(t) == respelled(word)}
        if not near and context is None:  # "expunjment": one sound of a long key lost
            near = {t for t in self._near_keys(keys) if alike(word, t)}
        if not near and context is None and len(word) >= MIN_JOINED:
            # "grosherys": groceries said with sh, as many say it ("sosial", "speshal")
            loose = {_hushed(key) for key in keys if "X" in key}
            near = {t for t in self._hushed_terms(loose) if alike(word, t)} if loose else set()
        if context is not None:
            return self.nearest(
                word, {t for t in near if self.single_terms.get(t, set()) & context}
            )
        found = self.nearest(word, near)
        if found in self.stop_words:
            return None  # "tonite" is "tonight", "thanx" "thanks": chatter, not a need
        if found is not None or len(word) < MIN_INDEX_LENGTH:
            return found
        table = self._table()
        others = {
            w
            for key in keys
            for w in table.get(key, ())
            if w not in self.stop_words and _close(word, w)
        }
        return self.nearest(word, others)

    def said_rather(self, word: str, fixed: str, language: str) -> str:
        """The word a spelling sounds exactly like, not a typo fix said otherwise ("bibienda"
        is vivienda). English keys drop vowels, so there the word heard must also begin
        alike: "warent" is warrant, not "parent" (round 47)."""
        scheme = _SCHEMES.get(language)
        keys = {k for k in sound_keys(word) if scheme and k.startswith(scheme)}
        if not keys or keys & set(sound_keys(fixed)):
            return fixed
        heard = self.word(word)
        if heard is None or not keys & set(sound_keys(heard)):
            return fixed
        alike = language == "es" or heard[0] == word[0]
        return heard if alike and heard in self.single_terms else fixed

    def _near_keys(self, keys: Sequence[str]) -> set[str]:
        """Terms whose key is one sound from a long key of the word (a lost "j")."""
        long_keys = [collapsed(key) for key in keys if len(key) >= MIN_NEAR_KEY + 2]
        if not long_keys:
            return set()
        found: set[str] = set()
        by_start, _ = self._loose_keys()
        for key in long_keys:
            for near, terms in by_start.get(key[:3], ()):
                if Levenshtein.distance(near, key, score_cutoff=1) <= 1:
                    found |= terms
        return found

    def _hushed_terms(self, keys: set[str]) -> set[str]:
        """Terms whose English key is one of ``keys`` once sh is read as s."""
        _, hushed = self._loose_keys()
        return {t for key in keys for t in hushed.get(key, ())}

    def _loose_keys(
        self,
    ) -> tuple[dict[str, list[tuple[str, set[str]]]], dict[str, set[str]]]:
        """The terms' keys with repeated sounds collapsed (by their first three
        letters), and with sh read as s: computed once, the first time needed."""
        if self._loose is None:
            by_start: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
            hushed: dict[str, set[str]] = defaultdict(set)
            for other, terms in self._terms().items():
                near = collapsed(other)
                by_start[near[:3]].append((near, terms))
                hushed[_hushed(other)] |= terms
            self._loose = (dict(by_start), dict(hushed))
        return self._loose

    def nearest(self, word: str, candidates: set[str]) -> str | None:
        """The candidate spelled nearest the word (said the same first), or None."""
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda c: (
                respelled(c) != respelled(word),  # "fone" is "phone" as said, before "fine"
                DamerauLevenshtein.distance(word, c),
                c[0] != word[0],
                -self.frequency.get(c, 0),
                c,
            ),
        )

    def _table(self) -> dict[str, tuple[str, ...]]:
        if self._index is None:
            self._index = decode_table(self._blob)
        return self._index

    def _terms(self) -> dict[str, set[str]]:
        if self._terms_by_key is None:
            self._terms_by_key = defaultdict(set)
            for word in [*self.single_terms, *self.stop_words]:
                for key in sound_keys(word):
                    self._terms_by_key[key].add(word)
        return self._terms_by_key

    def _phrases(self) -> dict[str, list[tuple[str, ...]]]:
        if self._phrases_by_key is None:
            self._phrases_by_key = defaultdict(list)
            for phrase in self.phrase_list:
                for key in _marks(phrase[0]):
                    self._phrases_by_key[key].append(phrase)
        return self._phrases_by_key


def alike(word: str, other: str) -> bool:
    """Spelled at least half the same (letters in order), as written or once both are
    respelled ("rezoomay" and "resume"): for the vocabulary's words (``_acronym_only``)."""
    if _acronym_only(word, other):
        return False
    return (
        Indel.normalized_similarity(word, other) >= MIN_SIMILARITY
        or Indel.normalized_similarity(respelled(word), respelled(other)) >= MIN_RESPELLED
    )


def _acronym_only(word: str, other: str) -> bool:
    """A short vowelless word ("dmb") sounds only like another such: an acronym is not a
    word said ("tambo"); longer ones are words texted without vowels ("dctr": doctor)."""
    short = len(word) <= MAX_ACRONYM
    return short and _VOWELS.isdisjoint(word) and not _VOWELS.isdisjoint(other)


def _hushed(key: str) -> str:
    """An English key with sh (X) read as s: "grosherys" and "groceries" alike."""
    return key.replace("X", "S") if key.startswith("e:") else key


def collapsed(key: str) -> str:
    """A key with a sound said twice in a row kept once ("exspunjmint": x then s)."""
    return "".join(c for n, c in enumerate(key) if n == 0 or c != key[n - 1])


def _close(word: str, other: str) -> bool:
    """Nearer still, for the directory's many words ("extrano" is not "equestrian")."""
    return DamerauLevenshtein.normalized_similarity(word, other) >= MIN_INDEX_SIMILARITY


def _marks(word: str) -> tuple[str, ...]:
    """What a word can match in a phrase: one of its sounds, or itself when it has none."""
    return sound_keys(word) or (f"w:{word}",)
