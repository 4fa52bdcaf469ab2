"""Safe aggregates: counts and rates by group, never for fewer than k facilities.

A table is a fixed set of cells (for example province x sector x year) plus its margins (province x
year, sector x year, year). A cell or margin with fewer than k facilities is suppressed (primary
suppression). Because margins are published, a suppressed cell could still be found by subtraction:
"HCMC, all sectors" minus the published HCMC sectors. So every margin's unpublished remainder must
hold either no facility or at least k of them; where it would hold 1 to k-1, the smallest published
child is suppressed too (secondary suppression), until that holds everywhere. Two overlapping queries
therefore never single out a facility.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

Key = tuple[Any, ...]  # one value per dimension; None means "all" (a margin)


@dataclass(frozen=True)
class Cell:
    key: Key
    facilities: int
    values: dict[str, float] = field(default_factory=dict)  # e.g. non-compliance rate per requirement
    published: bool = True

    def public(self) -> dict[str, Any]:
        """What may leave the system: for a suppressed cell, not even its number of facilities."""
        return {
            "key": list(self.key),
            "facilities": self.facilities if self.published else None,
            "values": self.values if self.published else None,
        }


def _margins(key: Key) -> list[Key]:
    """Every coarser key: each non-empty subset of the dimensions replaced by None ("all")."""
    positions = [i for i, v in enumerate(key) if v is not None]
    out = []
    for size in range(1, len(positions) + 1):
        for chosen in combinations(positions, size):
            out.append(tuple(None if i in chosen else v for i, v in enumerate(key)))
    return out


def _children(parent: Key, keys: Iterable[Key]) -> list[Key]:
    """The keys one level finer than `parent` (one of its None dimensions filled in)."""
    out = []
    for key in keys:
        differs = [i for i, (p, k) in enumerate(zip(parent, key, strict=True)) if p != k]
        if len(differs) == 1 and parent[differs[0]] is None and key[differs[0]] is not None:
            out.append(key)
    return out


def safe_table(rows: Iterable[tuple[Key, Mapping[str, float]]], dimensions: int, k: int = 5) -> list[Cell]:
    """Every cell and margin, with values only where publishing them cannot reveal a group under k."""
    rows = list(rows)
    names = sorted({n for _, values in rows for n in values})
    index = {n: j for j, n in enumerate(names)}
    matrix = np.full((len(rows), len(names)), np.nan)
    for i, (_, values) in enumerate(rows):
        for name, value in values.items():
            matrix[i, index[name]] = value
    return safe_table_of([key for key, _ in rows], names, matrix, dimensions, k)


def safe_table_of(
    keys: Sequence[Key], names: Sequence[str], values: npt.NDArray[np.float64], dimensions: int, k: int = 5
) -> list[Cell]:
    """`safe_table` for rows given as columns: row i has key `keys[i]` and the indicator `names[j]`
    valued `values[i, j]` (NaN: not known for that row). Each cell's mean is of its known values."""
    if k < 2:
        raise ValueError("k must be at least 2")
    groups: dict[Key, list[int]] = {}
    for i, key in enumerate(keys):
        if len(key) != dimensions:
            raise ValueError("every row needs one value per dimension")
        groups.setdefault(key, []).append(i)
    known = ~np.isnan(values)
    filled = np.where(known, values, 0.0)
    size: dict[Key, int] = {}
    sums: dict[Key, npt.NDArray[np.float64]] = {}
    counts: dict[Key, npt.NDArray[np.int64]] = {}
    for key, members in groups.items():
        total, count = filled[members].sum(axis=0), known[members].sum(axis=0)
        for target in (key, *_margins(key)):
            size[target] = size.get(target, 0) + len(members)
            sums[target] = sums[target] + total if target in sums else total
            counts[target] = counts[target] + count if target in counts else count
    suppressed = _suppressed(size, dimensions, k)
    return [
        Cell(
            key,
            size[key],
            {} if key in suppressed else _means(names, sums[key], counts[key]),
            key not in suppressed,
        )
        for key in sorted(size, key=lambda key: tuple((v is None, str(v)) for v in key))
    ]


def _means(
    names: Sequence[str], sums: npt.NDArray[np.float64], counts: npt.NDArray[np.int64]
) -> dict[str, float]:
    return {names[j]: round(float(sums[j]) / int(counts[j]), 4) for j in np.flatnonzero(counts).tolist()}


def _suppressed(size: dict[Key, int], dimensions: int, k: int) -> set[Key]:
    """Primary suppression (under k), then secondary until no margin's hidden remainder is 1 to k-1."""
    suppressed = {key for key, n in size.items() if n < k}
    changed = True
    while changed:
        changed = False
        for parent in size:
            if parent in suppressed:
                continue
            children = _children(parent, size)
            for position in {
                next(i for i, (p, c) in enumerate(zip(parent, child, strict=True)) if p != c)
                for child in children
            }:
                along = [
                    c
                    for c in children
                    if c[position] is not None
                    and all(c[i] == parent[i] for i in range(dimensions) if i != position)
                ]
                hidden = sum(size[c] for c in along if c in suppressed)
                if 0 < hidden < k:
                    candidates = sorted(
                        (c for c in along if c not in suppressed), key=lambda c: (size[c], str(c))
                    )
                    if candidates:
                        suppressed.add(candidates[0])
                    else:
                        suppressed.add(parent)
                    changed = True
                    break
    return suppressed
