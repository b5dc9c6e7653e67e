"""The compact files that spare every worker a slow first lookup say what their sources say."""

from __future__ import annotations

import pytest

from bot.directory.fields import zip_centroid, zip_timezone
from bot.directory.zipdata import from_package, zip_point, zip_points
from bot.search.frequency import (
    LANGUAGES,
    _common_words,
    common_from_wordfreq,
    is_common,
    zipf,
)
from bot.search.text import fold, words
from bot.settings import REPO_ROOT

REGENERATE = "regenerate with `.venv/bin/python -m {}` and commit the file"


def test_the_zip_file_holds_every_zip_the_package_knows_with_the_same_fields() -> None:
    assert zip_points() == from_package(), REGENERATE.format("bot.directory.zipdata")


def test_the_zip_file_is_in_code_order_so_a_lookup_finds_every_zip_in_it() -> None:
    table = zip_points()
    assert list(table) == sorted(table), REGENERATE.format("bot.directory.zipdata")
    assert all(zip_point(code) == point for code, point in table.items())
    for missing in ("00000", "00500", "94600", "99999", "9460", "946071"):
        assert zip_point(missing) is None, missing


def test_zip_lookups_answer_as_the_package_does() -> None:
    import zipcodes

    for code in ("94607", "94601-1234", "33157", "00501", "99950", "00000", "9460", "abcde"):
        found = zipcodes.matching(code[:5]) if code[:5].isdigit() and len(code) >= 5 else []
        expected = (float(found[0]["lat"]), float(found[0]["long"])) if found else None
        assert zip_centroid(code) == expected, code
        assert zip_timezone(code) == (found[0]["timezone"] if found else None), code


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_common_words_file_is_what_wordfreq_lists(language: str) -> None:
    assert _common_words()[language] == common_from_wordfreq(language), REGENERATE.format(
        "bot.search.frequency"
    )


def _texts_seen() -> set[str]:
    """Every word of the sample directory, the query sets and the crisis sets."""
    found: set[str] = set()
    folders = [REPO_ROOT / "resources_directory", REPO_ROOT / "tests" / "data"]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in (".yaml", ".tsv", ".txt"):
                found.update(words(path.read_text(encoding="utf-8")))
    return found


def _accented(language: str) -> dict[str, float]:
    """Folded spelling -> the highest Zipf frequency of the words that fold to it
    ("ninos": that of "niños"), from wordfreq's own list."""
    from wordfreq import iter_wordlist

    found: dict[str, float] = {}
    for word in iter_wordlist(language):
        value = zipf(word, language)
        if value < 2.5:
            break
        folded = fold(word)
        if folded != word:
            found[folded] = max(found.get(folded, 0.0), value)
    return found


def test_is_common_agrees_with_wordfreq_on_every_word_of_our_texts() -> None:
    tokens = sorted(_texts_seen() | {"24", "5th", "1st", "don't", "Time", "AQUI", "niño"})
    assert len(tokens) > 3000
    for language in LANGUAGES:
        accented = _accented(language)
        for token in tokens:
            # texters drop accents: "ninos" is as common as "niños"
            value = max(zipf(token, language), accented.get(fold(token), 0.0))
            if not token.isalpha():
                value = zipf(token, language)
            for threshold in (3.0, 5.0):
                assert is_common(token, language, threshold) == (value >= threshold), (
                    token,
                    language,
                    threshold,
                )


def test_a_word_written_without_its_accents_is_as_common_as_with_them() -> None:
    assert is_common("ninos", "es", 5.0)  # niños
    assert is_common("comio", "es", 3.0)  # comió
    assert not is_common("comio", "en", 3.0)


def test_is_common_refuses_a_threshold_the_file_cannot_answer() -> None:
    with pytest.raises(ValueError, match=r"down to 3\.0"):
        is_common("food", "en", 2.0)
