"""Bilingual text: every string a person reads exists in English and Vietnamese."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .errors import Lang


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    vi: str

    def get(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en


Label = Text | str
"""A library string a person reads: `{en: …, vi: …}`, or a plain string that reads the same in both."""


def text_in(label: Label | None, lang: Lang) -> str:
    """`label` in `lang` ("" when absent)."""
    if label is None:
        return ""
    return label if isinstance(label, str) else label.get(lang)


class Model(BaseModel):
    """Base for library models: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)
