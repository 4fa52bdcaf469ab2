"""A country's sector for `make bench-country`, written through PostgreSQL's COPY.

Run by `bench/bench_country.py` (which sets DATABASE_URL first). The demo (its logins, buyer,
verifier and a few hundred facilities) is seeded first through the ordinary service; then facilities
are added until the sector holds `facilities` of them, each with its own organisation and one
verified assessment per year 2022-2026 whose answers come from `sector.generate` (every data point of
the library, 8 % missing, the profile the same in every year). Facilities, organisations,
assessments and answers go in through COPY, a chunk of facilities per transaction: a run that stops
halfway resumes at the next chunk, and a sector that is already there is left as it is.

Then the demo buyer gets `suppliers` suppliers with an active grant (the load bench's
`_share_with_buyer`), and the facts the locust users need are written as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import django
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

PREFIX = "Country facility "  # the facilities this seeder adds (the demo's keep their names)
CHUNK = 500  # facilities per transaction
YEARS = (2022, 2023, 2024, 2025, 2026)
DEMO_FACILITIES = 200
PROVINCES = {  # where Vietnam's apparel and footwear factories are (names as recorded before 2025)
    "Bình Dương": 0.22,
    "Đồng Nai": 0.16,
    "Thành phố Hồ Chí Minh": 0.15,
    "Long An": 0.08,
    "Hải Dương": 0.07,
    "Nam Định": 0.07,
    "Thái Bình": 0.06,
    "Hưng Yên": 0.06,
    "Bắc Giang": 0.05,
    "Thanh Hóa": 0.05,
    "Nghệ An": 0.03,
}
PROFILE = ("facility.sector", "facility.minimum_wage_region", "facility.workers_total", "facility.processes")


def seed(facilities: int) -> None:
    from django.contrib.auth.models import User

    from commonground.facilities.models import Facility
    from commonground.web.demo.facilities import seed_demo

    started = time.perf_counter()
    if not User.objects.filter(username="buyer").exists():
        summary = seed_demo(facilities=DEMO_FACILITIES)
        print(f"demo: {summary.facilities} facilities in {time.perf_counter() - started:.1f} s", flush=True)
    demo = Facility.objects.exclude(name__startswith=PREFIX).count()
    done = Facility.objects.filter(name__startswith=PREFIX).count()
    wanted = max(0, facilities - demo)
    if done >= wanted:
        print(f"the sector is there: {demo + done} facilities", flush=True)
        return
    for start in range(done, wanted, CHUNK):
        _chunk(start, min(CHUNK, wanted - start))
        elapsed = time.perf_counter() - started
        print(f"  {demo + start + CHUNK} facilities ({elapsed:.0f} s)", flush=True)
    with _cursor() as c:
        for table in ("facilities_facility", "assessments_assessment", "assessments_answer"):
            c.execute(f"analyze {table}")
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)


def _cursor() -> Any:
    from django.db import connection

    return connection.cursor()


def _reserve(c: Any, table: str, n: int) -> np.ndarray:
    """n new ids of a table (its identity moved past them)."""
    c.execute(
        f"select setval(pg_get_serial_sequence('{table}', 'id'), "
        f"greatest((select coalesce(max(id), 0) from {table}), "
        f"(select last_value from {_sequence(c, table)})) + %s)",
        [n],
    )
    last = c.fetchone()[0]
    return np.arange(last - n + 1, last + 1, dtype=np.int64)


def _sequence(c: Any, table: str) -> str:
    c.execute("select pg_get_serial_sequence(%s, 'id')", [table])
    return str(c.fetchone()[0])


def _copy(c: Any, table: str, columns: str, lines: list[str]) -> None:
    with c.cursor.copy(f"copy {table} ({columns}) from stdin") as copy:
        for start in range(0, len(lines), 100_000):
            copy.write("".join(lines[start : start + 100_000]))


def _chunk(start: int, count: int) -> None:
    from django.db import transaction

    from commonground.accounts.library import library
    from commonground.accounts.models import Organisation
    from sector import generate

    lib = library()
    n = count * len(YEARS)
    cols = generate(lib, n, seed=10_000 + start)
    rng = np.random.default_rng(20_000 + start)
    first = np.arange(count) * len(YEARS)
    of = np.arange(n) // len(YEARS)  # each row's facility within the chunk
    for dp in PROFILE:
        if dp in cols.values:
            cols.values[dp] = cols.values[dp][first][of]
    names = list(PROVINCES)
    weights = np.array(list(PROVINCES.values()))
    province = rng.choice(len(names), size=count, p=weights / weights.sum())
    now = dt.datetime.now(dt.UTC).isoformat()
    verifier = Organisation.objects.filter(kind=Organisation.Kind.VERIFIER_BODY).order_by("pk").first()
    with transaction.atomic(), _cursor() as c:
        # the rows are made consistent here: no foreign-key trigger per row (a million a chunk)
        c.execute("set local session_replication_role = replica")
        orgs = _reserve(c, "accounts_organisation", count)
        facility_ids = _reserve(c, "facilities_facility", count)
        assessment_ids = _reserve(c, "assessments_assessment", n)
        numbers = range(start + 1, start + count + 1)
        _copy(
            c,
            "accounts_organisation",
            "id, name, name_vi, kind, province, created_at",
            [
                f"{o}\tCountry factory {k:05d}\tNhà máy {k:05d}\tfactory_group\t{names[p]}\t{now}\n"
                for o, k, p in zip(orgs.tolist(), numbers, province.tolist(), strict=True)
            ],
        )
        profile = _profile_columns(lib, cols, first)
        _copy(
            c,
            "facilities_facility",
            "id, name, name_vi, address, province, locality, minimum_wage_region, os_id, tax_code, "
            "sector, processes, products, workers, created_at, owner_id, public_disclosure, updated_at",
            [
                f"{f}\t{PREFIX}{k:05d}\tCơ sở {k:05d}\t\t{names[p]}\t\t{region}\t\t\t{sector}\t"
                f"{processes}\t\t{workers}\t{now}\t{o}\tf\t{now}\n"
                for f, k, p, o, (sector, region, workers, processes) in zip(
                    facility_ids.tolist(), numbers, province.tolist(), orgs.tolist(), profile, strict=True
                )
            ],
        )
        verifier_id = verifier.pk if verifier else r"\N"
        _copy(
            c,
            "assessments_assessment",
            "id, period_start, period_end, status, version, created_at, submitted_at, verified_at, "
            "facility_id, verifier_id, returned_comment",
            [
                f"{a}\t{YEARS[i % len(YEARS)]}-01-01\t{YEARS[i % len(YEARS)]}-12-31\tverified\t1\t"
                f"{YEARS[i % len(YEARS)] + 1}-01-15\t{YEARS[i % len(YEARS)] + 1}-01-20\t"
                f"{YEARS[i % len(YEARS)] + 1}-03-01\t{facility_ids[i // len(YEARS)]}\t{verifier_id}\t\n"
                for i, a in enumerate(assessment_ids.tolist())
            ],
        )
        provinces = [_text(names[p]) for p in province.tolist()]
        lines: list[str] = []
        for dp_id, column in cols.values.items():
            dp = lib.datapoints[dp_id]
            if dp_id == "facility.province":
                answered = np.arange(n)
                texts = [provinces[i] for i in of.tolist()]
            else:
                answered, texts = _json(dp, column)
            tail = f"\t\tconfirmed\t\t\t{now}\t{now}\n"
            lines.extend(
                f"{a}\t{dp_id}\t{t}{tail}"
                for a, t in zip(assessment_ids[answered].tolist(), texts, strict=True)
            )
        _copy(
            c,
            "assessments_answer",
            "assessment_id, datapoint, value, source, verification, method, note, updated_at, verified_at",
            lines,
        )


def _profile_columns(lib: Any, cols: Any, first: np.ndarray) -> list[tuple[str, str, int, str]]:
    """Each facility's row copy of its profile (sector, region, workers, processes)."""
    sector = cols.values["facility.sector"][first]
    region = cols.values["facility.minimum_wage_region"][first]
    workers = cols.values["facility.workers_total"][first]
    processes = cols.values["facility.processes"][first]
    dps = lib.datapoints
    out = []
    for s, r, w, p in zip(
        sector.tolist(), region.tolist(), workers.tolist(), processes.tolist(), strict=True
    ):
        chosen = _options(dps["facility.processes"].option_values, int(p)) if p >= 0 else []
        out.append(
            (
                dps["facility.sector"].option_values[s] if s >= 0 else "other",
                dps["facility.minimum_wage_region"].option_values[r] if r >= 0 else "",
                0 if np.isnan(w) else int(w),
                json.dumps(chosen),
            )
        )
    return out


