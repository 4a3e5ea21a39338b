"""The agreement report of documents given one at a time: :class:`AgreementTally` keeps per document only small
records (the per-document figures, tallies of span counts, token label pairs and token rating patterns, the value
units of attributes and document labels) and drops the document's text, tokens and spans, so ``annotator agree``'s
memory grows with the largest document, not with the corpus.

Every figure is the one :func:`annotator.review.agreement.agreement_report` gives on the same documents, to the
last bit: span counts, Cohen's kappa (from the pair's token confusion counts) and Fleiss' kappa (from how many tokens
had each pattern of label counts) are exact in integers until one division, done as there. Krippendorff's alpha over
tokens is computed from its coincidence matrix (Krippendorff 2011, "Computing Krippendorff's alpha-reliability",
https://repository.upenn.edu/asc_papers/43) as the ``krippendorff`` package computes it (``_coincidences``: one
float term per token and pair of labels, ``np.divide`` of the integer pair count by the token's pairable ratings
less one, summed over the tokens in order): the tally keeps one running float sum per pair of labels and adds each
document's terms to it token by token (``np.cumsum``), the same additions in the same order as the package's
``sum(axis=0)`` over every token; the rest follows the package's steps (``_random_coincidences``, nominal
distances, ``1 - sum(o d) / sum(e d)``) on the same arrays, so the value is the package's to the bit.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from annotator.model.labels import Attribute, DocumentLabel
from annotator.review.agreement import AgreementReport, AnnotatorCounts, PairAgreement, _document
from annotator.review.majority import GOLD_ANNOTATOR
from annotator.review.measure import Measure, ratio, undefined
from annotator.review.nominal import Unit, nominal_agreement
from annotator.review.span_agreement import SpanAgreement, SpanCounts, span_counts
from annotator.review.suggestion_effect import (
    FROM_SUGGESTIONS,
    GROUPS,
    AnnotatorSuggestionUse,
    GroupEffort,
    PairByGroup,
    SuggestionEffect,
    group_effort,
    group_of,
)
from annotator.review.token_agreement import (
    OUTSIDE,
    alpha_undefined,
    alpha_undefined_by_labels,
    label_order,
    label_tokens,
)
from annotator.review.units import DocumentAnnotations
from annotator.review.value_agreement import attribute_units, document_label_items, document_label_units

Pattern = tuple[tuple[str, int], ...]
"""One token's ratings: ``(label, how many annotators gave it)`` pairs, sorted by label."""


@dataclass
class _PairTally:
    shared: int = 0
    exact: dict[str, SpanCounts] = field(default_factory=lambda: defaultdict(SpanCounts))
    overlap: dict[str, SpanCounts] = field(default_factory=lambda: defaultdict(SpanCounts))
    tokens: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label of a, label of b) -> tokens
    groups: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    group_exact: dict[str, dict[str, SpanCounts]] = field(
        default_factory=lambda: {group: defaultdict(SpanCounts) for group in GROUPS}
    )


@dataclass
class _AnnotatorTally:
    documents: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    accepted: int = 0
    group_documents: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    group_spans: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    group_seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))


