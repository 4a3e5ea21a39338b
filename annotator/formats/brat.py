"""brat standoff: per record a ``<id>.txt`` holding the exact text and a ``<id>.ann`` holding its annotations.

Format: https://brat.nlplab.org/standoff.html (annotations), https://brat.nlplab.org/configuration.html
(``annotation.conf``). A record ``news/linked`` by ``alice`` is written as ``news/linked.txt`` and
``news/linked.ann``::

    T1	actor 0 8	Sullivan
    T2	warning 9 21;23 38	warned China of consequences
    T3	actor 16 21	China
    R1	source Arg1:T2 Arg2:T1
    A1	Uncertain T3
    A2	Origin T1 suggestion
    #1	AnnotatorNotes T2	cue verb inside? check

Rules
-----
- Offsets are code points into the ``.txt`` file decoded as UTF-8, which is written byte for byte (UTF-8, no BOM
  added, CR LF kept as two characters). Fields are separated by one tab; the type and the offsets by one space.
- **Line breaks.** A ``.ann`` file is read line by line, and brat (Python) splits lines at every character
  :meth:`str.splitlines` splits at: :data:`LINE_BREAKS` = LF, CR, VT (U+000B), FF (U+000C), the separators
  U+001C-U+001E, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029). CR LF is two of them.
  So no field ever holds one: a span whose text crosses line breaks is written as fragments ``start end;start
  end`` (as brat itself requires, https://github.com/nlplab/brat/issues/1169), the maximal runs of its text
  without line breaks, and its text field is the fragments' texts joined by one space (brat's ``DISCONT_SEP``).
  A span starting or ending with line breaks is written without them (reported as ``"snapped"``, giving the
  offsets written); a span of nothing but line breaks cannot be written (reported as ``"dropped"``).
- A label or link type holding whitespace (brat ends the type at the first space) is written with each whitespace
  character replaced by ``_`` (reported as ``"not_exported"``; importing it back needs a label of that name).
- Notes: ``#<n>\\tAnnotatorNotes T<k>\\t<note>``; line breaks in a note become spaces (reported as
  ``"not_exported"``). Uncertain spans: the binary attribute ``A<n>\\tUncertain T<k>``. Links:
  ``R<n>\\t<type> Arg1:T<from> Arg2:T<to>``.
- A span accepted from a suggestion: the attribute ``A<n>\\tOrigin T<k> suggestion`` (or ``suggestion-edited``);
  a manual span has none. brat has no room for the suggester and score (the export report says how many spans
  lose them; reading gives such spans the suggester ``"unknown"`` and no score), nor for pending or rejected
  suggestions.
- **Attributes** of the label set (https://brat.nlplab.org/standoff.html, "Attribute and modification
  annotations"): a bool one is a binary attribute (``A3\tNegated T1``; ``A3\tNegated T1 false`` for false, stored
  only when its default is true, declared ``Value:true|false``), an enum one a valued attribute (``A4\tkind T1
  person``; brat reads the rest of the line as the value, spaces included). brat has no free-text attribute value,
  so a text attribute is a note of its name, ``#<n>\t<name> T1\t<text>`` (line breaks become spaces: reported).
  brat has no attributes on relations: each link's attributes are reported (``"not_exported"``).
- **Entities**: one ``*\tEquiv T1 T4 T7`` line per entity (brat's equivalence relation, declared in
  ``annotation.conf`` as ``Equiv\tArg1:actor, Arg2:actor, <REL-TYPE>:symmetric-transitive``); brat's
  equivalences have no ids, so reading names the entities ``e1``, ``e2``... in the order of their first mention.
- **Document labels**: brat has no document-level annotation (every standoff line but ``*`` names an annotation
  id; https://github.com/nlplab/brat/issues/1236), so they go to ``<name>.document_labels.json`` beside the
  ``.ann`` (``{"relevance": "relevant"}``, as in JSONL), which brat ignores (it lists ``.txt`` files only).
- A record annotated with nothing found is written as its ``.txt`` and an empty ``.ann``; a document nobody
  annotated (``export --include-unannotated``) as its ``.txt`` alone, which reading takes back as such.
- **Ids.** A span whose id is a brat span id (``T`` and ASCII digits, e.g. ``T7``, as a brat import keeps them) is
  written with it, a link whose id is a brat relation id (``R3``) too; the others get the lowest numbers no id of
  the record uses (``T1``, ``T2``...; ``R1``...). So brat -> import -> brat gives the same ids, gaps included.
  ``A`` and ``#`` lines are numbered from 1.
- Two records with the same id (different annotators) are written as ``<id>.<annotator>.txt/.ann`` (the annotator
  name made file-name safe by :func:`annotator.project.layout.annotator_folder_name`), the first one renamed when
  the second arrives; a name already taken (case-insensitively) gets ``-2``, ``-3``... Id parts are made file-name
  safe (:func:`annotator.project.layout.safe_file_name`).
- ``annotation.conf`` in the export folder declares the labels used ([entities]), each link type with the labels
  its ends have ([relations]), overlapping spans allowed (``<OVERLAP>``), no events, and the ``Uncertain``
  and ``Origin`` attributes, the label set's bool and enum span attributes ([attributes], ``Arg:`` its labels), the
  ``Equiv`` relation when entities are written, so brat shows the export. The export writes only these files,
  overwriting same-named ones; it deletes nothing (files of an earlier export with other ids stay).

Known limits of brat itself: brat reads ``.txt`` files with universal newlines, so it counts CR LF as one
character and shows spans after a CR LF shifted (https://github.com/nlplab/brat/issues/853); these files follow
the standoff definition (code points of the exact text), as other standoff readers expect. brat's configuration
takes only type names of ASCII letters, digits, ``_`` and ``-``; other labels are written exactly but brat reports
them as not configured.

Reading (:func:`read_brat`): a folder (every ``.ann`` under it, with the ``.txt`` beside it, and every ``.txt``
without ``.ann`` as a document nobody annotated) or one ``.ann`` file.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.formats.checking import shown
from annotator.formats.files import make_folder
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.parsed import UNCERTAIN_KEY, ParsedRecord, RawRelation, RawSpan, RecordFault
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport, Problem, ProblemKind
from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.project.layout import annotator_folder_name, safe_file_name

FORMAT_NAME = "brat"
CONFIG_NAME = "annotation.conf"
TEXT_SUFFIX = ".txt"
ANN_SUFFIX = ".ann"
UNCERTAIN_ATTRIBUTE = "Uncertain"
#: The multi-valued attribute holding the origin of a span accepted from a suggestion, and its values.
ORIGIN_ATTRIBUTE = "Origin"
ORIGIN_VALUES = ("suggestion", "suggestion-edited")
#: The suggester given, on reading, to a span whose origin attribute says it came from a suggestion.
UNKNOWN_SUGGESTER = "unknown"
NOTE_TYPE = "AnnotatorNotes"
#: The type of the ``*`` lines grouping the mentions of one entity (brat's equivalence relation).
EQUIV_TYPE = "Equiv"
#: The suffix of the file beside a ``.ann`` holding its document's labels (brat has no document-level annotation).
LABELS_SUFFIX = ".document_labels.json"

#: The characters :meth:`str.splitlines` splits at, which therefore never appear inside a ``.ann`` field.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_RUN = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")
_BREAK_RUN = re.compile(f"[{re.escape(LINE_BREAKS)}]+")
_OVERLAP_RULE = "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"
_SPAN_ID = re.compile("T[0-9]+")
_RELATION_ID = re.compile("R[0-9]+")


# ---------------------------------------------------------------------------------------------------- writing


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The brat fragments of ``text[start:end]``: the maximal runs without :data:`LINE_BREAKS`, as ``(start, end)``
    code-point offsets into ``text``, in order. Empty when the stretch holds only line breaks."""
    return [match.span() for match in _RUN.finditer(text, start, end)]


