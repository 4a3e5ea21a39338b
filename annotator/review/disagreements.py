"""Where annotators of one document disagree: the places a reviewer steps through, one plain-text line each.

Rules (offsets are Unicode code points into the document's text, half-open ``[start, end)``):

1. A span is compared by its *key* ``(start, end, label)``; ids, notes and the uncertain flag are ignored, and an
   annotator's twin spans (same key twice) count once.
2. A key that **every** annotator has is *agreed* and set aside: it is never part of a disagreement, even when other
   spans overlap it (so identical annotations, nested ones included, give no disagreement at all).
3. The remaining (*disputed*) spans of all annotators are grouped into *clusters*: the connected components of the
   overlap graph, where two spans are linked when they share at least one code point (``a.start < b.end`` and
   ``b.start < a.end``), whatever their labels. A chain ``[0, 5)``, ``[3, 8)``, ``[6, 10)`` is one cluster. A
   cluster's extent ``[start, end)`` is the union of its spans, which is one stretch of text; clusters never
   overlap each other.
4. Each cluster is one :class:`Disagreement`, of the first kind that applies:

   - ``"missing"``: some annotators have no disputed span in the cluster (:attr:`Disagreement.missing_from` names
     them; they may still have an agreed span there, rule 2);
   - ``"label"``: every disputed span has the same offsets (so their labels differ);
   - ``"boundary"``: every disputed span has the same label (so their offsets differ);
   - ``"label_and_boundary"``: both labels and offsets differ.

5. Disagreements are sorted by ``(start, end)``; :func:`next_disagreement` and :func:`previous_disagreement` step
   through them from a caret offset, wrapping around at either end.

With one span per annotator and no nesting, rule 2 is the plain rule "every annotator has exactly one span there,
with the same offsets and label: agreement"; setting agreed spans aside first keeps an agreed outer span (a claim)
from turning an inner difference (an actor only one annotator marked) into a disagreement over the whole claim.
Relations are not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from annotator.model.compare import shorten
from annotator.model.span import Span
from annotator.review.units import DocumentAnnotations

DisagreementKind = Literal["missing", "label", "boundary", "label_and_boundary"]
SpanKey = tuple[int, int, str]
"""``(start, end, label)``: what two annotators' spans must share to be the same span (code points)."""

T = TypeVar("T")


def span_key(span: Span) -> SpanKey:
    """``(start, end, label)`` of ``span``: its identity when annotators are compared (code points)."""
    return (span.start, span.end, span.label)


def overlap_clusters(items: Iterable[T], extent: Callable[[T], tuple[int, int]]) -> list[list[T]]:
    """Connected components of the overlap graph of ``items``: two items are linked when their half-open extents
    ``[start, end)`` (code points, given by ``extent``) share a code point.

    Returns the clusters sorted by start, each in ``(start, end)`` order. A sweep over the items sorted by start is
    enough: an item joins the current cluster exactly when it starts before the cluster's furthest end.
    """
    clusters: list[list[T]] = []
    reach = -1
    for item in sorted(items, key=extent):
        start, end = extent(item)
        if clusters and start < reach:
            clusters[-1].append(item)
            reach = max(reach, end)
        else:
            clusters.append([item])
            reach = end
    return clusters


def unique_keys(spans: Iterable[Span]) -> dict[SpanKey, Span]:
    """``spans`` by key (:func:`span_key`), the first span of each key kept, in ``(start, end, label)`` order."""
    keyed: dict[SpanKey, Span] = {}
    for span in sorted(spans, key=lambda s: s.sort_key):
        keyed.setdefault(span_key(span), span)
    return keyed


