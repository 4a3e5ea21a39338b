"""Token-level agreement: one label per token and annotator, then Cohen's kappa, Fleiss' kappa, Krippendorff's alpha
and confusion matrices.

Units
-----
The units are the tokens of :func:`annotator.formats.tokens.tokenize` (code-point offsets), pooled over the documents
given: pass a list of one document for per-document figures. Every annotator of a document labels each of its tokens
(all saw the same text): the label of the longest of its spans that covers the token (shares at least one code point
with it, as the CoNLL export snaps a span to the tokens it overlaps), ties going to the earliest start, then to the
label name; a token no span covers is labeled :data:`OUTSIDE` (``"O"``). An annotator "annotated" a document when it
is a key of the document's ``spans``, even with no spans; an annotator that did not annotate a document gives its
tokens no label (a missing value).

Measures
--------
- Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales", Educational and Psychological
  Measurement 20(1):37-46, https://doi.org/10.1177/001316446002000104) for a pair, over the documents both
  annotated: ``kappa = (p_o - p_e) / (1 - p_e)``, ``p_o`` the share of tokens given the same label, ``p_e = sum_k
  p_a(k) p_b(k)`` from each annotator's own label shares. Undefined when ``p_e == 1`` (both gave every token one same
  label, e.g. neither has spans).
- Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters", Psychological Bulletin
  76(5):378-382, https://doi.org/10.1037/h0031619) over ``n >= 2`` annotators, each labeling every token: it needs
  the same raters for every unit, so it pools the documents that ALL the annotators annotated. ``P_i = (sum_j
  n_ij^2 - n) / (n(n - 1))``, ``P_bar`` their mean, ``p_j = sum_i n_ij / (N n)``, ``P_e = sum_j p_j^2``, ``kappa =
  (P_bar - P_e) / (1 - P_e)``; undefined when ``P_e == 1``. With two annotators it is Scott's pi.
- Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's alpha-reliability",
  https://repository.upenn.edu/asc_papers/43), computed by the ``krippendorff`` package
  (https://github.com/pln-fing-udelar/fast-krippendorff): ``krippendorff.alpha(reliability_data=...,
  level_of_measurement="nominal")`` with one row per annotator, one column per token and label indices as values
  (NaN where the annotator did not annotate the document). Missing values are allowed; tokens labeled by fewer than
  two annotators cannot be paired and are left out, as alpha prescribes.
- The confusion matrix of a pair counts tokens by (label of ``a``, label of ``b``).

A span label spelled ``"O"`` cannot be told from "no span" here.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

from annotator.formats.tokens import Token, token_range, tokenize
from annotator.model.span import Span
from annotator.review.measure import Measure, undefined
from annotator.review.units import DocumentAnnotations

OUTSIDE = "O"
"""The label of a token that no span covers."""


@dataclass(frozen=True)
class LabeledTokens:
    """One document's tokens with every annotator's label for each.

    Attributes
    ----------
    document: the document's name.
    tokens: :func:`~annotator.formats.tokens.tokenize` of its text (code points).
    labels: annotator -> one label per token (``len(tokens)`` of them), :data:`OUTSIDE` where no span covers it.
    """

    document: str
    tokens: tuple[Token, ...]
    labels: Mapping[str, tuple[str, ...]]

    @property
    def annotators(self) -> list[str]:
        """The annotators, sorted."""
        return sorted(self.labels)


Documents = Iterable[DocumentAnnotations | LabeledTokens]
"""What the measures take: documents, labeled already or not (:func:`label_tokens` labels them)."""


def token_labels(tokens: Sequence[Token], spans: Iterable[Span]) -> list[str]:
    """One label per token (``tokens`` in text order, as ``tokenize`` gives them): the label of the longest span
    (in code points) sharing a code point with the token, ties to the earliest ``start``, then the smaller label
    name; :data:`OUTSIDE` when no span does."""
    labels = [OUTSIDE] * len(tokens)
    taken = [False] * len(tokens)
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start, s.label)):  # the winner first
        first, last = token_range(tokens, span.start, span.end)
        for k in range(first, last + 1):
            if not taken[k]:
                taken[k] = True
                labels[k] = span.label
    return labels


def label_tokens(document: DocumentAnnotations) -> LabeledTokens:
    """``document`` tokenized, each token labeled for each of its annotators (see :func:`token_labels`)."""
    tokens = tuple(tokenize(document.text))
    labels = {name: tuple(token_labels(tokens, spans)) for name, spans in document.spans.items()}
    return LabeledTokens(document.document, tokens, labels)


def label_order(labels: Iterable[str]) -> list[str]:
    """The distinct ``labels`` sorted by name, :data:`OUTSIDE` last (the rows and columns of a confusion matrix)."""
    return sorted(set(labels), key=lambda label: (label == OUTSIDE, label))


# -- Cohen's kappa and confusion matrices -------------------------------------------------------------------------
def cohen_kappa(documents: Documents, a: str, b: str) -> Measure:
    """Cohen's kappa of ``a`` and ``b`` over the pooled tokens of the documents both annotated (source in the
    module docstring). Undefined, with the reason, when they share no document, the shared documents have no token,
    or the expected agreement is 1."""
    both = " and ".join(sorted((a, b)))
    shared = _shared(documents, (a, b))
    if not shared:
        return undefined(f"{both} have no shared documents")
    labels_a, labels_b = _pooled(shared, a), _pooled(shared, b)
    if not labels_a:
        return undefined(f"the documents {both} share have no tokens, so Cohen's kappa is undefined")
    return cohen_kappa_of_labels(labels_a, labels_b, both)


def cohen_kappa_of_labels(labels_a: Sequence[str], labels_b: Sequence[str], who: str = "both annotators") -> Measure:
    """Cohen's kappa of two equally long label sequences (one label per unit, aligned).

    With ``N`` units, ``agree`` of them labeled alike and ``S = sum_k n_a(k) n_b(k)`` (``p_e = S / N^2``), ``kappa =
    (N agree - S) / (N^2 - S)``, exact in integers until the one division. Undefined when ``N == 0`` or ``p_e == 1``
    (``who`` names the annotators in the reason).

    Raises
    ------
    ValueError
        If the sequences differ in length.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError(f"label sequences differ in length: {len(labels_a)} and {len(labels_b)}")
    n = len(labels_a)
    if n == 0:
        return undefined("there are no tokens, so Cohen's kappa is undefined")
    agree = sum(x == y for x, y in zip(labels_a, labels_b, strict=True))
    counts_a, counts_b = Counter(labels_a), Counter(labels_b)
    chance = sum(counts_a[label] * counts_b[label] for label in counts_a)
    if chance == n * n:  # p_e == 1: both used one and the same label for every unit
        return undefined(
            f"{who} gave every token the same label ({_named(labels_a[0])}), so the expected "
            "agreement is 1 and Cohen's kappa is undefined"
        )
    return Measure((n * agree - chance) / (n * n - chance))


