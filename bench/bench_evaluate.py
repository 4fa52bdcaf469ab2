"""Benchmark: evaluate a synthetic sector against every shipped framework, through both paths.

Targets (docs/performance.md): 100,000 assessments in under 5 s through the columnar path; one
assessment in under 5 ms through the single path. Run with `make bench`.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from commonground.core.columnar import evaluate_columns
from commonground.core.engine import Engine
from commonground.core.library import load_library
from sector import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000, help="assessments for the columnar path")
    parser.add_argument("--single", type=int, default=2_000, help="assessments for the single path")
    parser.add_argument(
        "--library", action="append", default=[], help="a directory added to the shipped library (repeatable)"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    lib = load_library([Path(d) for d in args.library])
    load_s = time.perf_counter() - t0
    requirements = sum(len(f.requirements) for f in lib.frameworks.values())
    print(
        f"library: {len(lib.datapoints)} data points, {len(lib.frameworks)} frameworks, "
        f"{requirements} requirements, loaded in {load_s:.2f} s"
    )

    t0 = time.perf_counter()
    cols = generate(lib, args.n)
    print(f"generated {args.n:,} assessments in {time.perf_counter() - t0:.2f} s")

    for details in (False, True):
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            result = evaluate_columns(lib, cols, with_details=details)
            runs.append(time.perf_counter() - t0)
        matrix = result.status_matrix()
        label = "statuses + summaries + findings/targets inputs" if details else "statuses + summaries"
        print(
            f"columnar, {label}: {args.n:,} x {matrix.shape[1]} requirements: first run {runs[0]:.2f} s, "
            f"best of 3 {min(runs):.2f} s ({args.n / min(runs):,.0f} assessments/s)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MiB")

    engine = Engine(lib)
    batch = [result.evaluation(i).assessment for i in range(args.single)]
    timings = []
    for i, assessment in enumerate(batch):
        t0 = time.perf_counter()
        single = engine.evaluate(assessment)
        timings.append(time.perf_counter() - t0)
        if i < 200:  # a sanity check; the property test is the proof
            columnar = result.evaluation(i)
            assert [fr.summary for fr in single.frameworks] == [fr.summary for fr in columnar.frameworks]
            assert single.findings == columnar.findings
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(
        f"single: {len(timings):,} assessments, median {statistics.median(timings) * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms, max {timings[-1] * 1000:.2f} ms"
    )
    met = (result.status_matrix() == 2).mean()
    not_met = (result.status_matrix() == 0).mean()
    print(f"sector mix: {met:.0%} of requirement results met, {not_met:.0%} not met")


if __name__ == "__main__":
    main()
