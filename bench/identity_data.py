"""The labelled set for facility identity: real facilities (bench/data/vn_facilities_base.csv, each
row citing where its name and address are published) written the ways real supplier lists differ.

Each base facility is written four times: as published, and three variants drawn from legal forms
(Vietnamese, abbreviated, English), the English word order and industry words ("May Việt Tiến" →
"Viet Tien Garment"), missing diacritics and capitals, abbreviated or English address words ("KCN",
"P.", "Q.", "Industrial Park", "District"), lot numbers written "Lô", "Lot" or "Lô số", and the
province before or after the 2025 mergers (after them without the district, which the two-tier
government abolished). Hard negatives are generated beside them: a second plant of the same company
elsewhere in the province, and a neighbour whose name differs by one word. Run this file to rewrite
bench/data/vn_facilities_labelled.csv (deterministic).
"""

from __future__ import annotations

import csv
import random
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from commonground.core.provinces import now_key, provinces

DATA = Path(__file__).resolve().parent / "data"
BASE = DATA / "vn_facilities_base.csv"
LABELLED = DATA / "vn_facilities_labelled.csv"

LEGAL_SHORT = {
    "Công ty TNHH": ["Cty TNHH", "CÔNG TY TNHH", "Công ty Trách nhiệm hữu hạn"],
    "Công ty Cổ phần": ["CTCP", "Công ty CP", "Cty Cổ phần"],
    "Tổng Công ty Cổ phần": ["TCT CP", "Tổng Cty CP", "Tổng Công ty CP"],
    "Tổng Công ty": ["TCT", "Tổng Cty"],
    "Công ty Cổ phần Đầu tư và Thương mại": ["CTCP Đầu tư và Thương mại", "Công ty CP ĐT và TM"],
}
LEGAL_EN = {
    "Công ty TNHH": ["Co., Ltd", "Company Limited", "Co. Ltd."],
    "Công ty Cổ phần": ["JSC", "Joint Stock Company", "Corporation"],
    "Tổng Công ty Cổ phần": ["Corporation", "JSC", "Joint Stock Corporation"],
    "Tổng Công ty": ["Corporation", "Corp."],
    "Công ty Cổ phần Đầu tư và Thương mại": [
        "Investment and Trading JSC",
        "Investment & Trading Joint Stock Company",
    ],
}
INDUSTRY_EN = {"May": "Garment", "Dệt May": "Textile Garment", "May Mặc": "Garment", "Sợi": "Yarn", "": ""}
ADDRESS_VI_SHORT = [
    ("Khu công nghiệp ", "KCN "),
    ("Phường ", "P. "),
    ("Quận ", "Q. "),
    ("Huyện ", "H. "),
    ("Thị xã ", "TX. "),
    ("Xã ", "X. "),
    ("Thành phố Hồ Chí Minh", "TP.HCM"),
    ("Thành phố ", "TP. "),
    ("Số ", ""),
]
ADDRESS_EN = [
    ("KCX ", "Export Processing Zone "),
    ("Phường ", "Ward "),
    ("Quận ", "District "),
    ("Huyện ", "District "),
    ("Thị xã ", "Town "),
    ("Xã ", "Commune "),
    ("Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
    ("Thành phố ", "City "),
    ("Số ", "No. "),
    ("Đường ", "Street "),
    ("Lô ", "Lot "),
]


GENERIC = {"Việt", "Nam", "Vina", "Industrial", "International"}


@dataclass(frozen=True)
class Base:
    id: str
    legal: str
    industry: str
    brand: str
    number: str
    zone: str
    ward: str
    district: str
    province: str
    source: str


@dataclass(frozen=True)
class Record:
    entity: str
    name: str
    address: str
    variant: str
    source: str


def read_base() -> list[Base]:
    with BASE.open(encoding="utf-8", newline="") as handle:
        return [Base(**row) for row in csv.DictReader(handle)]


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def vi_name(base: Base, legal: str | None = None, industry: bool = True) -> str:
    return " ".join(p for p in (legal or base.legal, base.industry if industry else "", base.brand) if p)


def en_name(base: Base, rng: random.Random) -> str:
    brand = plain(base.brand).replace("Viet Nam", "Vietnam")
    return " ".join(p for p in (brand, INDUSTRY_EN[base.industry], rng.choice(LEGAL_EN[base.legal])) if p)


def new_province(name: str) -> str:
    known = provinces()[now_key(name)]
    return "Thành phố Hồ Chí Minh" if known.key == "hochiminh" else known.name_vi


def address(base: Base, merged: bool = False, drop_ward: bool = False) -> str:
    province = new_province(base.province) if merged else base.province
    if merged and province != base.province:
        parts = [base.number, base.zone, "" if drop_ward else base.ward, province]
    else:
        parts = [base.number, base.zone, "" if drop_ward else base.ward, base.district, province]
    return ", ".join(p for p in parts if p)


def _swap(text: str, table: list[tuple[str, str]]) -> str:
    for old, new in table:
        text = text.replace(old, new)
    return text


def _lot(text: str, rng: random.Random) -> str:
    return text.replace("Lô ", rng.choice(["Lô số ", "Lot ", "Lô "]))


def _typo(text: str, rng: random.Random) -> str:
    """One letter dropped or two neighbours swapped, in a word of three letters or more."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 4] or [0]
    at = rng.choice(long)
    word = words[at]
    k = rng.randrange(1, max(len(word) - 1, 2))
    words[at] = (
        word[:k] + word[k + 1 :]
        if rng.random() < 0.5
        else word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]
    )
    return " ".join(words)


def name_variant(base: Base, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(
        [
            "legal_short",
            "english",
            "no_diacritics",
            "upper_english",
            "no_industry",
            "typo",
            "joined",
            "factory",
        ]
    )
    if kind == "typo":
        return vi_name(replace(base, brand=_typo(base.brand, rng))), kind
    if kind == "joined":
        return vi_name(replace(base, brand=base.brand.replace(" ", "", 1))), kind
    if kind == "factory":
        return f"{vi_name(base)} - {rng.choice(['Nhà máy', 'Factory', 'Xưởng'])} {rng.randint(1, 3)}", kind
    if kind == "legal_short":
        return vi_name(base, rng.choice(LEGAL_SHORT[base.legal])), kind
    if kind == "english":
        return en_name(base, rng), kind
    if kind == "no_diacritics":
        return plain(vi_name(base)), kind
    if kind == "upper_english":
        return en_name(base, rng).upper(), kind
    return vi_name(base, industry=False), kind


def address_variant(base: Base, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["vi_short", "english", "merged", "merged_short", "no_ward", "no_diacritics"])
    if kind == "vi_short":
        return _lot(_swap(address(base), ADDRESS_VI_SHORT), rng), kind
    if kind == "english":
        return plain(_swap(address(base), ADDRESS_EN)) + ", Vietnam", kind
    if kind == "merged":
        return _lot(address(base, merged=True), rng), kind
    if kind == "merged_short":
        return _swap(address(base, merged=True, drop_ward=True), ADDRESS_VI_SHORT), kind
    if kind == "no_ward":
        return address(base, drop_ward=True), kind
    return plain(address(base)), kind


def variants(base: Base, rng: random.Random, count: int = 3) -> list[Record]:
    found = [Record(base.id, vi_name(base), address(base), "as published", base.source)]
    for _ in range(count):
        name, how_name = name_variant(base, rng)
        where, how_address = address_variant(base, rng)
        found.append(Record(base.id, name, where, f"{how_name} + {how_address}", base.source))
    return found


def negatives(bases: list[Base], rng: random.Random) -> list[Base]:
    """A second plant of a company (another zone or street in the same province) and a neighbour
    whose name differs by one word, each a facility of its own."""
    found = []
    for base in bases[::3]:
        other = rng.choice([b for b in bases if b.id != base.id])
        found.append(
            replace(
                base,
                id=base.id + "-plant2",
                number=other.number or "Lô C5",
                zone=other.zone or "KCN Tân Tạo",
                ward=other.ward,
                source="generated: second plant of " + base.id,
            )
        )
    for base in bases[1::3]:
        words = base.brand.split()
        at = max(i for i, w in enumerate(words) if w not in GENERIC or i == 0)
        words[at] = rng.choice(["Phát", "Hưng", "Thịnh", "An", "Long", "Star", "Tân"])
        found.append(
            replace(
                base,
                id=base.id + "-neighbour",
                brand=" ".join(words),
                number=f"{rng.randint(2, 400)} Nguyễn Văn Linh",
                source="generated: name one word from " + base.id,
            )
        )
    return found


def labelled(seed: int = 14) -> list[Record]:
    rng = random.Random(seed)
    bases = read_base()
    records = [r for base in bases for r in variants(base, rng)]
    records += [r for base in negatives(bases, rng) for r in variants(base, rng, count=1)]
    return records


def write(records: list[Record], path: Path = LABELLED) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["entity", "name", "address", "country", "variant", "source"])
        for r in records:
            writer.writerow([r.entity, r.name, r.address, "Việt Nam", r.variant, r.source])


if __name__ == "__main__":
    write(labelled())
    print(f"{LABELLED}: {len(labelled())} rows")
