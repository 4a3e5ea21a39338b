"""The span: one labeled stretch of a document's text."""

from __future__ import annotations

from collections import deque
from functools import cache
from itertools import repeat
from operator import itemgetter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import CoreSchema, core_schema

#: Where a span came from: made by hand, accepted from a suggestion as it was, or accepted and then resized or
#: relabeled (Label Studio's ``manual`` / ``prediction`` / ``prediction-changed``).
SpanOrigin = Literal["manual", "suggestion", "suggestion-edited"]
MANUAL: SpanOrigin = "manual"


def _is_manual(origin: str) -> bool:
    return origin == "manual"


def _is_unset(value: object) -> bool:
    return value is None or value == ""


def _is_empty(value: object) -> bool:
    return not value


#: A span's or relation's attribute values by attribute name: ``True``/``False`` (bool attributes), an enum value or
#: text (str). Only values differing from the attribute's default are stored.
Attributes = dict[str, bool | str]


def attributes_hash(attributes: Attributes) -> int:
    """A hash of an attribute dict (for the frozen models holding one)."""
    return hash(frozenset(attributes.items()))


class Span(BaseModel):
    """An immutable labeled span.

    Offsets are Unicode code points into the document's exact text, half-open: ``document_text[start:end] == text``.
    ``note`` is the annotator's free-text remark (plain text, may span lines) and ``uncertain`` marks a span the
    annotator is unsure of; both are saved and shown in the span list. ``origin`` is ``"manual"`` (the default) or,
    for a span accepted from a suggestion, ``"suggestion"`` (as suggested) or ``"suggestion-edited"`` (resized or
    relabeled since), with the ``suggester``'s name and the suggestion's ``score`` in ``[0, 1]``; these three are
    serialized only for spans that are not manual, so files and journals of manual spans stay as they were.
    ``attributes`` holds the span's attribute values by name (see :class:`~annotator.model.labels.Attribute`; a
    value equal to the attribute's default is not stored) and ``entity`` the id of the entity the span is a mention of
    (``"e1"``...: spans of one entity are the same actor), ``""`` for none; both are serialized only when set.
    Whether the offsets fit a given text, and the attributes and entity the label set, is checked by
    :func:`annotator.model.annotation_set.span_faults`, since a span alone does not know its document.

    Raises
    ------
    pydantic.ValidationError
        If ``start < 0``, ``end <= start``, or a manual span has a suggester or score.
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str = Field(min_length=1)
    text: str
    note: str = ""
    uncertain: bool = False
    origin: SpanOrigin = Field(MANUAL, exclude_if=_is_manual)
    suggester: str = Field("", exclude_if=_is_unset)
    score: float | None = Field(None, ge=0.0, le=1.0, exclude_if=_is_unset)
    attributes: Attributes = Field(default_factory=dict, exclude_if=_is_empty)
    entity: str = Field("", exclude_if=_is_unset)

    def __hash__(self) -> int:
        return hash(
            (
                self.id,
                self.start,
                self.end,
                self.label,
                self.text,
                self.note,
                self.uncertain,
                self.origin,
                self.suggester,
                self.score,
                attributes_hash(self.attributes),
                self.entity,
            )
        )

    @model_validator(mode="after")
    def _check_order(self) -> Span:
        fault = _span_fault(self.__dict__)
        if fault:
            raise ValueError(fault)
        return self

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        """``(start, end, label, id)``: the order spans are saved in."""
        return (self.start, self.end, self.label, self.id)


def _span_fault(fields: dict[str, Any]) -> str | None:
    """What breaks a span's own rules in its validated ``fields`` (every field, by name), or ``None``: the one
    check of :meth:`Span._check_order` and of :func:`spans_from_fields`."""
    if fields["end"] <= fields["start"]:
        return f"start ({fields['start']}) must be less than end ({fields['end']})"
    if fields["origin"] == MANUAL and (fields["suggester"] or fields["score"] is not None):
        return "a manual span has no suggester or score (they belong to spans from suggestions)"
    return None


@cache
def span_fields_schema() -> CoreSchema:
    """The pydantic-core schema of a span's fields as a plain dict: :class:`Span`'s own field schema (types,
    constraints, defaults filled in, unknown keys refused), without building a model per span and without its
    cross-field check (see :func:`spans_from_fields`). Annotate a field with :class:`SpanFields` to use it."""
    inner = Span.__pydantic_core_schema__
    while inner["type"] != "model-fields":  # function-after (the cross-field check) -> model -> model-fields
        inner = inner["schema"]
    fields = {
        name: core_schema.typed_dict_field(field["schema"], required=field["schema"]["type"] != "default")
        for name, field in inner["fields"].items()
    }
    return core_schema.typed_dict_schema(fields, extra_behavior="forbid", strict=True)


class SpanFields:
    """An annotation for a field holding span dicts validated by :func:`span_fields_schema` (every field of a span,
    defaults filled in); :func:`spans_from_fields` makes them spans."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return span_fields_schema()


