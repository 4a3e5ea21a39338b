"""Label Studio JSON: a list of tasks, each one document with one annotation per annotator.

Format: https://labelstud.io/guide/task_format (tasks and annotations) and
https://labelstud.io/guide/export#Label-Studio-JSON-format-of-annotated-tasks (the export this matches). Written::

    [{"id": 1,
      "data": {"text": "Sullivan warned China.", "doc_id": "news/a"},
      "annotations": [{"id": 1, "annotator": "alice", "meta": {"status": "done"},
                       "was_cancelled": false, "ground_truth": false,
                       "result": [{"id": "s1", "from_name": "label", "to_name": "text", "type": "labels",
                                   "origin": "manual",
                                   "value": {"start": 0, "end": 8, "text": "Sullivan", "labels": ["actor"]}},
                                  {"id": "s2", ..., "value": {"start": 9, "end": 21, "text": "warned China",
                                                               "labels": ["warning"]},
                                   "meta": {"text": ["cue verb?"]}},
                                  {"type": "relation", "from_id": "s2", "to_id": "s1", "direction": "right",
                                   "labels": ["source"]}]}],
      "predictions": [{"model_version": "string-match", "score": 0.75, "annotator": "alice",
                       "result": [{"id": "g1", ..., "type": "labels", "origin": "prediction", "score": 0.75,
                                   "value": {"start": 23, "end": 31, "text": "Sullivan", "labels": ["actor"]},
                                   "meta": {"text": ["labeled actor 3 of 4 times"]}}]}]}]

Rules
-----
- Records with the same id and text become one task with one annotation per record, in the order met. A record
  annotated with nothing found is an annotation with an empty ``result``; a document nobody annotated
  (``export --include-unannotated``) a task without annotations.
- Offsets are Unicode code points, as Label Studio 1.x stores them for ``<Text>``; versions before the fix counted
  UTF-16 code units (JavaScript string length), which shifts every span after an emoji or other astral character
  (https://github.com/HumanSignal/label-studio/issues/1347, fixed by
  https://github.com/HumanSignal/label-studio-frontend/pull/308). On reading, ``ImportOptions.offsets`` says which
  (``"codepoints"`` or ``"utf16"``); without it, offsets are read as code points and a region whose end lies after
  an astral character is rejected unless its ``value.text`` confirms them, never shifted silently.
- The document's metadata (``meta["metadata"]``: doccano's extra keys, or the ``data`` fields and task ``meta``
  of a Label Studio import) is written back as ``data`` fields after ``text`` and ``doc_id`` (a metadata key
  ``text`` or ``doc_id`` cannot be, and is left out), its ``meta`` key, when an object, as the task's ``meta``. Two
  records of one task: the first one's metadata is written.
- The annotator's name goes in the annotation's ``"annotator"`` key and the record's other ``meta`` in its ``"meta"``
  key. Neither is a Label Studio field (Label Studio ignores them on import); ``"completed_by"`` is left out because
  Label Studio maps it to one of its user accounts by id or e-mail and refuses the whole import when none matches.
- A span's origin is the region's ``origin``, in Label Studio's words: ``"manual"``, ``"prediction"`` (accepted from
  a suggestion as is) or ``"prediction-changed"`` (accepted, then resized or relabeled); a span from a suggestion
  also has ``"score"`` (Label Studio's per-region score) and ``"suggester"`` (ours; Label Studio keeps it unread).
- Pending suggestions are the task's ``predictions`` (Label Studio's pre-annotations:
  https://labelstud.io/guide/predictions), one per record and suggester: ``model_version`` the suggester,
  ``score`` the mean of its suggestions' scores, ``"annotator"`` (ours) the record's annotator; each suggestion a
  ``labels`` region with its own ``score`` and its reason as ``meta.text``, its suggested links ``relation``
  results. Rejected suggestions cannot be held (:func:`annotator.formats.exporting.export` reports them).
- Span attributes are per-region results (https://labelstud.io/tags/choices, ``perRegion``): the region's ``id``,
  ``from_name`` the attribute, ``value`` ``{"start", "end", "choices": ["direct"]}`` for a bool (``"true"``,
  ``"false"``) or enum attribute, ``{"start", "end", "text": ["..."]}`` (``type`` ``"textarea"``) for a text one;
  a span's entity is a per-region ``textarea`` named ``entity``. Document labels are per-task ``choices`` results
  (no ``id``, ``value`` ``{"choices": [...]}``). Label Studio relations have no attributes (each is reported).
  The labeling configuration gains the matching ``<Choices>``/``<TextArea>`` tags (``perRegion="true"`` for spans).
- Notes are the region's ``meta.text`` (Label Studio's region meta). Links are ``relation`` results with
  ``direction`` ``"right"`` (from ``from_id`` to ``to_id``). Uncertain marks cannot be held (reported as
  ``"not_exported"``).
- Beside ``<out>`` the labeling configuration ``<out stem>.label_config.xml`` is written
  (``<View><Labels name="label" toName="text">...<Text name="text" value="$text"/><Relations>...``), so the tasks
  import into a Label Studio project set up with it. Labels and link types are XML-escaped; any holding
  characters XML 1.0 cannot carry (most C0 controls) are left out of the configuration.

Reading (:func:`read_label_studio`): see there.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import quoteattr

from annotator.formats.checking import id_text, is_text, score_fault, shown
from annotator.formats.files import make_folder, read_utf8, write_text
from annotator.formats.options import ExportOptions, ImportOptions, OffsetUnit
from annotator.formats.parsed import ParsedRecord, RawRelation, RawSpan, RawSuggestion, RecordFault
from annotator.formats.records import METADATA_KEY, DocumentRecord
from annotator.formats.report import ExportReport, Problem, count
from annotator.io.atomic import atomic_write_text, atomic_writer
from annotator.io.errors import FileFault
from annotator.model.labels import LabelSet
from annotator.model.offsets import Utf16Offsets
from annotator.model.pending import PendingSuggestion
from annotator.model.span import Span

FORMAT_NAME = "label-studio"
CONFIG_SUFFIX = ".label_config.xml"
FROM_NAME = "label"
TO_NAME = "text"
# characters XML 1.0 cannot hold at all, not even as character references
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: A span's origin as Label Studio names a result's ``origin`` (the frontend's vocabulary), and back.
LS_ORIGIN = {"manual": "manual", "suggestion": "prediction", "suggestion-edited": "prediction-changed"}
SPAN_ORIGIN = {value: key for key, value in LS_ORIGIN.items()}
#: The suggester named when Label Studio says a region came from a prediction but not which model made it.
UNNAMED_SUGGESTER = "label-studio"
#: The ``from_name`` of the per-region ``textarea`` result holding a span's entity id.
ENTITY_NAME = "entity"


# ---------------------------------------------------------------------------------------------------- writing


def config_path_for(out: Path) -> Path:
    """The labeling configuration written beside ``out``: ``tasks.json`` -> ``tasks.label_config.xml``."""
    out = Path(out)
    return out.with_name(out.stem + CONFIG_SUFFIX)


def region(span: Span) -> dict[str, Any]:
    """The ``labels`` result of ``span`` (with ``meta.text`` when it has a note): ``origin`` is ``"manual"``,
    ``"prediction"`` (accepted from a suggestion as is) or ``"prediction-changed"`` (accepted, then edited), and a
    span from a suggestion also has ``"score"`` (when known; Label Studio's per-region score) and ``"suggester"``
    (ours; Label Studio keeps it in the result but does not show it)."""
    item: dict[str, Any] = {
        "id": span.id,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": LS_ORIGIN[span.origin],
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }
    if span.origin != "manual":
        if span.score is not None:
            item["score"] = span.score
        item["suggester"] = span.suggester
    if span.note:
        item["meta"] = {"text": [span.note]}
    return item


def prediction_objects(record: DocumentRecord) -> list[dict[str, Any]]:
    """The record's pending suggestions as Label Studio predictions, one per suggester (in the order met):
    ``{"model_version": <suggester>, "score": <mean score>, "annotator": <the record's annotator>, "result":
    [...]}``; each suggestion is a ``labels`` result (its id the suggestion's id, ``"origin": "prediction"``, its
    ``"score"``, its reason as the region's ``meta.text``), its suggested links ``relation`` results."""
    groups: dict[str, list[PendingSuggestion]] = {}
    for suggestion in record.suggestions:
        groups.setdefault(suggestion.suggester, []).append(suggestion)
    predictions = []
    for suggester, suggestions in groups.items():
        result: list[dict[str, Any]] = []
        for suggestion in suggestions:
            item: dict[str, Any] = {
                "id": suggestion.id,
                "from_name": FROM_NAME,
                "to_name": TO_NAME,
                "type": "labels",
                "origin": "prediction",
                "score": suggestion.score,
                "value": {
                    "start": suggestion.start,
                    "end": suggestion.end,
                    "text": suggestion.text,
                    "labels": [suggestion.label],
                },
            }
            if suggestion.reason:
                item["meta"] = {"text": [suggestion.reason]}
            result.append(item)
        result.extend(
            {"type": "relation", "from_id": k.from_, "to_id": k.to, "direction": "right", "labels": [k.type]}
            for suggestion in suggestions
            for k in suggestion.links
        )
        prediction: dict[str, Any] = {
            "model_version": suggester,
            "score": sum(s.score for s in suggestions) / len(suggestions),
        }
        if record.annotator:
            prediction["annotator"] = record.annotator
        prediction["result"] = result
        predictions.append(prediction)
    return predictions


def attribute_results(span: Span, label_set: LabelSet | None) -> list[dict[str, Any]]:
    """The per-region results of ``span``'s attributes and entity, each with the region's ``id`` (as Label Studio
    links per-region results to their region) and its ``start``/``end`` in ``value``: a bool or enum attribute a
    ``choices`` result (``from_name`` the attribute's name, ``"choices": ["direct"]``; ``"true"``/``"false"`` for a
    bool), a text attribute a ``textarea`` result (``"text": ["..."]``), the entity a ``textarea`` result named
    :data:`ENTITY_NAME`. Without a label set, a bool value is a choice, a string a choice too."""
    results = []
    place = {"start": span.start, "end": span.end}
    for name, value in span.attributes.items():
        attribute = label_set.attribute(name, "span") if label_set is not None else None
        item: dict[str, Any] = {"id": span.id, "from_name": name, "to_name": TO_NAME}
        if attribute is not None and attribute.type == "text":
            item.update(type="textarea", value={**place, "text": [value]})
        else:
            choice = ("true" if value else "false") if isinstance(value, bool) else value
            item.update(type="choices", value={**place, "choices": [choice]})
        results.append(item)
    if span.entity:
        results.append(
            {
                "id": span.id,
                "from_name": ENTITY_NAME,
                "to_name": TO_NAME,
                "type": "textarea",
                "value": {**place, "text": [span.entity]},
            }
        )
    return results


def document_label_results(record: DocumentRecord) -> list[dict[str, Any]]:
    """The record's document labels as per-task ``choices`` results (no region id, no offsets): ``from_name`` the
    label's name, ``"choices"`` its value (all of them for a ``multiple`` one)."""
    return [
        {
            "from_name": name,
            "to_name": TO_NAME,
            "type": "choices",
            "value": {"choices": list(value) if isinstance(value, list) else [value]},
        }
        for name, value in record.document_labels.items()
    ]


def annotation_object(record: DocumentRecord, number: int) -> dict[str, Any]:
    """The annotation of ``record`` (its ``id`` is ``number``): spans as regions (each followed by its per-region
    attribute results), then links as relations, then the document labels."""
    result = []
    for span in record.spans:
        result.append(region(span))
        result.extend(attribute_results(span, record.label_set))
    result.extend(
        {"type": "relation", "from_id": r.from_, "to_id": r.to, "direction": "right", "labels": [r.type]}
        for r in record.relations
    )
    result.extend(document_label_results(record))
    annotation: dict[str, Any] = {"id": number}
    if record.annotator:
        annotation["annotator"] = record.annotator
    meta = {key: value for key, value in record.meta.items() if key != METADATA_KEY}
    if meta:
        annotation["meta"] = meta
    annotation.update({"was_cancelled": False, "ground_truth": False, "result": result})
    return annotation


def task_object(number: int, record: DocumentRecord) -> dict[str, Any]:
    """The task (its ``id`` is ``number``) of ``record``'s document, without annotations yet: ``data`` holds the text,
    the record id and the document's metadata (its ``meta`` key, when an object, is the task's ``meta``)."""
    data: dict[str, Any] = {"text": record.text, "doc_id": record.id}
    task: dict[str, Any] = {"id": number, "data": data}
    metadata = record.metadata
    data.update((k, v) for k, v in metadata.items() if k not in data and not (k == "meta" and isinstance(v, dict)))
    if isinstance(metadata.get("meta"), dict):
        task["meta"] = metadata["meta"]
    task.update({"annotations": [], "predictions": []})
    return task


def label_config(
    labels: Iterable[str], link_types: Iterable[str], label_set: LabelSet | None = None, entities: bool = False
) -> str:
    """The labeling configuration (XML) for ``labels`` and ``link_types``, in the order given; with ``label_set``,
    its span attributes as per-region controls (``<Choices ... perRegion="true">``, ``<TextArea ...
    perRegion="true">``) and its document labels as ``<Choices>`` of the task; with ``entities``, the per-region
    ``<TextArea name="entity">`` holding a span's entity id."""
    lines = ["<View>", f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">']
    lines.extend(f"    <Label value={quoteattr(name)}/>" for name in labels if not _NOT_XML.search(name))
    lines.extend(["  </Labels>", f'  <Text name="{TO_NAME}" value="${TO_NAME}"/>'])
    relations = [f"    <Relation value={quoteattr(name)}/>" for name in link_types if not _NOT_XML.search(name)]
    if relations:
        lines.extend(["  <Relations>", *relations, "  </Relations>"])
    for attribute in label_set.attributes if label_set is not None else ():
        if attribute.on != "span" or _NOT_XML.search(attribute.name):
            continue  # Label Studio relations have no attributes (reported)
        name = quoteattr(attribute.name)
        if attribute.type == "text":
            lines.append(f'  <TextArea name={name} toName="{TO_NAME}" perRegion="true"/>')
            continue
        values = attribute.values if attribute.type == "enum" else ("true", "false")
        lines.append(f'  <Choices name={name} toName="{TO_NAME}" perRegion="true" choice="single">')
        lines.extend(f"    <Choice value={quoteattr(v)}/>" for v in values if not _NOT_XML.search(v))
        lines.append("  </Choices>")
    if entities:
        lines.append(f'  <TextArea name="{ENTITY_NAME}" toName="{TO_NAME}" perRegion="true"/>')
    for document_label in label_set.document_labels if label_set is not None else ():
        if _NOT_XML.search(document_label.name):
            continue
        choice = "multiple" if document_label.multiple else "single"
        lines.append(f'  <Choices name={quoteattr(document_label.name)} toName="{TO_NAME}" choice="{choice}">')
        lines.extend(f"    <Choice value={quoteattr(v)}/>" for v in document_label.values if not _NOT_XML.search(v))
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def write_label_studio(records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` to the file ``out`` as a Label Studio task list, and the labeling configuration beside it
    (rules in the module docstring).

    Records are consumed one at a time; their tasks wait in a temporary file (a task gathers every annotator's
    record of its document) and are written one at a time at the end, so memory holds one task.
    ``options`` is not used (Label Studio holds overlapping spans and has no tokens).

    Returns
    -------
    ExportReport
        ``files == [out, <out stem>.label_config.xml]``; ``documents``: records written (annotations, not tasks);
        ``problems``: one ``"not_exported"`` per uncertain span. Rejected suggestions, which Label Studio has no
        room for, are reported by :func:`annotator.formats.exporting.export`.

    Raises
    ------
    FileFault
        If a file cannot be written or a record's ``meta`` is not JSON-serialisable (nothing is written then).
    """
    del options  # nothing to choose: Label Studio holds overlapping spans
    out = Path(out)
    config = config_path_for(out)
    report = ExportReport(FORMAT_NAME)
    # A task gathers the annotations of every record of its document, which a project gives annotator by
    # annotator: the pieces wait pickled in a temporary file, and the tasks are written one by one at the end.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    pieces: list[list[int]] = []  # per task, the offsets in ``spool`` of its skeleton and of each record's part
    task_of: dict[tuple[str, int, bytes], int] = {}  # (id, length, SHA-256 of the text) -> task index
    labels: dict[str, None] = {}
    link_types: dict[str, None] = {}
    label_set: LabelSet | None = None
    entities = False
    try:
        for number, record in enumerate(records, start=1):
            label_set = label_set or record.label_set
            entities = entities or any(span.entity for span in record.spans)
            _add_record(spool, pieces, task_of, number, record)
            _tally_record(report, record, labels, link_types)
        make_folder(out.parent)
        with atomic_writer(out) as file:
            _write_tasks(file, out, spool, pieces)
    except OSError as error:  # the temporary file of the pieces
        reason = error.strerror or str(error)
        raise FileFault(out, f"could not save ({reason}); the previous file, if any, is unchanged") from error
    finally:
        spool.close()
    atomic_write_text(config, label_config(labels, link_types, label_set, entities))
    report.files.extend([out, config])
    return report


def _add_record(
    spool: BinaryIO,
    pieces: list[list[int]],
    task_of: dict[tuple[str, int, bytes], int],
    number: int,
    record: DocumentRecord,
) -> None:
    """Pickle to ``spool`` the task of ``record``'s document when it is the first record of it, then the record's
    annotation (``None`` when nobody annotated it) and predictions, noting the offsets in ``pieces``."""
    key = (record.id, len(record.text), hashlib.sha256(record.text.encode("utf-8", "surrogatepass")).digest())
    index = task_of.get(key)
    if index is None:
        index = task_of[key] = len(pieces)
        pieces.append([spool.tell()])
        pickle.dump(task_object(index + 1, record), spool)
    pieces[index].append(spool.tell())
    annotation = annotation_object(record, number) if record.annotated else None
    pickle.dump((annotation, prediction_objects(record)), spool)


def _write_tasks(file: BinaryIO, out: Path, spool: BinaryIO, pieces: list[list[int]]) -> None:
    """Write the task list, task by task, as ``json.dumps(tasks, ensure_ascii=False, indent=1)`` would."""
    if not pieces:
        write_text(file, out, "[]\n")
        return
    for index, offsets in enumerate(pieces):
        spool.seek(offsets[0])
        task = pickle.load(spool)
        for offset in offsets[1:]:
            spool.seek(offset)
            annotation, predictions = pickle.load(spool)
            if annotation is not None:  # a document nobody annotated is a task without annotations
                task["annotations"].append(annotation)
            task["predictions"].extend(predictions)
        try:
            content = json.dumps(task, ensure_ascii=False, allow_nan=False, indent=1)
        except (TypeError, ValueError) as error:
            raise FileFault(out, f"a record's meta cannot be written as JSON ({error})") from error
        head = "[\n " if index == 0 else ",\n "
        write_text(file, out, head + content.replace("\n", "\n "))
    write_text(file, out, "\n]\n")


def _tally_record(
    report: ExportReport, record: DocumentRecord, labels: dict[str, None], link_types: dict[str, None]
) -> None:
    """Note ``record``'s labels and link types for the configuration, and count and report it."""
    if record.label_set is not None:  # every label and relation type of the set, in its order
        labels.update(dict.fromkeys(record.label_set.names))
        link_types.update(dict.fromkeys(t.name for t in record.label_set.relation_types))
    labels.update(dict.fromkeys(span.label for span in record.spans))
    labels.update(dict.fromkeys(suggestion.label for suggestion in record.suggestions))
    link_types.update(dict.fromkeys(relation.type for relation in record.relations))
    link_types.update(dict.fromkeys(link.type for s in record.suggestions for link in s.links))
    report.documents += 1
    report.spans += len(record.spans)
    report.problems.extend(
        Problem(
            record.key,
            span.start,
            span.end,
            span.label,
            span.text,
            "not_exported",
            "Label Studio has no uncertain mark; the span is written as certain",
        )
        for span in record.spans
        if span.uncertain
    )
    spans = {span.id: span for span in record.spans}
    report.problems.extend(
        Problem(
            record.key,
            spans[r.from_].start,
            spans[r.from_].end,
            spans[r.from_].label,
            spans[r.from_].text,
            "not_exported",
            f"the attributes of its {r.type!r} link ("
            + ", ".join(f"{k}={v!r}" for k, v in r.attributes.items())
            + ") are not written: Label Studio relations have no attributes",
        )
        for r in record.relations
        if r.attributes and r.from_ in spans
    )


# ---------------------------------------------------------------------------------------------------- reading


def read_label_studio(path: Path, options: ImportOptions | None = None) -> Iterator[ParsedRecord | RecordFault]:
    """The records of a Label Studio JSON export ``path``: a list of tasks, or one task object.

    Per task (counted from 1; ``where`` ``"<file> task <n>"``):

    - the text is ``data["text"]``, or the only string in ``data`` besides ``doc_id`` (a task without ``"data"``
      is its own data, as in Label Studio); none, or several candidates: :class:`RecordFault`;
    - the id is ``data["doc_id"]`` (as written by :func:`write_label_studio`), else the task's ``"id"``;
    - the document's metadata (``meta["metadata"]`` of each record, present only when not empty) is every ``data``
      field besides the text and ``doc_id`` (``url``, ``title``...), plus the task's ``meta`` (when a non-empty
      object) as its key ``meta``; a ``data`` field named ``meta`` takes precedence and the task's ``meta`` is then
      rejected with its place. Label Studio's bookkeeping keys of a task (``created_at``, ``inner_id``...) are not
      metadata and are not read;
    - each annotation (``"annotations"``, or the older ``"completions"``) becomes one :class:`ParsedRecord`
      (``where`` ``"<file> task <n> annotation <m>"``); a cancelled one (``"was_cancelled": true``) a
      :class:`RecordFault`.
      An annotation with an empty ``result`` is annotated with nothing found (an annotation file with no spans);
      a task without annotations (or whose annotations were all cancelled) gives one record not annotated
      (:attr:`ParsedRecord.annotated` false: its text alone is imported);
    - the annotator is the annotation's ``"annotator"`` (ours), else ``completed_by``: its ``email`` (or first and
      last name) when an object, the string itself, or ``"user <id>"`` for a bare user id;
    - ``labels`` results become one :class:`RawSpan` per label (``source_id`` the region id, ``where``
      ``"result <k>"``, the note from ``meta.text``); ``value.text`` is checked against the document unless it
      differs from it only in whitespace (Label Studio collapses runs of whitespace and line breaks in it:
      https://github.com/HumanSignal/label-studio/issues/3078, /issues/1863);
    - offsets are read in the unit ``options.offsets`` names: ``"codepoints"`` as given; ``"utf16"`` converted from
      UTF-16 units to code points (:class:`annotator.model.offsets.Utf16Offsets`; an offset inside a surrogate pair
      or beyond the text is rejected with its place). Without it (``None``) they are read as code points, and since
      code points and UTF-16 units differ only after an astral character (U+10000 and above, e.g. an emoji): a
      region without ``value.text`` ending after one is rejected, naming ``--offsets codepoints|utf16``; a region
      whose ``value.text`` matches the document only when its offsets are read as UTF-16 units is rejected,
      naming ``--offsets utf16``;
    - a region's ``origin`` (Label Studio's ``"manual"``, ``"prediction"``: accepted from a prediction as is,
      ``"prediction-changed"``: accepted, then edited) becomes the span's origin (``manual``, ``suggestion``,
      ``suggestion-edited``), with the region's ``"suggester"`` (ours), else the ``model_version`` of the prediction
      the annotation was made from (``parent_prediction``), else ``"label-studio"``, and the region's ``"score"``
      when it is a number from 0 to 1; another origin is reported and read as manual;
    - predictions (``"predictions"``) become pending suggestions, never spans: each ``labels`` region one
      :class:`RawSuggestion` per label (suggester the prediction's ``model_version``, else ``"label-studio"``; score
      the region's ``"score"``, else the prediction's, else 1 with a note; reason the region's ``meta.text``), its
      ``relation`` results suggested links. A prediction with ``"annotator"`` (ours) goes to that annotator's
      record (a record not annotated, holding only the suggestions, when the task has no annotation of theirs); one
      without goes to every record of the task. Faults are reported with their place (``"prediction 2 result 1:
      ..."``) in each record receiving the prediction;
    - ``relation`` results become :class:`RawRelation` (``direction`` ``"left"`` reversed; ``"bi"`` rejected; one
      per label);
    - ``choices`` and ``textarea`` results with the ``id`` of a ``labels`` region and ``start``/``end`` in their
      ``value`` (per-region results) become that span's attributes (``from_name`` the attribute's name, the one
      choice or text its value; ``"true"``/``"false"`` for a bool one) or, for ``from_name`` ``"entity"``, its
      entity; ``choices`` results without a region (per-task) become document labels (the list of choices; one
      choice for a single-valued label). ``check_record`` checks them against the label set, naming the results;
    - any other result type (``hypertextlabels``, a task-level ``textarea``...) is rejected with its place:
      ``"result 3: type 'rating' is not imported"``;
    - a task of Label Studio's JSON-MIN export (no ``data`` or ``annotations``; its regions' values under a key
      such as ``"label"``) is rejected whole, naming the key and the JSON export to use instead, rather than read
      as a task nobody annotated.

    Raises
    ------
    FileFault
        At the call, if the file cannot be read, is not UTF-8 (a BOM is accepted) or not JSON, or is neither a list
        nor an object.
    """
    path = Path(path)
    unit = options.offsets if options is not None else None
    content = read_utf8(path)
    try:
        value = json.loads(content)
    except json.JSONDecodeError as error:
        raise FileFault(path, f"not valid JSON ({error.msg}: line {error.lineno}, column {error.colno})") from error
    except (ValueError, RecursionError) as error:
        raise FileFault(path, f"not usable JSON ({type(error).__name__}: {str(error)[:120]})") from error
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise FileFault(path, f"expected a list of Label Studio tasks or one task object, found {shown(value)}")
    return _tasks(path.name, value, unit)


def _tasks(name: str, tasks: list[Any], unit: OffsetUnit | None) -> Iterator[ParsedRecord | RecordFault]:
    for number, task in enumerate(tasks, start=1):
        yield from task_records(task, f"{name} task {number}", unit)


def task_records(task: Any, where: str, unit: OffsetUnit | None = None) -> Iterator[ParsedRecord | RecordFault]:
    """The records of one task named ``where``, its region offsets counted in ``unit`` (rules in
    :func:`read_label_studio`)."""
    if not isinstance(task, dict):
        yield RecordFault(where, f"not a task object (found {shown(task)})")
        return
    data = task.get("data", task)
    min_key = _json_min_key(task)
    if min_key is not None:
        yield RecordFault(
            where,
            f"{min_key!r} holds regions as Label Studio's JSON-MIN export writes them, which is not read (it has no "
            'region ids, links or annotation per annotator); export the project as "JSON" and import that',
        )
        return
    text, fault = _task_text(data)
    if text is None:
        yield RecordFault(where, fault)
        return
    record_id = id_text(data.get("doc_id")) if isinstance(data, dict) else None
    if record_id is None:
        record_id = id_text(task.get("id"))
    metadata = _task_metadata(task, data, text)
    if "data" in task and "meta" in data and isinstance(task.get("meta"), dict) and task["meta"]:
        yield RecordFault(where, f'the task\'s "meta" {shown(task["meta"])} is not kept: a "data" field has that name')
    predicted, models = task_predictions(task.get("predictions"), text, unit)
    if not isinstance(task.get("predictions", []), list):
        yield RecordFault(where, f'"predictions" must be a list, not {shown(task["predictions"])}; not imported')
    annotations = task.get("annotations", task.get("completions"))
    if annotations is not None and not isinstance(annotations, list):
        yield RecordFault(where, f'"annotations" must be a list, not {shown(annotations)}')
        return
    annotations = annotations or []
    given: set[str | None] = {None}  # annotators whose predictions found a record
    for number, annotation in enumerate(annotations, start=1):
        record = annotation_record(annotation, f"{where} annotation {number}", record_id, text, unit, models)
        if isinstance(record, ParsedRecord):
            if metadata:
                record = replace(record, meta={**record.meta, **metadata})
            record = _with_predictions(record, predicted, record.annotator)
            given.add(record.annotator)
        yield record
    if all(isinstance(item, dict) and item.get("was_cancelled") is True for item in annotations):
        # nobody annotated it (or all skipped it): the text alone, with the predictions made for anyone
        yield _with_predictions(ParsedRecord(where, record_id, text, meta=metadata, annotated=False), predicted, None)
    for annotator in predicted:  # predictions made for an annotator without an annotation here
        if annotator not in given:
            unannotated = ParsedRecord(where, record_id, text, annotator=annotator, meta=metadata, annotated=False)
            yield _with_predictions(unannotated, {annotator: predicted[annotator]}, annotator)


@dataclass
class _Predicted:
    """The pending suggestions read from a task's predictions for one annotator (or for anyone)."""

    suggestions: list[RawSuggestion] = field(default_factory=list)
    links: list[RawRelation] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _with_predictions(
    record: ParsedRecord, predicted: dict[str | None, _Predicted], annotator: str | None
) -> ParsedRecord:
    """``record`` with the suggestions predicted for anyone and for ``annotator``."""
    parts = [predicted[key] for key in dict.fromkeys((None, annotator)) if key in predicted]
    if not parts:
        return record
    return replace(
        record,
        suggestions=[*record.suggestions, *(s for part in parts for s in part.suggestions)],
        suggested_relations=[*record.suggested_relations, *(k for part in parts for k in part.links)],
        rejected=[*record.rejected, *(m for part in parts for m in part.rejected)],
        notes=[*record.notes, *(m for part in parts for m in part.notes)],
    )


def task_predictions(
    predictions: Any, text: str, unit: OffsetUnit | None = None
) -> tuple[dict[str | None, _Predicted], dict[str, str]]:
    """``(suggestions by annotator, model_version by prediction id)`` of a task's ``predictions`` (rules in
    :func:`read_label_studio`); ``None`` keys what is predicted for every annotator of the task."""
    found: dict[str | None, _Predicted] = {}
    models: dict[str, str] = {}
    if not isinstance(predictions, list):
        return found, models
    units = Utf16Offsets(text)
    for number, prediction in enumerate(predictions, start=1):
        place = f"prediction {number}"
        if not isinstance(prediction, dict):
            found.setdefault(None, _Predicted()).rejected.append(
                f"{place} is not a prediction object (found {shown(prediction)}); not imported"
            )
            continue
        annotator = prediction.get("annotator")
        part = found.setdefault(annotator if isinstance(annotator, str) and annotator else None, _Predicted())
        model = prediction.get("model_version")
        suggester = model if isinstance(model, str) and model.strip() and is_text(model) else UNNAMED_SUGGESTER
        if id_text(prediction.get("id")) is not None:
            models[str(id_text(prediction.get("id")))] = suggester
        overall = prediction.get("score")
        result = prediction.get("result", [])
        if not isinstance(result, list):
            part.rejected.append(f'{place}: "result" must be a list, not {shown(result)}; not imported')
            continue
        unscored = 0
        for index, item in enumerate(result, start=1):
            where = f"{place} result {index}"
            kind = item.get("type") if isinstance(item, dict) else None
            if kind == "relation":
                part.links.extend(_relations(item, where, part.rejected))
                continue
            if kind != "labels":
                part.rejected.append(
                    f"{where}: type {shown(kind)} is not imported"
                    if isinstance(item, dict)
                    else (f"{where} is not a result object (found {shown(item)})")
                )
                continue
            assert isinstance(item, dict)
            score = item.get("score", overall)
            if score is None or score_fault(score):
                if score is not None:
                    part.rejected.append(f"{where}: {score_fault(score)}; read as 1")
                unscored += score is None
                score = 1.0
            reason = _note(item, where, part.rejected)
            for raw in _spans({**item, "meta": None}, where, text, part.rejected, unit, units):
                part.suggestions.append(
                    RawSuggestion(
                        raw.start, raw.end, raw.label, float(score), suggester, reason, raw.text, raw.source_id, where
                    )
                )
        if unscored:
            part.notes.append(f"{place}: {count(unscored, 'region')} without a score; read with score 1")
    return found, models


_TASK_KEYS = ("id", "data", "annotations", "completions", "predictions", "meta")


def _json_min_key(task: dict[str, Any]) -> str | None:
    """The key of a task from Label Studio's JSON-MIN export that holds its regions (``{"text": ..., "label":
    [{"start", "end", "text", "labels"}], "annotator": 1, "annotation_id": 1...}``: no ``data`` or
    ``annotations``, the regions' ``value`` objects under their ``from_name``), or ``None``."""
    if "data" in task or "annotations" in task or "completions" in task:
        return None
    for key, value in task.items():
        if (
            isinstance(value, list)
            and value
            and all(
                isinstance(item, dict) and "start" in item and "end" in item and any(k.endswith("labels") for k in item)
                for item in value
            )
        ):
            return str(key)
    return None


def _task_metadata(task: dict[str, Any], data: dict[str, Any], text: str) -> dict[str, Any]:
    """``{"metadata": {...}}``: the ``data`` fields besides the text and ``doc_id``, and the task's ``meta`` (a
    non-empty object) as ``"meta"`` unless a ``data`` field has that name; ``{}`` when there are none."""
    text_key = "text" if data.get("text") is not None else next(k for k, v in data.items() if v is text)
    skipped = {text_key, "doc_id", *(_TASK_KEYS if data is task else ())}
    metadata = {key: value for key, value in data.items() if key not in skipped}
    meta = task.get("meta")
    if data is not task and isinstance(meta, dict) and meta and "meta" not in metadata:
        metadata["meta"] = meta
    return {METADATA_KEY: metadata} if metadata else {}


def _task_text(data: Any) -> tuple[str | None, str]:
    if not isinstance(data, dict):
        return None, f'"data" must be an object, not {shown(data)}'
    text = data.get("text")
    if text is None:
        candidates = [value for key, value in data.items() if isinstance(value, str) and key != "doc_id"]
        if len(candidates) != 1:
            keys = ", ".join(repr(key) for key in data) or "none"
            return None, f'no "text" in "data" and no single other string to take instead (keys: {keys})'
        text = candidates[0]
    if not isinstance(text, str):
        return None, f'"text" must be a string, not {shown(text)}'
    if not is_text(text):
        return None, "the text contains a lone surrogate (\\ud800-\\udfff), which is not valid text"
    return text, ""


def annotation_record(
    annotation: Any,
    where: str,
    record_id: str | None,
    text: str,
    unit: OffsetUnit | None = None,
    models: dict[str, str] | None = None,
) -> ParsedRecord | RecordFault:
    """One annotation of a task as a record named ``where``, its region offsets counted in ``unit``, ``models``
    giving the ``model_version`` of the task's predictions by id (rules in :func:`read_label_studio`)."""
    if not isinstance(annotation, dict):
        return RecordFault(where, f"not an annotation object (found {shown(annotation)})")
    if annotation.get("was_cancelled") is True:
        return RecordFault(where, "the annotation was cancelled (skipped) in Label Studio; not imported")
    result = annotation.get("result", [])
    if not isinstance(result, list):
        return RecordFault(where, f'"result" must be a list, not {shown(result)}')
    rejected: list[str] = []
    spans: list[RawSpan] = []
    relations: list[RawRelation] = []
    units = Utf16Offsets(text)
    refused = 0  # regions rejected here
    parent_id = id_text(annotation.get("parent_prediction"))
    parent = (models or {}).get(parent_id or "", "")
    per_region: dict[str, dict[str, tuple[str, Any]]] = {}  # region id -> {from_name: (place, value)}
    document_labels: dict[str, Any] = {}
    for number, item in enumerate(result, start=1):
        place = f"result {number}"
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "labels":
            region = _spans(item, place, text, rejected, unit, units)
            spans.extend(_with_origin(raw, item, place, parent, rejected) for raw in region)
            refused += not region
        elif kind == "relation":
            relations.extend(_relations(item, place, rejected))
        elif kind in ("choices", "textarea") and isinstance(item, dict):
            _choice(item, place, per_region, document_labels, rejected)
        elif isinstance(item, dict):
            rejected.append(f"{place}: type {shown(kind)} is not imported")
        else:
            rejected.append(f"{place} is not a result object (found {shown(item)})")
    spans = _with_attributes(spans, per_region, rejected)
    meta = annotation.get("meta")
    if meta is not None and not isinstance(meta, dict):
        rejected.append(f'"meta" must be an object, not {shown(meta)}; it is left out')
    return ParsedRecord(
        document_labels=document_labels or None,
        where=where,
        id=record_id,
        text=text,
        spans=spans,
        relations=relations,
        annotator=annotator_of(annotation),
        meta=dict(meta) if isinstance(meta, dict) else {},
        rejected=rejected,
        spans_rejected=refused,
    )


def _choice(
    item: dict[str, Any],
    place: str,
    per_region: dict[str, dict[str, tuple[str, Any]]],
    document_labels: dict[str, Any],
    rejected: list[str],
) -> None:
    """A ``choices`` or ``textarea`` result: per region (it has the ``id`` of a region) an attribute or, for
    :data:`ENTITY_NAME`, the entity; per task (no region id) a document label."""
    name, value = item.get("from_name"), item.get("value")
    key = "choices" if item.get("type") == "choices" else "text"
    found = value.get(key) if isinstance(value, dict) else None
    if not (isinstance(name, str) and name) or not isinstance(found, list):
        rejected.append(f'{place}: a {item.get("type")} result needs "from_name" and "value.{key}" (a list); left out')
        return
    region_id = id_text(item.get("id"))
    if region_id is not None and isinstance(value, dict) and "start" in value:
        if len(found) != 1:
            rejected.append(f"{place}: {name!r} must hold one value, not {shown(found)}; left out")
            return
        per_region.setdefault(region_id, {})[name] = (place, found[0])
        return
    if item.get("type") != "choices":
        rejected.append(f"{place}: a textarea of the whole task ({name!r}) is not imported")
        return
    document_labels[name] = found


def _with_attributes(
    spans: list[RawSpan], per_region: dict[str, dict[str, tuple[str, Any]]], rejected: list[str]
) -> list[RawSpan]:
    """``spans`` with the attributes and entity of the per-region results naming their region ids; results naming
    no region are reported."""
    ids = {span.source_id for span in spans}
    for region_id, results in per_region.items():
        if region_id not in ids:
            for name, (place, _value) in results.items():
                rejected.append(f"{place}: {name!r} names the region {region_id!r}, which is not imported; left out")
    out = []
    for span in spans:
        results = per_region.get(span.source_id or "", {})
        if results:
            attributes = {name: value for name, (_place, value) in results.items() if name != ENTITY_NAME}
            entity = results[ENTITY_NAME][1] if ENTITY_NAME in results else None
            places = ", ".join(dict.fromkeys(place for place, _value in results.values()))
            span = replace(span, attributes=attributes or None, entity=entity, where=f"{span.where} (with {places})")
        out.append(span)
    return out


def _with_origin(raw: RawSpan, item: dict[str, Any], place: str, parent: str, rejected: list[str]) -> RawSpan:
    """``raw`` with the origin its result gives (``"prediction"`` -> ``"suggestion"``, ``"prediction-changed"`` ->
    ``"suggestion-edited"``), the result's ``"suggester"`` (else ``parent``, the model of the prediction the
    annotation was made from, else :data:`UNNAMED_SUGGESTER`) and its ``"score"`` (when a number from 0 to 1)."""
    origin = item.get("origin", "manual")
    if origin not in SPAN_ORIGIN:
        rejected.append(
            f"{place}: origin {shown(origin)} is not one of {', '.join(SPAN_ORIGIN)}; the span is imported as manual"
        )
        return raw
    if origin == "manual":
        return raw
    suggester = item.get("suggester")
    if not (isinstance(suggester, str) and suggester.strip() and is_text(suggester)):
        suggester = parent or UNNAMED_SUGGESTER
    score = item.get("score")
    if score is not None and score_fault(score):
        rejected.append(f"{place}: {score_fault(score)}; the span is imported without it")
        score = None
    return replace(raw, origin=SPAN_ORIGIN[origin], suggester=suggester, score=None if score is None else float(score))


def annotator_of(annotation: dict[str, Any]) -> str | None:
    """Who made ``annotation``: ``"annotator"``, else ``completed_by`` (e-mail, name, string or ``"user <id>"``)."""
    name = annotation.get("annotator")
    if isinstance(name, str) and name.strip() and is_text(name):
        return name
    by = annotation.get("completed_by")
    if isinstance(by, dict):
        full = " ".join(part for part in (by.get("first_name"), by.get("last_name")) if isinstance(part, str)).strip()
        for candidate in (by.get("email"), full, by.get("username")):
            if isinstance(candidate, str) and candidate.strip() and is_text(candidate):
                return candidate
        by = by.get("id")
    if isinstance(by, str) and by.strip() and is_text(by):
        return by
    if isinstance(by, int) and not isinstance(by, bool):
        return f"user {by}"
    return None


def _squeezed(value: str) -> str:
    return "".join(value.split())


def _spans(
    item: dict[str, Any], place: str, text: str, rejected: list[str], unit: OffsetUnit | None, units: Utf16Offsets
) -> list[RawSpan]:
    value = item.get("value")
    if not isinstance(value, dict):
        rejected.append(f'{place}: "value" must be an object with "start", "end" and "labels"')
        return []
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        rejected.append(f"{place}: no labels (found {shown(labels)})")
        return []
    if "start" not in value or "end" not in value:
        rejected.append(f'{place}: "value" has no "start" or "end"')
        return []
    start, end = value["start"], value["end"]
    copy = value.get("text")
    if all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)) and units.has_astral:
        fault = _unit_fault(start, end, labels, copy, text, unit, units)
        if fault:
            rejected.append(f"{place} [{start}, {end}) {' '.join(map(str, labels))}: {fault}")
            return []
        if unit == "utf16":
            start, end = units.to_code_point(start), units.to_code_point(end)
    if (
        isinstance(copy, str)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end))
        and 0 <= start <= end <= len(text)
        and copy != text[start:end]
        and _squeezed(copy) == _squeezed(text[start:end])
        and copy[:1] == text[start : start + 1]
        and copy[-1:] == text[end - 1 : end]
    ):
        copy = None  # Label Studio's copy lost inner whitespace; same ends, so the offsets are right
    source_id = id_text(item.get("id"))
    return [RawSpan(start, end, label, copy, _note(item, place, rejected), source_id, place) for label in labels]


def _note(item: dict[str, Any], place: str, rejected: list[str]) -> str:
    meta = item.get("meta")
    if meta is None:
        return ""
    note = meta.get("text") if isinstance(meta, dict) else meta
    if isinstance(note, str):
        note = [note]
    if isinstance(note, list) and all(isinstance(part, str) and is_text(part) for part in note):
        return "\n".join(note)
    rejected.append(f"{place}: its note (meta.text) is not text ({shown(note)}); the span is imported without it")
    return ""


def _relations(item: dict[str, Any], place: str, rejected: list[str]) -> list[RawRelation]:
    from_id, to_id = id_text(item.get("from_id")), id_text(item.get("to_id"))
    if from_id is None or to_id is None:
        rejected.append(f'{place}: a relation needs "from_id" and "to_id" region ids')
        return []
    direction = item.get("direction", "right")
    if direction not in ("right", "left"):
        rejected.append(f"{place}: a relation with direction {shown(direction)} is not imported (only right or left)")
        return []
    if direction == "left":
        from_id, to_id = to_id, from_id
    labels = item.get("labels")
    if not isinstance(labels, list) or not labels:
        rejected.append(f"{place}: a relation without a label (a link type) is not imported")
        return []
    return [RawRelation(label, from_id, to_id, place) for label in labels]


def _unit_fault(
    start: int, end: int, labels: list[Any], copy: Any, text: str, unit: OffsetUnit | None, units: Utf16Offsets
) -> str:
    """Why the whole-number offsets ``start``, ``end`` of a region (labels ``labels``, ``value.text`` ``copy``) of
    ``text``, which holds astral characters, cannot be read in ``unit``; ``""`` when they can."""
    if unit == "utf16":
        try:
            units.to_code_point(start), units.to_code_point(end)
        except IndexError:
            return f"outside the text (0 to {units.length} UTF-16 units)"
        except ValueError:
            return "an offset falls inside a surrogate pair (inside one character), so they are not UTF-16 units"
        return ""
    if unit == "codepoints" or start > end:
        return ""
    if not isinstance(copy, str):
        if end > (units.first_astral or 0):
            return (
                "it has no text to check its offsets against, and it ends after a character outside the BMP (an "
                "emoji...), where code points and UTF-16 units differ; import with --offsets codepoints or "
                "--offsets utf16 to say how the file counts"
            )
        return ""
    if 0 <= start <= end <= len(text) and copy == text[start:end]:
        return ""
    try:
        as_units = text[units.to_code_point(start) : units.to_code_point(end)]
    except (IndexError, ValueError):
        return ""
    if as_units == copy:
        return (
            f"its text {shown(copy)} matches the document only if the offsets are UTF-16 units (as older Label "
            "Studio versions counted); import with --offsets utf16"
        )
    return ""
