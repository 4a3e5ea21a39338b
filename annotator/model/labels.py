"""Label sets (the annotation schema): which labels exist, their colors, hotkeys and descriptions."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Label(BaseModel):
    """One label of a label set.

    Attributes
    ----------
    name: the label's name as stored on spans (e.g. ``"actor"``); plain text, non-empty.
    color: ``#rrggbb`` hex color used to highlight its spans.
    hotkey: one key (e.g. ``"1"``) that applies the label, or ``""`` for none.
    description: one line shown as the label button's tooltip.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    color: str
    hotkey: str = ""
    description: str = ""

    @field_validator("color")
    @classmethod
    def _check_color(cls, value: str) -> str:
        if not _COLOR.fullmatch(value):
            raise ValueError(f"color must be #rrggbb, not {value!r}")
        return value.lower()

    @field_validator("hotkey")
    @classmethod
    def _check_hotkey(cls, value: str) -> str:
        if len(value) > 1:
            raise ValueError(f"hotkey must be a single key, not {value!r}")
        return value


class LabelSet(BaseModel):
    """A named, versioned list of labels with unique names and unique hotkeys.

    Raises
    ------
    pydantic.ValidationError
        On duplicate label names or hotkeys, a bad color, or an empty list.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    version: str = "1"
    labels: tuple[Label, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_unique(self) -> LabelSet:
        names = [label.name for label in self.labels]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate label names: {', '.join(dupes)}")
        keys = [label.hotkey for label in self.labels if label.hotkey]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"duplicate hotkeys: {', '.join(dupes)}")
        return self

    @property
    def names(self) -> list[str]:
        """Label names in the set's order."""
        return [label.name for label in self.labels]

    def get(self, name: str) -> Label | None:
        """The label called ``name``, or ``None``."""
        return next((label for label in self.labels if label.name == name), None)
