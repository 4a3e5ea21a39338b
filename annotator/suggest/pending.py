"""From a suggester's :class:`~annotator.suggest.suggestion.Suggestion` to the model's
:class:`~annotator.model.pending.PendingSuggestion`: the boundary between suggesting and the annotation set (the
suggester knows nothing of ids already taken; the set knows nothing of suggesters)."""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Collection, Iterable
from itertools import accumulate
from operator import attrgetter

from annotator.io.step_aside import stepped
from annotator.model.annotation_set import AnnotationSet
from annotator.model.pending import PendingLink, PendingSuggestion, trusted_suggestion
from annotator.model.span import Span
from annotator.suggest.suggestion import Suggestion


def pending_suggestions(
    suggestions: Iterable[Suggestion], annotations: AnnotationSet, avoid: Collection[str] = ()
) -> list[PendingSuggestion]:
    """``suggestions`` as pending suggestions of ``annotations`` (offsets in code points, ``text`` cut from the
    document's text), sorted by ``(start, end, label)``.

    Ids are kept stable across runs: a suggestion with the offsets, label and suggester of one already pending keeps
    that one's id (so :func:`~annotator.model.commands.replace_suggestions_change` leaves unchanged ones alone and a
    selection survives a run); the others get fresh ids (``g1``, ``g2``... used by no suggestion or span, nor in
    ``avoid``: the ids an undo could bring back, e.g. of suggestions accepted or rejected earlier in the session).
    Suggested links follow the ids: an end naming a suggestion of this run by the id its suggester gave it
    (:attr:`Suggestion.id`, e.g. ``"a3"``) names that suggestion's pending id, an end naming one of this set's spans
    stays; a link with any other end (a suggestion left out of ``suggestions``, another suggester's, nothing), to
    itself, or not touching the suggestion that holds it is dropped, as it would name nothing. Each link is held by
    the suggestion that gave it, once. A suggestion keeping its id keeps the links to spans it held (those an accept
    re-pointed from a suggestion to the span it became, so a run after the accept does not lose them).

    Raises
    ------
    ValueError
        If a suggestion reaches beyond the document's text.
    """
    text = annotations.text
    by_id = annotations.suggestions_by_id
    ordered = sorted(suggestions, key=lambda s: (s.start, s.end, s.label, -s.score))
    suggesters = {s.suggester for s in ordered}  # a run's: one
    held = {(s.start, s.end, s.label, s.suggester): s.id for s in by_id.values() if s.suggester in suggesters}
    taken: set[str] = set()
    reserved = set(by_id) | set(avoid)  # every pending id, whichever suggester's
    number = 0
    pending_ids: list[str] = []
    for suggestion in ordered:
        if suggestion.end > len(text):
            raise ValueError(f"a suggestion ends at {suggestion.end}, beyond the text ({len(text)} code points)")
        key = (suggestion.start, suggestion.end, suggestion.label, suggestion.suggester)
        suggestion_id = held.pop(key, None)
        while suggestion_id is None or suggestion_id in taken:
            number += 1
            candidate = f"g{number}"
            if candidate not in reserved and candidate not in annotations:  # pending ids are all reserved
                suggestion_id = candidate
        taken.add(suggestion_id)
        pending_ids.append(suggestion_id)
    by_suggester_id: dict[str, str] = {}
    for suggestion, suggestion_id in zip(ordered, pending_ids, strict=True):
        if suggestion.id:
            by_suggester_id.setdefault(suggestion.id, suggestion_id)
    out: list[PendingSuggestion] = []
    for suggestion, suggestion_id in zip(ordered, pending_ids, strict=True):
        links = _links(suggestion, suggestion_id, by_suggester_id, annotations)
        old = by_id.get(suggestion_id)
        if old is not None and old.links:  # links to spans it held (re-pointed when the other end was accepted) stay
            kept = (k for k in old.links if (k.from_ in annotations) != (k.to in annotations))
            links = tuple(dict.fromkeys((*links, *kept)))
        if old is not None and (old.score, old.reason, old.links) == (suggestion.score, suggestion.reason, links):
            out.append(old)  # unchanged: the same object (a run over a long document keeps most of them)
            continue
        # Suggestion checked its offsets and score already: no second validation (a long document has 100k+)
        out.append(
            trusted_suggestion(
                id=suggestion_id,
                start=suggestion.start,
                end=suggestion.end,
                label=suggestion.label,
                text=text[suggestion.start : suggestion.end],
                score=suggestion.score,
                suggester=suggestion.suggester,
                reason=suggestion.reason,
                links=links,
            )
        )
    return out


