"""Agreement on one nominal item (a span attribute, a document label) over units each annotator put in a category.

A *unit* is one thing rated: a span every annotator of it marked alike (for attributes) or a document (for document
labels); its ratings are ``{annotator: category}`` for the annotators who rated it (a plain string each). Measures:

- Cohen's kappa of a pair over the units both rated (Cohen 1960; see :mod:`annotator.review.token_agreement`),
  with ``n`` (units compared) and the observed agreement ``p_o`` (share rated alike). Undefined when they rated no
  unit in common, or when one category is all they gave (expected agreement 1).
- Krippendorff's alpha, nominal, over every rater (Krippendorff 2011), computed by the ``krippendorff`` package;
  units rated by fewer than two raters cannot be paired and are left out. Its ``n`` counts the units left in and its
  observed agreement is ``1 - D_o``: ``A_o = (1/N) sum_u sum_c n_uc (n_uc - 1) / (m_u - 1)``, ``m_u`` the ratings
  of unit ``u``, ``n_uc`` those in category ``c``, ``N = sum_u m_u`` (Krippendorff 2011, the coincidence matrix's
  diagonal). Undefined when no unit has two ratings or a single category occurs (no expected disagreement).
- Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters", Psychological Bulletin
  76(5):378-382, https://doi.org/10.1037/h0031619) over the units rated by every rater (it needs equal counts per
  unit), by :func:`annotator.review.token_agreement.fleiss_kappa_of_counts`; its observed agreement is ``P_bar``.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from annotator.review.measure import Measure, undefined
from annotator.review.token_agreement import _package_alpha, cohen_kappa_of_labels, fleiss_kappa_of_counts

Unit = Mapping[str, str]
"""One unit's ratings: annotator -> category."""
ItemKind = Literal["attribute", "document label"]


@dataclass(frozen=True)
class NominalPair:
    """Agreement of annotators ``a < b`` on one item: ``units`` compared (both rated), ``observed`` agreement (the
    share rated alike) and ``cohen_kappa``."""

    a: str
    b: str
    units: int
    observed: Measure
    cohen_kappa: Measure


@dataclass(frozen=True)
class NominalAgreement:
    """Agreement on one item (see the module docstring).

    Attributes
    ----------
    kind: ``"attribute"`` or ``"document label"``.
    name: the item: an attribute's or a document label's name; ``"topic: economy"`` for one value of a ``multiple``
        document label (a yes/no item).
    raters: the annotators of Krippendorff's alpha and Fleiss' kappa (every annotator but ``gold``), sorted.
    pairs: one :class:`NominalPair` per pair of annotators (gold included), sorted.
    units: how many units Krippendorff's alpha pooled (rated by two or more raters).
    observed: alpha's observed agreement ``1 - D_o`` over those units.
    krippendorff_alpha: nominal.
    fleiss_units: how many units every rater rated (Fleiss' kappa pools these).
    fleiss_observed: ``P_bar`` over them.
    fleiss_kappa: over them; ``None`` when not computed (attributes: which spans each annotator marked differs).
    """

    kind: ItemKind
    name: str
    raters: list[str]
    pairs: list[NominalPair]
    units: int
    observed: Measure
    krippendorff_alpha: Measure
    fleiss_units: int = 0
    fleiss_observed: Measure | None = None
    fleiss_kappa: Measure | None = None

    def to_json(self) -> dict:
        """``{"kind", "name", "units", "observed_agreement", "krippendorff_alpha", ["fleiss_units",
        "fleiss_observed_agreement", "fleiss_kappa",] "reasons": {...}, "pairs": [{"a", "b", "units",
        "observed_agreement", "cohen_kappa", "reasons"}]}``; an undefined figure is ``null`` with its reason under
        its name in the ``"reasons"`` beside it."""
        overall = {"observed_agreement": self.observed, "krippendorff_alpha": self.krippendorff_alpha}
        fleiss = {}
        if self.fleiss_kappa is not None and self.fleiss_observed is not None:
            fleiss = {"fleiss_observed_agreement": self.fleiss_observed, "fleiss_kappa": self.fleiss_kappa}
        return {
            "kind": self.kind,
            "name": self.name,
            "units": self.units,
            **({"fleiss_units": self.fleiss_units} if fleiss else {}),
            **_values({**overall, **fleiss}),
            "pairs": [
                {
                    "a": pair.a,
                    "b": pair.b,
                    "units": pair.units,
                    **_values({"observed_agreement": pair.observed, "cohen_kappa": pair.cohen_kappa}),
                }
                for pair in self.pairs
            ],
        }


def _values(measures: Mapping[str, Measure]) -> dict:
    return {
        **{name: m.value for name, m in measures.items()},
        "reasons": {name: m.reason for name, m in measures.items() if not m.defined},
    }


