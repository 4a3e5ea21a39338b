"""Gazetteers: TSV in and out, bad lines named, what cannot be written reported."""

from __future__ import annotations

import pytest

from annotator.io.errors import FileFault
from annotator.suggest.gazetteer import learn_gazetteer, parse_gazetteer, read_gazetteer, write_gazetteer
from annotator.suggest.string_matcher import StringMatcher
from annotator.suggest.suggestion import SuggestionContext
from annotator.suggest.vocabulary import Vocabulary


def test_a_gazetteer_is_read_with_weights_comments_and_blank_lines(tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("# who\nNed Price\tactor\n\nKremlin\tactor\t2.5\r\n", encoding="utf-8")
    entries = read_gazetteer(path)
    assert [(e.text, e.label, e.weight) for e in entries] == [("Ned Price", "actor", 1.0), ("Kremlin", "actor", 2.5)]
    vocabulary = Vocabulary()
    assert learn_gazetteer(vocabulary, entries, path.name) == 2
    text = "The Kremlin denied it."
    (suggestion,) = StringMatcher(vocabulary).suggest(text, SuggestionContext())
    assert suggestion.reason == "labeled actor 2.5 of 2.5 times (gazetteer people.tsv)"
    assert suggestion.score == round(2.5 / 3.5, 4)


def test_bad_lines_are_named_by_number(tmp_path):
    with pytest.raises(FileFault) as error:
        parse_gazetteer("ok\tactor\nno label here\nx\tactor\t-1\ny\tactor\tmany\n\tactor\n", tmp_path / "g.tsv")
    assert error.value.faults == [
        "line 2: expected text<TAB>label[<TAB>weight], found 1 field",
        "line 3: the weight must be a positive number, not '-1'",
        "line 4: the weight must be a positive number, not 'many'",
        "line 5: the text and the label must not be empty",
    ]
    assert "g.tsv" in str(error.value)


def test_a_vocabulary_written_reads_back_and_what_cannot_be_written_is_reported(tmp_path):
    vocabulary = Vocabulary()
    vocabulary.add("Ned Price", "actor")
    vocabulary.add("Ned Price", "actor")
    vocabulary.add("two\nlines", "claim")
    vocabulary.add("Beijing 🙂", "actor", 0.5)
    path = tmp_path / "out.tsv"
    assert write_gazetteer(path, vocabulary) == ["two\nlines"]
    assert [(e.text, e.label, e.weight) for e in read_gazetteer(path)] == [
        ("Beijing 🙂", "actor", 0.5),
        ("Ned Price", "actor", 2.0),
    ]
