"""Label sets (the annotation schema): labels with colors, hotkeys and guidelines, the relation types between spans,
the attributes spans and relations may carry, and the document labels a document may get.

Everything here is immutable: the editing methods of :class:`LabelSet` return a new, validated set.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

#: Color of a label made up for a name a set lacks (see :meth:`LabelSet.missing_labels`).
NEUTRAL_COLOR = "#888888"


def _both(names: list[str]) -> str:
    """``"a and b"``, ``"a, b and c"``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _all(items: list[Any]) -> str:
    """``"both"`` for two items, else ``"all"``."""
    return "both" if len(items) == 2 else "all"


def _hotkey_key(hotkey: str) -> str:
    """What two hotkeys are compared by: a letter typed with or without Shift is the same key."""
    return hotkey.casefold()


class Label(BaseModel):
    """One label of a label set.

    Attributes
    ----------
    name: the label's name as stored on spans (e.g. ``"actor"``); plain text, non-empty.
    color: ``#rrggbb`` hex color used to highlight its spans (stored lower-case).
    hotkey: one printable character (e.g. ``"1"``) that applies the label, or ``""`` for none.
    description: the label's guidelines: plain text, possibly several paragraphs separated by ``"\\n"``.
    examples: short example spans, each exactly as it would be marked.

    Raises
    ------
    pydantic.ValidationError
        On an empty name, a color that is not ``#rrggbb``, or a hotkey that is longer than one character, whitespace
        or an invisible or combining character (Unicode categories C*, M*, Z*).
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    color: str
    hotkey: str = ""
    description: str = ""
    examples: tuple[str, ...] = ()

    @field_validator("color")
    @classmethod
    def _check_color(cls, value: str) -> str:
        if not _COLOR.fullmatch(value):
            raise ValueError(f"color must be #rrggbb, not {value!r}")
        return value.lower()

    @field_validator("hotkey")
    @classmethod
    def _check_hotkey(cls, value: str) -> str:
        if len(value) > 1:
            raise ValueError(f"hotkey must be a single key, not {value!r}")
        if value and (value.isspace() or unicodedata.category(value).startswith(("C", "M", "Z"))):
            raise ValueError(f"hotkey must be a visible character, not {value!r} (U+{ord(value):04X})")
        return value


#: Attribute names the exports already use for their own marks (brat's ``Uncertain`` flag and ``Origin`` of a span
#: accepted from a suggestion: :data:`annotator.formats.brat.UNCERTAIN_ATTRIBUTE` and ``ORIGIN_ATTRIBUTE``; Label
#: Studio's per-region ``entity`` result holding a span's entity id, :data:`annotator.formats.label_studio.ENTITY_NAME`,
#: whose per-region attribute results are named by the attribute; a test keeps the lists equal). A label set may not
#: define an attribute of these names.
RESERVED_ATTRIBUTE_NAMES = ("Uncertain", "Origin", "entity")

AttributeType = Literal["bool", "enum", "text"]
#: A stored attribute value: ``True``/``False`` for a ``bool`` attribute, one of the values (a string) for an
#: ``enum``, any plain text for ``text``.
AttributeValue = bool | str


class Attribute(BaseModel):
    """A typed attribute that spans (or relations) may carry, e.g. ``quote``: ``direct`` / ``indirect`` / ``mixed``.

    Attributes
    ----------
    name: the attribute's name as stored in a span's ``attributes`` (e.g. ``"quote"``); not
        :data:`RESERVED_ATTRIBUTE_NAMES`.
    type: ``"bool"`` (true or false), ``"enum"`` (one of ``values``) or ``"text"`` (free plain text).
    values: the enum's values, in the order the hotkey cycles them; enum only (at least one, all different).
    default: the value a span has when it stores none: for ``bool`` ``true``/``false`` (``false`` when not given),
        for ``enum`` one of ``values`` (none when not given: the attribute is unset), for ``text`` a string (``""``
        when not given). A value equal to the default is never stored on a span (see :meth:`default_value`).
    description: guideline text (plain text, may be several paragraphs).
    labels: the span labels (for ``on: "span"``) or relation types (for ``on: "relation"``) that may carry it;
        ``()`` allows every one.
    on: ``"span"`` (the default) or ``"relation"``: what carries the attribute.
    hotkey: one visible character that cycles the value on the selected span or link (see
        :meth:`next_value`), or ``""``; unique against the label hotkeys and other attributes' hotkeys.

    Raises
    ------
    pydantic.ValidationError
        On an empty or reserved name, values on a non-enum attribute or none on an enum one, repeated values, a
        default of the wrong type or not among the values, or a bad hotkey (as for :class:`Label`).
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    type: AttributeType
    values: tuple[str, ...] = ()
    default: bool | str | None = Field(None, exclude_if=lambda v: v is None)
    description: str = ""
    labels: tuple[str, ...] = ()
    on: Literal["span", "relation"] = "span"
    hotkey: str = ""

    @field_validator("hotkey")
    @classmethod
    def _check_hotkey(cls, value: str) -> str:
        return Label._check_hotkey(value)

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if value in RESERVED_ATTRIBUTE_NAMES:
            raise ValueError(
                f"the attribute name {value!r} is reserved: the exports use it for their own marks "
                f"({', '.join(RESERVED_ATTRIBUTE_NAMES)})"
            )
        return value

    @model_validator(mode="after")
    def _check_shape(self) -> Attribute:
        faults = []
        if self.type == "enum":
            if not self.values:
                faults.append(f"enum attribute {self.name!r} needs at least one value")
            repeated = list(dict.fromkeys(v for v in self.values if self.values.count(v) > 1))
            if repeated:
                faults.append(f"attribute {self.name!r} lists the value(s) {', '.join(map(repr, repeated))} twice")
            if any(not v for v in self.values):
                faults.append(f"attribute {self.name!r} has an empty value")
        elif self.values:
            faults.append(f"{self.type} attribute {self.name!r} has no values (only enum attributes do)")
        if self.default is not None and self.value_fault(self.default):
            faults.append(f"default of attribute {self.name!r}: {self.value_fault(self.default)}")
        if faults:
            raise ValueError("; ".join(faults))
        return self

    def value_fault(self, value: object) -> str:
        """Why ``value`` cannot be this attribute's value (``""`` when it can): a bool attribute takes
        ``true``/``false``, an enum one of its values, a text attribute a string."""
        if self.type == "bool":
            return "" if isinstance(value, bool) else f"must be true or false, not {value!r}"
        if not isinstance(value, str):
            return f"must be {'one of ' + ', '.join(self.values) if self.type == 'enum' else 'text'}, not {value!r}"
        if self.type == "enum" and value not in self.values:
            return f"{value!r} is not one of its values ({', '.join(self.values)})"
        return ""

    def default_value(self) -> AttributeValue | None:
        """The value of a span storing none: ``default``, else ``False`` (bool), ``None`` (enum: unset) or ``""``
        (text)."""
        if self.default is not None:
            return self.default
        return {"bool": False, "enum": None, "text": ""}[self.type]

    def applies_to(self, name: str) -> bool:
        """Whether a span labeled ``name`` (or a relation of type ``name``, for ``on: "relation"``) may carry it."""
        return not self.labels or name in self.labels

    def next_value(self, current: AttributeValue | None) -> AttributeValue | None:
        """The value after ``current`` when the hotkey cycles it: a bool toggles; an enum goes to its next value and
        after the last to none (``None``: unset), or, with a default, back to the first value. ``current`` is the
        span's value (``None`` when it stores none: the default applies).

        Raises
        ------
        ValueError
            For a text attribute (it has nothing to cycle).
        """
        value = self.default_value() if current is None else current
        if self.type == "bool":
            return not value
        if self.type == "text":
            raise ValueError(f"attribute {self.name!r} is text: it has no values to cycle")
        if value not in self.values:
            return self.values[0]
        index = self.values.index(str(value)) + 1
        if index < len(self.values):
            return self.values[index]
        return self.values[0] if self.default is not None else None


