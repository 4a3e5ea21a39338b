"""The attribution suggester on news patterns a newcomer found missed or mislabeled: a name set off by commas, plain
noun-phrase subjects, no score of 0, places and times after the cue, threats and harms as warnings, "as baseless"
trimmed, and pronouns resolved to the nearest person in the body rather than the headline."""

from __future__ import annotations

import pytest

from tests.suggest.test_attribution import found, sources, suggest


@pytest.mark.parametrize(
    ("text", "actor", "content"),
    [
        (
            "The opposition leader, Jonas Weber, claimed that the vote was rigged.",
            "The opposition leader",
            "the vote was rigged",
        ),
        (
            "A ministry spokeswoman, Mao Ning, said the measures were unlawful.",
            "A ministry spokeswoman",
            "the measures were unlawful",
        ),
        ("Its chairwoman, Ingrid Holm, said the plant would close.", "Its chairwoman", "the plant would close"),
        (
            "The head of the manufacturers’ association, Tom Baker, said prices would rise.",
            "The head of the manufacturers’ association",
            "prices would rise",
        ),
        ("Jonas Weber, the opposition leader, said the vote was rigged.", "Jonas Weber", "the vote was rigged"),
    ],
)
def test_a_source_with_an_apposition_set_off_by_commas_is_the_noun_phrase_before_it(text, actor, content):
    # the actor guideline: "Leave out an apposition after a comma"
    assert sources(text) == {content: [actor]}
    assert found(text)[content] == "claim"


def test_an_apposition_that_is_not_a_noun_phrase_gives_no_source():
    assert suggest("The minister, speaking on television, said the plan was ready.") == []


@pytest.mark.parametrize(
    ("text", "actor", "content"),
    [
        ("The port authority rejected the claims as baseless.", "The port authority", "the claims"),
        ("The electoral commission dismissed the complaints.", "The electoral commission", "the complaints"),
        ("Industry groups denied any wrongdoing.", "Industry groups", "any wrongdoing"),
    ],
)
def test_a_plain_noun_phrase_subject_is_found_and_the_denial_is_what_it_rejects(text, actor, content):
    assert sources(text) == {content: [actor]}
    assert found(text)[content] == "denial"
    assert all(s.score >= 0.3 for s in suggest(text))


def test_no_suggestion_ever_scores_zero():
    texts = [
        "The port authority rejected the claims as baseless.",
        "Rejecting the claims, the statement was issued late.",
        "the claims were rejected. It was rejected outright by everyone.",
        "Officials deny. Nobody denied anything.",
    ]
    for text in texts:
        assert all(s.score > 0.1 for s in suggest(text)), text


def test_a_plain_noun_phrase_needs_a_finite_cue_and_no_verb_before_it():
    assert suggest("The new rules deny farmers access to water.") == []
    assert suggest("Prices rose as traders reported heavy losses.") == []
    assert "Last week" not in " ".join(found("Last week the port authority said the port would reopen."))


def test_international_observers_warning_of_unrest_is_a_warning_with_its_source():
    text = "International observers warned that the delay could lead to unrest."
    assert sources(text) == {"the delay could lead to unrest": ["International observers"]}
    assert found(text)["the delay could lead to unrest"] == "warning"


@pytest.mark.parametrize(
    "text",
    [
        "Price warned reporters in Washington.",
        "Santos warned at a rally on Friday.",
        "Khan warned in parliament on Tuesday.",
        "The minister told parliament.",
    ],
)
def test_a_place_or_time_after_the_cue_is_not_content(text):
    assert [s for s in suggest(text) if s.label != "actor"] == []


def test_content_after_a_place_or_time_is_found_after_that():
    text = "Santos warned at a rally on Friday that the mine would poison the river."
    assert sources(text) == {"the mine would poison the river": ["Santos"]}
    assert found(text)["the mine would poison the river"] == "warning"
    text = "Khan warned in parliament that the budget was too small."
    assert sources(text) == {"the budget was too small": ["Khan"]}


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "“We will shut down every port in the country if they do not listen,” the union leader said.",
            "We will shut down every port in the country if they do not listen",
        ),
        (
            "“If we delay again, the floods will get worse,” the mayor said.",
            "If we delay again, the floods will get worse",
        ),
        ("Economists warned that the dispute could lead to unrest.", "the dispute could lead to unrest"),
        (
            "Union representative Tom Hale warned that workers would strike if any jobs were cut.",
            "workers would strike if any jobs were cut",
        ),
    ],
)
def test_a_threat_or_a_harm_foreseen_is_a_warning_whatever_the_cue(text, content):
    assert found(text)[content] == "warning"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Analysts said the deal could lead to lower prices.", "the deal could lead to lower prices"),
        ("The union said it would strike a deal with the owners.", "it would strike a deal with the owners"),
        ("Price warned that the talks could stall.", "the talks could stall"),
    ],
)
def test_no_consequence_or_threat_stays_a_claim(text, content):
    assert found(text)[content] == "claim"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The minister rejected the allegations as baseless.", "the allegations"),
        ("The minister rejected the allegations as baseless and politically motivated.", "the allegations"),
        ("Transport Minister Jonas Berg dismissed the figures as a distraction.", "the figures"),
    ],
)
def test_what_a_denial_rejects_leaves_out_its_qualification(text, content):
    assert found(text)[content] == "denial"


def test_a_denial_of_a_pronoun_is_the_cue_with_it():
    assert sources("China and Russia denied it.") == {"denied it": ["China", "Russia"]}


def test_a_pronoun_links_to_the_nearest_person_in_the_body_not_to_the_headline():
    text = (
        "Hospital chief quits after audit\n"
        'Dr. Alan Price, the hospital’s chief executive, resigned on Monday. "The audit was unfair," he said.\n'
    )
    assert sources(text) == {"The audit was unfair": ["Dr. Alan Price"]}
    assert "Hospital chief" not in found(text)


def test_he_or_she_skips_a_body_or_a_group_for_the_nearest_person():
    text = (
        "Deputy Minister Sara Lind said the report was late. The ministry said it was on time. "
        "He said the audit was unfair."
    )
    assert sources(text)["the audit was unfair"] == ["Deputy Minister Sara Lind"]


def test_a_quotation_on_the_line_after_its_speakers_sentence_is_the_same_speakers_and_not_the_next_lines():
    text = (
        "“Any attempt will be met with countermeasures,” spokeswoman Shu Jueting told reporters. “We will not sit "
        "idly by.”\nTrade Commissioner Valdis Dombrovskis said the bloc would continue the investigation.\n"
    )
    made = sources(text)
    assert made["We will not sit idly by"] == ["spokeswoman Shu Jueting"]
    assert found(text)["We will not sit idly by"] == "warning"


def test_a_headline_participle_after_a_plain_noun_phrase_is_not_a_statement():
    text = "Election result disputed\nThe opposition leader, Jonas Weber, claimed that the vote was rigged.\n"
    assert sources(text) == {"the vote was rigged": ["The opposition leader"]}
