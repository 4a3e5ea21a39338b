"""spans_from_json_values against pydantic: the same spans from the same JSON, or refusal where pydantic (or the
span's own rule, or the fit to the text and label set) refuses."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, TypeAdapter, ValidationError
from pydantic_core import from_json

from annotator.model.span import JSON_VALUE_FIELDS, Span, SpanFields, spans_from_fields, spans_from_json_values

TEXT = "Ab 👩‍💻 c\r\nd"
NAMES = frozenset({"actor", "claim"})
ADAPTER: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(
    list[SpanFields],  # type: ignore[arg-type]
    config=ConfigDict(cache_strings="keys"),
)

# Each field's values: valid ones and the near misses pydantic's strict JSON mode refuses.
ANY_WRONG = [None, [], {}, 1.5, True]
VALUES: dict[str, list[Any]] = {
    "id": ["s1", "", 7, *ANY_WRONG],
    "start": [0, 1, 3, -1, 2.0, "1", False, 10**30],
    "end": [1, 2, 4, len(TEXT), len(TEXT) + 1, 4.0, True, 10**30],
    "label": ["actor", "claim", "warning", "", 1, ["actor"], {}],
    "text": ["A", "Ab", "b", TEXT[3:4], None, 1],
    "note": ["", "a note\nline", None, 0],
    "uncertain": [False, True, 0, 1, "true", None],
    "origin": ["manual", "suggestion", "suggestion-edited", "other", None, ["manual"]],
    "suggester": ["", "string-match", None, 1],
    "score": [None, 0, 1, 0.5, 1.0, 0.0, 2, -0.1, 1.01, True, "0.5", 10**30],
    "attributes": [{}, {"quote": "direct"}, {"negated": True}, {"x": 1}, {"x": None}, [], None, {"x": [1]}],
    "entity": ["", "e1", None, 3],
}


def _pydantic(data: bytes) -> list[dict[str, Any]] | None:
    """The span dicts pydantic's validation and Span's rule and the fit to TEXT and NAMES leave, or ``None``."""
    try:
        items = ADAPTER.validate_json(data, strict=True)
    except ValidationError:
        return None
    if spans_from_fields(items) is None:
        return None
    for fields in items:
        if (
            fields["end"] > len(TEXT)
            or fields["label"] not in NAMES
            or TEXT[fields["start"] : fields["end"]] != (fields["text"])
        ):
            return None
    return items


ACCEPTED: list[int] = []  # (how many examples were valid: the test would be weak with too few)


def _typed(fields: dict[str, Any]) -> list[tuple[str, type, Any]]:
    return [(name, type(value), value) for name, value in fields.items()]


def test_the_fields_checked_are_the_span_fields_in_order() -> None:
    assert tuple(Span.model_fields) == JSON_VALUE_FIELDS


REQUIRED = ("id", "start", "end", "label", "text")
# The required fields of a span that fits TEXT, or any of their values.
FITS = [{"start": 0, "end": 2, "text": "Ab"}, {"start": 3, "end": 4, "text": TEXT[3:4]}]
spans = st.fixed_dictionaries(
    {name: st.sampled_from(VALUES[name]) for name in REQUIRED},
    optional={
        **{name: st.sampled_from(values) for name, values in VALUES.items() if name not in REQUIRED},
        "extra": st.just(1),
    },
)


# A span that fits, with one more field of any value (most such are valid, or refused by that field alone).
one_more = st.builds(
    lambda fit, name, data: {"id": "s", "label": "actor", **fit, name: data.draw(st.sampled_from(VALUES[name]))},
    st.sampled_from(FITS),
    st.sampled_from([name for name in VALUES if name not in REQUIRED]),
    st.data(),
)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(spans | one_more, st.sampled_from([None, *FITS])), min_size=1, max_size=3), st.booleans())
def test_the_same_spans_as_pydantic_or_refused(drawn: list[tuple[dict[str, Any], Any]], drop_required: bool) -> None:
    items = [{**span, "id": "s", "label": "actor", **fit} if fit else span for span, fit in drawn]
    if drop_required:
        del items[0]["id"]
    data = json.dumps(items).encode()
    expected = _pydantic(data)
    built = spans_from_json_values(from_json(data, allow_inf_nan=False), TEXT, NAMES)
    if expected is None:
        assert built is None
        return
    ACCEPTED.append(len(expected))
    assert built is not None
    made, plain = built
    assert [_typed(span.__dict__) for span in made] == [_typed(fields) for fields in expected]
    assert plain == all(
        f["origin"] == "manual" and not f["attributes"] and not f["entity"] and not f["suggester"] for f in expected
    )
    for span in made:  # a model as pydantic makes it: equal, hashable, frozen
        assert span == Span.model_validate(span.__dict__)
        hash(span)


def test_a_valid_span_among_many_is_taken_whole() -> None:
    items = [
        {"id": f"s{i}", "start": 0, "end": 2, "label": "actor", "text": "Ab", "note": "n", "uncertain": True}
        for i in range(5)
    ]
    items.append(
        {
            "id": "x",
            "start": 3,
            "end": 4,
            "label": "claim",
            "text": TEXT[3:4],
            "origin": "suggestion",
            "suggester": "m",
            "score": 1,
            "attributes": {"quote": "direct"},
            "entity": "e1",
        }
    )
    data = json.dumps(items).encode()
    built = spans_from_json_values(from_json(data), TEXT, NAMES, 2, 6)
    assert built is not None
    assert [s.id for s in built[0]] == ["s2", "s3", "s4", "x"]
    assert built[0][-1].score == 1.0 and type(built[0][-1].score) is float
    assert built[1] is False
    expected = _pydantic(data)
    assert expected is not None
    assert [_typed(s.__dict__) for s in built[0]] == [_typed(f) for f in expected[2:]]


def test_many_examples_were_valid() -> None:  # run after the test above (pytest keeps a module's order)
    assert len(ACCEPTED) >= 20