@dataclass(frozen=True)
class Disagreement:
    """One place where annotators disagree (see the module docstring for the rules).

    Attributes
    ----------
    kind: ``"missing"``, ``"label"``, ``"boundary"`` or ``"label_and_boundary"``.
    start, end: the cluster's extent, code points, half-open.
    text: the document's text over ``[start, end)``.
    spans: every annotator (sorted by name) -> that annotator's disputed spans in the cluster, in saved order
        ``(start, end, label, id)``; ``()`` for an annotator in :attr:`missing_from`.
    missing_from: the annotators with no disputed span in the cluster, sorted.
    """

    kind: DisagreementKind
    start: int
    end: int
    text: str
    spans: Mapping[str, tuple[Span, ...]]
    missing_from: tuple[str, ...] = ()

    def description(self) -> str:
        """One plain-text line, e.g. ``label: [12, 20) 'Sullivan': alice actor, bob claim``.

        Each annotator's spans are given as ``label [start, end)`` (only the label for a ``"label"`` disagreement,
        whose spans all cover the extent), several joined with `` + ``; missing annotators end the line as
        ``; none from bob``. The text is on one line (line breaks as ⏎) and shortened with … when long.
        """
        parts = []
        for annotator, spans in self.spans.items():
            if spans:
                shown = " + ".join(
                    s.label if self.kind == "label" else f"{s.label} [{s.start}, {s.end})" for s in spans
                )
                parts.append(f"{annotator} {shown}")
        line = f"{self.kind}: [{self.start}, {self.end}) '{shorten(self.text)}': {', '.join(parts)}"
        if self.missing_from:
            line += f"; none from {', '.join(self.missing_from)}"
        return line


def _kind(disputed: Sequence[Span], missing_from: Sequence[str]) -> DisagreementKind:
    if missing_from:
        return "missing"
    if len({(s.start, s.end) for s in disputed}) == 1:
        return "label"
    if len({s.label for s in disputed}) == 1:
        return "boundary"
    return "label_and_boundary"


def find_disagreements(document: DocumentAnnotations) -> list[Disagreement]:
    """The disagreements among the annotators of ``document``, sorted by ``(start, end)`` (code points).

    See the module docstring for the rules. Empty when every annotator has the same spans (by offsets and label).

    Raises
    ------
    ValueError
        If ``document`` has fewer than two annotators (there is nobody to disagree with).
    """
    annotators = document.annotators
    if len(annotators) < 2:
        raise ValueError(
            f"comparing annotators needs at least two; {document.document!r} has {len(annotators)} "
            f"({', '.join(annotators) or 'none'})"
        )
    keyed = {annotator: unique_keys(document.spans[annotator]) for annotator in annotators}
    agreed = set.intersection(*(set(keys) for keys in keyed.values()))
    disputed = [
        (annotator, span) for annotator in annotators for key, span in keyed[annotator].items() if key not in agreed
    ]
    found = []
    for cluster in overlap_clusters(disputed, lambda pair: (pair[1].start, pair[1].end)):
        spans = [span for _annotator, span in cluster]
        start, end = min(s.start for s in spans), max(s.end for s in spans)
        by_annotator = {
            annotator: tuple(sorted((s for a, s in cluster if a == annotator), key=lambda s: s.sort_key))
            for annotator in annotators
        }
        missing_from = tuple(annotator for annotator, own in by_annotator.items() if not own)
        found.append(
            Disagreement(
                kind=_kind(spans, missing_from),
                start=start,
                end=end,
                text=document.text[start:end],
                spans=by_annotator,
                missing_from=missing_from,
            )
        )
    return sorted(found, key=lambda d: (d.start, d.end))


def next_disagreement(items: Sequence[Disagreement], offset: int) -> int | None:
    """Index in ``items`` (sorted by start, as :func:`find_disagreements` gives them) of the first disagreement that
    starts after the caret ``offset`` (code points), wrapping to the first one past the last; ``None`` when
    ``items`` is empty."""
    if not items:
        return None
    return next((index for index, item in enumerate(items) if item.start > offset), 0)


def previous_disagreement(items: Sequence[Disagreement], offset: int) -> int | None:
    """Index in ``items`` (sorted by start) of the last disagreement that starts before the caret ``offset`` (code
    points), wrapping to the last one before the first; ``None`` when ``items`` is empty.

    From inside a disagreement this goes to that disagreement's start, as "previous word" goes to the word's start.
    """
    if not items:
        return None
    return next((index for index in reversed(range(len(items))) if items[index].start < offset), len(items) - 1)
