"""One translation mechanism for code outside Django: the standard library's gettext over our catalogue.

Pages translate through Django ({% translate %}, gettext_lazy); `core/`, the command line and
anything else that must stay free of Django call `gettext(message, lang)` here. Both read the same
compiled catalogue, `commonground/locale/vi/LC_MESSAGES/django.mo`, keyed by the English text
(docs/decisions/0014-one-translation-mechanism.md). English needs no catalogue: the key is the text.
"""

from __future__ import annotations

import gettext as _stdlib
from functools import lru_cache
from pathlib import Path
from typing import Literal

Lang = Literal["en", "vi"]

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "django"


@lru_cache(maxsize=4)
def _catalogue(lang: Lang) -> _stdlib.NullTranslations:
    if lang == "en":
        return _stdlib.NullTranslations()
    return _stdlib.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str, lang: Lang) -> str:
    """`message` (English) in `lang`; the English itself when the catalogue lacks it."""
    return _catalogue(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: Lang) -> str:
    """The form of `singular`/`plural` for `n` in `lang` (Vietnamese has one form)."""
    return _catalogue(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str, lang: Lang) -> str:
    """`message` in `lang` where the same English needs different words (`context` tells which)."""
    return _catalogue(lang).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int, lang: Lang) -> str:
    """`ngettext` with a context."""
    return _catalogue(lang).npgettext(context, singular, plural, n)


def gettext_noop(message: str) -> str:
    """Marks an English message for the catalogue (xgettext and makemessages find `gettext_noop`)
    where it is defined, in a table of codes; it is translated where it is shown."""
    return message


def pgettext_noop(context: str, message: str) -> str:
    """`gettext_noop` for a message with a context (xgettext finds `pgettext_noop:1c,2`)."""
    return message


def npgettext_noop(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a context and a plural (xgettext: `npgettext_noop:1c,2,3`); gives both
    English forms, for `npgettext` where it is shown."""
    return singular, plural
