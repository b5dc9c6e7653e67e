"""The search reader: trained by `homeward directory train-reader`, scored with numpy only,
weighed beside the vocabulary (bot.search.prior), never instead of it.

Training runs on a small corpus of the real one's texts here (seconds); the
shipped reader is trained on the whole corpus by the same code.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.search import reader_train as training
from bot.search.engine import SearchEngine
from bot.search.need import NeedReading
from bot.search.prior import Blend, blend_categories, reads_need, silences
from bot.search.reader import ReaderFileError, features, read_reader
from bot.search.reader_check import check_reader
from bot.search.reading_corpus import corpus_files, read_corpus
from tests.conftest import SAMPLE_DIRECTORY

KEEP = {"none": 40, "housing": 30, "food": 30}
CORPUS = SAMPLE_DIRECTORY / "search" / "reading_corpus"
REPO = SAMPLE_DIRECTORY.parent


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose corpus is 100 texts of the real one: chatter, housing and food."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "search" / "reading_corpus").mkdir(parents=True)
    lines = ["# text\tcategories\tlang"]
    counts = dict.fromkeys(KEEP, 0)
    for path in sorted(CORPUS.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if line.startswith("#") or len(cells) != 3:
                continue
            if cells[1] in counts and counts[cells[1]] < KEEP[cells[1]]:
                counts[cells[1]] += 1
                lines.append(line)
    (folder / "search" / "reading_corpus" / "small.tsv").write_text("\n".join(lines) + "\n")
    training.save(folder, training.train(folder, say=lambda _: None))
    return folder


def test_training_writes_a_reader_with_its_corpus_digest(small_folder: Path) -> None:
    reader = read_reader(small_folder / "search" / "reader.npz")
    texts, problems, digest = read_corpus(small_folder)
    assert problems == []
    assert set(reader.classes) == {"none", "housing", "food"}
    assert reader.corpus_digest == digest
    assert reader.meta["examples"] == len(texts) == 100
    terms = training.vocabulary_texts(small_folder, {"none", "housing", "food"})
    assert reader.meta["vocabulary_terms"] == len(terms) > 20
    assert check_reader(small_folder) == []
    assert reader.meta["decider"]["classes"] == sorted(reader.classes)  # trained beside it


def test_the_reader_learns_the_vocabularys_strong_terms_of_the_corpus_classes(
    small_folder: Path,
) -> None:
    """A corpus of long needs and short chatter would teach that a short text is chatter:
    each strong term is learned as a text of its category ("homeless", "comida")."""
    terms = training.vocabulary_texts(small_folder, {"none", "housing", "food"})
    learned = {(t.text, t.label) for t in terms}
    assert {("homeless", "housing"), ("comida", "food")} <= learned
    assert {t.label for t in terms} == {"housing", "food"}  # no other class, never none
    assert ("couch", "housing") not in learned  # a weak word ("the cat is on the couch")
    reader = read_reader(small_folder / "search" / "reader.npz")
    for text in ("homeless", "albergue", "food pantry", "despensa"):
        probabilities = reader.probabilities(text)
        assert probabilities["none"] < 0.5, (text, probabilities)


def test_run_time_probabilities_equal_scikit_learns(small_folder: Path) -> None:
    """numpy over the saved arrays gives scikit-learn's probabilities (float16 weights aside)."""
    reader = read_reader(small_folder / "search" / "reader.npz")
    texts, _, _ = training.training_texts(small_folder)
    names = sorted(reader.index, key=reader.index.__getitem__)
    vectorizer, fitted = training._fit(texts, [features(t.text) for t in texts], names)
    tried = ["need a bed tonight", "food bank near me", "who won the game", "zzzz"]
    expected = fitted.predict_proba(vectorizer.transform([features(t) for t in tried]))
    for text, row in zip(tried, expected, strict=True):
        got = reader.probabilities(text)
        assert np.allclose([got[c] for c in fitted.classes_], row, atol=0.01), text


def test_a_reader_trained_on_another_corpus_or_broken_is_reported(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE_DIRECTORY / "search", tmp_path / "search")
    assert check_reader(tmp_path) == []
    with (tmp_path / "search" / "reading_corpus" / "extra.tsv").open("a") as out:
        out.write("texto nuevo de un curador\tfood\tes\n")
    reader = tmp_path / "search" / "reader.npz"
    problems = [str(p) for p in check_reader(tmp_path)]
    assert problems == [
        f"{reader}:1: corpus: was trained on another corpus: run homeward directory train-reader"
    ]
    reader.write_bytes(b"PK\x03\x04 not really")
    problems = [str(p) for p in check_reader(tmp_path)]
    assert len(problems) == 1
    assert problems[0].startswith(f"{reader}:1: (file): is not a reader")
    with pytest.raises(ReaderFileError, match="is missing"):
        read_reader(tmp_path / "none.npz")


