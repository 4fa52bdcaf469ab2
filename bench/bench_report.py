"""Benchmark: the facility report PDF (issue 15, point 6: under 3 s; decision 0031).

Three cases, each timed five times (BENCH_RUNS) after one warm-up (best and median, wall clock
and the process's CPU time, beside the machine's load average, since the machine is shared):

1. `commonground report`'s path: sample 01 (a 1,800-worker garment factory, every framework)
   evaluated, its report built and rendered by WeasyPrint — the file's sections only;
2. the web app's report (improvement.report.report_file) of the demo factory's latest verified
   assessment, from a SQLite database seeded as `manage.py seed_demo --facilities 8` seeds it (in a
   temporary folder): the results, the action plan, three periods' trend charts, the verification;
3. the same through the results page's background job (decision 0036): queued, run in this
   process (Huey's immediate mode), the file kept through the storage API and read back.

Run with `.venv/bin/python bench/bench_report.py` (part of `make bench`); the figures are in
docs/performance.md ("Facility report PDF").
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src/commonground/samples/01-garment-hcmc-2026.yaml"
TARGET = 3.0


RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def _timed(fn: Callable[[], bytes], runs: int = RUNS) -> tuple[bytes, list[float], list[float]]:
    fn()  # warm-up: fonts, the library, the templates' first use
    walls, cpus, out = [], [], b""
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return out, walls, cpus


def _pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _line(what: str, pdf: bytes, walls: list[float], cpus: list[float]) -> bool:
    best, median = min(walls), statistics.median(walls)
    ok = median < TARGET
    print(
        f"{what}: {_pages(pdf)} pages, {len(pdf) // 1024} KB; wall best {best:.2f} s, median {median:.2f} s; "
        f"CPU median {statistics.median(cpus):.2f} s — {'OK' if ok else 'OVER'} (target < {TARGET:.0f} s)"
    )
    return ok


def from_file() -> bool:
    from commonground.common.pdf import html_to_pdf
    from commonground.core.assessments import read_assessment
    from commonground.core.engine import Engine
    from commonground.core.facility_report import build_report, report_html
    from commonground.core.library import cached_library

    lib = cached_library(())

    def make() -> bytes:
        evaluation = Engine(lib, []).evaluate(read_assessment(SAMPLE, lib))
        made = build_report(evaluation, lib, "vi", facility=evaluation.assessment.name_in("vi"))
        return html_to_pdf(report_html(made))

    pdf, walls, cpus = _timed(make)
    return _line("report of sample 01 (command line path), vi", pdf, walls, cpus)


def from_database() -> bool:
    with tempfile.TemporaryDirectory() as data:
        os.environ["COMMONGROUND_DATA_DIR"] = data
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        os.environ["HUEY_IMMEDIATE"] = "1"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command

        from commonground.assessments.models import Assessment
        from commonground.improvement.report import report_file

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", "--facilities", "8", stdout=io.StringIO())
        print(f"(demo database made in {time.perf_counter() - started:.0f} s)")
        user = User.objects.get(username="factory.admin")
        item = (
            Assessment.objects.filter(
                facility__owner__memberships__user=user, status=Assessment.Status.VERIFIED
            )
            .order_by("-period_end")
            .first()
        )
        assert item is not None
        ok = True
        for lang in ("vi", "en"):
            pdf, walls, cpus = _timed(lambda: report_file(item.pk, "pdf", user=user, lang=lang).content)  # noqa: B023
            ok &= _line(f"web report of the demo factory ({item.period_end.year}), {lang}", pdf, walls, cpus)
        pdf, walls, cpus = _timed(lambda: _through_the_job(item.pk, user))
        ok &= _line(
            "the same, vi, as the results page's job (queued, run, kept, read back)", pdf, walls, cpus
        )
        return ok


def _through_the_job(assessment_id: int, user: object) -> bytes:
    """The page's path (decision 0036): the job queued and run (Huey's immediate mode: in this
    process, as a worker runs it), its file kept in the storage and read back."""
    from commonground.common.storage import evidence_storage
    from commonground.improvement.report import start_report
    from commonground.jobs.models import Job

    Job.objects.filter(kind="facility_report").delete()  # a new job each run (no reuse of a file)
    job = start_report(assessment_id, "pdf", user=user, lang="vi")
    job.refresh_from_db()
    assert job.state == Job.State.DONE, (job.state, job.error)
    with evidence_storage().open(job.result_params["file"], "rb") as f:
        return bytes(f.read())


def main() -> None:
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores")
    ok = from_file() & from_database()
    print("facility report PDF:", "within the target" if ok else "OVER the target on this run")


if __name__ == "__main__":
    main()