def nominal_agreement(
    kind: ItemKind,
    name: str,
    units: Sequence[Unit],
    annotators: Sequence[str],
    raters: Sequence[str],
    what: str,
    *,
    fleiss: bool = False,
    min_units: int = 1,
) -> NominalAgreement:
    """The agreement on item ``name`` over ``units``: every pair of ``annotators`` (Cohen's kappa), ``raters``
    (Krippendorff's alpha and, with ``fleiss``, Fleiss' kappa). ``what`` names the units in reasons, plural
    (``"matched actor spans"``, ``"documents"``). A kappa or alpha over fewer than ``min_units`` units is undefined
    (``"only 1 document: agreement needs at least 2"``): one document is no sample of a document label's values."""
    pairs = [_pair(units, a, b, name, what, min_units) for a, b in itertools.combinations(sorted(annotators), 2)]
    raters = sorted(raters)
    paired = [{r: unit[r] for r in raters if r in unit} for unit in units]
    paired = [unit for unit in paired if len(unit) >= 2]
    observed, alpha = _alpha(paired, raters, name, what)
    if paired and len(paired) < min_units:
        alpha = undefined(f"{_too_few(len(paired), what, min_units)}, so Krippendorff's alpha is undefined")
    result = NominalAgreement(kind, name, raters, pairs, len(paired), observed, alpha)
    if not fleiss:
        return result
    full = [unit for unit in paired if len(unit) == len(raters)]
    fleiss_observed, kappa = _fleiss(full, raters, name, what)
    if full and len(full) < min_units:
        kappa = undefined(f"{_too_few(len(full), what, min_units)}, so Fleiss' kappa is undefined")
    return NominalAgreement(kind, name, raters, pairs, len(paired), observed, alpha, len(full), fleiss_observed, kappa)


def _singular(what: str) -> str:
    return what[:-1] if what.endswith("s") else what


def _counted(n: int, what: str) -> str:
    """``"1 document"``, ``"3 documents"`` (``what`` plural)."""
    return f"{n} {_singular(what) if n == 1 else what}"


def _too_few(n: int, what: str, min_units: int) -> str:
    return f"only {_counted(n, what)}: agreement needs at least {min_units}"


def _pair(units: Sequence[Unit], a: str, b: str, name: str, what: str, min_units: int = 1) -> NominalPair:
    both = [(unit[a], unit[b]) for unit in units if a in unit and b in unit]
    who = f"{a} and {b}"
    if not both:
        reason = f"{who} have no {what} in common to compare {name} on"
        return NominalPair(a, b, 0, undefined(reason), undefined(f"{reason}, so Cohen's kappa is undefined"))
    observed = Measure(sum(x == y for x, y in both) / len(both))
    values = {x for pair in both for x in pair}
    if len(both) < min_units:
        kappa = undefined(f"{_too_few(len(both), what, min_units)}, so Cohen's kappa is undefined")
    elif len(values) == 1:
        on = f"the only {_singular(what)}" if len(both) == 1 else f"all {len(both)} {what}"
        kappa = undefined(
            f"{who} gave {name} the same value ({next(iter(values))}) on {on}, so the expected "
            "agreement is 1 and Cohen's kappa is undefined"
        )
    else:
        kappa = cohen_kappa_of_labels([x for x, _ in both], [y for _, y in both], who)
    return NominalPair(a, b, len(both), observed, kappa)


def _alpha(paired: Sequence[Unit], raters: Sequence[str], name: str, what: str) -> tuple[Measure, Measure]:
    if len(raters) < 2:
        reason = f"agreement among all annotators needs two or more; there is {len(raters) or 'none'}"
        return undefined(reason), undefined(f"{reason}, so Krippendorff's alpha is undefined")
    if not paired:
        reason = f"no {what[:-1] if what.endswith('s') else what} was rated on {name} by two or more annotators"
        return undefined(reason), undefined(f"{reason}, so Krippendorff's alpha is undefined")
    total = sum(len(unit) for unit in paired)
    agreeing = math.fsum(sum(n * (n - 1) for n in Counter(unit.values()).values()) / (len(unit) - 1) for unit in paired)
    observed = Measure(agreeing / total)
    order = sorted({value for unit in paired for value in unit.values()})
    if len(order) == 1:
        return observed, undefined(
            f"every rating of {name} is {order[0]}, so there is no expected disagreement and Krippendorff's alpha "
            "is undefined"
        )
    index = {value: float(i) for i, value in enumerate(order)}
    data = np.array([[index[unit[r]] if r in unit else math.nan for unit in paired] for r in raters], dtype=float)
    return observed, _package_alpha(data)


def _fleiss(full: Sequence[Unit], raters: Sequence[str], name: str, what: str) -> tuple[Measure, Measure]:
    if len(raters) < 2:
        reason = f"Fleiss' kappa needs two or more annotators; there is {len(raters) or 'none'}"
        return undefined(reason), undefined(reason)
    if not full:
        reason = f"no {what[:-1] if what.endswith('s') else what} was rated on {name} by all {len(raters)} annotators"
        return undefined(reason), undefined(f"{reason}, so Fleiss' kappa is undefined")
    order = sorted({value for unit in full for value in unit.values()})
    counts = [[Counter(unit.values())[value] for value in order] for unit in full]
    n = len(raters)
    observed = Measure(math.fsum((sum(c * c for c in row) - n) / (n * (n - 1)) for row in counts) / len(full))
    if len(order) == 1:
        return observed, undefined(
            f"every rating of {name} is {order[0]}, so the expected agreement is 1 and Fleiss' kappa is undefined"
        )
    return observed, fleiss_kappa_of_counts(counts)
