"""Benchmark: facility identity (decision 0027).

1. Precision and recall without identifiers on the labelled set (bench/data/vn_facilities_labelled.csv,
   written by bench/identity_data.py from real, cited facilities): every pair of rows the automatic
   groups join is a predicted match; a pair is a true match when both rows are the same entity.
   Targets: precision ≥ 0.95, recall ≥ 0.85.
2. Speed: a 5,000-row supplier list against 20,000 facilities (synthetic, generated the same way),
   target under 30 s. Run with `python bench/bench_identity.py`.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from commonground.core.identity import Facility, match_against, match_within
from commonground.core.provinces import provinces
from identity_data import LABELLED, Base, address, labelled, variants, vi_name

_SYLLABLE_TEXT = (
    "an bao binh chau chi cuong dai dat duc dung gia giang ha hai hanh hao hiep hoa hoang hong hung "
    "huy khang khanh kim lam lan le linh loc long mai minh my nam nga ngoc nhat nhu phat phong phu "
    "phuc quang quoc sang son tai tam tan thai thang thanh thao thinh tho thu tien toan trung tuan "
    "tuong uyen van viet vinh xuan yen sung won jin hyun kwang chen yuen lee wei ming"
)
SYLLABLES = tuple(_SYLLABLE_TEXT.split())
LEGALS = ["Công ty TNHH", "Công ty Cổ phần", "Tổng Công ty Cổ phần"]
INDUSTRIES = ["May", "Dệt May", "Sợi", "May Mặc", ""]
STREETS = [
    "Nguyễn Văn Linh",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Quốc lộ 13",
    "Đường số 5",
    "Hùng Vương",
    "Lý Thường Kiệt",
]


def read_labelled(path: Path = LABELLED) -> tuple[list[Facility], dict[int, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return _as_facilities(list(csv.DictReader(handle)))


def _as_facilities(rows: list[dict[str, str]]) -> tuple[list[Facility], dict[int, str]]:
    facilities = [
        Facility(row=i, name=r["name"], address=r["address"], country=r["country"])
        for i, r in enumerate(rows, start=1)
    ]
    return facilities, {i: r["entity"] for i, r in enumerate(rows, start=1)}


def _pairs(facilities: list[Facility], entity: dict[int, str]) -> tuple[set[tuple[int, int]], ...]:
    result = match_within(facilities)
    predicted = {pair for group in result.groups for pair in itertools.combinations(group, 2)}
    members: dict[str, list[int]] = defaultdict(list)
    for row, name in entity.items():
        members[name].append(row)
    true = {pair for rows in members.values() for pair in itertools.combinations(sorted(rows), 2)}
    return predicted, true, {(s.rows[0], s.rows[1]) for s in result.suggestions}


def other_seeds(seeds: range) -> None:
    """The same measure over variants drawn with other seeds: how much the figures depend on the draw."""
    precisions, recalls = [], []
    for seed in seeds:
        rows = [
            {"entity": r.entity, "name": r.name, "address": r.address, "country": "Việt Nam"}
            for r in labelled(seed)
        ]
        predicted, true, _ = _pairs(*_as_facilities(rows))
        hits = len(predicted & true)
        precisions.append(hits / max(len(predicted), 1))
        recalls.append(hits / len(true))
    print(
        f"  seeds {seeds.start}–{seeds.stop - 1}: precision min {min(precisions):.3f} mean "
        f"{sum(precisions) / len(precisions):.3f}; recall min {min(recalls):.3f} mean "
        f"{sum(recalls) / len(recalls):.3f}"
    )


def quality() -> None:
    facilities, entity = read_labelled()
    started = time.perf_counter()
    predicted, true, suggested = _pairs(facilities, entity)
    seconds = time.perf_counter() - started
    members = set(entity.values())
    hits = len(predicted & true)
    print(
        f"labelled set: {len(facilities)} rows, {len(members)} facilities, {len(true)} true pairs "
        f"({seconds * 1000:.0f} ms)"
    )
    print(
        f"  precision {hits / max(len(predicted), 1):.3f}  recall {hits / len(true):.3f}  "
        f"(predicted pairs {len(predicted)}, correct {hits})"
    )
    right = sum(1 for pair in suggested if entity[pair[0]] == entity[pair[1]])
    print(f"  suggestions: {len(suggested)}, of which the same facility: {right}")
    for a, b in sorted(predicted - true)[:10]:
        print(f"  wrong: {facilities[a - 1].name} | {facilities[b - 1].name}")
    for a, b in sorted(true - predicted)[:10]:
        print(
            f"  missed: {facilities[a - 1].name} / {facilities[a - 1].address} | "
            f"{facilities[b - 1].name} / {facilities[b - 1].address}"
        )


def synthetic_base(rng: random.Random, n: int) -> list[Base]:
    names = [p.name_vi for p in provinces().values()]
    found = []
    for i in range(n):
        brand = " ".join(rng.sample(SYLLABLES, rng.choice([2, 2, 3]))).title()
        zone = rng.choice(["", f"KCN {rng.choice(SYLLABLES).title()} {rng.randint(1, 3)}"])
        found.append(
            Base(
                id=f"s{i}",
                legal=rng.choice(LEGALS),
                industry=rng.choice(INDUSTRIES),
                brand=brand,
                number=f"{rng.choice(['', 'Lô '])}{rng.randint(1, 999)} {rng.choice(STREETS)}",
                zone=zone,
                ward=f"Phường {rng.choice(SYLLABLES).title()}",
                district=f"Quận {rng.choice(SYLLABLES).title()}",
                province=rng.choice(names),
                source="synthetic",
            )
        )
    return found


def speed(listed: int, known: int) -> None:
    rng = random.Random(7)
    bases = synthetic_base(rng, known + listed // 2)
    database = [
        Facility(row=i, name=vi_name(b), address=address(b), country="VN")
        for i, b in enumerate(bases[:known], start=1)
    ]
    present = rng.sample(bases[:known], listed - listed // 2)
    rows = [variants(b, rng, count=1)[1] for b in present] + [
        variants(b, rng, count=0)[0] for b in bases[known:]
    ]
    supplier_list = [
        Facility(row=i, name=r.name, address=r.address, country="Viet Nam")
        for i, r in enumerate(rows, start=1)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    result = match_against(supplier_list, database)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    expected = {i: int(b.id[1:]) + 1 for i, b in enumerate(present, start=1)}
    correct = sum(1 for m in result.matches if expected.get(m.rows[0]) == m.rows[1])
    print(
        f"speed: {listed:,} rows against {known:,} facilities in {seconds:.1f} s "
        f"({cpu:.1f} s of CPU) "
        f"(automatic matches {len(result.matches):,}, of which correct {correct:,} of {len(present):,} "
        f"present; suggestions {len(result.suggestions):,})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--facilities", type=int, default=20_000)
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    quality()
    other_seeds(range(1, 11))
    if not args.quality_only:
        speed(args.rows, args.facilities)


if __name__ == "__main__":
    main()
