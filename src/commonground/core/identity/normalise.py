"""Names and addresses folded the way Vietnamese supplier lists differ (decision 0027).

A facility's name is compared without its legal form ("Công ty TNHH", "Co., Ltd", "JSC", "Cổ
phần"), without words that only say what any supplier does ("sản xuất", "trading") and with the
industry in one word for both languages ("may mặc", "garment" → "may"): "Công ty TNHH May Mặc Hòa
Thọ" and "Hoa Tho Garment Co., Ltd" are both "may hoa tho". An address is compared without its
administrative words ("P.", "Quận", "ward", "Tỉnh"), with zones in one form ("KCN", "Khu công
nghiệp", "Industrial Park" → "kcn"), and without its province, which is compared on its own as the
province it is part of since the 2025 mergers (``core/provinces.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from ..provinces import fold, now_key, province_key, provinces

# Phrases replaced before words are compared, longest first; "" removes the phrase.
NAME_PHRASES: dict[str, str] = {
    "trach nhiem huu han": "",
    "hai thanh vien tro len": "",
    "hai thanh vien": "",
    "mot thanh vien": "",
    "tong cong ty": "",
    "cong ty": "",
    "co phan": "",
    "tap doan": "",
    "joint stock company": "",
    "joint stock": "",
    "company limited": "",
    "co limited": "",
    "co ltd": "",
    "limited": "",
    "corporation": "",
    "company": "",
    "corp": "",
    "tnhh": "",
    "mtv": "",
    "ctcp": "",
    "cty": "",
    "tct": "",
    "jsc": "",
    "inc": "",
    "llc": "",
    "ltd": "",
    "cp": "",
    "san xuat": "",
    "manufacturing": "",
    "manufacture": "",
    "production": "",
    "thuong mai": "",
    "trading": "",
    "dich vu": "",
    "services": "",
    "service": "",
    "xuat nhap khau": "",
    "import export": "",
    "xnk": "",
    "dau tu": "",
    "investment": "",
    "cong nghiep": "",
    "industrial": "",
    "industries": "",
    "industry": "",
    "viet nam": "",
    "vietnam": "",
    "vina": "",
    "vn": "",
    "nha may": "",
    "factory": "",
    "plant": "",
    "xuong": "",
    "va": "",
    "and": "",
    "sx": "",
    "tm": "",
    "dv": "",
    "dt": "",
    "quoc te": "intl",
    "international": "intl",
    "may mac": "may",
    "garments": "may",
    "garment": "may",
    "apparel": "may",
    "fashion": "may",
    "textiles": "det",
    "textile": "det",
    "spinning": "soi",
    "yarn": "soi",
    "dyeing": "nhuom",
    "footwear": "giay",
    "shoes": "giay",
    "shoe": "giay",
    "giay dep": "giay",
    "leather": "da",
    "knitting": "det kim",
    "knit": "det kim",
}

ADDRESS_PHRASES: dict[str, str] = {
    "khu cong nghiep": "kcn",
    "industrial park": "kcn",
    "industrial zone": "kcn",
    "industrial estate": "kcn",
    "ip": "kcn",
    "iz": "kcn",
    "cum cong nghiep": "ccn",
    "industrial cluster": "ccn",
    "khu che xuat": "kcx",
    "export processing zone": "kcx",
    "epz": "kcx",
    "quoc lo": "ql",
    "national highway": "ql",
    "national road": "ql",
    "highway": "ql",
    "tinh lo": "dt",
    "provincial road": "dt",
    "lo so": "lo",
    "lot no": "lo",
    "lot": "lo",
    "thanh pho": "",
    "thi xa": "",
    "thi tran": "",
    "khu pho": "",
    "viet nam": "",
    "vietnam": "",
    "so": "",
    "no": "",
    "number": "",
    "duong": "",
    "street": "",
    "st": "",
    "road": "",
    "rd": "",
    "phuong": "",
    "ward": "",
    "quan": "",
    "district": "",
    "dist": "",
    "huyen": "",
    "xa": "",
    "commune": "",
    "tinh": "",
    "province": "",
    "city": "",
    "town": "",
    "ap": "",
    "hamlet": "",
    "thon": "",
    "village": "",
    "kp": "",
    "tp": "",
    "tx": "",
    "tt": "",
    "p": "",
    "q": "",
    "h": "",
    "x": "",
    "d": "",
    "vn": "",
}

_TOKEN = re.compile(r"[a-z0-9]+")
_UNIT_NUMBER = re.compile(r"\b[pq](\d+)\b")  # "P7", "Q10": a ward or district number


@cache
def _phrase_pattern(table: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b")


@lru_cache(maxsize=131072)
def words(text: str) -> str:
    """Folded words only: "Co., Ltd" → "co ltd", "TP.HCM" → "tp hcm"."""
    return " ".join(_TOKEN.findall(fold(unicodedata.normalize("NFC", text))))


def _replace(text: str, table: dict[str, str]) -> str:
    pattern = _phrase_pattern(tuple(table))
    return " ".join(pattern.sub(lambda m: table[m.group(0)], text).split())


@lru_cache(maxsize=131072)
def _address_part(part: str) -> str:
    """One comma-separated part of an address as compared (parts repeat: wards, zones, districts)."""
    return _replace(_UNIT_NUMBER.sub(r"\1", part), ADDRESS_PHRASES)


@lru_cache(maxsize=131072)
def name_key(name: str) -> str:
    """A name as compared; the folded name itself when nothing distinctive is left."""
    folded = words(name)
    return _replace(folded, NAME_PHRASES) or folded


@dataclass(frozen=True)
class Place:
    province: str | None  # the key of the province it is part of now, when the address names one
    address: str  # the address as compared, its province left out
    zone: str = ""  # the industrial zone, export processing zone or cluster it names ("kcn bien hoa 2")


_COUNTRY_WORDS = {"viet nam", "vietnam", "vn", "vnm", "socialist republic of vietnam"}


@lru_cache(maxsize=65536)
def _province_at(part: str) -> tuple[str | None, int]:
    """The province named by the last one to five words of a part, and how many words name it."""
    known, words_ = provinces(), part.split()
    for size in range(min(5, len(words_)), 0, -1):
        key = province_key(" ".join(words_[-size:]))
        if key in known:
            return now_key(key), size
    return None, 0


def place(address: str) -> Place:
    """The province an address names (in its last comma-separated parts or its last words), and
    the rest of the address as compared."""
    parts = [words(p) for p in re.split(r"[,;\n]", unicodedata.normalize("NFC", address))]
    parts = [p for p in parts if p and p not in _COUNTRY_WORDS]
    province = None
    if parts:
        province, size = _province_at(parts[-1])
        if province is not None:
            last = parts[-1].split()
            parts[-1] = " ".join(last[: len(last) - size])
    parts = [_address_part(p) for p in parts]
    zone = next((p for p in parts if ZONES & set(p.split())), "")
    return Place(province, " ".join(p for p in parts if p), zone)


ZONES = {"kcn", "kcx", "ccn"}


def numbers(address_key: str) -> frozenset[str]:
    """The words of an address that hold a digit (house and lot numbers, roads): "lo a1 kcn" → {"a1"}."""
    return frozenset(w for w in address_key.split() if any(c.isdigit() for c in w))


def country_key(country: str) -> str:
    """A country as compared: Viet Nam in any spelling is "vn"."""
    folded = words(country)
    return "vn" if folded in _COUNTRY_WORDS else folded.replace(" ", "")