def brat_name(name: str) -> str:
    """``name`` usable as a brat type (label or link type): each whitespace character replaced by ``_``."""
    return "".join("_" if character.isspace() else character for character in name)


def one_line(note: str) -> str:
    """``note`` with each run of :data:`LINE_BREAKS` (CR LF included) replaced by one space."""
    return _BREAK_RUN.sub(" ", note)


class BratIds:
    """The brat ids written for the spans (``prefix`` ``"T"``) or links (``"R"``) of one record.

    ``ids`` are the record's own ids of all of them (unique); :meth:`written` gives, for each one written, the id
    itself when it is ``<prefix>`` followed by ASCII digits (``T7``), else the lowest ``<prefix><n>`` that no id of
    ``ids`` is and no earlier call gave.
    """

    def __init__(self, ids: Iterable[str], prefix: str) -> None:
        pattern = _SPAN_ID if prefix == "T" else _RELATION_ID
        self.prefix = prefix
        self.taken = {item for item in ids if pattern.fullmatch(item)}
        self.number = 0

    def written(self, own_id: str) -> str:
        """The brat id for the span or link whose id is ``own_id``."""
        if own_id in self.taken:
            return own_id
        self.number += 1
        while f"{self.prefix}{self.number}" in self.taken:
            self.number += 1
        return f"{self.prefix}{self.number}"


