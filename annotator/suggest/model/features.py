"""The model's tokens and the features of each token.

Tokens are those of the token-based exports (:func:`annotator.formats.tokens.tokenize`: whitespace separates,
words are runs of word characters, every other character or grapheme cluster is a token of its own), so offsets are
code points and never cut a grapheme cluster (an emoji, CR LF, a flag). A whole document is one CRF sequence: a span
crossing a sentence or a line break is learned as it is.

Features of a token (each a string feature of weight 1, the way CRFsuite takes them):

- ``bias``;
- ``w=`` the lower-cased word; ``shape=`` its short shape (``X`` upper, ``x`` lower, ``d`` digit, any other
  character as itself, runs collapsed: ``"Price"`` → ``Xx``, ``"U.S."`` → ``X.X.``, ``"2024"`` → ``d``);
- ``p1= p2= p3=`` and ``s1= s2= s3=``: the lower-cased word's first and last one to three characters;
- case flags ``title``, ``upper``, ``lower``, ``digit`` (holds a digit); ``punct`` (every character is punctuation,
  Unicode category P*);
- ``cue``: the word is a reporting verb in any inflection, from the attribution suggester's lexicon
  (:data:`annotator.suggest.attribution.CUE_VERBS` and :func:`~annotator.suggest.attribution.inflections`);
  ``cue-phrase``: the token is part of one of its cue phrases (:data:`~annotator.suggest.attribution.CUE_PHRASES`:
  "according to", "citing", "made it clear");
- ``quote``: the token lies inside a quotation (:data:`~annotator.suggest.attribution.QUOTATIONS`, straight or curly
  double quotes, across line breaks; the marks included);
- ``cue-dist=``: where the nearest cue (verb or phrase) is, in tokens, bucketed: ``at`` (the token is one),
  ``before-1``, ``before-2``, ``before-4`` (3–4), ``before-8`` (5–8), ``before-16`` (9–16), ``before-far`` (17 or
  more) when the cue comes after the token, ``after-…`` likewise when it comes before, ``none`` when the document
  has no cue (the nearer side wins; a tie goes to the cue before);
- ``sent-start``: the token starts a sentence (:func:`annotator.formats.tokens.sentences`);
- the neighbours' ``w=``, ``shape=``, ``title``, ``punct``, ``cue`` and ``quote`` at offsets −2, −1, +1 and +2 (names
  prefixed ``-2|``, ``-1|``, ``+1|``, ``+2|``), and ``BOS`` / ``EOS`` at the document's first and last token.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from annotator.formats.tokens import Token, sentences, token_range, tokenize
from annotator.suggest.attribution import CUE_PHRASES, CUE_VERBS, QUOTATIONS, inflections

CUE_FORMS = frozenset(form for verb in CUE_VERBS for form in inflections(verb))
"""Every inflection of the attribution suggester's reporting verbs (lower case)."""

_BUCKETS = ((1, "1"), (2, "2"), (4, "4"), (8, "8"), (16, "16"))
_NEIGHBOURS = (-2, -1, 1, 2)
_OWN_FOR_NEIGHBOURS = ("w=", "shape=", "title", "punct", "cue", "quote")


def tokens_of(text: str) -> list[Token]:
    """The tokens of ``text`` (code points, half-open), as the CoNLL export makes them."""
    return tokenize(text)


def shape(word: str) -> str:
    """The short shape of ``word``: ``X`` for an upper-case letter, ``x`` lower-case, ``d`` a digit, any other
    character as itself; runs of one symbol collapsed (``"McCain"`` → ``XxXx``)."""
    out: list[str] = []
    for character in word:
        if character.isupper():
            symbol = "X"
        elif character.islower():
            symbol = "x"
        elif character.isdigit():
            symbol = "d"
        else:
            symbol = character
        if not out or out[-1] != symbol:
            out.append(symbol)
    return "".join(out)


def _is_punctuation(word: str) -> bool:
    return all(unicodedata.category(character).startswith("P") for character in word)


def _covered(tokens: Sequence[Token], ranges: Sequence[tuple[int, int]]) -> list[bool]:
    """For each token, whether it overlaps one of ``ranges`` (code points)."""
    flags = [False] * len(tokens)
    for start, end in ranges:
        first, last = token_range(tokens, start, end)
        for index in range(first, last + 1):
            flags[index] = True
    return flags


def _distance_bucket(distance: int) -> str:
    for bound, name in _BUCKETS:
        if distance <= bound:
            return name
    return "far"


def _cue_distances(cues: Sequence[bool]) -> list[str]:
    """``cue-dist=`` values: the bucketed distance to the nearest cue token, and on which side it lies."""
    count = len(cues)
    before = [-1] * count  # index of the nearest cue at or before each token
    last = -1
    for index in range(count):
        if cues[index]:
            last = index
        before[index] = last
    out = [""] * count
    following = -1
    for index in range(count - 1, -1, -1):
        if cues[index]:
            following = index
        if cues[index]:
            out[index] = "at"
            continue
        back = index - before[index] if before[index] >= 0 else None
        ahead = following - index if following >= 0 else None
        if back is None and ahead is None:
            out[index] = "none"
        elif ahead is None or (back is not None and back <= ahead):
            out[index] = "after-" + _distance_bucket(back or 0)
        else:
            out[index] = "before-" + _distance_bucket(ahead)
    return out


def token_features(text: str, tokens: Sequence[Token]) -> list[list[str]]:
    """The features of each of ``tokens`` (of ``text``, in order), as the module's docstring lists them."""
    lowered = text.lower()
    phrase_ranges = [m.span() for pattern in CUE_PHRASES for m in pattern.finditer(lowered)]
    in_phrase = _covered(tokens, phrase_ranges)
    quoted = _covered(tokens, [m.span() for m in QUOTATIONS.finditer(text)])
    cues = [token.text.lower() in CUE_FORMS or in_phrase[i] for i, token in enumerate(tokens)]
    distances = _cue_distances(cues)
    starts = {sentence[0].start for sentence in sentences(text, tokens)}
    own: list[list[str]] = []
    for index, token in enumerate(tokens):
        word = token.text
        lower = word.lower()
        features = [f"w={lower}", f"shape={shape(word)}"]
        features += [f"p{n}={lower[:n]}" for n in (1, 2, 3) if len(lower) >= n]
        features += [f"s{n}={lower[-n:]}" for n in (1, 2, 3) if len(lower) >= n]
        if word.istitle():
            features.append("title")
        if word.isupper():
            features.append("upper")
        if word.islower():
            features.append("lower")
        if any(character.isdigit() for character in word):
            features.append("digit")
        if _is_punctuation(word):
            features.append("punct")
        if lower in CUE_FORMS:
            features.append("cue")
        if in_phrase[index]:
            features.append("cue-phrase")
        if quoted[index]:
            features.append("quote")
        if token.start in starts:
            features.append("sent-start")
        own.append(features)
    out: list[list[str]] = []
    count = len(tokens)
    for index, features in enumerate(own):
        row = ["bias", *features, f"cue-dist={distances[index]}"]
        if index == 0:
            row.append("BOS")
        if index == count - 1:
            row.append("EOS")
        for offset in _NEIGHBOURS:
            other = index + offset
            if 0 <= other < count:
                prefix = f"{offset:+d}|"
                row += [prefix + f for f in own[other] if f.startswith(_OWN_FOR_NEIGHBOURS)]
        out.append(row)
    return out
