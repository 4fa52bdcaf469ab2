"""Bilingual text: every string a person reads exists in English and Vietnamese."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .errors import Lang
from .i18n import gettext


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


def translated(message: str, **params: Label) -> Text:
    """A message written in code, in both languages: its Vietnamese from the catalogue (decision
    0014), each `{name}` filled with `params[name]` in the same language (a library label or a
    plain string)."""
    return Text(
        en=message.format(**{k: text_in(v, "en") for k, v in params.items()}),
        vi=gettext(message, "vi").format(**{k: text_in(v, "vi") for k, v in params.items()}),
    )


class Model(BaseModel):
    """Base for library models: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)
