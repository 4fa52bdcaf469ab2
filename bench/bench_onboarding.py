"""Benchmark: a buyer's supplier list onboarded (issue 14, point 6) against the facilities of the
database: 5,000 rows against 20,000 facilities (synthetic, as bench/bench_identity.py makes them),
through the web app's own service (`sharing.supplier_matching.matched_rows`: the facilities read in one
query, then core/identity's blocking and scoring), in a fresh SQLite database (or DATABASE_URL).

Run with `.venv/bin/python bench/bench_onboarding.py [--rows N] [--facilities N]`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--facilities", type=int, default=20_000)
    args = parser.parse_args()
    os.environ.setdefault("COMMONGROUND_DATA_DIR", tempfile.mkdtemp(prefix="bench-onboarding-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench_identity import synthetic_base
    from commonground.accounts.models import Organisation
    from commonground.core.identity import Facility as Row
    from commonground.facilities.models import Facility
    from commonground.sharing import onboarding, supplier_matching
    from identity_data import address, variants, vi_name

    rng = random.Random(7)
    known, listed = args.facilities, args.rows
    bases = synthetic_base(rng, known + listed // 2)
    owner = Organisation.objects.create(name="Bench group", kind=Organisation.Kind.FACTORY_GROUP)
    Facility.objects.bulk_create(
        [
            Facility(owner=owner, name=vi_name(b), address=address(b), province="", sector="garment")
            for b in bases[:known]
        ],
        batch_size=2000,
    )
    present = rng.sample(bases[:known], listed - listed // 2)
    rows = [variants(b, rng, count=1)[1] for b in present] + [
        variants(b, rng, count=0)[0] for b in bases[known:]
    ]
    supplier_list = [(Row(i, r.name, r.address, "Viet Nam"), {}) for i, r in enumerate(rows, start=1)]
    started = time.perf_counter()
    against = supplier_matching._against()
    read = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    found = onboarding.matched_rows(supplier_list)  # reads the facilities again, then matches
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    counts = {o: sum(1 for r in found if r.outcome == o) for o in ("matched", "suggested", "invited")}
    print(
        f"onboarding: {listed:,} rows against {known:,} facilities in {seconds:.1f} s ({cpu:.1f} s of CPU; "
        f"of which reading the {len(against.facilities):,} facilities about {read:.1f} s) — "
        f"matched {counts['matched']:,}, suggested {counts['suggested']:,}, to invite {counts['invited']:,}"
    )


if __name__ == "__main__":
    main()
