"""Whitespace at a span's edges, which no token holds: the token-based exports (CoNLL, Hugging Face, spaCy) write
the span without it and report it ``"trimmed"``.

Whitespace is every character for which ``str.isspace()`` is true (space, tab, CR, LF, NBSP U+00A0, U+2028...), as
in :mod:`annotator.formats.tokens`. Data imported from doccano or Label Studio often has spans such as
``" Person H"``: no token is split, so the span is written as ``"Person H"``, not skipped as misaligned. A span that
is whitespace only covers no token and is left out (reported ``"misaligned"`` by the export).
"""

from __future__ import annotations

from annotator.model.span import Span

ONLY_WHITESPACE = "it is only whitespace, which is part of no token"
"""Why a span that is whitespace only cannot be written by a token-based export."""


def trim(span: Span) -> Span | None:
    """``span`` without the whitespace at its edges: ``span`` itself when there is none, a copy with offsets (code
    points) and text narrowed to its non-whitespace part otherwise, ``None`` when it is whitespace only (or empty).
    Relies on ``span.text`` being the text at its offsets. Never raises."""
    text = span.text
    stripped = text.strip()
    if not stripped:
        return None
    if len(stripped) == len(text):
        return span
    lead = len(text) - len(text.lstrip())
    start = span.start + lead
    return span.model_copy(update={"start": start, "end": start + len(stripped), "text": stripped})


def trim_note(original: Span, trimmed: Span) -> str:
    """What :func:`trim` took off ``original`` to give ``trimmed``, as a clause, e.g. ``"the whitespace at its
    start (' ') is part of no token"``; ``""`` when nothing was taken."""
    lead = original.text[: trimmed.start - original.start]
    trail = original.text[len(original.text) - (original.end - trimmed.end) :] if trimmed.end < original.end else ""
    if lead and trail:
        return f"the whitespace at its start ({lead!r}) and end ({trail!r}) is part of no token"
    if lead:
        return f"the whitespace at its start ({lead!r}) is part of no token"
    if trail:
        return f"the whitespace at its end ({trail!r}) is part of no token"
    return ""


def trimmed_reason(original: Span, trimmed: Span) -> str:
    """The reason of the ``"trimmed"`` problem of ``original`` written as ``trimmed``, e.g. ``"the whitespace at its
    start (' ') is part of no token; written without it as [4, 12) 'Person H'"``."""
    shown = trimmed.text if len(trimmed.text) <= 60 else trimmed.text[:59] + "…"
    return f"{trim_note(original, trimmed)}; written without it as [{trimmed.start}, {trimmed.end}) {shown!r}"
