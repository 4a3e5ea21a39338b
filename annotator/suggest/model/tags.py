"""Spans to IOB2 tags for training, and tags back to token ranges.

IOB2 (Tjong Kim Sang & Veenstra, EACL 1999; the CoNLL-2003 scheme as most tools write it): the first token of a span
is ``B-<label>``, its other tokens ``I-<label>``, every other token ``O``. A span covers the tokens it overlaps (a
span edge inside a token takes the whole token).

The CRF is flat: one tag per token, so nested and overlapping spans cannot all be learned. They are resolved as the
CoNLL export resolves them, by the ``longest`` overlap policy (:func:`annotator.formats.overlap.resolve_overlaps`):
the longer span is kept and a span inside it (or crossing it and shorter) is left out of training: a claim with an
actor inside it teaches the claim, not the actor. Two kept spans that share a token (possible only when an edge falls
inside a token) keep the first; a span over whitespace only covers no token. Both are left out too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from annotator.formats.overlap import resolve_overlaps
from annotator.formats.tokens import Token, token_range
from annotator.model.span import Span

OUTSIDE = "O"


def spans_to_tags(
    tokens: Sequence[Token], spans: Sequence[Span], labels: Collection[str]
) -> tuple[list[str], list[Span]]:
    """``(tags, left_out)``: an IOB2 tag per token for the spans whose label is in ``labels``, and the spans of those
    labels left out (nested, overlapping, or over no token; see the module's docstring), in text order."""
    wanted = [span for span in spans if span.label in labels]
    kept, dropped = resolve_overlaps(wanted, "longest")
    left_out = [span for span, _kept in dropped]
    tags = [OUTSIDE] * len(tokens)
    for span in kept:
        first, last = token_range(tokens, span.start, span.end)
        if first > last or any(tags[i] != OUTSIDE for i in range(first, last + 1)):
            left_out.append(span)
            continue
        tags[first] = f"B-{span.label}"
        for index in range(first + 1, last + 1):
            tags[index] = f"I-{span.label}"
    left_out.sort(key=lambda span: span.sort_key)
    return tags, left_out


def tag_ranges(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last, label)`` token indices (inclusive) of each span the IOB2 ``tags`` hold, in order. An ``I-``
    tag that does not continue a span of its label starts one (as conlleval reads it)."""
    out: list[tuple[int, int, str]] = []
    current: list = []  # [first, last, label] of the open span
    for index, tag in enumerate(tags):
        kind, _, label = tag.partition("-")
        if kind == "I" and current and current[2] == label and current[1] == index - 1:
            current[1] = index
            continue
        if current:
            out.append((current[0], current[1], current[2]))
            current = []
        if kind in ("B", "I") and label:
            current = [index, index, label]
    if current:
        out.append((current[0], current[1], current[2]))
    return out
