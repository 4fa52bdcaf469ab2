"""Provinces before and after the 2025 mergers, and names folded the way people type them.

Resolution 202/2025/QH15 (12 June 2025) reduced 63 provinces and centrally governed cities to 34
from 1 July 2025 (``library/regions/vn-province-mergers-2025.csv``: one row per name in use before,
with the province it is part of now and its source). A supplier recorded as "Bình Dương" before the
merger and one recorded as "Thành phố Hồ Chí Minh" after it are both in Ho Chi Minh City now, so a
filter on either name finds both: a place recorded under the new name cannot be told apart by its
former province without its commune, which the lists people hold do not always give.

Names are compared on a key: folded (no case, no diacritics, "đ" → "d"), without "Tỉnh",
"Thành phố", "TP", "city" or "province", so "TP. HCM", "Hồ Chí Minh" and "ho chi minh city" are one.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .errors import Lang
from .regions import province_key as province_key

CSV_PATH = Path(__file__).resolve().parent.parent / "library" / "regions" / "vn-province-mergers-2025.csv"
MERGED_ON = "2025-07-01"


@lru_cache(maxsize=100_000)  # a pure function, asked again for the same names on each view
def fold(text: str) -> str:
    """Lower case without diacritics, spaces collapsed: "Sông  Hồng" → "song hong"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def matches(query: str, *texts: str) -> bool:
    """Every word of the query begins a word of one of the texts, case and diacritics ignored:
    "song hong" and "Sông H" find "Sông Hồng Garment"."""
    words = set(fold(" ".join(texts)).split())
    return all(any(w.startswith(q) for w in words) for q in fold(query).split())


@dataclass(frozen=True)
class Province:
    key: str
    name_vi: str
    name_en: str
    now: str  # the key of the province it is part of since the mergers (its own key when unchanged)
    source: str

    @property
    def merged(self) -> bool:
        return self.key != self.now

    def name(self, lang: Lang) -> str:
        return self.name_vi if lang == "vi" else self.name_en


@cache
def provinces() -> dict[str, Province]:
    """Every province name in use before or after the mergers, by key, in the file's order."""
    found: dict[str, Province] = {}
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key, now = province_key(row["province_vi"]), province_key(row["now_vi"])
            found[key] = Province(key, row["province_vi"], row["province_en"], now, row["source"])
    return found


def now_key(recorded: str) -> str:
    """The key of the province a name recorded before or after the mergers is part of now; a name
    that is not a province keeps its own key (it only matches itself)."""
    key = province_key(recorded)
    known = provinces().get(key)
    return known.now if known else key


@cache
def label(recorded: str, lang: Lang) -> str:
    """A recorded province as the reader names it ("Thành phố Hồ Chí Minh" → "Ho Chi Minh City" in
    English, "Hồ Chí Minh" in Vietnamese; a former province keeps its own name); anything that is not
    a province stays as recorded."""
    known = provinces().get(province_key(recorded))
    return known.name(lang) if known else recorded


def options(lang: Lang) -> list[Province]:
    """The names to choose from, former ones included, in alphabetical order of the reader's names."""
    return sorted(provinces().values(), key=lambda p: fold(p.name(lang)))
