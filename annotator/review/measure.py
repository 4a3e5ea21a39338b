"""One agreement figure, or why there is none: ``Measure(value, reason)``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """A metric value, or ``None`` when the metric is undefined, with the reason in one plain sentence.

    Attributes
    ----------
    value: the figure (a plain ``float``; NumPy floats are converted), or ``None`` when undefined.
    reason: why the value is undefined (required then); may be empty when the value is defined.

    Raises
    ------
    ValueError
        If ``value`` is NaN (say why with :func:`undefined` instead) or if ``value`` is ``None`` without a reason.
    """

    value: float | None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.value is None:
            if not self.reason:
                raise ValueError("an undefined measure needs a reason")
            return
        value = float(self.value)
        if math.isnan(value):
            raise ValueError("a measure is never NaN: give undefined(reason) instead")
        object.__setattr__(self, "value", value)

    @property
    def defined(self) -> bool:
        """Whether there is a value."""
        return self.value is not None


def undefined(reason: str) -> Measure:
    """An undefined measure that says why (``reason``: one plain sentence, not empty)."""
    return Measure(None, reason)


def ratio(numerator: float, denominator: float, reason: str) -> Measure:
    """``numerator / denominator``, or undefined with ``reason`` when ``denominator`` is 0."""
    if denominator == 0:
        return undefined(reason)
    return Measure(numerator / denominator)


def mean(measures: Iterable[Measure], reason: str) -> Measure:
    """The arithmetic mean of the defined ``measures`` (undefined ones are left out), or undefined with ``reason``
    when none is defined."""
    values = [m.value for m in measures if m.value is not None]
    if not values:
        return undefined(reason)
    return Measure(math.fsum(values) / len(values))