def confusion_matrix(documents: Documents, a: str, b: str) -> dict[str, dict[str, int]]:
    """Token counts by label of ``a`` (rows) and label of ``b`` (columns), pooled over the documents both annotated:
    ``matrix[label_a][label_b]``. Rows and columns are every label either gave a token, sorted with :data:`OUTSIDE`
    last, zeros included; ``{}`` when they share no token."""
    shared = _shared(documents, (a, b))
    pairs = Counter(zip(_pooled(shared, a), _pooled(shared, b), strict=True))
    order = label_order(itertools.chain.from_iterable(pairs))
    return {row: {column: pairs[(row, column)] for column in order} for row in order}


# -- Fleiss' kappa -------------------------------------------------------------------------------------------------
def fleiss_kappa(documents: Documents, annotators: Sequence[str] | None = None) -> Measure:
    """Fleiss' kappa of ``annotators`` (default: every annotator of ``documents``) over the pooled tokens of the
    documents that all of them annotated (source in the module docstring). Undefined, with the reason, for fewer
    than two annotators, no document annotated by all, no tokens, or ``P_e == 1``."""
    labeled = [_labeled(document) for document in documents]
    names = sorted(set(annotators) if annotators is not None else _all_annotators(labeled))
    if not labeled:
        return undefined("there are no documents, so Fleiss' kappa is undefined")
    if len(names) < 2:
        return undefined(f"Fleiss' kappa needs two or more annotators; there is {_count(names)}")
    shared = _shared(labeled, names)
    if not shared:
        return undefined(
            f"no document was annotated by all {len(names)} annotators ({', '.join(names)}), so "
            "Fleiss' kappa is undefined"
        )
    columns = [_pooled(shared, name) for name in names]
    if not columns[0]:
        return undefined("the documents all annotators annotated have no tokens, so Fleiss' kappa is undefined")
    order = label_order(itertools.chain.from_iterable(columns))
    if len(order) == 1:
        return undefined(
            f"every annotator gave every token the same label ({_named(order[0])}), so the expected "
            "agreement is 1 and Fleiss' kappa is undefined"
        )
    index = {label: i for i, label in enumerate(order)}
    ratings = np.array([[index[label] for label in column] for column in columns])  # annotators x tokens
    return fleiss_kappa_of_counts(np.stack([(ratings == j).sum(axis=0) for j in range(len(order))], axis=1))