class DocumentLabel(BaseModel):
    """A label of the whole document, e.g. ``relevance``: ``relevant`` / ``not relevant``.

    Attributes
    ----------
    name: its name, as stored in the annotation set's ``document_labels``; non-empty.
    values: the values it may take (at least one, all different, none empty).
    multiple: whether a document may have several of the values at once (stored as a list), else one (a string).
    description: guideline text (plain text).

    Raises
    ------
    pydantic.ValidationError
        On an empty name, no values, an empty or repeated value.
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    values: tuple[str, ...] = Field(min_length=1)
    multiple: bool = False
    description: str = ""

    @field_validator("values")
    @classmethod
    def _check_values(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        repeated = list(dict.fromkeys(v for v in values if values.count(v) > 1))
        if repeated:
            raise ValueError(f"the value(s) {', '.join(map(repr, repeated))} appear twice")
        if any(not v for v in values):
            raise ValueError("a value cannot be empty")
        return values

    def value_fault(self, value: object) -> str:
        """Why ``value`` cannot be stored for this document label (``""`` when it can): one of the values (a string),
        or for ``multiple`` a list of different values."""
        if self.multiple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return f"must be a list of its values ({', '.join(self.values)}), not {value!r}"
            items = value
            if len(set(items)) != len(items):
                return f"lists a value twice: {value!r}"
        else:
            if not isinstance(value, str):
                return f"must be one of its values ({', '.join(self.values)}), not {value!r}"
            items = [value]
        wrong = [v for v in items if v not in self.values]
        return f"{wrong[0]!r} is not one of its values ({', '.join(self.values)})" if wrong else ""


class RelationType(BaseModel):
    """A kind of directed link between two spans, e.g. ``source``: a statement to the actor who made it.

    Attributes
    ----------
    name: the type's name as stored on relations (e.g. ``"source"``); non-empty.
    description: guideline text (plain text, may be several paragraphs).
    from_labels: labels a span at the ``from`` end may have; ``()`` allows any label of the set.
    to_labels: labels a span at the ``to`` end may have; ``()`` allows any label of the set.
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    from_labels: tuple[str, ...] = ()
    to_labels: tuple[str, ...] = ()

    def _replacing(self, mapping: dict[str, str]) -> RelationType:
        """This type with label names replaced through ``mapping`` (order kept, duplicates dropped)."""
        return RelationType.model_validate(
            {
                **self.model_dump(),
                "from_labels": tuple(dict.fromkeys(mapping.get(n, n) for n in self.from_labels)),
                "to_labels": tuple(dict.fromkeys(mapping.get(n, n) for n in self.to_labels)),
            }
        )


