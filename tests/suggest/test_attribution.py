"""The attribution suggester: cue and quotation rules, labels by content, actors and source links, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.model.span import Span
from annotator.suggest.attribution import AttributionSuggester, inflections
from annotator.suggest.registry import make_suggester
from annotator.suggest.suggestion import SuggestedLink, Suggestion, SuggestionContext, number_suggestions
from tests.conftest import trap_cases

GOLD = Path(__file__).parent.parent / "data" / "attribution"


def suggest(text: str, context: SuggestionContext | None = None) -> list[Suggestion]:
    return AttributionSuggester().suggest(text, context or SuggestionContext())


def found(text: str) -> dict[str, str]:
    """``{span text: label}`` of the suggestions."""
    return {text[s.start : s.end]: s.label for s in suggest(text)}


def sources(text: str) -> dict[str, list[str]]:
    """``{statement text: [source texts]}``."""
    made = suggest(text)
    by_id = {s.id: s for s in made}
    return {
        text[s.start : s.end]: [text[by_id[link.to_id].start : by_id[link.to_id].end] for link in s.links]
        for s in made
        if s.label != "actor"
    }


def test_inflections_of_regular_and_irregular_cues():
    assert inflections("deny") == ["deny", "denies", "denied", "denying"]
    assert inflections("stress") == ["stress", "stresses", "stressed", "stressing"]
    assert inflections("warn") == ["warn", "warns", "warned", "warning"]
    assert "told" in inflections("tell") and "said" in inflections("say")


@pytest.mark.parametrize("verb", ["said", "says", "claimed", "reported", "revealed", "added", "insisted", "stressed"])
def test_a_reporting_verb_in_any_inflection_gives_a_claim_and_its_source(verb):
    text = f"State Department spokesman Ned Price {verb} that the talks were productive."
    assert sources(text) == {"the talks were productive": ["State Department spokesman Ned Price"]}
    assert found(text)["the talks were productive"] == "claim"


def test_the_content_decides_the_label_not_the_cue():
    assert (
        found("The minister warned that any further delay would cost taxpayers millions.")[
            "any further delay would cost taxpayers millions"
        ]
        == "warning"
    )
    # the guideline's example: warned, but no consequence: a claim
    assert (
        found("U.S. officials warned allies that there were signs China might provide aid.")[
            "there were signs China might provide aid"
        ]
        == "claim"
    )
    assert (
        found("Another U.S. official said that Beijing would pay a heavy price.")["Beijing would pay a heavy price"]
        == "warning"
    )
    assert (
        found("Protest organisers denied that they had planned any violence.")["they had planned any violence"]
        == "denial"
    )
    assert found("In a statement, the company said the report was “not true”.")["the report was “not true”"] == "denial"
    # "denied" inside a warning does not make it a denial
    text = "U.S. Commerce Secretary Gina Raimondo warned that violators would be denied access to U.S. equipment."
    assert found(text)["violators would be denied access to U.S. equipment"] == "warning"


def test_a_denial_with_nothing_to_deny_is_the_cue_itself_linked_to_each_party():
    text = "The report spread quickly. It fell to China and Russia to deny."
    assert sources(text) == {"deny": ["China", "Russia"]}
    assert found(text)["deny"] == "denial"


def test_according_to_leading_and_trailing():
    text = "According to a brief statement issued by the White House, Sullivan raised the issue."
    assert sources(text) == {"Sullivan raised the issue": ["the White House"]}
    text = "The protests will resume next week, according to the organisers."
    assert sources(text) == {"The protests will resume next week": ["the organisers"]}


def test_a_medium_and_the_officials_it_cites_are_both_sources():
    text = "Foreign media reported, citing U.S. officials, that Russia had requested military assistance."
    assert sources(text) == {"Russia had requested military assistance": ["Foreign media", "U.S. officials"]}


def test_quotations_straight_and_curly_across_a_line_break_with_their_speakers():
    text = '“We will not back down,” said the minister.\n"The line is on time and\non budget," Jonas Berg said.'
    assert sources(text) == {
        "We will not back down": ["the minister"],
        "The line is on time and\non budget": ["Jonas Berg"],
    }


def test_a_quotation_split_by_its_cue_gives_two_statements_with_one_source():
    text = "“The talks were useful,” Price said, “and they will continue.”"
    assert sources(text) == {"The talks were useful": ["Price"], "and they will continue": ["Price"]}


def test_the_speakers_own_side_inside_a_quotation_leaves_only_what_was_made_clear():
    text = (
        "“We’ve made it very clear to the government in Beijing, both privately and publicly, that any action to "
        "support Russia will have consequences,” Price said."
    )
    assert sources(text) == {"any action to support Russia will have consequences": ["Price"]}
    assert found(text)["any action to support Russia will have consequences"] == "warning"


def test_a_quotation_without_a_speaker_next_to_it_is_not_a_statement():
    assert suggest("The seven-hour talks were “intense” until late.") == []


def test_a_pronoun_source_links_to_the_nearest_actor_before_it_else_is_suggested_itself():
    text = "Opposition leader Maria Keller spoke in parliament. She said the project was over budget."
    assert sources(text) == {"the project was over budget": ["Opposition leader Maria Keller"]}
    alone = suggest("She said the project was over budget.")
    pronoun = next(s for s in alone if s.label == "actor")
    assert (pronoun.start, pronoun.end) == (0, 3) and pronoun.score < 0.5


def test_a_nested_statement_gives_an_outer_claim_and_the_inner_warning():
    text = (
        "Another U.S. official said that Sullivan planned to warn China that continued support for Russia might face "
        "global isolation."
    )
    assert sources(text) == {
        "Sullivan planned to warn China that continued support for Russia might face global isolation": [
            "Another U.S. official"
        ],
        "continued support for Russia might face global isolation": ["Sullivan"],
    }
    labels = found(text)
    assert labels["continued support for Russia might face global isolation"] == "warning"
    assert labels["Sullivan planned to warn China that continued support for Russia might face global isolation"] == (
        "claim"
    )


def test_nouns_and_passives_are_not_cues():
    assert suggest("The report was published on Monday.") == []
    assert suggest("Companies would be denied access to the market.") == []


def test_ids_and_links_name_the_suggesters_own_suggestions():
    made = suggest("Ned Price said that the talks were productive.")
    assert [(s.id, s.label) for s in made] == [("a1", "actor"), ("a2", "claim")]
    assert made[1].links == (SuggestedLink("source", "a2", "a1"),)
    assert all(s.suggester == "attribution" and 0 < s.score <= 1 and s.reason for s in made)


def test_an_existing_actor_span_is_linked_not_suggested_again_and_rejections_are_kept_out():
    text = "Ned Price said that the talks were productive."
    span = Span(id="s7", start=0, end=9, label="actor", text="Ned Price")
    made = suggest(text, SuggestionContext(spans=(span,)))
    assert [(s.label, s.links) for s in made] == [("claim", (SuggestedLink("source", "a1", "s7"),))]
    claim = (20, 45, "claim")
    assert text[20:45] == "the talks were productive"
    assert [s.label for s in suggest(text, SuggestionContext(rejected=frozenset({claim})))] == ["actor"]


def test_the_registry_offers_it_and_its_factory_ignores_the_vocabulary():
    assert make_suggester("attribution").name == "attribution"


def test_numbering_keeps_links_between_suggestions_and_drops_links_to_suggestions_left_out():
    made = suggest("Ned Price said that the talks were productive.")
    numbered = number_suggestions(made, span_ids=set())
    assert numbered[1].links == (SuggestedLink("source", "g2", "g1"),)
    claim_only = number_suggestions([made[1]], span_ids=set())
    assert claim_only[0].links == ()


# -- offsets ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", trap_cases(), ids=lambda c: c["name"])
def test_every_suggestion_on_the_trap_texts_has_exact_code_point_offsets(case):
    text = case["text"]
    for wrapped in (text, f"Ned Price said that {text}.", f"“{text},” the minister said."):
        for s in suggest(wrapped):
            assert 0 <= s.start < s.end <= len(wrapped)
            piece = wrapped[s.start : s.end]
            assert piece == piece.strip() and piece  # never a space at either edge
            if s.start:  # never inside a surrogate pair or CR LF
                assert not (wrapped[s.start - 1] == "\r" and wrapped[s.start] == "\n")


def test_crlf_emoji_and_nbsp_shift_nothing():
    plain = "Ned Price said that the talks were productive. “We will respond,” the minister said."
    prefix = "🇺🇦👩🏽‍💻 e\u0301\r\n"
    varied = prefix + plain.replace("Ned Price", "Ned\u00a0Price").replace(" the talks", "\u00a0the talks")
    expected = [(s.start + len(prefix), s.end + len(prefix), s.label) for s in suggest(plain)]
    assert expected and [(s.start, s.end, s.label) for s in suggest(varied)] == expected
    crlf = "Ned Price said that\r\nthe talks were productive.\r\nRaimondo warned that they would face sanctions."
    assert sources(crlf) == {
        "the talks were productive": ["Ned Price"],
        "they would face sanctions": ["Raimondo"],
    }


# -- the gold fixtures ------------------------------------------------------------------------------------------------


def test_the_gold_fixtures_are_valid_files_with_a_source_for_every_statement_but_the_uncertain_one():
    files = sorted(GOLD.glob("*.annotations.json"))
    assert len(files) == 8
    for path in files:
        annotations = annotation_file.load(path)
        assert annotations.label_set.name == "attribution"
        with_source = {r.from_ for r in annotations.relations() if r.type == "source"}
        for span in annotations.sorted_spans():
            assert annotations.text[span.start : span.end] == span.text
            if span.label != "actor":
                assert span.id in with_source or span.uncertain, (path.name, span.text)
    sample = annotation_file.load(GOLD / "sample-article.annotations.json")
    assert sample.text == (GOLD / "sample-article.txt").read_text(encoding="utf-8")