def test_the_shipped_reader_was_trained_on_the_shipped_corpus() -> None:
    assert check_reader(SAMPLE_DIRECTORY) == []


def test_a_corpus_row_with_an_unknown_category_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "search" / "reading_corpus").mkdir(parents=True)
    bad = tmp_path / "search" / "reading_corpus" / "bad.tsv"
    bad.write_text("# text\tcategories\tlang\nneed a bed\thousing,fod\ten\nhi\tnone,food\ten\n")
    _, problems, _ = read_corpus(tmp_path)
    assert [str(p) for p in problems] == [
        f"{bad}:2: categories: 'fod' is not none or a category slug",
        f"{bad}:3: categories: none stands alone",
    ]


def test_measured_sets_are_never_in_the_corpus() -> None:
    """The holdout and the team's dev set stay measure-only: none of their texts is
    learned. The blind sets kept as measures (the fifth, a check of round 7's
    thresholds; the fourteenth, unseen) were never copied in: they share with the corpus
    only short texts that other writers wrote too ("are you a robot", "banco de
    comida": half of the fifth chatter set, a third of the ninth short needs, 4% of the
    reentry sets;
    bench/reentry_bench.py --unlearned measures without them)."""

    def texts(path: Path) -> set[str]:
        lines = path.read_text(encoding="utf-8").splitlines()
        cells = (re.sub(r"\s+", " ", line.split("\t")[0]).strip().lower() for line in lines)
        return {c for c, line in zip(cells, lines, strict=True) if c and not line.startswith("#")}

    learned: set[str] = set().union(*(texts(p) for p in corpus_files(SAMPLE_DIRECTORY)))
    data = REPO / "tests" / "data"
    holdout = texts(data / "queries.holdout.tsv")
    assert len(holdout) > 100
    assert not learned & holdout
    for name in (
        "queries.reentry5.frozen.tsv",
        "chatter.reentry5.frozen.tsv",
        "queries.reentry14.frozen.tsv",
        "queries.short14.frozen.tsv",
        "chatter.reentry14.frozen.tsv",
        "chatter.test14.frozen.tsv",
    ):
        measured = texts(data / name)
        assert len(measured) > 100, name
        shared = learned & measured  # chatter and short needs share most: "ok", "food bank"
        assert len(shared) <= len(measured) * (0.3 if "queries.reentry" in name else 0.6), name
        assert all(len(text.split()) <= 16 for text in shared), name
    shared_dev = REPO.parent / "shared" / "eval" / "queries.dev.tsv"
    if shared_dev.exists():
        assert not learned & texts(shared_dev)


def test_the_vocabulary_leads_unless_the_reader_is_sure_of_another_need() -> None:
    blend = Blend(weight=1.0, least=0.5, none_least=0.7)
    vocabulary = {"housing": 0.9, "legal": 0.3}
    unsure = blend_categories(vocabulary, {"food": 0.45, "housing": 0.4, "none": 0.15}, blend)
    assert max(unsure, key=unsure.__getitem__) == "housing"
    assert "food" not in unsure
    sure = blend_categories(vocabulary, {"jobs": 0.95, "none": 0.05}, blend)
    assert max(sure, key=sure.__getitem__) == "jobs"
    assert sure["housing"] == 0.9
    assert blend_categories(vocabulary, {"jobs": 0.95}, Blend(weight=0.0)) == vocabulary
    unread = blend_categories({}, {"food": 0.8, "none": 0.2}, blend)
    assert unread == {"food": 0.8}
    assert blend_categories({}, {"none": 0.9, "food": 0.1}, blend) == {}


def test_a_fair_reading_of_none_never_silences_a_strong_need_word(engine: SearchEngine) -> None:
    assert engine.reader is not None
    never = Blend(none_least=0.0, none_sure=2.0)  # any none but a sure one: still answered
    for text in (
        "food",
        "i need a bed",
        "securus calls cost too much",
        "necesito comida",
        "familia",
        "family services",
    ):
        parsed = engine.parser.parse(text)
        assert not silences(parsed, engine.need.read(parsed), {"none": 1.0}, never), text
    parsed = engine.parser.parse("who won the game")
    gate = NeedReading(True, "words the vocabulary does not know: left to search")
    assert silences(parsed, gate, {"none": 1.0}, never)
    assert not silences(parsed, gate, {"none": 0.3, "food": 0.7}, Blend())