DEFAULT_RELATION_TYPES: tuple[RelationType, ...] = (
    RelationType(name="source", description="The statement's speaker: links a statement to the actor who made it."),
    RelationType(name="target", description="Whom the statement is aimed at: links a statement to that actor."),
)


class LabelSet(BaseModel):
    """A named, versioned list of labels with unique names and hotkeys, and the relation types allowed between spans.

    Hotkeys are compared ignoring case (``"a"`` and ``"A"`` are one key). Every label named by a relation type
    must be in the set.

    ``attributes`` (:class:`Attribute`) are the typed attributes spans and relations may carry, ``document_labels``
    (:class:`DocumentLabel`) the labels of the whole document; label sets written before they existed have none.

    Raises
    ------
    pydantic.ValidationError
        On an empty label list, duplicate label names or hotkeys (the message names the clashing labels), duplicate
        relation type names, a relation type naming a label the set lacks, or an invalid label; on two attributes or
        two document labels of one name, an attribute's hotkey taken by a label or another attribute (naming both),
        or an attribute naming a label (relation type, for ``on: "relation"``) the set lacks.
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    version: str = "1"
    labels: tuple[Label, ...] = Field(min_length=1)
    relation_types: tuple[RelationType, ...] = DEFAULT_RELATION_TYPES
    attributes: tuple[Attribute, ...] = Field((), exclude_if=lambda v: not v)
    document_labels: tuple[DocumentLabel, ...] = Field((), exclude_if=lambda v: not v)

    @model_validator(mode="after")
    def _check_attributes(self) -> LabelSet:
        faults: list[str] = []
        for kind, items in (("attribute", self.attributes), ("document label", self.document_labels)):
            names = [item.name for item in items]
            faults.extend(
                f"two {kind}s are called {name!r} ({kind}s[{names.index(name)}] and "
                f"{kind}s[{names.index(name, names.index(name) + 1)}])"
                for name in dict.fromkeys(n for n in names if names.count(n) > 1)
            )
        keys: dict[str, str] = {_hotkey_key(lab.hotkey): f"label {lab.name!r}" for lab in self.labels if lab.hotkey}
        labels, types = set(self.names), {t.name for t in self.relation_types}
        for attribute in self.attributes:
            if attribute.hotkey:
                key = _hotkey_key(attribute.hotkey)
                if key in keys:
                    faults.append(
                        f"hotkey {attribute.hotkey!r} is used by both {keys[key]} and attribute {attribute.name!r}"
                    )
                keys.setdefault(key, f"attribute {attribute.name!r}")
            known, what = (labels, "label") if attribute.on == "span" else (types, "relation type")
            faults.extend(
                f"attribute {attribute.name!r} names {what} {name!r}, which is not in the label set"
                for name in attribute.labels
                if name not in known
            )
        if faults:
            raise ValueError("; ".join(faults))
        return self

    @field_validator("labels")
    @classmethod
    def _check_labels(cls, labels: tuple[Label, ...]) -> tuple[Label, ...]:
        faults = []
        by_name: dict[str, list[int]] = {}
        for index, label in enumerate(labels):
            by_name.setdefault(label.name, []).append(index)
        dupes = {name: where for name, where in by_name.items() if len(where) > 1}
        if dupes:
            faults.append(
                f"duplicate label names: {', '.join(dupes)} ("
                + "; ".join(
                    f"{_both([f'labels[{i}]' for i in where])} are {_all(where)} called {name!r}"
                    for name, where in dupes.items()
                )
                + ")"
            )
        by_key: dict[str, list[Label]] = {}
        for label in labels:
            if label.hotkey:
                by_key.setdefault(_hotkey_key(label.hotkey), []).append(label)
        clashes = [users for users in by_key.values() if len(users) > 1]
        if clashes:
            faults.append(
                f"duplicate hotkeys: {', '.join(users[0].hotkey for users in clashes)} ("
                + "; ".join(
                    f"hotkey {' / '.join(repr(k) for k in dict.fromkeys(u.hotkey for u in users))} is used by "
                    f"{'both ' if len(users) == 2 else ''}{_both([u.name for u in users])}"
                    for users in clashes
                )
                + ")"
            )
        if faults:
            raise ValueError("; ".join(faults))
        return labels

    @field_validator("relation_types")
    @classmethod
    def _check_relation_types(cls, types: tuple[RelationType, ...], info: ValidationInfo) -> tuple[RelationType, ...]:
        faults = []
        names = [t.name for t in types]
        dupes = list(dict.fromkeys(n for n in names if names.count(n) > 1))
        if dupes:
            faults.append(f"duplicate relation type names: {', '.join(dupes)}")
        labels = info.data.get("labels")
        if labels is not None:  # else the labels were invalid, and that fault is reported
            known = {label.name for label in labels}
            for rtype in types:
                for end in ("from_labels", "to_labels"):
                    faults.extend(
                        f"relation type {rtype.name!r} names label {name!r} in its {end}, "
                        f"which is not in the label set ({', '.join(label.name for label in labels)})"
                        for name in getattr(rtype, end)
                        if name not in known
                    )
        if faults:
            raise ValueError("; ".join(faults))
        return types

    # Queries --------------------------------------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """Label names in the set's order."""
        return [label.name for label in self.labels]

    def get(self, name: str) -> Label | None:
        """The label called ``name``, or ``None``."""
        return next((label for label in self.labels if label.name == name), None)

    def attribute(self, name: str, on: Literal["span", "relation"] = "span") -> Attribute | None:
        """The attribute called ``name`` carried by ``on`` (spans or relations), or ``None``."""
        return next((a for a in self.attributes if a.name == name and a.on == on), None)

    def attributes_for(self, name: str, on: Literal["span", "relation"] = "span") -> list[Attribute]:
        """The attributes a span labeled ``name`` (or a relation of type ``name``) may carry, in the set's order."""
        return [a for a in self.attributes if a.on == on and a.applies_to(name)]

    def document_label(self, name: str) -> DocumentLabel | None:
        """The document label called ``name``, or ``None``."""
        return next((d for d in self.document_labels if d.name == name), None)

    def relation_type(self, name: str) -> RelationType | None:
        """The relation type called ``name``, or ``None``."""
        return next((rtype for rtype in self.relation_types if rtype.name == name), None)

    def allows_relation(self, type_name: str, from_label: str, to_label: str) -> bool:
        """Whether a ``type_name`` relation may go from a span labeled ``from_label`` to one labeled ``to_label``.

        ``False`` when the type or either label is not in the set; an empty ``from_labels``/``to_labels`` allows any
        label of the set at that end.
        """
        rtype = self.relation_type(type_name)
        if rtype is None or self.get(from_label) is None or self.get(to_label) is None:
            return False
        return (not rtype.from_labels or from_label in rtype.from_labels) and (
            not rtype.to_labels or to_label in rtype.to_labels
        )

    def missing_labels(self, used: Iterable[str], other: LabelSet | None = None) -> list[Label]:
        """Labels for the names in ``used`` that this set lacks, e.g. span labels of a file made with another set.

        Parameters
        ----------
        used: label names, in any order, repeats allowed.
        other: a set to take the missing labels' definitions (color, hotkey, guidelines) from, if it has them.

        Returns
        -------
        list[Label]
            One label per missing name, in first-seen order: ``other``'s label of that name, else a label with the
            neutral gray :data:`NEUTRAL_COLOR` and no hotkey. Feed it to :meth:`with_labels`, which drops hotkeys
            that clash.

        Raises
        ------
        ValueError
            If ``used`` contains an empty name.
        """
        missing: list[Label] = []
        for name in dict.fromkeys(used):
            if not name:
                raise ValueError("a label name cannot be empty")
            if self.get(name) is None:
                defined = other.get(name) if other is not None else None
                missing.append(defined or Label(name=name, color=NEUTRAL_COLOR))
        return missing

    # Edits (each returns a new set) ----------------------------------------------------------------------------------

    def _rebuilt(
        self,
        labels: Iterable[Label | dict[str, Any]],
        relation_types: Iterable[RelationType],
        attributes: list[dict[str, Any]] | None = None,
    ) -> LabelSet:
        """A validated set with this one's name, version, document labels and (unless given, as dicts) attributes."""
        return LabelSet.model_validate(
            {
                "name": self.name,
                "version": self.version,
                "labels": [lab.model_dump() if isinstance(lab, Label) else lab for lab in labels],
                "relation_types": [rtype.model_dump() for rtype in relation_types],
                "attributes": attributes if attributes is not None else self._attrs(),
                "document_labels": [d.model_dump() for d in self.document_labels],
            }
        )

    def _attrs(self, mapping: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The attributes as dicts, their span-label scopes renamed through ``mapping`` (order kept, repeats
        dropped)."""
        mapping = mapping or {}
        return [
            {**a.model_dump(), "labels": list(dict.fromkeys(mapping.get(n, n) for n in a.labels))}
            if a.on == "span"
            else a.model_dump()
            for a in self.attributes
        ]

    def rename_label(self, old: str, new: str) -> LabelSet:
        """This set with label ``old`` called ``new``; its color, hotkey, guidelines, examples and position are kept,
        and relation types naming ``old`` name ``new`` instead. Spans are not touched (that is the caller's job).

        Raises
        ------
        ValueError
            If ``old`` is not in the set, ``new`` is empty or blank, or a label called ``new`` already exists.
        """
        if self.get(old) is None:
            raise ValueError(f"cannot rename label {old!r}: the set has no such label ({', '.join(self.names)})")
        if not new.strip():
            raise ValueError(f"cannot rename label {old!r}: the new name is empty")
        if self.get(new) is not None:
            raise ValueError(f"cannot rename label {old!r} to {new!r}: a label called {new!r} already exists")
        labels = [{**lab.model_dump(), "name": new} if lab.name == old else lab for lab in self.labels]
        relation_types = (rtype._replacing({old: new}) for rtype in self.relation_types)
        return self._rebuilt(labels, relation_types, self._attrs({old: new}))

    def merge_label(self, source: str, into: str) -> LabelSet:
        """This set without label ``source``, whose spans are to carry ``into`` from now on (the caller relabels them).

        ``into`` keeps its own color, hotkey and guidelines; ``source``'s hotkey becomes free. Relation types naming
        ``source`` name ``into`` instead (each name listed once).

        Raises
        ------
        ValueError
            If either label is not in the set, or they are the same label.
        """
        for name in (source, into):
            if self.get(name) is None:
                raise ValueError(f"cannot merge {source!r} into {into!r}: the set has no label {name!r}")
        if source == into:
            raise ValueError(f"cannot merge label {source!r} into itself")
        labels = [lab for lab in self.labels if lab.name != source]
        relation_types = (rtype._replacing({source: into}) for rtype in self.relation_types)
        return self._rebuilt(labels, relation_types, self._attrs({source: into}))

    def with_labels(self, labels: Iterable[Label], relation_types: Iterable[RelationType] = ()) -> LabelSet:
        """This set plus ``labels`` appended and ``relation_types`` added, e.g. to adopt labels used by a file.

        A label whose name is already in the set (or earlier in ``labels``) is skipped; an added label whose hotkey
        is already taken (ignoring case) gets hotkey ``""``. A relation type whose name is already in the set is
        skipped; an added one keeps only the labels of its ``from_labels``/``to_labels`` that the result has, and is
        dropped if that empties a list that was not empty (it could link no span, and ``()`` would mean "any label").

        Raises
        ------
        ValueError
            If the result is not a valid label set (cannot happen with valid labels).
        """
        result = list(self.labels)
        names = {lab.name for lab in result}
        keys = {_hotkey_key(lab.hotkey) for lab in result if lab.hotkey}
        for label in labels:
            if label.name in names:
                continue
            if label.hotkey and _hotkey_key(label.hotkey) in keys:
                label = Label.model_validate({**label.model_dump(), "hotkey": ""})
            result.append(label)
            names.add(label.name)
            if label.hotkey:
                keys.add(_hotkey_key(label.hotkey))
        types = list(self.relation_types)
        type_names = {rtype.name for rtype in types}
        for rtype in relation_types:
            if rtype.name in type_names:
                continue
            ends = {end: tuple(n for n in getattr(rtype, end) if n in names) for end in ("from_labels", "to_labels")}
            if any(getattr(rtype, end) and not kept for end, kept in ends.items()):
                continue
            types.append(RelationType.model_validate({**rtype.model_dump(), **ends}))
            type_names.add(rtype.name)
        return self._rebuilt(result, types)
