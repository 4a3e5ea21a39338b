"""trusted_suggestion: the pending suggestion pydantic would make of the same fields, made without its walk."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from annotator.model.pending import PendingLink, PendingSuggestion, trusted_suggestion

FIELDS = {
    "id": "g7",
    "start": 3,
    "end": 11,
    "label": "actor",
    "text": "Sullivan",
    "score": 0.67,
    "suggester": "string-match",
    "reason": "labeled actor 2 of 2 times",
    "links": (PendingLink(type="source", from_="g8", to="g7"),),
}


def test_it_is_the_model_pydantic_makes_of_the_same_fields():
    made = trusted_suggestion(**FIELDS)
    validated = PendingSuggestion(**FIELDS)
    constructed = PendingSuggestion.model_construct(**FIELDS)
    assert type(made) is PendingSuggestion
    assert made == validated == constructed
    assert hash(made) == hash(validated)
    assert made.model_dump() == validated.model_dump()
    assert made.model_dump_json() == validated.model_dump_json()
    assert made.model_fields_set == validated.model_fields_set == set(FIELDS)
    assert made.key == (3, 11, "actor") and made.links[0].to == "g7"
    assert PendingSuggestion.model_validate_json(made.model_dump_json()) == made
    with pytest.raises(ValidationError):  # frozen, as every pending suggestion
        made.score = 0.1  # type: ignore[misc]


def test_the_defaults_are_pydantics():
    fields = {k: v for k, v in FIELDS.items() if k not in ("reason", "links")}
    assert trusted_suggestion(**fields) == PendingSuggestion(**fields)
