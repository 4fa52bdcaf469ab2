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


class Model(BaseModel):
    """Base for library models: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)