class AgreementTally:
    """Add documents with :meth:`add` (each once, in report order), then :meth:`report` gives the
    :class:`~annotator.review.agreement.AgreementReport` of all of them (see the module docstring)."""

    def __init__(self) -> None:
        self._documents = 0
        self._per_document: list = []
        self._annotators: dict[str, _AnnotatorTally] = {}
        self._pairs: dict[tuple[str, str], _PairTally] = {}
        self._fleiss: dict[frozenset[str], Counter[Pattern]] = defaultdict(Counter)  # by the document's raters
        self._alpha: Counter[Pattern] = Counter()
        self._alpha_documents = 0
        self._coincidences: dict[tuple[str, str], np.float64] = {}  # running sums in token order (docstring)
        self._attributes: dict[str, Attribute] = {}
        self._attribute_units: dict[str, list[Unit]] = defaultdict(list)
        self._document_labels: dict[str, DocumentLabel] = {}
        self._label_units: dict[str, list[Unit]] = defaultdict(list)
        self._units: dict[tuple[tuple[str, str], ...], Unit] = {}

    def add(self, document: DocumentAnnotations) -> None:
        """Tally one document (tokenized once); nothing of its text, tokens or spans is kept."""
        labeled = label_tokens(document)
        self._documents += 1
        self._per_document.append(_document(document, labeled))
        for name, spans in document.spans.items():
            mine = self._annotators.setdefault(name, _AnnotatorTally())
            mine.documents += 1
            mine.labels.update(span.label for span in spans)
            mine.accepted += sum(span.origin in FROM_SUGGESTIONS for span in spans)
            group = group_of(document, name)
            mine.group_documents[group] += 1
            mine.group_spans[group] += len(spans)
            mine.group_seconds[group] += document.effort.get(name, (False, 0.0))[1]
        for a, b in itertools.combinations(document.annotators, 2):
            pair = self._pairs.setdefault((a, b), _PairTally())
            pair.shared += 1
            exact = span_counts(document.spans[a], document.spans[b], "exact")
            for label, counts in exact.items():
                pair.exact[label] += counts
            for label, counts in span_counts(document.spans[a], document.spans[b], "overlap").items():
                pair.overlap[label] += counts
            pair.tokens.update(zip(labeled.labels[a], labeled.labels[b], strict=True))
            group_a, group_b = group_of(document, a), group_of(document, b)
            if group_a == group_b:
                pair.groups[group_a] += 1
                for label, counts in exact.items():
                    pair.group_exact[group_a][label] += counts
        raters = [name for name in document.annotators if name != GOLD_ANNOTATOR]
        if raters:
            columns = [labeled.labels[name] for name in raters]
            patterns = Counter(tuple(sorted(Counter(token).items())) for token in zip(*columns, strict=True))
            self._fleiss[frozenset(raters)].update(patterns)
            if len(raters) >= 2:
                self._alpha_documents += 1
                self._alpha.update(patterns)
                self._add_coincidences(columns)
        self._add_values(document)

    def _add_coincidences(self, columns: Sequence[Sequence[str]]) -> None:
        """Add the document's tokens' coincidence terms (the package's ``_coincidences``) to the running sums, one
        token after another."""
        order = sorted({label for column in columns for label in column})
        if not order:
            return
        index = {label: i for i, label in enumerate(order)}
        size, tokens = len(order), len(columns[0])
        value_counts = np.zeros((tokens, size), dtype=np.int64)
        rows = np.arange(tokens)
        for column in columns:
            value_counts[rows, [index[label] for label in column]] += 1
        pairable = np.maximum(value_counts.sum(axis=1), 2)
        diagonals = value_counts[:, np.newaxis, :] * np.eye(size)[np.newaxis, ...]
        unnormalized = value_counts[..., np.newaxis] * value_counts[:, np.newaxis, :] - diagonals
        terms = np.divide(unnormalized, (pairable - 1).reshape((-1, 1, 1)), dtype=np.float64)
        start = np.array(
            [[self._coincidences.get((c, k), np.float64(0.0)) for k in order] for c in order], dtype=np.float64
        )
        sums = np.cumsum(np.concatenate([start[np.newaxis], terms]), axis=0)[-1]
        for i, c in enumerate(order):
            for j, k in enumerate(order):
                self._coincidences[(c, k)] = sums[i, j]

    def _add_values(self, document: DocumentAnnotations) -> None:
        label_set = document.label_set
        if label_set is None:
            return
        for attribute in label_set.attributes:
            if attribute.on == "span":
                self._attributes.setdefault(attribute.name, attribute)
        for label in label_set.document_labels:
            self._document_labels.setdefault(label.name, label)
        for name in self._attributes:
            own = label_set.attribute(name)
            if own is not None:
                self._attribute_units[name] += map(self._interned, attribute_units(document, own))
        for name, first in self._document_labels.items():
            own_label = label_set.document_label(name)
            if own_label is not None:
                for item, value in document_label_items(first):
                    self._label_units[item].append(self._interned(document_label_units(document, own_label, value)))

    def _interned(self, unit: Unit) -> Unit:
        """``unit``, or the equal unit kept before (units repeat: most are the same few ratings), so that a
        unit costs a reference in the lists (the units are only read)."""
        return self._units.setdefault(tuple(unit.items()), unit)

    def report(self) -> AgreementReport:
        """The report of every document added (``documents`` 0 and undefined corpus figures before any)."""
        annotators = sorted(self._annotators)
        raters = [name for name in annotators if name != GOLD_ANNOTATOR]
        return AgreementReport(
            annotators=annotators,
            documents=self._documents,
            pairs=[self._pair(a, b) for a, b in itertools.combinations(annotators, 2)],
            fleiss_kappa=self._fleiss_kappa(raters),
            krippendorff_alpha=self._krippendorff_alpha(raters),
            fleiss_documents=self._fleiss_documents(raters),
            per_annotator={
                name: AnnotatorCounts(
                    self._annotators[name].documents,
                    sum(self._annotators[name].labels.values()),
                    dict(sorted(self._annotators[name].labels.items())),
                )
                for name in annotators
            },
            per_document=list(self._per_document),
            suggestions=self._suggestions(annotators),
            attributes=self._attribute_agreement(annotators, raters),
            document_labels=self._document_label_agreement(annotators, raters),
        )

    # -- pairs ---------------------------------------------------------------------------------------------------
    def _pair(self, a: str, b: str) -> PairAgreement:
        tally = self._pairs.get((a, b), _PairTally())
        exact = SpanAgreement(a, b, "exact", tally.shared, dict(sorted(tally.exact.items())))
        overlap = SpanAgreement(a, b, "overlap", tally.shared, dict(sorted(tally.overlap.items())))
        order = label_order(itertools.chain.from_iterable(tally.tokens))
        confusion = {row: {column: tally.tokens[(row, column)] for column in order} for row in order}
        return PairAgreement(a, b, tally.shared, exact, overlap, _cohen(tally, a, b), confusion)

    # -- Fleiss' kappa and Krippendorff's alpha over tokens ---------------------------------------------------------
    def _fleiss_documents(self, raters: list[str]) -> int:
        if len(raters) < 2:
            return 0
        return sum(1 for document in self._per_document if set(raters) <= set(document.annotators))

    def _fleiss_kappa(self, names: list[str]) -> Measure:
        if not self._documents:
            return undefined("there are no documents, so Fleiss' kappa is undefined")
        if len(names) < 2:
            return undefined(f"Fleiss' kappa needs two or more annotators; there is {_count(names)}")
        if not self._fleiss_documents(names):
            return undefined(
                f"no document was annotated by all {len(names)} annotators ({', '.join(names)}), so "
                "Fleiss' kappa is undefined"
            )
        patterns = self._fleiss[frozenset(names)]
        if not patterns:
            return undefined("the documents all annotators annotated have no tokens, so Fleiss' kappa is undefined")
        order = label_order(label for pattern in patterns for label, _ in pattern)
        if len(order) == 1:
            return undefined(
                f"every annotator gave every token the same label ({_named(order[0])}), so the expected "
                "agreement is 1 and Fleiss' kappa is undefined"
            )
        n = len(names)
        total = sum(patterns.values()) * n
        squares = sum(times * sum(c * c for _, c in pattern) for pattern, times in patterns.items())
        per_label: Counter[str] = Counter()
        for pattern, times in patterns.items():
            for label, c in pattern:
                per_label[label] += times * c
        category_squares = sum(count**2 for count in per_label.values())
        if category_squares == total * total:
            return undefined(
                "every rating is in the same category, so the expected agreement is 1 and Fleiss' kappa is undefined"
            )
        numerator = (squares - total) * total - category_squares * (n - 1)
        return Measure(numerator / ((n - 1) * (total * total - category_squares)))

    def _krippendorff_alpha(self, names: list[str]) -> Measure:
        why = alpha_undefined(bool(self._documents), names, bool(self._alpha_documents))
        if why is not None:
            return why
        order = label_order(label for pattern in self._alpha for label, _ in pattern)
        why = alpha_undefined_by_labels(order)
        if why is not None:
            return why
        return _alpha_of_coincidences(self._coincidences, order)

    # -- suggestions, attributes, document labels ---------------------------------------------------------------
    def _suggestions(self, annotators: list[str]) -> SuggestionEffect:
        per_annotator = {}
        for name in annotators:
            mine = self._annotators[name]
            spans = sum(mine.labels.values())
            per_annotator[name] = AnnotatorSuggestionUse(
                spans=spans,
                from_suggestions=mine.accepted,
                share=ratio(mine.accepted, spans, f"{name} has no spans"),
                groups={group: _effort(mine, group) for group in GROUPS},
            )
        pairs = []
        for a, b in itertools.combinations(annotators, 2):
            tally = self._pairs.get((a, b), _PairTally())
            f1 = {
                group: SpanAgreement(
                    a, b, "exact", tally.groups[group], dict(sorted(tally.group_exact[group].items()))
                ).f1()
                if tally.groups[group]
                else undefined(f"{a} and {b} annotated no document both {group} suggestions")
                for group in GROUPS
            }
            mixed = tally.shared - sum(tally.groups.values())
            pairs.append(PairByGroup(a, b, dict(tally.groups), f1, mixed))
        return SuggestionEffect(per_annotator, pairs)

    def _attribute_agreement(self, annotators: list[str], raters: list[str]) -> list:
        results = []
        for name, attribute in self._attributes.items():
            what = f"matched {'/'.join(attribute.labels)} spans" if attribute.labels else "matched spans"
            units = self._attribute_units.get(name, [])
            results.append(nominal_agreement("attribute", name, units, annotators, raters, what))
        return results

    def _document_label_agreement(self, annotators: list[str], raters: list[str]) -> list:
        results = []
        for label in self._document_labels.values():
            for item, _value in document_label_items(label):
                units = self._label_units.get(item, [])
                results.append(
                    nominal_agreement(
                        "document label", item, units, annotators, raters, "documents", fleiss=True, min_units=2
                    )
                )
        return results


