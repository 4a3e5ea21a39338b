"""Comparing two versions of one annotator's annotations of one document.

Used to preview what a crash-recovery journal would restore and what changed when an annotation file changed on disk.

Spans are matched in this order, each step only among the spans not matched yet:

1. same id and identical (offsets, label, text, note and flag);
2. same ``(start, end, label, text)``, preferring the same id, else in saved order (so a file re-saved with other
   ids, even ids shifted among the same spans, shows no difference; a note or flag that differs makes the pair
   *changed*);
3. same id (the span was moved, resized, relabeled or edited: *changed*);
4. what is left is *removed* (old) or *added* (new).

Relations are matched by ``(type, from, to)`` after mapping old span ids to the new ids of their matched spans;
relation ids are ignored. Offsets are Unicode code points, half-open ``[start, end)``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING

from annotator.model.annotation_set import AnnotationSet
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.model.status import DocumentStatus

if TYPE_CHECKING:
    import regex

TEXT_LIMIT = 60
"""Longest span text or note (code points) shown in :meth:`AnnotationDiff.lines` before it is shortened with …."""

_LINE_BREAKS = str.maketrans(dict.fromkeys("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "⏎") | {"\t": " "})


@cache
def _clusters() -> regex.Pattern[str]:
    """``regex``'s extended grapheme clusters (``\\X``), compiled on first use (start-up need not import ``regex``)."""
    import regex

    return regex.compile(r"\X")


def shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` on one line for plain-text display: line breaks shown as ⏎ (CR LF as one), tabs as spaces, cut to at
    most ``limit`` code points with … at a grapheme-cluster boundary (UAX #29, never inside an emoji sequence or
    between a letter and its combining marks)."""
    flat = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    if len(flat) <= limit:
        return flat
    end = 0
    for cluster in _clusters().finditer(flat):
        if cluster.end() > limit - 1:
            break
        end = cluster.end()
    return flat[:end] + "…"


def _describe(span: Span, details: bool = True) -> str:
    """``label “text” [start, end)``, with `` (uncertain)`` and `` note “…”`` when ``details`` and present."""
    words = f"{span.label} “{shorten(span.text)}” [{span.start}, {span.end})"
    if details and span.uncertain:
        words += " (uncertain)"
    if details and span.note:
        words += f" note “{shorten(span.note)}”"
    return words


def _counted(noun: str, counts: list[tuple[int, str]]) -> str:
    """``"3 spans added, 1 removed"``: the non-zero counts, the noun after the first."""
    parts: list[str] = []
    for count, verb in counts:
        if count:
            parts.append(f"{count} {verb}" if parts else f"{count} {noun}{'' if count == 1 else 's'} {verb}")
    return ", ".join(parts)


@dataclass(frozen=True)
class AnnotationDiff:
    """What differs between an old and a new version of one annotator's annotations (see :func:`diff_annotations`).

    Attributes
    ----------
    added: spans in the new version only, in saved order.
    removed: spans in the old version only, in saved order.
    changed: ``(old, new)`` pairs of the same span whose offsets (code points), label, text, note or flag differ,
        in the new spans' saved order.
    relations_added, relations_removed: links in the new (old) version only, in saved order.
    label_set_changed: whether the label sets differ.
    status: ``(old, new)`` when the status differs, else ``None``.
    document_labels: ``(old, new)`` when the document labels differ, else ``None``.
    text_changed: whether the documents' SHA-256 differ.
    """

    added: list[Span] = field(default_factory=list)
    removed: list[Span] = field(default_factory=list)
    changed: list[tuple[Span, Span]] = field(default_factory=list)
    relations_added: list[Relation] = field(default_factory=list)
    relations_removed: list[Relation] = field(default_factory=list)
    label_set_changed: bool = False
    status: tuple[DocumentStatus, DocumentStatus] | None = None
    text_changed: bool = False
    document_labels: tuple[dict[str, str | list[str]], dict[str, str | list[str]]] | None = None

    def annotations_differ(self) -> bool:
        """Whether the spans, links, status or text differ (a label set that differs alone does not count: the app
        widens a file's label set when it opens it, which changes no annotation)."""
        return bool(
            self.added
            or self.removed
            or self.changed
            or self.relations_added
            or self.relations_removed
            or self.status
            or self.text_changed
            or self.document_labels
        )

    def is_empty(self) -> bool:
        """Whether there is no difference at all."""
        return not (
            self.added
            or self.removed
            or self.changed
            or self.relations_added
            or self.relations_removed
            or self.label_set_changed
            or self.status
            or self.text_changed
            or self.document_labels
        )

    def summary(self) -> str:
        """Plain text, e.g. ``"3 spans added, 1 removed, 2 changed; 1 link added; status done → in progress"``, or
        ``"no differences"``."""
        parts = [
            _counted(
                "span", [(len(self.added), "added"), (len(self.removed), "removed"), (len(self.changed), "changed")]
            ),
            _counted("link", [(len(self.relations_added), "added"), (len(self.relations_removed), "removed")]),
        ]
        if self.status:
            parts.append(f"status {self.status[0].display_name.lower()} → {self.status[1].display_name.lower()}")
        if self.label_set_changed:
            parts.append("label set changed")
        if self.text_changed:
            parts.append("document text changed")
        return "; ".join(part for part in parts if part) or "no differences"

    def lines(self, limit: int = 50) -> list[str]:
        """One plain-text line per difference, at most ``limit`` of them, then ``"… and N more"`` if any are left.

        Lines: ``"~ document text changed"``, ``"~ label set changed"``, ``"~ status done → in progress"``; then
        spans in text order, ``'+ warning “text” [12, 30)'`` (added), ``'- actor “x” [0, 1)'`` (removed),
        ``'~ claim “a” [1, 5) → denial “a” [1, 5)'`` (changed; notes and flags are shown when they differ); then
        links, ``'+ link source s3 → s1'`` (added, new ids) and ``'- link …'`` (removed, old ids). Span texts and
        notes are put on one line (line breaks shown as ⏎) and cut to about :data:`TEXT_LIMIT` code points with …
        at a grapheme-cluster boundary; offsets are code points.
        """
        found = []
        if self.text_changed:
            found.append("~ document text changed")
        if self.label_set_changed:
            found.append("~ label set changed")
        if self.status:
            found.append(f"~ status {self.status[0].display_name.lower()} → {self.status[1].display_name.lower()}")
        spans: list[tuple[tuple[int, int, str, str], int, str]] = []
        spans += [(s.sort_key, 0, f"- {_describe(s)}") for s in self.removed]
        spans += [(s.sort_key, 1, f"+ {_describe(s)}") for s in self.added]
        for old, new in self.changed:
            details = (old.note, old.uncertain) != (new.note, new.uncertain)
            spans.append((new.sort_key, 2, f"~ {_describe(old, details)} → {_describe(new, details)}"))
        found += [line for _key, _kind, line in sorted(spans)]
        found += [f"+ link {r.type} {r.from_} → {r.to}" for r in self.relations_added]
        found += [f"- link {r.type} {r.from_} → {r.to}" for r in self.relations_removed]
        limit = max(limit, 0)
        if len(found) > limit:
            return [*found[:limit], f"… and {len(found) - limit} more"]
        return found


_SAVED_ORDER = attrgetter("start", "end", "label", "id")


def _span_key(span: Span) -> tuple[int, int, str, str]:
    return (span.start, span.end, span.label, span.text)


def _match_spans(
    old: Iterable[Span], new: Mapping[str, Span]
) -> tuple[list[tuple[Span, Span]], set[str], list[Span], list[Span]]:
    """``(pairs, same, removed, added)``: old and new spans (``new`` by id) matched as the module docstring says;
    ``same`` holds the ids of equal spans of one id (left out of ``pairs``: known unchanged), and ``pairs``,
    ``removed`` and ``added`` the others, in saved order. A span of both (the same object, as two copies of one set
    share their spans) is equal without a comparison, and only the spans left are sorted: a recovery journal's 1M
    spans, all but one shared with the file, are matched in a pass over their ids."""
    get = new.get
    same = {s.id for s in old if (n := get(s.id)) is s or n == s}
    old_left = sorted((s for s in old if s.id not in same), key=_SAVED_ORDER)
    new_left = {s.id: s for s in sorted((s for s in new.values() if s.id not in same), key=_SAVED_ORDER)}

    by_key: defaultdict[tuple[int, int, str, str], list[Span]] = defaultdict(list)
    for span in new_left.values():
        by_key[_span_key(span)].append(span)
    unmatched = []
    pairs: list[tuple[Span, Span]] = []
    for span in old_left:
        candidates = by_key.get(_span_key(span))
        if not candidates:
            unmatched.append(span)
            continue
        match = next((c for c in candidates if c.id == span.id), candidates[0])
        candidates.remove(match)
        del new_left[match.id]
        pairs.append((span, match))

    removed: list[Span] = []
    for span in unmatched:
        same_id = new_left.pop(span.id, None)
        if same_id is None:
            removed.append(span)
        else:
            pairs.append((span, same_id))
    return pairs, same, removed, list(new_left.values())


def diff_annotations(old: AnnotationSet | None, new: AnnotationSet) -> AnnotationDiff:
    """What differs from ``old`` to ``new`` (see the module docstring for how spans and links are matched).

    Parameters
    ----------
    old: the earlier version, or ``None`` when there is none (then every span and link of ``new`` is added, and the
        label set, status and text count as unchanged).
    new: the later version.

    Returns
    -------
    AnnotationDiff
        Added, removed and changed spans (a pair whose spans differ only by id is not a change), added and removed
        links, whether the label set and the text (SHA-256) changed, and the status pair if it changed.
    """
    if old is None:
        return AnnotationDiff(added=new.sorted_spans(), relations_added=new.relations())
    pairs, same, removed, added = _match_spans(old.spans_by_id.values(), new.spans_by_id)
    # pairs of equal spans under one id are not compared again (1M spans: a copy and a comparison each, 15 s)
    changed = sorted(
        ((o, n) for o, n in pairs if o.model_copy(update={"id": n.id}) != n), key=lambda pair: pair[1].sort_key
    )

    moved_id = {o.id: n.id for o, n in pairs}

    def new_id(span_id: str) -> str | None:
        return span_id if span_id in same else moved_id.get(span_id)

    # an old link whose end has no new span gets ``None`` there, which no new link's key holds
    # a link whose attributes changed is removed and added (its key holds them)
    new_keys: Counter[tuple[str, str | None, str | None, frozenset]] = Counter(
        (r.type, r.from_, r.to, frozenset(r.attributes.items())) for r in new.relations()
    )
    relations_removed = []
    for relation in old.relations():
        key = (
            relation.type,
            new_id(relation.from_),
            new_id(relation.to),
            frozenset(relation.attributes.items()),
        )
        if new_keys[key]:
            new_keys[key] -= 1
        else:
            relations_removed.append(relation)
    relations_added = []
    for relation in reversed(new.relations()):  # the last ones of a repeated link are the unmatched ones
        key = (relation.type, relation.from_, relation.to, frozenset(relation.attributes.items()))
        if new_keys[key]:
            new_keys[key] -= 1
            relations_added.append(relation)
    relations_added.reverse()

    return AnnotationDiff(
        added=added,
        removed=removed,
        changed=changed,
        relations_added=relations_added,
        relations_removed=relations_removed,
        label_set_changed=old.label_set != new.label_set,
        status=(old.status, new.status) if old.status != new.status else None,
        text_changed=old.document.sha256 != new.document.sha256,
        document_labels=(
            (old.document_labels, new.document_labels) if old.document_labels != new.document_labels else None
        ),
    )
