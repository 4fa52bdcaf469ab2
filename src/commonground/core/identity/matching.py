"""Which rows of facility lists are the same facility (decision 0027).

Blocking: a pair is scored only when the two rows share an identifier, or share one of the rarest
words of a name (or two neighbouring words written together, "tae kwang" → "taekwang") in the same
province as it is now (a row whose address names no province meets every province). So 5,000 rows
against 20,000 are a few hundred thousand comparisons, not 100 million.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .scoring import AUTOMATIC, SUGGESTED, Facility, Keys, keys, score

RAREST_WORDS = 3  # a row meets the rows that share one of its three rarest name words


@dataclass(frozen=True)
class Pair:
    rows: tuple[int, int]  # self-match: two rows of the file; against: (row, against_row)
    score: float


@dataclass(frozen=True)
class Grouping:
    groups: list[list[int]]
    suggestions: list[Pair]


@dataclass(frozen=True)
class Matching:
    matches: list[Pair]
    suggestions: list[Pair]


class _Index:
    """Rows by identifier and by (province, name word)."""

    def __init__(self, items: Sequence[Keys]) -> None:
        self.by_place: dict[tuple[str | None, str], list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.by_id: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(items):
            for word in item.tokens:
                self.by_place[(item.province, word)].append(position)
                self.by_word[word].append(position)
            for identifier in (item.os_id, item.tax_code):
                if identifier:
                    self.by_id[identifier].append(position)

    def _postings(self, item: Keys, word: str) -> list[int]:
        if item.province is None:
            return self.by_word.get(word, [])
        return self.by_place.get((item.province, word), []) + self.by_place.get((None, word), [])

    def candidates(self, item: Keys, itself: int | None = None) -> set[int]:
        """Positions sharing one of the item's rarest words (words only the item itself has are
        skipped) or an identifier."""
        lists = [p for p in (self._postings(item, w) for w in item.tokens) if p and p != [itself]]
        lists.sort(key=len)
        found = {position for postings in lists[:RAREST_WORDS] for position in postings}
        for identifier in (item.os_id, item.tax_code):
            if identifier:
                found.update(self.by_id.get(identifier, []))
        return found


def _scored(left: Sequence[Keys], right: Sequence[Keys], same: bool) -> Iterator[tuple[int, int, float]]:
    """(left position, right position, score) for each candidate pair scoring in the middle band or
    above; within one list each pair once."""
    index = _Index(right)
    for i, j in sorted(_candidate_pairs(left, index, same)):
        value = score(left[i], right[j])
        if value >= SUGGESTED:
            yield i, j, value


def _candidate_pairs(left: Sequence[Keys], index: _Index, same: bool) -> set[tuple[int, int]]:
    """Within one list a pair is a candidate when either row finds the other."""
    if not same:
        return {(i, j) for i, item in enumerate(left) for j in index.candidates(item)}
    return {
        (min(i, j), max(i, j)) for i, item in enumerate(left) for j in index.candidates(item, i) if j != i
    }


class _Groups:
    """Union-find over positions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _ranked(pairs: Iterable[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda p: (-p.score, p.rows))


def match_within(facilities: Sequence[Facility]) -> Grouping:
    """Groups of rows that are the same facility, and suggestions in the middle band (the best pair
    between two groups or lone rows)."""
    items = [keys(f) for f in facilities]
    scored = list(_scored(items, items, same=True))
    groups = _Groups(len(items))
    for i, j, value in scored:
        if value >= AUTOMATIC:
            groups.join(i, j)
    best: dict[tuple[int, int], Pair] = {}
    for i, j, value in scored:
        a, b = groups.find(i), groups.find(j)
        key = (min(a, b), max(a, b))
        if value < AUTOMATIC and a != b and (key not in best or value > best[key].score):
            best[key] = Pair((items[i].row, items[j].row), value)
    members: dict[int, list[int]] = defaultdict(list)
    for position, item in enumerate(items):
        members[groups.find(position)].append(item.row)
    found = sorted(sorted(rows) for rows in members.values() if len(rows) > 1)
    return Grouping(found, _ranked(best.values()))


def match_against(facilities: Sequence[Facility], against: Sequence[Facility]) -> Matching:
    """Each row's best automatic match in `against`; the middle band, for rows without one, as
    suggestions."""
    left, right = [keys(f) for f in facilities], [keys(f) for f in against]
    by_row: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, j, value in _scored(left, right, same=False):
        by_row[i].append((value, j))
    matches: list[Pair] = []
    suggestions: list[Pair] = []
    for i, found in sorted(by_row.items()):
        found.sort(key=lambda f: (-f[0], right[f[1]].row))
        value, j = found[0]
        if value >= AUTOMATIC:
            matches.append(Pair((left[i].row, right[j].row), value))
        else:
            suggestions.extend(Pair((left[i].row, right[j].row), v) for v, j in found)
    return Matching(matches, _ranked(suggestions))
