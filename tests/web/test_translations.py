"""The Vietnamese is complete, and each compiled catalogue matches its source.

The site's catalogue lives in `src/commonground/locale/`; an area may keep its own beside its code
(`src/commonground/<area>/locale/`, which Django finds for every installed app). Each is checked."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "commonground"
MAIN = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CATALOGUES = sorted(PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.po"))
# the same Vietnamese word is right for both (the plural is not marked in Vietnamese)
CONTEXT = "\x04"  # between a message's context (msgctxt) and its text, as gettext keys them
SHARED_ON_PURPOSE = {
    "Bộ tiêu chuẩn": ["Frameworks", "Framework"],
    "tấn": ["tonne", "unit\x04t"],  # the word and the symbol (t) of a tonne
}


def _entries(po: Path) -> dict[str, str]:
    text = po.read_text(encoding="utf-8")
    found = {}
    for block in text.split("\n\n"):
        ident = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        value = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        if ident and value:
            key = "".join(re.findall(r'"(.*)"', ident.group(1)))
            if key:
                key = f"{context.group(1)}{CONTEXT}{key}" if context else key
                found[key] = "".join(re.findall(r'"(.*)"', value.group(1)))
    return found


def _name(po: Path) -> str:
    return str(po.relative_to(PACKAGE))


def test_the_site_catalogue_is_found_among_the_catalogues() -> None:
    assert MAIN in CATALOGUES
    assert len(_entries(MAIN)) > 80


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_every_message_has_a_vietnamese_translation(po: Path) -> None:
    entries = _entries(po)
    assert entries
    assert [k for k, v in entries.items() if not v] == []
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_the_compiled_catalogue_is_up_to_date(po: Path) -> None:
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for key, value in _entries(po).items():
        if "%(n)s" not in key:
            key = key.replace('\\"', '"')  # the msgid as the program writes it
            found = compiled.pgettext(*key.split(CONTEXT)) if CONTEXT in key else compiled.gettext(key)
            if found == key:  # a plural message (Django's own, overridden here) is keyed by its form
                found = compiled.ngettext(key, key, 1)
            assert found == value.replace('\\"', '"'), key


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_different_messages_do_not_share_a_translation(po: Path) -> None:
    """Catches a translation carried over from a similar message (gettext's fuzzy matching)."""
    by_translation: dict[str, list[str]] = {}
    for key, value in _entries(po).items():
        by_translation.setdefault(value, []).append(key)
    shared = {v: k for v, k in by_translation.items() if len(k) > 1}
    assert shared == (SHARED_ON_PURPOSE if po == MAIN else {})