def test_a_sure_reading_overrules_the_gate_either_way(engine: SearchEngine) -> None:
    blend = Blend(none_sure=0.8, need_sure=0.6)
    parsed = engine.parser.parse("food")
    heard = NeedReading(True, "the vocabulary explains every word")
    assert reads_need(parsed, heard, {"none": 0.79, "food": 0.21}, blend)
    assert not reads_need(parsed, heard, {"none": 0.8, "food": 0.2}, blend)
    parsed = engine.parser.parse("who won the game")
    missed = NeedReading(False, "everyday words, no need named")
    assert not reads_need(parsed, missed, {"none": 0.41, "food": 0.59}, blend)
    assert reads_need(parsed, missed, {"none": 0.4, "food": 0.6}, blend)


def test_short_real_needs_keep_their_answers_with_the_shipped_reader(
    engine: SearchEngine,
) -> None:
    """Texts of one or two service words; the reader learned the vocabulary's terms."""
    for text in (
        "food",
        "bed",
        "ged",
        "id",
        "homeless",
        "attorney",
        "familia",
        "documentos",
        "bus pass",
        "PTSD",
        "necesito comida",
        "securus calls cost too much",
        "jbo",  # the reader reads the typo fixed ("job"), not an unknown short word
        "i feel so heavy all the time",  # no curated phrase: the reader's category fills it
    ):
        result = engine.search(text)
        assert not result.chatter, text
        assert result.hits, text
    assert engine.search("i feel so heavy all the time").reader_only  # the reader's guess
    assert not engine.search("food").reader_only


def test_news_the_vocabulary_reads_whole_is_chatter_to_the_shipped_reader(
    engine: SearchEngine,
) -> None:
    """Everyday words that name a category ("dinner", "bus", "dormir"), asking for nothing."""
    for text in (
        "we had enchiladas for dinner last night, so good",
        "the bus was packed this morning lol",
        "ya me voy a dormir, buenas noches",
        "love you baby, see you tomorrow",
    ):
        assert engine.search(text).chatter, text


def test_the_reader_answers_where_the_vocabulary_reads_nothing(engine: SearchEngine) -> None:
    """Chatter stays chatter; needs written in words no curated phrase holds find results."""
    assert engine.search("the sunset was beautiful tonight").chatter
    reader = engine.reader
    assert reader is not None
    probabilities = reader.probabilities("im hungry and got nothing in the fridge")
    assert max(probabilities, key=probabilities.__getitem__) == "food"


def test_train_reader_command_saves_the_reader(
    small_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    folder = small_folder.parent / "cli-copy"
    shutil.copytree(small_folder, folder)
    (folder / "search" / "reader.npz").unlink()
    assert main(["directory", "train-reader", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Reader saved:" in out
    assert "100 texts" in out
    assert "not an unseen measure" in out
    assert check_reader(folder) == []
    assert main(["directory", "train-reader", str(folder / "nowhere")]) == 2


def test_answering_a_text_never_imports_scikit_learn() -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from bot.search.reader_check import load_reader\n"
        "r, _ = load_reader(Path('resources_directory'))\n"
        "p = r.probabilities('need a bed tonight')\n"
        "print(max(p, key=p.get), 'sklearn' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["housing", "False"]


def test_a_fair_reading_by_the_reader_outweighs_a_need_word_said_in_passing() -> None:
    """Round 48: the default blend adds a category the reader gives 0.6 or more, at one
    and a half times its probability. On three sets the reader never learned (the
    fifty-fourth to fifty-sixth), the old blend (0.9, once) left a need named in passing
    first ("my husband is in prison": family) where the reader read the text's need."""
    blend = Blend()
    read = blend_categories({"family": 1.0, "benefits": 0.3}, {"benefits": 0.7, "none": 0.1}, blend)
    assert max(read, key=read.__getitem__) == "benefits"
    faint = blend_categories({"family": 1.0}, {"benefits": 0.55, "none": 0.1}, blend)
    assert faint == {"family": 1.0}


def test_the_reader_never_crowds_the_vocabularys_strongest_need_out_of_the_answer() -> None:
    """Round 48: a category the reader lifts stays under 1.9 times the vocabulary's
    strongest, so both needs of "i need food and a place to stay" stay in the answer; the
    category already leading gains only from a sure reading (0.9), so "just got out"
    keeps parole help beside a bed, while a sure family reading of a collect call from
    jail still pushes out the phone plan its "cell phone" named."""
    both = blend_categories({"food": 1.0, "housing": 0.9}, {"housing": 0.95}, Blend())
    assert both["housing"] <= 1.9
    assert both["food"] / both["housing"] >= 0.5
    fair = blend_categories({"housing": 1.0, "legal": 0.8}, {"housing": 0.85}, Blend())
    assert fair == {"housing": 1.0, "legal": 0.8}
    sure = blend_categories({"family": 1.0, "benefits": 0.92}, {"family": 1.0}, Blend())
    assert sure["family"] == 2.0
    # a weak reading ("books" alone, 0.2) names no need to keep: the reader's is taken
    weak = blend_categories({"family": 0.2}, {"education": 0.95}, Blend())
    assert weak["education"] > 1.0
