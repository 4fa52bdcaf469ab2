"""Regional minimum-wage region (vùng I–IV) of a place on a date.

The table ``library/regions/vn-minimum-wage-regions.csv`` lists, for each mapping period, the
communes, wards and special zones the decree names for the higher regions of each province, and one
"remaining units" row per province ("các xã, phường còn lại") for everything not named. Periods held:

- ``2025-07-01``: Decree 128/2025 Annex I (post-merger communes, 34 provinces, Decree 74/2024 amounts);
- ``2026-01-01``: Decree 293/2025 annex.

Dates before the first period (the district-based 2022/2024 annexes) are not covered: lookups return
``None``. Sources and confidence per row: the research note ``vn-minimum-wage-regions.md`` §2–§3, §6.

Names are matched the way people type them: case, extra spaces and punctuation are ignored; the
prefixes "Tỉnh", "Thành phố", "TP", "phường"/"P.", "xã"/"X.", "đặc khu", "thị trấn"/"TT" are optional;
a name typed with diacritics is looked up with them first ("Thạnh An" ≠ "Thanh An") and then without
them (so "Hòa" still finds "Hoà", "Dong Nai" finds "Đồng Nai"). There is no fuzzy (edit-distance)
matching: a misspelt name is simply not found, and an unlisted locality gets the remaining-units row.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent.parent / "library" / "regions" / "vn-minimum-wage-regions.csv"

_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
_WORD = re.compile(r"\w+")

# Unit types as printed in the table (exact, with diacritics) → type key.
_ROW_TYPES: dict[tuple[str, ...], str] = {("phường",): "phuong", ("xã",): "xa", ("đặc", "khu"): "dac khu"}
# Unit types as people type them (diacritics folded) → type key; None = any type ("thị trấn" no longer
# exists after 1 July 2025, so it does not say whether the unit is now a ward or a commune).
_INPUT_TYPES: dict[tuple[str, ...], str | None] = {
    ("phuong",): "phuong",
    ("p",): "phuong",
    ("xa",): "xa",
    ("x",): "xa",
    ("dac", "khu"): "dac khu",
    ("thi", "tran"): None,
    ("tt",): None,
}
_PROVINCE_PREFIXES: tuple[tuple[str, ...], ...] = (("thanh", "pho"), ("tinh",), ("tp",))
_PROVINCE_SUFFIXES: tuple[tuple[str, ...], ...] = (("city",), ("province",))
# Abbreviations people use for Ho Chi Minh City (keys are folded and space-free).
_PROVINCE_ALIASES = {"hcm": "hochiminh", "hcmc": "hochiminh", "tphcm": "hochiminh", "saigon": "hochiminh"}


@dataclass(frozen=True)
class RegionMatch:
    """The region in force for a place on a date, and the table row it came from."""

    region: str  # "1".."4" (vùng I..IV)
    province: str  # province as printed in the decree, e.g. "Thành phố Hồ Chí Minh"
    locality: str | None  # matched row, e.g. "phường Sài Gòn"; None = the remaining-units row was used
    effective_from: datetime.date  # start of the mapping period used
    source_url: str
    confidence: str  # "confirmed" | "secondary" | "uncertain" (see the research note)


class AmbiguousLocalityError(ValueError):
    """The locality as typed matches several listed units that are in different regions."""

    def __init__(self, province: str, locality: str, candidates: list[str]) -> None:
        super().__init__(f"'{locality}' in {province} is ambiguous: {', '.join(candidates)}")
        self.province = province
        self.locality = locality
        self.candidates = candidates


# ---- normalisation ----------------------------------------------------------------------------


def _folded_token(word: str) -> str:
    """The word without any diacritics ("đ" → "d")."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def _has_diacritics(words: Iterable[str]) -> bool:
    return any(_folded_token(w) != w for w in words)


def _without_prefix(words: list[str], folded: list[str], prefix: tuple[str, ...]) -> list[str] | None:
    """``words`` after ``prefix`` (compared on the folded words), or None if they do not start with it."""
    n = len(prefix)
    return words[n:] if len(words) > n and tuple(folded[:n]) == prefix else None


def _province_key(text: str) -> str:
    """Folded, space-free province name without "Tỉnh"/"Thành phố"/"TP" and "city"/"province"."""
    folded = [_folded_token(w) for w in _words(text)]
    for prefix in _PROVINCE_PREFIXES:
        rest = _without_prefix(folded, folded, prefix)
        if rest is not None:
            folded = rest
            break
    for suffix in _PROVINCE_SUFFIXES:
        if len(folded) > len(suffix) and tuple(folded[-len(suffix) :]) == suffix:
            folded = folded[: -len(suffix)]
    key = "".join(folded)
    return _PROVINCE_ALIASES.get(key, key)


# ---- table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    locality: str
    unit_type: str | None  # None: the row gives no type (some 2025 rows)
    exact: str
    folded: str
    region: str
    source_url: str
    confidence: str


@dataclass
class _Province:
    name: str
    remaining: _Unit | None = None
    units: list[_Unit] = field(default_factory=list)
    by_exact: dict[str, list[_Unit]] = field(default_factory=dict)
    by_folded: dict[str, list[_Unit]] = field(default_factory=dict)


@dataclass
class _Period:
    effective_from: datetime.date
    provinces: dict[str, _Province] = field(default_factory=dict)  # by province_vi, decree order
    keys: dict[str, str] = field(default_factory=dict)  # province key → province_vi