def streamed_agreement_report(documents: Iterable[DocumentAnnotations]) -> AgreementReport:
    """:func:`annotator.review.agreement.agreement_report` of ``documents`` taken one at a time (an iterator, e.g.
    :func:`annotator.review.loading.iter_documents`), keeping only small records of each (module docstring)."""
    tally = AgreementTally()
    for document in documents:
        tally.add(document)
    return tally.report()


def _effort(mine: _AnnotatorTally, group: str) -> GroupEffort:
    return group_effort(mine.group_documents[group], mine.group_spans[group], mine.group_seconds[group], group)


def _cohen(tally: _PairTally, a: str, b: str) -> Measure:
    """Cohen's kappa as :func:`annotator.review.token_agreement.cohen_kappa_of_labels` computes it, from the
    pair's ``(label of a, label of b)`` token counts."""
    both = " and ".join(sorted((a, b)))
    if not tally.shared:
        return undefined(f"{both} have no shared documents")
    n = sum(tally.tokens.values())
    if n == 0:
        return undefined(f"the documents {both} share have no tokens, so Cohen's kappa is undefined")
    agree = sum(count for (x, y), count in tally.tokens.items() if x == y)
    counts_a: Counter[str] = Counter()
    counts_b: Counter[str] = Counter()
    for (x, y), count in tally.tokens.items():
        counts_a[x] += count
        counts_b[y] += count
    chance = sum(counts_a[label] * counts_b[label] for label in counts_a)
    if chance == n * n:
        return undefined(
            f"{both} gave every token the same label ({_named(next(iter(counts_a)))}), so the expected "
            "agreement is 1 and Cohen's kappa is undefined"
        )
    return Measure((n * agree - chance) / (n * n - chance))


def _alpha_of_coincidences(coincidences: dict[tuple[str, str], np.float64], order: list[str]) -> Measure:
    """Nominal Krippendorff's alpha from the coincidence matrix's cells ``{(label, label): sum}`` (module
    docstring), with the ``krippendorff`` package's steps after ``_coincidences``."""
    zero = np.float64(0.0)
    o = np.array([[coincidences.get((c, k), zero) for k in order] for c in order], dtype=np.float64)
    size = len(order)
    n_v = o.sum(axis=0)
    e = np.divide(np.outer(n_v, n_v) - np.diagflat(n_v), n_v.sum() - 1, dtype=np.float64)
    values = np.arange(size)
    d = (values[:, np.newaxis] != values[np.newaxis, :]).astype(np.float64)
    value = 1 - (o * d).sum() / (e * d).sum()
    if math.isnan(value):
        return undefined("the krippendorff package returned NaN (no expected disagreement among the paired tokens)")
    return Measure(float(value))


def _named(label: str) -> str:
    return f"{OUTSIDE}: no span covers any token" if label == OUTSIDE else label


def _count(names: list[str]) -> str:
    return f"only one ({names[0]})" if names else "none"
