"""How alike two facilities are, from 0 to 1 (decision 0027).

Identifiers decide first: the same valid OS ID or tax code is the same facility (1.0); two
different valid tax codes are two legal entities (or two branches), never the same facility (0.0).
Two different valid OS IDs cap the score at the middle band: Open Supply Hub itself holds duplicates
it later merges, so a person decides. Without a deciding identifier, the score is the name's
similarity and the address's, after normalisation (``normalise.py``); house and lot numbers that
disagree, or a missing address, keep a pair below the automatic threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz, process

from . import normalise
from .ids import os_id, tax_code

AUTOMATIC = 0.88  # at or above: the same facility without asking
SUGGESTED = 0.72  # at or above (and below AUTOMATIC): a suggestion a person confirms
NAME_WEIGHT = 0.6
NUMBERS_DISAGREE = 0.85  # factor when both addresses give numbers and none is shared
ZONES_DISAGREE = 0.85  # factor when both addresses name an industrial zone, and not the same one
SAME_ZONE = 85  # two zone names at least this alike (0–100) are the same zone
DISTINCT_WORD = 0.85  # factor when one name has a word the other lacks (not a typo, not an industry)
CLOSE_WORD = 75  # a word at least this alike (0–100) to a word of the other name is a spelling of it
INDUSTRY_WORDS = frozenset({"may", "det", "soi", "giay", "nhuom", "da", "kim", "intl"})
# Words normalisation removes or rewrites; a leftover misspelling of one ("Vit Nam", "Industial",
# "Intenational") is no word of the name's own.
GENERIC_WORDS = frozenset(w for phrase in normalise.NAME_PHRASES for w in phrase.split())
GENERIC_TYPO = 85
_GENERIC = sorted(w for w in GENERIC_WORDS if len(w) >= 3)
NO_ADDRESS = 0.85  # factor when one side has no address to compare


@dataclass(frozen=True)
class Facility:
    """One row of a facility list (the Open Supply Hub upload columns), as read."""

    row: int
    name: str
    address: str = ""
    country: str = ""
    os_id: str = ""
    tax_code: str = ""
    sector: str = ""
    number_of_workers: str = ""
    lat: str = ""
    lng: str = ""


@dataclass(frozen=True)
class Keys:
    """A facility's values as compared, computed once."""

    row: int
    name: str
    joined: str
    province: str | None
    address: str
    zone: str
    numbers: frozenset[str]
    country: str
    os_id: str | None
    tax_code: str | None
    tokens: tuple[str, ...] = field(default=())


def keys(facility: Facility) -> Keys:
    name = normalise.name_key(facility.name)
    where = normalise.place(facility.address)
    tokens = name.split()
    joined_pairs = tuple(a + b for a, b in pairwise(tokens))
    return Keys(
        row=facility.row,
        name=name,
        joined="".join(tokens),
        province=where.province,
        address=where.address,
        zone=where.zone,
        numbers=normalise.numbers(where.address),
        country=normalise.country_key(facility.country),
        os_id=os_id(facility.os_id),
        tax_code=tax_code(facility.tax_code),
        tokens=(*dict.fromkeys(tokens), *joined_pairs),
    )


def by_identifier(a: Keys, b: Keys) -> float | None:
    """1.0 or 0.0 when an identifier decides, else None."""
    if (a.os_id and a.os_id == b.os_id) or (a.tax_code and a.tax_code == b.tax_code):
        return 1.0
    if a.tax_code and b.tax_code:
        return 0.0
    return None


def compatible(a: Keys, b: Keys) -> bool:
    """Places that can be one facility: not two different known countries or provinces."""
    if a.country and b.country and a.country != b.country:
        return False
    return not (a.province and b.province and a.province != b.province)


def name_similarity(a: Keys, b: Keys) -> float:
    """Word order and extra words forgiven; "Tae Kwang" and "Taekwang" alike."""
    mixed = (fuzz.token_sort_ratio(a.name, b.name) + fuzz.token_set_ratio(a.name, b.name)) / 2
    return max(mixed, fuzz.ratio(a.joined, b.joined)) / 100


@lru_cache(maxsize=65536)
def _generic(word: str) -> bool:
    return process.extractOne(word, _GENERIC, scorer=fuzz.ratio, score_cutoff=GENERIC_TYPO) is not None


@lru_cache(maxsize=262144)
def _spelled_in(word: str, name: str, joined: str) -> bool:
    """A word is in the other name when it is an industry word or a number, part of the other name
    written together ("hoatho"), a misspelling of one of its words, or a misspelt legal form."""
    if word in INDUSTRY_WORDS or word.isdigit() or (len(word) >= 4 and word in joined):
        return True
    if any(word in theirs or fuzz.ratio(word, theirs) >= CLOSE_WORD for theirs in name.split()):
        return True
    return _generic(word)


def distinct_word(a: Keys, b: Keys) -> bool:
    """One name has a word of its own: "Hyosung Đồng Nai" and "Hyosung Đồng An", "Shyang Hung" and
    "Shyang Hung Cheng" (two companies of one group, or two neighbours)."""
    return any(
        not _spelled_in(word, theirs.name, theirs.joined)
        for mine, theirs in ((a, b), (b, a))
        for word in set(mine.name.split()) - set(theirs.name.split())
    )


def address_similarity(a: Keys, b: Keys) -> float:
    both = (fuzz.token_sort_ratio(a.address, b.address) + fuzz.token_set_ratio(a.address, b.address)) / 2
    return both / 100


def score(a: Keys, b: Keys) -> float:
    """How alike two facilities are, 0–1."""
    decided = by_identifier(a, b)
    if decided is not None:
        return decided
    if not compatible(a, b):
        return 0.0
    similar = name_similarity(a, b)
    if a.address and b.address:
        similar = NAME_WEIGHT * similar + (1 - NAME_WEIGHT) * address_similarity(a, b)
        if a.numbers and b.numbers and not a.numbers & b.numbers:
            similar *= NUMBERS_DISAGREE
        if a.zone and b.zone and fuzz.token_sort_ratio(a.zone, b.zone) < SAME_ZONE:
            similar *= ZONES_DISAGREE
    else:
        similar *= NO_ADDRESS
    if similar >= SUGGESTED and distinct_word(a, b):
        similar *= DISTINCT_WORD
    if a.os_id and b.os_id:
        similar = min(similar, AUTOMATIC - 0.001)
    return round(similar, 3)