_ALL_FIELDS_SET = frozenset(Span.model_fields)


def spans_from_fields(items: list[dict[str, Any]], start: int = 0, stop: int | None = None) -> list[Span] | None:
    """The spans of ``items[start:stop]``, dicts validated by :func:`span_fields_schema`, after the check
    :class:`Span`'s validator makes; ``None`` when one of them breaks it (validate it as a :class:`Span` to hear
    why). Each dict becomes its span's own fields, not copied: do not change it afterwards.

    About 65 ms for 100k spans, against 0.25 s for pydantic to build the models itself, and half the memory: every
    span made here shares one ``model_fields_set`` (every field counts as set; nothing reads it). Order kept. The
    cross-field check is :func:`_span_fault`'s, inlined, and the four slots every model has are set through their
    descriptors (what ``object.__setattr__`` finds, without the lookup): 20 ms less than calling both per span.
    """
    new = object.__new__
    put_dict = BaseModel.__dict__["__dict__"].__set__  # the slot descriptors BaseModel's __slots__ made
    slots: dict[str, Any] = BaseModel.__dict__  # type: ignore[assignment]
    put_fields_set = slots["__pydantic_fields_set__"].__set__
    put_extra = slots["__pydantic_extra__"].__set__
    put_private = slots["__pydantic_private__"].__set__
    fields_set = set(_ALL_FIELDS_SET)
    spans: list[Span] = []
    append = spans.append
    for fields in items[start:stop]:
        if fields["end"] <= fields["start"] or (
            fields["origin"] == MANUAL and (fields["suggester"] or fields["score"] is not None)
        ):  # _span_fault's two rules
            return None
        span = new(Span)
        put_dict(span, fields)
        put_fields_set(span, fields_set)
        put_extra(span, None)
        put_private(span, None)
        append(span)
    return spans


#: :class:`Span`'s fields in its order, as :func:`spans_from_json_values` checks them (a test keeps the two alike).
JSON_VALUE_FIELDS = (
    "id",
    "start",
    "end",
    "label",
    "text",
    "note",
    "uncertain",
    "origin",
    "suggester",
    "score",
    "attributes",
    "entity",
)
_ORIGINS = ("manual", "suggestion", "suggestion-edited")
_REQUIRED = object()  # a required field's place while a span's dict is filled in: never a valid value