def fleiss_kappa_of_counts(counts: Sequence[Sequence[int]] | np.ndarray) -> Measure:
    """Fleiss' kappa of an ``N x k`` table: ``counts[i][j]`` raters put unit ``i`` in category ``j``, every row
    summing to the same ``n >= 2``.

    With ``T = N n``, ``Q = sum_ij n_ij^2`` and ``C = sum_j (sum_i n_ij)^2``: ``P_bar = (Q - T) / (T (n - 1))`` and
    ``P_e = C / T^2``, so ``kappa = ((Q - T) T - C (n - 1)) / ((n - 1)(T^2 - C))``, exact in integers until the one
    division. Undefined when ``P_e == 1`` (every rating in one category).

    Raises
    ------
    ValueError
        If the table is empty or not two-dimensional, a count is negative, or the rows do not all sum to one
        ``n >= 2``.
    """
    table = np.asarray(counts, dtype=np.int64)
    if table.ndim != 2 or not table.size:
        raise ValueError("Fleiss' kappa needs a table of at least one unit and one category")
    raters = np.unique(table.sum(axis=1))
    if len(raters) != 1 or raters[0] < 2 or (table < 0).any():
        raise ValueError("every unit must be rated by the same number (two or more) of raters")
    n = int(raters[0])
    total = len(table) * n
    squares = int((table * table).sum())
    category_squares = sum(int(column) ** 2 for column in table.sum(axis=0))
    if category_squares == total * total:
        return undefined(
            "every rating is in the same category, so the expected agreement is 1 and Fleiss' kappa is undefined"
        )
    numerator = (squares - total) * total - category_squares * (n - 1)
    return Measure(numerator / ((n - 1) * (total * total - category_squares)))


# -- Krippendorff's alpha -------------------------------------------------------------------------------------------
def krippendorff_alpha(documents: Documents, annotators: Sequence[str] | None = None) -> Measure:
    """Krippendorff's alpha, nominal, of ``annotators`` (default: every annotator of ``documents``) over the pooled
    tokens of all ``documents``, computed by the ``krippendorff`` package (sources in the module docstring). An
    annotator that did not annotate a document leaves its tokens missing. Undefined, with the reason, for fewer than
    two annotators, no token labeled by two of them, a single label among those tokens (no expected disagreement),
    or when the package gives NaN or refuses the data."""
    labeled = [_labeled(document) for document in documents]
    names = sorted(set(annotators) if annotators is not None else _all_annotators(labeled))
    paired = [document for document in labeled if sum(name in document.labels for name in names) >= 2]
    why = alpha_undefined(bool(labeled), names, bool(paired))
    if why is not None:
        return why
    order = label_order(label for document in paired for name in names for label in document.labels.get(name, ()))
    why = alpha_undefined_by_labels(order)
    if why is not None:
        return why
    return _package_alpha(_reliability_data(paired, names, order))


