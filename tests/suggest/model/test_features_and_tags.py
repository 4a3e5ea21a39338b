"""The model's token features and the IOB2 tags it learns from (nested and overlapping spans: the outer span kept)."""

from __future__ import annotations

from annotator.formats.tokens import tokenize
from annotator.model.span import Span
from annotator.suggest.model.features import CUE_FORMS, shape, token_features
from annotator.suggest.model.tags import spans_to_tags, tag_ranges


def span(text: str, phrase: str, label: str, number: int = 1) -> Span:
    start = text.index(phrase)
    return Span(id=f"s{number}", start=start, end=start + len(phrase), label=label, text=phrase)


def features_of(text: str, word: str) -> list[str]:
    tokens = tokenize(text)
    (index,) = [i for i, token in enumerate(tokens) if token.text == word]
    return token_features(text, tokens)[index]


def test_shapes_collapse_runs():
    assert [shape(w) for w in ("Price", "U.S.", "2024", "McCain", "😬")] == ["Xx", "X.X.", "d", "XxXx", "😬"]


def test_cue_words_come_from_the_attribution_lexicon_in_every_inflection():
    assert {"said", "denies", "warned", "threatening", "told"} <= CUE_FORMS
    assert "cue" in features_of("Price denied it.", "denied")
    assert "cue" not in features_of("Price denied it.", "Price")


def test_quotation_cue_phrase_distance_and_neighbour_features():
    text = "“We will act,” Price said, according to officials."
    inside = features_of(text, "act")
    assert "quote" in inside and "w=act" in inside and "-1|w=will" in inside and "+2|w=”" in inside
    price = features_of(text, "Price")
    assert "quote" not in price and "title" in price and "cue-dist=before-1" in price and "+1|cue" in price
    assert "cue-phrase" in features_of(text, "according") and "cue-dist=at" in features_of(text, "according")
    assert "cue-dist=before-8" in features_of(text, "We")  # "said" is 6 tokens on (5-8); no cue before "We"
    assert "cue-dist=none" in features_of("Trains ran late.", "ran")
    assert "BOS" in features_of("Trains ran late.", "Trains") and "EOS" in features_of("Trains ran late.", ".")


def test_spans_become_iob2_tags():
    text = "Ned Price said the talks failed."
    tags, left_out = spans_to_tags(
        tokenize(text),
        [span(text, "Ned Price", "actor"), span(text, "the talks failed", "claim", 2)],
        ["actor", "claim"],
    )
    assert tags == ["B-actor", "I-actor", "O", "B-claim", "I-claim", "I-claim", "O"]
    assert left_out == []


def test_a_nested_span_is_left_out_and_the_outer_span_kept():
    text = "Price warned that China would face consequences."
    outer = span(text, "China would face consequences", "warning")
    inner = span(text, "China", "actor", 2)
    tags, left_out = spans_to_tags(tokenize(text), [inner, outer], ["actor", "warning"])
    assert tags == ["O", "O", "O", "B-warning", "I-warning", "I-warning", "I-warning", "O"]
    assert left_out == [inner]


def test_of_two_crossing_spans_the_longer_is_kept_and_unlisted_labels_are_ignored():
    text = "Sullivan warned Beijing today."
    longer = span(text, "Sullivan warned Beijing", "claim")
    shorter = span(text, "Beijing today", "warning", 2)
    other = span(text, "today", "date", 3)
    tags, left_out = spans_to_tags(tokenize(text), [shorter, longer, other], ["claim", "warning"])
    assert tags == ["B-claim", "I-claim", "I-claim", "O", "O"]
    assert left_out == [shorter]


def test_tags_back_to_ranges_read_a_stray_i_as_a_start():
    tags = ["B-actor", "I-actor", "O", "I-claim", "I-claim", "B-claim", "I-actor"]
    assert tag_ranges(tags) == [(0, 1, "actor"), (3, 4, "claim"), (5, 5, "claim"), (6, 6, "actor")]