def spans_from_json_values(
    values: list[Any], text: str, label_names: frozenset[str], start: int = 0, stop: int | None = None
) -> tuple[list[Span], bool] | None:
    """``(spans, plain)``: the spans of ``values[start:stop]`` (JSON objects as :func:`pydantic_core.from_json`
    parses them), or ``None`` unless every one is a span :func:`span_fields_schema` accepts in strict JSON mode,
    keeps :class:`Span`'s own rule and fits ``text`` and ``label_names``: ``0 <= start < end <= len(text)`` (code
    points), ``text[start:end]`` equal to its text, its label one of the names (and, as pydantic checks, its id not
    empty; a score of ``1`` made ``1.0``). Attributes are checked for their JSON types only (whether the label set
    allows them is :func:`~annotator.model.annotation_set.span_faults`'s). ``plain`` tells that every span is manual,
    without attributes and entity.

    Each span's fields are a new dict in :class:`Span`'s field order, defaults filled in, exactly what pydantic's
    validation of the same JSON gives (tests compare the two); the dicts in ``values`` are left as they are. This
    takes the place of that validation, of making the spans and of checking each against the text: at 100k spans
    about 0.18 s of CPU against 0.3 + 0.06 + 0.06 s. On ``None``, validate the JSON with pydantic to hear what is
    wrong.
    """
    if tuple(Span.model_fields) != JSON_VALUE_FIELDS:  # a field added to Span and not here: never guess
        return None
    defaults: dict[str, Any] = {
        "id": _REQUIRED,
        "start": _REQUIRED,
        "end": _REQUIRED,
        "label": _REQUIRED,
        "text": _REQUIRED,
        "note": "",
        "uncertain": False,
        "origin": MANUAL,
        "suggester": "",
        "score": None,
        "attributes": None,  # a new dict for each span
        "entity": "",
    }
    rare = _RARE_FIELDS
    usual = _USUAL_RARE_VALUES
    length = len(text)
    dicts: list[dict[str, Any]] = []
    append = dicts.append
    plain = True
    try:
        for raw in values[start:stop]:
            if type(raw) is not dict:
                return None
            fields = {**defaults, "attributes": {}, **raw}
            begin = fields["start"]
            end = fields["end"]
            span_id = fields["id"]
            if (
                len(fields) != 12  # a key that is not a field
                or type(begin) is not int
                or type(end) is not int
                or not 0 <= begin < end <= length
                or type(span_id) is not str
                or not span_id
                or fields["label"] not in label_names  # (names are never empty)
                or text[begin:end] != fields["text"]  # (so a str)
                or type(fields["note"]) is not str
                or type(fields["uncertain"]) is not bool
            ):
                return None
            attributes = fields["attributes"]
            if rare(fields) != usual or type(attributes) is not dict or attributes:  # (null, [] are not {})
                if not _rare_fields_fit(fields):
                    return None
                plain = False
            append(fields)
    except TypeError:  # an unhashable label
        return None
    return _spans_of_dicts(dicts), plain


#: The fields most spans leave at their defaults, and those defaults (attributes aside: an empty dict).
_RARE_FIELDS = itemgetter("origin", "suggester", "score", "entity")
_USUAL_RARE_VALUES = (MANUAL, "", None, "")


def _spans_of_dicts(dicts: list[dict[str, Any]]) -> list[Span]:
    """One span per dict of fields (checked, every field present, in order), each taking its dict as its own; the four
    slots every model has are set through their descriptors a column at a time, in C (a Python loop setting them
    took twice as long)."""
    count = len(dicts)
    slots: dict[str, Any] = BaseModel.__dict__  # type: ignore[assignment]
    spans: list[Span] = list(map(object.__new__, repeat(Span, count)))
    deque(map(slots["__dict__"].__set__, spans, dicts), maxlen=0)
    deque(map(slots["__pydantic_fields_set__"].__set__, spans, repeat(set(_ALL_FIELDS_SET), count)), maxlen=0)
    deque(map(slots["__pydantic_extra__"].__set__, spans, repeat(None, count)), maxlen=0)
    deque(map(slots["__pydantic_private__"].__set__, spans, repeat(None, count)), maxlen=0)
    return spans


def _rare_fields_fit(fields: dict[str, Any]) -> bool:
    """Whether the fields most spans leave at their defaults (origin, suggester, score, attributes, entity) hold what
    pydantic accepts in strict JSON mode, with :class:`Span`'s rule for manual spans; a score of ``1`` or ``0``
    becomes ``1.0`` or ``0.0`` in ``fields``, as pydantic makes it."""
    origin, score, attributes = fields["origin"], fields["score"], fields["attributes"]
    if origin not in _ORIGINS or type(fields["suggester"]) is not str or type(fields["entity"]) is not str:
        return False
    if score is not None:
        if (type(score) is not float and type(score) is not int) or not 0 <= score <= 1:  # NaN too
            return False
        fields["score"] = float(score)
    if type(attributes) is not dict or not all(type(v) is bool or type(v) is str for v in attributes.values()):
        return False
    return not (origin == MANUAL and (fields["suggester"] or score is not None))
