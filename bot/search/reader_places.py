"""Training copies of the corpus's texts with a town named, so that a town tips nothing.

A place says where, never what. But the reader learns from letter groups, and a town
it never saw ("bed tonight fresno", "looking for warehouse work in perris") shares them
with words of chatter: such texts were read as chatter by the reader and silenced by
the decider. The final fit (``reader_train.train``) also learns one copy of each corpus
text with a US town after it ("... in Perris", "... en Perris"), towns alike for needs
and chatter, so a town's letters weigh nothing either way. The towns come from the
zipcodes package at training time only; a town that shares a word with the vocabulary
or the situation files ("Weed", "Needles", "Industry") is left out, so that what those
words say is not unlearned. In the cross-validation whose readings teach the decider, a
copy is learned only in the folds that learn its text (``linear_train.cross_validated``):
a text read by a model that learned its copy would read surer than it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.search.reading_corpus import Labelled
from bot.search.text import words


def place_copies(texts: Iterable[Labelled], known: set[str], towns: list[str]) -> list[Labelled]:
    """One copy of each text with a town after it (every text its own town, in turn)."""
    usable = [t for t in towns if not set(t.split()) & known]
    if not usable:
        return []
    out: list[Labelled] = []
    for n, text in enumerate(texts):
        town = usable[(n * 7919) % len(usable)]  # a large prime: towns spread over the texts
        joiner = "en" if text.lang == "es" else "in"
        said = f"{text.text} {town}" if n % 2 else f"{text.text} {joiner} {town}"
        out.append(Labelled(said, text.categories, text.lang))
    return out


def us_towns() -> list[str]:
    """Every US town name the zipcodes package holds, folded, sorted."""
    import zipcodes

    return sorted({" ".join(words(z["city"])) for z in zipcodes._zipcodes.list_all()} - {""})
