"""The Vietnamese is complete, and the compiled catalogue matches its source."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "src" / "commonground" / "locale" / "vi" / "LC_MESSAGES"


def _entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    found = {}
    for block in text.split("\n\n"):
        ident = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        value = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if ident and value:
            key = "".join(re.findall(r'"(.*)"', ident.group(1)))
            if key:
                found[key] = "".join(re.findall(r'"(.*)"', value.group(1)))
    return found


def test_every_message_has_a_vietnamese_translation() -> None:
    entries = _entries()
    assert len(entries) > 80
    assert [k for k, v in entries.items() if not v] == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")


def test_the_compiled_catalogue_is_up_to_date() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for key, value in _entries().items():
        if "%(n)s" not in key:
            assert compiled.gettext(key) == value.replace('\\"', '"'), key


def test_different_messages_do_not_share_a_translation() -> None:
    """Catches a translation carried over from a similar message (gettext's fuzzy matching)."""
    by_translation: dict[str, list[str]] = {}
    for key, value in _entries().items():
        by_translation.setdefault(value, []).append(key)
    shared = {v: k for v, k in by_translation.items() if len(k) > 1}
    assert shared == {"Bộ tiêu chuẩn": ["Frameworks", "Framework"]}