def alpha_undefined(has_documents: bool, names: Sequence[str], has_paired: bool) -> Measure | None:
    """Why Krippendorff's alpha of annotators ``names`` is undefined before any token is counted: no documents, fewer
    than two annotators, or no document annotated by two of them (``has_paired`` false); ``None`` when it may be
    defined. Shared with the streamed report (:mod:`annotator.review.agreement_tally`), so both say the same."""
    if not has_documents:
        return undefined("there are no documents, so Krippendorff's alpha is undefined")
    if len(names) < 2:
        return undefined(f"Krippendorff's alpha needs two or more annotators; there is {_count(names)}")
    if not has_paired:
        return undefined(
            "no document was annotated by two or more of the annotators, so Krippendorff's alpha is undefined"
        )
    return None


def alpha_undefined_by_labels(order: Sequence[str]) -> Measure | None:
    """Why Krippendorff's alpha is undefined given the labels (``order``: every label of the tokens labeled by two or
    more annotators, :func:`label_order`): no such token, or one label only (no expected disagreement); ``None``
    when it is defined."""
    if not order:
        return undefined(
            "the documents annotated by two or more annotators have no tokens, so Krippendorff's alpha is undefined"
        )
    if len(order) == 1:
        return undefined(
            f"every token labeled by two or more annotators has the same label ({_named(order[0])}), "
            "so there is no expected disagreement and Krippendorff's alpha is undefined"
        )
    return None


def _reliability_data(documents: Sequence[LabeledTokens], names: Sequence[str], order: Sequence[str]) -> np.ndarray:
    """Rows: annotators; columns: the tokens of ``documents`` in order; values: the index of the label in
    ``order``, NaN where the annotator did not annotate the document."""
    index = {label: float(i) for i, label in enumerate(order)}
    rows = []
    for name in names:
        row: list[float] = []
        for document in documents:
            labels = document.labels.get(name)
            row += [math.nan] * len(document.tokens) if labels is None else [index[label] for label in labels]
        rows.append(row)
    return np.array(rows, dtype=float)


def _package_alpha(reliability_data: np.ndarray) -> Measure:
    try:
        value = krippendorff.alpha(reliability_data=reliability_data, level_of_measurement="nominal")
    except ValueError as error:
        return undefined(f"the krippendorff package could not compute alpha: {error}")
    if math.isnan(value):
        return undefined("the krippendorff package returned NaN (no expected disagreement among the paired tokens)")
    return Measure(float(value))


# -- helpers -------------------------------------------------------------------------------------------------------
def _labeled(document: DocumentAnnotations | LabeledTokens) -> LabeledTokens:
    return document if isinstance(document, LabeledTokens) else label_tokens(document)


def _shared(documents: Documents, names: Iterable[str]) -> list[LabeledTokens]:
    """The documents (labeled) that every one of ``names`` annotated, in order."""
    names = list(names)
    labeled = [_labeled(document) if _annotated_by(document, names) else None for document in documents]
    return [document for document in labeled if document is not None]


def _annotated_by(document: DocumentAnnotations | LabeledTokens, names: Iterable[str]) -> bool:
    annotators = document.labels if isinstance(document, LabeledTokens) else document.spans
    return all(name in annotators for name in names)


def _pooled(documents: Iterable[LabeledTokens], name: str) -> list[str]:
    """``name``'s labels of the tokens of ``documents``, one after the other."""
    return [label for document in documents for label in document.labels[name]]


def _all_annotators(documents: Iterable[LabeledTokens]) -> set[str]:
    return {name for document in documents for name in document.labels}


def _named(label: str) -> str:
    return f"{OUTSIDE}: no span covers any token" if label == OUTSIDE else label


def _count(names: Sequence[str]) -> str:
    return f"only one ({names[0]})" if names else "none"
