"""How the command line talks: results on stdout, problems and errors as one line each on stderr, progress bars
(tqdm) on stderr only when it is a terminal and the run takes more than half a second."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

from annotator.io.errors import FileFault
from annotator.review.loading import ReviewInput, load_review_input

T = TypeVar("T")

#: Seconds a run must take before its progress bar appears (read at each call, so tests can set it).
PROGRESS_DELAY_S = 0.5


def say(message: str) -> None:
    """A result line on stdout."""
    print(message, file=sys.stdout)


def warn(message: str) -> None:
    """One problem on stderr (one line: line breaks in ``message`` are shown as ``\\n``)."""
    print(message.replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)


def fail(message: str) -> int:
    """Print ``annotator: error: <message>`` on stderr and return exit code 1."""
    first, *rest = message.splitlines() or [""]
    print(f"annotator: error: {first}", file=sys.stderr)
    for line in rest:
        print(f"  {line}", file=sys.stderr)
    return 1


def progress(items: Iterable[T], total: int | None, what: str) -> Iterator[T]:
    """``items`` with a progress bar on stderr, shown only when stderr is a terminal and only once the run has taken
    ``PROGRESS_DELAY_S`` seconds (tqdm's ``delay``); ``total`` is the number of items, or None when unknown."""
    yield from tqdm(
        items, total=total, desc=what, unit=" docs", delay=PROGRESS_DELAY_S, disable=None, file=sys.stderr, leave=False
    )


def review_input(inputs: list[str], *, keep_texts: bool = True) -> ReviewInput | int:
    """The annotation files of ``inputs`` grouped by document, each file left out said on stderr; or exit status 1
    (after the error message) when an input does not exist or holds no annotation files. ``keep_texts``: see
    :func:`annotator.review.loading.load_review_input`."""
    try:
        found = load_review_input(inputs, keep_texts=keep_texts)
    except FileFault as fault:
        return fail(fault.message)
    for message in found.faults:
        warn(f"skipped {message}")
    return found