def _links(
    suggestion: Suggestion, own: str, by_suggester_id: dict[str, str], annotations: AnnotationSet
) -> tuple[PendingLink, ...]:
    """``suggestion``'s links with their ends as pending ids (``own`` is its own) or span ids; those naming anything
    else, linking a suggestion to itself or not touching ``own`` left out, and each once."""
    out: dict[PendingLink, None] = {}
    for link in suggestion.links:
        ends = [by_suggester_id.get(end) or (end if end in annotations else None) for end in (link.from_id, link.to_id)]
        if ends[0] is None or ends[1] is None or ends[0] == ends[1] or own not in ends or not link.relation_type:
            continue
        out[PendingLink(type=link.relation_type, from_=ends[0], to=ends[1])] = None
    return tuple(out)


def outside_spans(suggestions: Iterable[Suggestion], spans: Iterable[Span]) -> list[Suggestion]:
    """``suggestions`` (in order) without those equal to or inside a span of the same label (``span.start <= start``
    and ``end <= span.end``, code points): what the analyst labeled already, or a part of it ("Ned Price" inside the
    actor span "State Department spokesman Ned Price"), is never offered again, whichever suggester offers it.
    A suggestion overlapping a span without being inside it, or inside a span of another label, stays.
    ``O((n + m) log m)`` for ``n`` suggestions and ``m`` spans."""
    by_label: dict[str, list[tuple[int, int]]] = {}
    for span in spans:
        by_label.setdefault(span.label, []).append((span.start, span.end))
    reach: dict[str, tuple[list[int], list[int]]] = {}  # label -> span starts (sorted), the furthest end up to each
    for label, ranges in by_label.items():
        ranges.sort()
        reach[label] = ([start for start, _end in ranges], list(accumulate((end for _s, end in ranges), max)))
    out = []
    for suggestion in suggestions:
        held = reach.get(suggestion.label)
        if held is not None:
            here = bisect_right(held[0], suggestion.start)  # spans starting at or before the suggestion
            if here and held[1][here - 1] >= suggestion.end:
                continue
        out.append(suggestion)
    return out


TEXT_ORDER = attrgetter("start", "end", "label")
"""The order of suggestions in the text: by start, end and label."""


def first_in_text(
    suggestions: Iterable[Suggestion], labels: Collection[str], spans: Iterable[Span], limit: int
) -> tuple[list[Suggestion], int]:
    """``(kept, found)``: of ``suggestions``, those whose label is in ``labels`` (the label set's names) and that are
    not equal to or inside a span of their label (:func:`outside_spans`); ``found`` is how many they are, ``kept``
    the first ``limit`` of them in the text (:data:`TEXT_ORDER`; all of them, in the order given, when they are no
    more than ``limit``).

    Made for a worker thread: a run over a long repetitive document gives millions (the string matcher, 10 MB with
    100k spans: 2.7 million, which took the window's thread 8.4 s), so the loops are Python's, stepping aside
    (:func:`~annotator.io.step_aside.stepped`), and the first ``limit`` are picked by :func:`heapq.nsmallest` (no
    sort of all of them in one call in C, which would hold Python's GIL all along).

    Raises
    ------
    TypeError, AttributeError
        If a suggestion is not one (a plug-in's fault): the caller reports it."""
    kept = outside_spans((s for s in stepped(suggestions) if s.label in labels), spans)
    found = len(kept)
    if found > limit:
        kept = heapq.nsmallest(limit, stepped(kept), key=TEXT_ORDER)
    return kept, found