def _unit(row: dict[str, str]) -> _Unit:
    words = _words(row["locality_vi"])
    unit_type: str | None = None
    for prefix, key in _ROW_TYPES.items():
        if tuple(words[: len(prefix)]) == prefix:
            unit_type, words = key, words[len(prefix) :]
            break
    return _Unit(
        locality=row["locality_vi"].strip(),
        unit_type=unit_type,
        exact=" ".join(words),
        folded=" ".join(_folded_token(w) for w in words),
        region=_ROMAN[row["region"].strip()],
        source_url=row["source_url"].strip(),
        confidence=row["confidence"].strip(),
    )


def _read(path: Path) -> dict[datetime.date, _Period]:
    periods: dict[datetime.date, _Period] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            start = datetime.date.fromisoformat(row["effective_from"].strip())
            period = periods.setdefault(start, _Period(start))
            name = row["province_vi"].strip()
            if name not in period.provinces:
                period.provinces[name] = _Province(name)
                period.keys[_province_key(name)] = name
                period.keys[_province_key(row["province_en"])] = name
            province = period.provinces[name]
            unit = _unit(row)
            if "còn lại" in unit.locality:
                if province.remaining is not None:
                    raise ValueError(f"{path}: two remaining-units rows for {name} from {start}")
                province.remaining = unit
                continue
            province.units.append(unit)
            province.by_exact.setdefault(unit.exact, []).append(unit)
            province.by_folded.setdefault(unit.folded, []).append(unit)
    for period in periods.values():
        for province in period.provinces.values():
            if province.remaining is None:
                start = period.effective_from
                raise ValueError(f"{path}: no remaining-units row for {province.name} from {start}")
    return dict(sorted(periods.items()))


@cache
def _table() -> dict[datetime.date, _Period]:
    return _read(CSV_PATH)


def periods() -> list[datetime.date]:
    """Start dates of the mapping periods held, oldest first."""
    return list(_table())


def _period(on: datetime.date) -> _Period | None:
    if isinstance(on, datetime.datetime):
        on = on.date()
    current = None
    for start, period in _table().items():
        if start <= on:
            current = period
    return current


def _province(period: _Period, province: str) -> _Province | None:
    name = period.keys.get(_province_key(province))
    return period.provinces[name] if name else None


# ---- lookups ----------------------------------------------------------------------------------


def _candidates(province: _Province, locality: str) -> list[_Unit]:
    words = _words(locality)
    folded = [_folded_token(w) for w in words]
    readings: list[tuple[str | None, list[str]]] = [(None, words)]  # (unit type or None = any, name)
    for prefix, unit_type in _INPUT_TYPES.items():
        rest = _without_prefix(words, folded, prefix)
        if rest is not None:
            readings.append((unit_type, rest))
    tiers: list[tuple[dict[str, list[_Unit]], bool]] = [(province.by_folded, False)]
    if _has_diacritics(words):
        tiers.insert(0, (province.by_exact, True))
    for index, exact in tiers:
        found: list[_Unit] = []
        for unit_type, name in readings:
            key = " ".join(name if exact else [_folded_token(w) for w in name])
            for unit in index.get(key, []):
                if unit not in found and (unit_type is None or unit.unit_type in (None, unit_type)):
                    found.append(unit)
        if found:
            return found
    return []


def region_for(province: str, locality: str | None, on: datetime.date) -> RegionMatch | None:
    """The minimum-wage region of a commune/ward/special zone of ``province`` on the date ``on``.

    Uses the mapping period in force on ``on`` (the latest ``effective_from`` <= ``on``). A locality
    not listed for the province, or no locality at all, gets the province's remaining-units row
    (``RegionMatch.locality`` is then None). Returns None for an unknown province or a date before
    the first period held.

    Input with diacritics is matched on its diacritics first ("Thạnh An" ≠ "Thanh An"); input without
    any diacritics matches regardless of them. Raises AmbiguousLocalityError when the name as typed
    matches listed units in different regions (e.g. "Dong Tien" in Thanh Hóa: phường Đông Tiến is II,
    xã Đồng Tiến is III); units in the same region are not ambiguous and the first is returned.
    """
    period = _period(on)
    if period is None:
        return None
    prov = _province(period, province)
    if prov is None:
        return None
    found = _candidates(prov, locality) if locality else []
    if len({unit.region for unit in found}) > 1:
        raise AmbiguousLocalityError(prov.name, locality or "", [u.locality for u in found])
    unit = found[0] if found else prov.remaining
    assert unit is not None  # checked when the table is read
    return RegionMatch(
        region=unit.region,
        province=prov.name,
        locality=unit.locality if found else None,
        effective_from=period.effective_from,
        source_url=unit.source_url,
        confidence=unit.confidence,
    )


def provinces(on: datetime.date) -> list[str]:
    """Provinces (as printed in the decree, in decree order) of the mapping period in force on ``on``."""
    period = _period(on)
    return list(period.provinces) if period else []


def localities(province: str, on: datetime.date) -> list[str]:
    """Units named for ``province`` in the period in force on ``on`` (without the remaining-units row).

    Empty for an unknown province or a date before the first period. Units not listed here exist and
    take the remaining-units region; this is a list of the named units, not of all units.
    """
    period = _period(on)
    prov = _province(period, province) if period else None
    return [unit.locality for unit in prov.units] if prov else []


def province_key(text: str) -> str:
    """A province's name as a key: folded, space-free, without "Tỉnh", "Thành phố", "TP", "city" or
    "province", common abbreviations of Ho Chi Minh City resolved ("TP.HCM" → "hochiminh")."""
    return _province_key(text)