def write_brat(records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` into the folder ``out`` as brat standoff (rules in the module docstring).

    Records are consumed one at a time. ``options`` is not used (brat holds overlapping spans and has no tokens).

    Returns
    -------
    ExportReport
        ``files``: every ``.txt``/``.ann`` written (after renames) and ``annotation.conf`` last; ``spans``: spans
        written (snapped ones included); ``problems``: spans dropped (only line breaks), snapped (leading or
        trailing line breaks left out), and spans whose label, link type or note could not be written as is, or
        whose link was left out because its other end was dropped.

    Raises
    ------
    FileFault
        If a folder or file cannot be written or renamed.
    """
    del options  # nothing to choose: brat holds overlapping spans and has no tokens
    out = Path(out)
    make_folder(out)
    report = ExportReport(FORMAT_NAME)
    names = _Names(out, report)
    config = _Config()
    for record in records:
        if record.label_set is not None:
            config.declare(record.label_set)
        lines, written, problems = ann_lines(record, config)
        labels = json.dumps(dict(record.document_labels), ensure_ascii=False, indent=1) + "\n"
        names.write(
            record,
            record.text,
            "".join(line + "\n" for line in lines) if record.annotated else None,
            labels if record.annotated and record.document_labels else None,
        )
        report.documents += 1
        report.spans += written
        report.problems.extend(problems)
    config_path = out / CONFIG_NAME
    atomic_write_text(config_path, config.text())
    report.files.append(config_path)
    return report


def ann_lines(record: DocumentRecord, config: _Config | None = None) -> tuple[list[str], int, list[Problem]]:
    """The ``.ann`` lines of ``record`` (without line ends), the number of spans written, and the problems.

    Lines come in the order T (spans, in saved order), R (links), A (uncertain marks and origins), # (notes).
    ``config``, when given, collects the labels and link types written, for ``annotation.conf``.
    """
    config = config or _Config()
    text = record.text
    spans: list[str] = []
    notes: list[str] = []
    marks: list[str] = []
    problems: list[Problem] = []
    t_ids: dict[str, str] = {}
    own_ids = BratIds((span.id for span in record.spans), "T")
    for span in record.spans:
        pieces = fragments(text, span.start, span.end)
        if not pieces:
            problems.append(
                _problem(record, span, "dropped", "it holds only line breaks, which a brat fragment cannot hold")
            )
            continue
        label = brat_name(span.label)
        if label != span.label:
            problems.append(_renamed(record, span, "label", label))
        t_id = own_ids.written(span.id)
        t_ids[span.id] = t_id
        config.entities.setdefault(label, None)
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        spans.append(f"{t_id}\t{label} {offsets}\t{' '.join(text[a:b] for a, b in pieces)}")
        first, last = pieces[0][0], pieces[-1][1]
        if (first, last) != (span.start, span.end):
            problems.append(
                _problem(
                    record,
                    span,
                    "snapped",
                    f"written as [{first}, {last}): a brat fragment cannot hold line breaks, so the line breaks at "
                    "its start or end are left out",
                )
            )
        if span.uncertain:
            marks.append(f"A{len(marks) + 1}\t{UNCERTAIN_ATTRIBUTE} {t_id}")
        if span.origin != "manual":
            marks.append(f"A{len(marks) + 1}\t{ORIGIN_ATTRIBUTE} {t_id} {span.origin}")
        marks.extend(_attribute_lines(record, span, t_id, len(marks), notes, config, problems))
        if span.note:
            note = one_line(span.note)
            if note != span.note:
                problems.append(
                    _problem(
                        record,
                        span,
                        "not_exported",
                        "its note is written with its line breaks replaced by spaces (a brat note is one line)",
                    )
                )
            notes.append(f"#{len(notes) + 1}\t{NOTE_TYPE} {t_id}\t{note}")
    links = _relation_lines(record, t_ids, config, problems)
    return spans + links + _equiv_lines(record, t_ids, config) + marks + notes, len(t_ids), problems


def _attribute_lines(
    record: DocumentRecord,
    span: Span,
    t_id: str,
    taken: int,
    notes: list[str],
    config: _Config,
    problems: list[Problem],
) -> list[str]:
    """The ``A`` lines of ``span``'s attributes (numbered after ``taken`` others): a bool one binary
    (``A1\tNegated T1``; ``A1\tNegated T1 false`` for false, stored only when its default is true), an enum one
    valued (``A2\tkind T1 person``); a text attribute goes to ``notes`` as ``#<n>\t<name> T1\t<text>``."""
    lines: list[str] = []
    for name, value in span.attributes.items():
        attribute = record.label_set.attribute(name, "span") if record.label_set is not None else None
        kind = attribute.type if attribute is not None else ("bool" if isinstance(value, bool) else "enum")
        written = brat_name(name)
        if written != name:
            problems.append(_renamed(record, span, f"attribute {name!r}", written))
        if kind == "text":
            text = one_line(str(value))
            if text != value:
                problems.append(
                    _problem(
                        record,
                        span,
                        "not_exported",
                        f"its text attribute {name!r} is written with its line breaks replaced by spaces (a brat "
                        "note is one line)",
                    )
                )
            notes.append(f"#{len(notes) + 1}\t{written} {t_id}\t{text}")
            continue
        if kind == "bool":
            tail = "" if value is True else " false"
        else:
            tail = " " + one_line(str(value))
            if tail[1:] != value:
                problems.append(
                    _problem(
                        record,
                        span,
                        "not_exported",
                        f"the value of its attribute {name!r} is written with its line breaks replaced by spaces",
                    )
                )
        config.attribute(written, brat_name(span.label))
        lines.append(f"A{taken + len(lines) + 1}\t{written} {t_id}{tail}")
    return lines


def _equiv_lines(record: DocumentRecord, t_ids: dict[str, str], config: _Config) -> list[str]:
    """One ``*\tEquiv T1 T4 T7`` line per entity (its mentions written, in saved order), entities in the order of
    their first mention; an entity of one mention is written too (``*\tEquiv T3``), so reading keeps it."""
    groups: dict[str, list[Span]] = {}
    for span in record.spans:
        if span.entity and span.id in t_ids:
            groups.setdefault(span.entity, []).append(span)
    for members in groups.values():
        for span in members:
            config.equiv.setdefault(brat_name(span.label), None)
    return [f"*\t{EQUIV_TYPE} {' '.join(t_ids[s.id] for s in members)}" for members in groups.values()]


def _relation_lines(
    record: DocumentRecord, t_ids: dict[str, str], config: _Config, problems: list[Problem]
) -> list[str]:
    by_id = {span.id: span for span in record.spans}
    r_ids = BratIds((relation.id for relation in record.relations), "R")
    lines: list[str] = []
    for relation in record.relations:
        source, target = by_id.get(relation.from_), by_id.get(relation.to)
        if source is None or target is None:
            continue  # a link to a span the record does not have: there is no span to report it against
        if relation.from_ not in t_ids or relation.to not in t_ids:
            missing = target if relation.from_ in t_ids else source
            problems.append(
                _problem(
                    record,
                    source if missing is target else target,
                    "not_exported",
                    f"its {relation.type!r} link with {missing.label} [{missing.start}, {missing.end}) is not "
                    "written: that span cannot be written in brat",
                )
            )
            continue
        link_type = brat_name(relation.type)
        if link_type != relation.type:
            problems.append(_renamed(record, source, f"{relation.type!r} link type", link_type))
        config.link(link_type, brat_name(source.label), brat_name(target.label))
        lines.append(
            f"{r_ids.written(relation.id)}\t{link_type} Arg1:{t_ids[relation.from_]} Arg2:{t_ids[relation.to]}"
        )
        if relation.attributes:
            shown_values = ", ".join(f"{name}={value!r}" for name, value in relation.attributes.items())
            problems.append(
                _problem(
                    record,
                    source,
                    "not_exported",
                    f"the attributes of its {relation.type!r} link ({shown_values}) are not written: brat has no "
                    "attributes on relations",
                )
            )
    return lines


def _problem(record: DocumentRecord, span: Span, kind: ProblemKind, reason: str) -> Problem:
    return Problem(record.key, span.start, span.end, span.label, span.text, kind, reason)


def _renamed(record: DocumentRecord, span: Span, what: str, written: str) -> Problem:
    return _problem(
        record,
        span,
        "not_exported",
        f"brat type names cannot hold whitespace, so its {what} is written as {written!r}",
    )


@dataclass
class _Config:
    """What ``annotation.conf`` declares: the records' label sets (labels and relation types in their order), then
    any other label and link type written, in first-use order."""

    entities: dict[str, None] = field(default_factory=dict)
    links: dict[str, tuple[dict[str, None], dict[str, None]]] = field(default_factory=dict)
    #: attribute name -> (labels carrying it, its values; ``None`` for a binary one), for [attributes]
    attributes: dict[str, tuple[dict[str, None], tuple[str, ...] | None]] = field(default_factory=dict)
    equiv: dict[str, None] = field(default_factory=dict)  # labels of entity mentions

    def declare(self, label_set: LabelSet) -> None:
        """Declare every label and relation type of ``label_set`` (in its order), used or not; a relation type
        allowing any label gets ``<ENTITY>``."""
        for label in label_set.names:
            self.entities.setdefault(brat_name(label), None)
        for relation_type in label_set.relation_types:
            ends = self.links.setdefault(brat_name(relation_type.name), ({}, {}))
            for end, labels in zip(ends, (relation_type.from_labels, relation_type.to_labels), strict=True):
                for label in labels or ("<ENTITY>",):
                    end.setdefault(brat_name(label) if label != "<ENTITY>" else label, None)
        for attribute in label_set.attributes:
            if attribute.on != "span" or attribute.type == "text":
                continue  # brat has no attributes on relations; text attributes are notes
            values: tuple[str, ...] | None = None
            if attribute.type == "enum":
                values = attribute.values
            elif attribute.default is True:  # false must be written: a valued attribute
                values = ("true", "false")
            carriers = {brat_name(label): None for label in attribute.labels or ("<ENTITY>",)}
            found = self.attributes.setdefault(brat_name(attribute.name), ({}, values))
            found[0].update(carriers)

    def attribute(self, name: str, label: str) -> None:
        """Declare the attribute ``name`` (when no label set did) on spans labeled ``label``."""
        if name not in self.attributes:
            self.attributes[name] = ({label: None}, None)

    def link(self, link_type: str, from_label: str, to_label: str) -> None:
        ends = self.links.setdefault(link_type, ({}, {}))
        ends[0].setdefault(from_label, None)
        ends[1].setdefault(to_label, None)

    def text(self) -> str:
        lines = [
            "# brat configuration of an export by annotator (https://brat.nlplab.org/configuration.html)",
            "[entities]",
            *self.entities,
            "",
            "[relations]",
            *(f"{name}\tArg1:{'|'.join(ends[0])}, Arg2:{'|'.join(ends[1])}" for name, ends in self.links.items()),
            *(
                [
                    f"{EQUIV_TYPE}\tArg1:{'|'.join(self.equiv)}, Arg2:{'|'.join(self.equiv)}, "
                    "<REL-TYPE>:symmetric-transitive"
                ]
                if self.equiv
                else []
            ),
            "# spans may nest, cross and share offsets",
            _OVERLAP_RULE,
            "",
            "[events]",
            "",
            "[attributes]",
            f"{UNCERTAIN_ATTRIBUTE}\tArg:<ENTITY>",
            f"{ORIGIN_ATTRIBUTE}\tArg:<ENTITY>, Value:{'|'.join(ORIGIN_VALUES)}",
            *(
                f"{name}\tArg:{'|'.join(labels)}" + (f", Value:{'|'.join(values)}" if values is not None else "")
                for name, (labels, values) in self.attributes.items()
            ),
        ]
        return "\n".join(lines) + "\n"


class _Names:
    """File names (without suffix, ``/``-separated, relative to the export folder) for the records written."""

    def __init__(self, out: Path, report: ExportReport) -> None:
        self.out = out
        self.report = report
        self.taken: set[str] = set()  # casefolded names written or reserved (file systems may ignore case)
        self.seen: set[str] = set()  # bases of the ids seen so far
        self.single: dict[str, tuple[str, str]] = {}  # base -> (annotator, name) while only one record has it

    def write(self, record: DocumentRecord, text: str, ann: str | None, labels: str | None = None) -> None:
        """Write the ``.txt`` and, unless ``ann`` is ``None`` (a document nobody annotated), the ``.ann``; and the
        document labels file when ``labels`` (its JSON) is given."""
        name = self.claim(record)
        text_path, ann_path, labels_path = self.paths(name)
        make_folder(text_path.parent)
        atomic_write_text(text_path, text)
        self.report.files.append(text_path)
        if ann is not None:
            atomic_write_text(ann_path, ann)
            self.report.files.append(ann_path)
        if labels is not None:
            atomic_write_text(labels_path, labels)
            self.report.files.append(labels_path)

    def claim(self, record: DocumentRecord) -> str:
        base = base_name(record.id)
        if base not in self.seen:
            self.seen.add(base)
            name = self.unique(base)
            self.single[base] = (record.annotator, name)
            return name
        if base in self.single:  # a second record with this id: the first one gets its annotator's name too
            annotator, name = self.single.pop(base)
            self.rename(name, self.unique(_with_annotator(base, annotator)))
        return self.unique(_with_annotator(base, record.annotator))

    def unique(self, name: str) -> str:
        candidate, number = name, 1
        while candidate.casefold() in self.taken:
            number += 1
            candidate = f"{name}-{number}"
        self.taken.add(candidate.casefold())
        return candidate

    def paths(self, name: str) -> tuple[Path, Path, Path]:
        return self.out / (name + TEXT_SUFFIX), self.out / (name + ANN_SUFFIX), self.out / (name + LABELS_SUFFIX)

    def rename(self, old: str, new: str) -> None:
        for source, target in zip(self.paths(old), self.paths(new), strict=True):
            if source not in self.report.files:
                continue  # no .ann for a document nobody annotated
            try:
                os.replace(source, target)
            except OSError as error:
                raise FileFault(target, f"could not rename {source.name} to it ({error.strerror or error})") from error
            self.report.files = [target if path == source else path for path in self.report.files]


def _with_annotator(base: str, annotator: str) -> str:
    """``<base>.<annotator>``, its last part cut to a safe file-name length."""
    folder, _slash, name = base.rpartition("/")
    name = safe_file_name(f"{name}.{annotator_folder_name(annotator)}") or "_"
    return f"{folder}/{name}" if folder else name


def base_name(record_id: str) -> str:
    """The file name (without suffix) for the record id ``record_id``: its ``/``-separated parts, each made file-name
    safe (``..`` and other unsafe names become ``_``), empty parts dropped; ``"document"`` when nothing is left."""
    parts = [safe_file_name(part) or "_" for part in record_id.split("/") if part not in ("", ".")]
    return "/".join(parts) or "document"


# ---------------------------------------------------------------------------------------------------- reading


def read_brat(path: Path, options: ImportOptions | None = None) -> Iterator[ParsedRecord | RecordFault]:
    """The records of a brat folder (every ``.ann`` file under it and every ``.txt`` without one, in path order,
    hidden folders skipped) or of one ``.ann`` file, each read with the ``.txt`` file of the same name beside it.

    A record's id is the ``.ann`` path relative to the folder (for one file: its name) without ``.ann``
    (``news/a``); its ``where`` is that path (``news/a.ann``). The ``.txt`` is decoded as strict UTF-8 and kept as
    is (a BOM stays the character U+FEFF, since brat counts it in offsets); a UTF-8 BOM in the ``.ann`` is skipped.
    Lines are split as brat splits them (:meth:`str.splitlines`) and counted from 1; blank lines are skipped.

    - ``T`` lines become :class:`RawSpan` (``source_id`` ``"T3"``, ``where`` ``"line 7 T3"``) with the line's text,
      which :func:`~annotator.formats.checking.check_record` compares with the document (extra text after the
      span's text and whitespace is ignored, as brat ignores it). A discontinuous span (``0 5;7 12``) becomes one
      span from its first start to its last end when only whitespace or line breaks lie between its fragments and
      its text field equals the fragments' texts joined by spaces; otherwise it is rejected with its line.
    - ``R`` lines (two arguments, ``Arg1`` then ``Arg2``) become :class:`RawRelation` (``source_id`` ``"R3"``), so
      the spans and links imported keep their brat ids (``T7``, ``R3``) and an export writes them back.
    - ``#`` ``AnnotatorNotes`` lines on a ``T`` become its note (several notes are joined by line breaks).
    - ``A`` (and the older ``M``) ``Uncertain`` attributes on a ``T``: :class:`RawSpan` has no uncertain mark, so
      the marked ids are listed in ``meta["uncertain"]`` (:data:`annotator.formats.parsed.UNCERTAIN_KEY`, present
      only when there are any), which :func:`~annotator.formats.checking.check_record` applies.
    - ``A`` ``Origin`` attributes on a ``T`` (``A2\tOrigin T1 suggestion``, or ``suggestion-edited``; ``manual``
      changes nothing) give the span that origin, with the suggester ``"unknown"`` (:data:`UNKNOWN_SUGGESTER`:
      brat has no room for it) and no score; another value is rejected with its line.
    - Other ``A`` attributes on a ``T`` become its :attr:`RawSpan.attributes` (binary: true; valued: the value as
      text, ``"true"``/``"false"`` read as a bool for a bool attribute), and ``#`` notes of another type than
      ``AnnotatorNotes`` its text attributes (``#2\tgloss T1\ttext``); ``check_record`` checks them against the label
      set, naming the span's line and the attribute lines (``line 2 T1, with A3 on line 9``). ``*\tEquiv`` lines
      give their spans one entity (lines sharing a span are one entity), ``e1``, ``e2``... in order of first mention.
    - The document labels are read from ``<name>.document_labels.json`` beside the ``.ann`` when there is one.
    - Events (``E``), normalizations (``N``), other equivalences than ``Equiv``, unknown line kinds,
      malformed lines and repeated ids are rejected one by one in :attr:`ParsedRecord.rejected`
      (``"line 7: ..."``); the rest of the record is imported.

    A ``.ann`` without its ``.txt``, or one of them unreadable or not UTF-8, yields a :class:`RecordFault` in a
    folder. A ``.ann`` marks its document as annotated, even when empty (an annotation file with no spans); a
    ``.txt`` without ``.ann`` in a folder is a record nobody annotated (:attr:`ParsedRecord.annotated` false,
    ``where`` its ``.txt`` path).

    Raises
    ------
    FileFault
        At the call, if ``path`` is neither a folder nor a ``.ann`` file, or (for one ``.ann`` file) if it or its
        ``.txt`` cannot be read.
    """
    path = Path(path)
    if path.is_dir():
        return _folder_records(path)
    if path.is_file() and path.suffix.lower() == ANN_SUFFIX:
        item = _document(path, path.parent)
        if isinstance(item, RecordFault):
            raise FileFault(path, item.reason)
        return iter([item])
    if not path.exists():
        raise FileFault(path, "does not exist")
    raise FileFault(path, "is neither a folder of brat files nor a .ann file")


def _folder_records(folder: Path) -> Iterator[ParsedRecord | RecordFault]:
    unreadable: list[OSError] = []
    for ann_path in _ann_files(folder, unreadable):
        yield _document(ann_path, folder)
    for error in unreadable:
        where = Path(error.filename).relative_to(folder).as_posix() if error.filename else folder.name
        yield RecordFault(
            where or ".", f"the folder cannot be read ({error.strerror or error}); its files are not imported"
        )


def _ann_files(folder: Path, unreadable: list[OSError]) -> list[Path]:
    """The ``.ann`` files under ``folder``, and the ``.txt`` files without one (documents nobody annotated), hidden
    ones skipped, sorted; folders that cannot be read go to ``unreadable``."""
    found: list[Path] = []
    for root, folders, files in os.walk(folder, onerror=unreadable.append):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(Path(root) / name for name in files if name.lower().endswith(ANN_SUFFIX) and name[:1] != ".")
        stems = {name[: -len(ANN_SUFFIX)] for name in files if name.lower().endswith(ANN_SUFFIX)}
        found.extend(
            Path(root) / name
            for name in files
            if name.lower().endswith(TEXT_SUFFIX) and name[:1] != "." and name[: -len(TEXT_SUFFIX)] not in stems
        )
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _document(ann_path: Path, folder: Path) -> ParsedRecord | RecordFault:
    where = ann_path.relative_to(folder).as_posix()
    if ann_path.name.lower().endswith(TEXT_SUFFIX):  # a .txt without .ann: a document nobody annotated
        try:
            return ParsedRecord(where, where[: -len(TEXT_SUFFIX)], _decoded(ann_path, "utf-8"), annotated=False)
        except ValueError as error:
            return RecordFault(where, str(error))
    record_id = where[: -len(ANN_SUFFIX)]
    text_path = ann_path.with_name(ann_path.name[: -len(ANN_SUFFIX)] + TEXT_SUFFIX)
    if not text_path.is_file():
        return RecordFault(where, f"its text file {text_path.name} is missing (brat keeps the text beside the .ann)")
    try:
        text = _decoded(text_path, "utf-8")
        content = _decoded(ann_path, "utf-8-sig")
    except ValueError as error:
        return RecordFault(where, str(error))
    labels_path = ann_path.with_name(ann_path.name[: -len(ANN_SUFFIX)] + LABELS_SUFFIX)
    labels, fault = _document_labels(labels_path)
    record = parse_ann(content, text, where, record_id, labels)
    if fault:
        record.rejected.append(fault)
    return record


def _document_labels(path: Path) -> tuple[object, str]:
    """``(the document labels in the file path, or None; why it cannot be read, or "")``."""
    if not path.is_file():
        return None, ""
    try:
        return json.loads(_decoded(path, "utf-8-sig")), ""
    except ValueError as error:
        return None, f"{path.name}: its document labels are not imported ({error})"


def _decoded(path: Path, encoding: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"could not read {path.name} ({error.strerror or error})") from error
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(f"{path.name} is not UTF-8 (line {line}: {error.reason})") from error


@dataclass
class _Parse:
    """What :func:`parse_ann` collects while reading lines."""

    text: str
    spans: list[RawSpan] = field(default_factory=list)
    relations: list[RawRelation] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    uncertain: dict[str, int] = field(default_factory=dict)  # T id -> line marking it
    origins: dict[str, str] = field(default_factory=dict)  # T id -> its Origin attribute's value
    ids: dict[str, int] = field(default_factory=dict)  # annotation id -> its line
    t_ids: set[str] = field(default_factory=set)  # T ids read (kept or rejected)
    rejected: list[str] = field(default_factory=list)
    spans_rejected: int = 0  # T lines rejected
    pending: list[tuple[int, str, str]] = field(default_factory=list)  # (line, T id, what) notes/marks to place
    attributes: dict[str, dict[str, object]] = field(default_factory=dict)  # T id -> {name: value as found}
    attribute_lines: dict[str, list[str]] = field(default_factory=dict)  # T id -> ["A1 on line 10"...]
    equivs: list[list[str]] = field(default_factory=list)  # T ids of each entity, equivalences sharing one merged


def parse_ann(
    content: str, text: str, where: str, record_id: str | None = None, document_labels: object = None
) -> ParsedRecord:
    """The record of the ``.ann`` content ``content`` over ``text`` with the ``document_labels`` read beside it
    (rules in :func:`read_brat`)."""
    state = _Parse(text)
    for number, line in enumerate(content.splitlines(), start=1):
        if line.strip():
            _line(state, number, line)
    for number, t_id, what in state.pending:
        if t_id not in state.t_ids:
            state.rejected.append(f"line {number}: {what} refers to {t_id!r}, which is not a span of this file")
    notes = {t_id: "\n".join(texts) for t_id, texts in state.notes.items()}
    spans = [
        RawSpan(s.start, s.end, s.label, s.text, notes.get(s.source_id or "", ""), s.source_id, s.where)
        for s in state.spans
    ]
    spans = [
        replace(s, origin=state.origins[s.source_id], suggester=UNKNOWN_SUGGESTER)
        if s.source_id in state.origins
        else s
        for s in spans
    ]
    entity_of = {t_id: f"e{number}" for number, group in enumerate(state.equivs, start=1) for t_id in group}
    spans = [
        replace(
            s,
            attributes=state.attributes.get(s.source_id or ""),
            entity=entity_of.get(s.source_id or ""),
            where=", with ".join([s.where, *state.attribute_lines.get(s.source_id or "", [])]),
        )
        for s in spans
    ]
    kept = {span.source_id for span in spans}
    meta: dict[str, object] = {}
    uncertain = sorted((t_id for t_id in state.uncertain if t_id in kept), key=state.uncertain.__getitem__)
    if uncertain:
        meta[UNCERTAIN_KEY] = uncertain
    return ParsedRecord(
        where=where,
        id=record_id,
        text=text,
        spans=spans,
        relations=state.relations,
        meta=meta,
        rejected=state.rejected,
        spans_rejected=state.spans_rejected,
        document_labels=document_labels,
    )


_UNSUPPORTED = {
    "E": "events are not supported",
    "N": "normalizations are not supported",
}


def _line(state: _Parse, number: int, line: str) -> None:
    ident, tab, rest = line.partition("\t")
    if not tab:
        state.rejected.append(f"line {number}: not a brat annotation (no tab after the id): {shown(line)}")
        return
    kind = ident[:1]
    if kind in _UNSUPPORTED:
        state.rejected.append(f"line {number}: {ident} is not imported: {_UNSUPPORTED[kind]}")
        return
    parsers = {"T": _span_line, "R": _relation_line, "A": _attribute_line, "M": _attribute_line, "#": _note_line}
    if kind == "*":
        _equiv_line(state, number, ident, rest)
        return
    parser = parsers.get(kind)
    if parser is None:
        state.rejected.append(f"line {number}: {shown(ident)} is not a known brat annotation kind (T, R, A, #...)")
        return
    if ident in state.ids:
        state.rejected.append(f"line {number}: the id {ident} is already used on line {state.ids[ident]}")
        state.spans_rejected += kind == "T"
        return
    state.ids[ident] = number
    if kind == "T":
        state.t_ids.add(ident)
    parser(state, number, ident, rest)


def _span_line(state: _Parse, number: int, ident: str, rest: str) -> None:
    data, tab, field_text = rest.partition("\t")
    label, space, offsets = data.partition(" ")
    pieces = _offsets(offsets)
    if not label or not space or pieces is None:
        state.rejected.append(f"line {number}: {ident} is not 'T<n><TAB><label> <start> <end><TAB><text>'")
        state.spans_rejected += 1
        return
    written = field_text if tab else None
    where = f"line {number} {ident}"
    if len(pieces) == 1:
        start, end = pieces[0]
        state.spans.append(RawSpan(start, end, label, _span_text(written, state.text, start, end), "", ident, where))
        return
    fault = _fragments_fault(pieces, state.text, written)
    if fault:
        state.rejected.append(f"line {number}: {ident} {label} {offsets}: {fault}")
        state.spans_rejected += 1
        return
    state.spans.append(RawSpan(pieces[0][0], pieces[-1][1], label, None, "", ident, where))


def _offsets(value: str) -> list[tuple[int, int]] | None:
    """``"0 5;7 12"`` as ``[(0, 5), (7, 12)]`` sorted; ``None`` when not pairs of whole numbers."""
    pieces = []
    for part in value.split(";"):
        numbers = part.split()
        if len(numbers) != 2 or not all(n.isascii() and n.isdigit() for n in numbers):
            return None
        pieces.append((int(numbers[0]), int(numbers[1])))
    return sorted(pieces)


def _span_text(written: str | None, text: str, start: int, end: int) -> str | None:
    """The line's text field as the span's text: brat ignores what follows the span's text after whitespace."""
    if written is None:
        return None
    if 0 <= start <= end <= len(text):
        expected = text[start:end]
        if written.startswith(expected) and written[len(expected) :][:1].isspace():
            return expected
    return written


def _fragments_fault(pieces: list[tuple[int, int]], text: str, written: str | None) -> str:
    """Why the fragments ``pieces`` cannot be one span of ``text``; ``""`` when they can."""
    if any(start > end or start < 0 or end > len(text) for start, end in pieces):
        return f"a fragment is reversed or outside the text (0 to {len(text)} code points)"
    for (_, end), (start, _) in itertools.pairwise(pieces):
        if start < end:
            return "its fragments overlap"
        gap = text[end:start]
        if not all(character.isspace() or character in LINE_BREAKS for character in gap):
            return (
                f"the span is discontinuous ({shown(gap)} lies between two fragments); discontinuous spans are not "
                "supported"
            )
    expected = " ".join(text[start:end] for start, end in pieces)
    if written is not None and _span_text(written, expected, 0, len(expected)) != expected:
        return (
            f"its text {shown(written)} does not match its fragments ({shown(expected)}); are the offsets code points?"
        )
    return ""


def _relation_line(state: _Parse, number: int, ident: str, rest: str) -> None:
    link_type, *arguments = rest.partition("\t")[0].split() or [""]
    pairs = [argument.partition(":") for argument in arguments]
    if not link_type or len(pairs) != 2 or any(not name or not colon or not value for name, colon, value in pairs):
        state.rejected.append(f"line {number}: {ident} is not 'R<n><TAB><type> Arg1:<id> Arg2:<id>'")
        return
    names = {pair[0] for pair in pairs}
    if names == {"Arg1", "Arg2"} and pairs[0][0] == "Arg2":
        pairs.reverse()
    state.relations.append(RawRelation(link_type, pairs[0][2], pairs[1][2], f"line {number} {ident}", ident))


def _attribute_line(state: _Parse, number: int, ident: str, rest: str) -> None:
    name, *arguments = rest.partition("\t")[0].split() or [""]
    if name == ORIGIN_ATTRIBUTE:
        _origin_attribute(state, number, ident, arguments)
        return
    if name != UNCERTAIN_ATTRIBUTE:
        _span_attribute(state, number, ident, rest.partition("\t")[0])
        return
    if len(arguments) not in (1, 2) or (len(arguments) == 2 and arguments[1].lower() not in ("true", "yes", "1")):
        state.rejected.append(f"line {number}: {ident} is not '{ident[:1]}<n><TAB>{UNCERTAIN_ATTRIBUTE} T<k>'")
        return
    target = arguments[0]
    if not target.startswith("T"):
        state.rejected.append(f"line {number}: {ident} marks {target}, not a span, as uncertain; not imported")
        return
    state.uncertain.setdefault(target, number)
    state.pending.append((number, target, f"the uncertain mark {ident}"))


def _origin_attribute(state: _Parse, number: int, ident: str, arguments: list[str]) -> None:
    values = "|".join(("manual", *ORIGIN_VALUES))
    if len(arguments) != 2 or arguments[1] not in ("manual", *ORIGIN_VALUES) or not arguments[0].startswith("T"):
        state.rejected.append(
            f"line {number}: {ident} is not '{ident[:1]}<n><TAB>{ORIGIN_ATTRIBUTE} T<k> {values}'; not imported"
        )
        return
    target, value = arguments
    if value != "manual":
        state.origins.setdefault(target, value)
    state.pending.append((number, target, f"the origin {ident}"))


def _span_attribute(state: _Parse, number: int, ident: str, data: str) -> None:
    """An attribute of the label set (``A1\tNegated T1``: true; ``A2\tkind T1 person``: the value, which may hold
    spaces, as brat reads it); :func:`~annotator.formats.checking.check_record` checks it against the label set."""
    name, _space, tail = data.partition(" ")
    target, _space, value = tail.lstrip(" ").partition(" ")
    if not name or not target:
        state.rejected.append(f"line {number}: {ident} is not '{ident[:1]}<n><TAB><attribute> T<k> [<value>]'")
        return
    if not target.startswith("T"):
        state.rejected.append(
            f"line {number}: {ident}: the attribute {shown(name)} of {target} (not a span) is not imported"
        )
        return
    _set_attribute(state, number, ident, target, name, value if value else True)


def _set_attribute(state: _Parse, number: int, ident: str, target: str, name: str, value: object) -> None:
    found = state.attributes.setdefault(target, {})
    if name in found:
        state.rejected.append(f"line {number}: {ident}: {target} already has the attribute {shown(name)}; not imported")
        return
    found[name] = value
    state.attribute_lines.setdefault(target, []).append(f"{ident} on line {number}")
    state.pending.append((number, target, f"the attribute {ident}"))


def _equiv_line(state: _Parse, number: int, ident: str, rest: str) -> None:
    """``*\tEquiv T1 T4``: the spans are mentions of one entity; lines sharing a span are one entity (as in brat)."""
    equiv_type, *members = rest.partition("\t")[0].split() or [""]
    if equiv_type != EQUIV_TYPE or not members:
        state.rejected.append(
            f"line {number}: {ident} is not imported: only '*<TAB>{EQUIV_TYPE} T<k> T<m>...' lines are"
        )
        return
    if any(not member.startswith("T") for member in members):
        state.rejected.append(f"line {number}: {ident}: an equivalence of other than spans is not imported")
        return
    group = list(dict.fromkeys(members))
    for other in [g for g in state.equivs if set(g) & set(group)]:
        state.equivs.remove(other)
        group = list(dict.fromkeys([*other, *group]))
    state.equivs.append(group)
    state.equivs.sort(key=lambda g: min(state.ids.get(t, 0) for t in g))
    for member in members:
        state.pending.append((number, member, f"the equivalence on line {number}"))


def _note_line(state: _Parse, number: int, ident: str, rest: str) -> None:
    data, _tab, note = rest.partition("\t")
    parts = data.split()
    if len(parts) != 2:
        state.rejected.append(f"line {number}: {ident}: only '{NOTE_TYPE} T<k>' notes are imported")
        return
    target = parts[1]
    if not target.startswith("T"):
        state.rejected.append(f"line {number}: {ident}: notes on {target} (not a span) are not imported")
        return
    if parts[0] != NOTE_TYPE:  # a text attribute, written as a note of its name
        _set_attribute(state, number, ident, target, parts[0], note)
        return
    state.notes.setdefault(target, []).append(note)
    state.pending.append((number, target, f"the note {ident}"))