def _options(values: tuple[str, ...], mask: int) -> list[str]:
    return sorted(v for b, v in enumerate(values) if mask >> b & 1)


def _text(value: Any) -> str:
    """A JSON value as COPY's text format takes it."""
    return json.dumps(value, ensure_ascii=False).replace("\\", "\\\\")


def _json(dp: Any, column: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The rows that answer a data point, and each answer as stored JSON text."""
    if dp.type in ("enum", "multi-enum"):
        answered = np.flatnonzero(column >= 0)
        codes = column[answered]
        if dp.type == "enum":
            table = {c: _text(dp.option_values[c]) for c in np.unique(codes).tolist()}
        else:
            table = {c: _text(_options(dp.option_values, c)) for c in np.unique(codes).tolist()}
        return answered, [table[c] for c in codes.tolist()]
    answered = np.flatnonzero(~np.isnan(column))
    values = column[answered]
    if dp.type == "boolean":
        return answered, ["true" if v else "false" for v in values.tolist()]
    if dp.type == "date":
        days = {d: _text(dt.date.fromordinal(d).isoformat()) for d in np.unique(values.astype(int)).tolist()}
        return answered, [days[d] for d in values.astype(int).tolist()]
    if dp.type == "text":
        return answered, [_text("đã ghi")] * len(answered)
    if dp.type == "integer":
        return answered, [str(v) for v in values.astype(np.int64).tolist()]
    return answered, [repr(v) for v in values.tolist()]


def facts(suppliers: int, users: int, out: Path) -> dict[str, Any]:
    """The buyer's suppliers and grants, logged-in sessions, and the pages the users open."""
    from django.contrib.auth.models import User

    from commonground.assessments.models import Assessment
    from commonground.facilities import access
    from commonground.facilities.models import Facility
    from load_data import BUYER_LOGIN, FACTORY_LOGIN, _sessions, _share_with_buyer

    own = list(access.facilities_for(User.objects.get(username=FACTORY_LOGIN)).values_list("pk", flat=True))
    random.Random(7).shuffle(own)
    found = {
        "facilities": Facility.objects.count(),
        "assessments": Assessment.objects.count(),
        "sharing_suppliers": _share_with_buyer(suppliers),
        "own_facilities": own,
        "sessions": {login: _sessions(login, users) for login in (BUYER_LOGIN, FACTORY_LOGIN)},
    }
    with _cursor() as c:  # the planner's statistics see the buyer's links and grants, as autovacuum would
        for table in ("facilities_supplylink", "sharing_grant"):
            c.execute(f"analyze {table}")
    out.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return found


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
    django.setup()
    facilities, suppliers, users = (int(a) for a in sys.argv[1:4])
    seed(facilities)
    if len(sys.argv) > 4:
        found = facts(suppliers, users, Path(sys.argv[4]))
        print(
            f"{found['facilities']} facilities, {found['assessments']} assessments; "
            f"{found['sharing_suppliers']} suppliers share with the buyer; "
            f"{len(found['own_facilities'])} facilities of the factory login"
        )


if __name__ == "__main__":
    main()
