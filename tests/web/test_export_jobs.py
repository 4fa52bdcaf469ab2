"""Long exports as background jobs (issue 15, point 5; decision 0036): the facility report's PDF (both
languages) and the state form's PDF, started from the results page, followed on the job's page (a
refreshing page, no script), then downloaded — by the person who started it only, while they may
still read the assessment — with a verifier body's read logged as the direct download logs it. The
jobs run inside the test (Huey's immediate mode, tests/conftest.py), as the import's tests run them."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from commonground.assessments.models import Assessment
from commonground.common.storage import evidence_storage
from commonground.jobs.models import Job
from commonground.sharing.models import AccessLogEntry
from tests.conftest import seeded_once
from tests.pdf_tools import require_poppler
from tests.web.conftest import forced_client as client_for

FORM = "vn-labour-self-inspection"


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo as `manage.py seed_demo --facilities 3` seeds it, once for the module
    (tests/conftest.py seeded_once)."""

    def seed() -> None:
        call_command("seed_demo", "--facilities", "3", stdout=io.StringIO())

    with seeded_once(django_db_blocker, seed):
        yield


@pytest.fixture
def verified(demo: Any, db: None, settings: Any, tmp_path: Path) -> Assessment:
    """The demo factory's latest verified assessment (invites the demo's verifier body); the job
    files go into a temporary evidence storage."""
    settings.EVIDENCE_ROOT = tmp_path / "storage"
    found = (
        Assessment.objects.filter(
            facility__owner__memberships__user__username="factory.admin", status=Assessment.Status.VERIFIED
        )
        .exclude(verifier=None)
        .order_by("-period_end")
        .first()
    )
    assert found is not None
    return found


def pdf_text(content: bytes, tmp_path: Path) -> str:
    require_poppler()
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(out.split())


def _post(client: Client, url: str, data: dict[str, str], capture: Any) -> Any:
    with capture(execute=True):
        return client.post(url, data)


def _download(client: Client, job: Job) -> bytes:
    response = client.get(f"/jobs/{job.pk}/download")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("lang", "other", "words"), [("vi", "en", "Bộ luật Lao động"), ("en", "vi", "Labour Code")]
)
def test_the_report_pdf_is_a_job_with_progress_then_a_download(
    verified: Assessment,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    lang: str,
    other: str,
    words: str,
) -> None:
    client = client_for("factory.admin", lang)
    page = client.get(f"/assessments/{verified.pk}/results/").content.decode()
    assert f'action="/assessments/{verified.pk}/report/prepare"' in page
    assert f'name="lang" value="{lang}"' in page and f'name="lang" value="{other}"' in page
    response = _post(
        client,
        f"/assessments/{verified.pk}/report/prepare",
        {"format": "pdf", "lang": lang},
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get(kind="facility_report")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.state == Job.State.DONE and job.done == job.total == 3
    assert job.params == {"assessment_id": verified.pk, "file_type": "pdf", "lang": lang, "channel": "page"}
    assert job.organisation is None  # the person who started it follows it, nobody else

    shown = client.get(f"/jobs/{job.pk}/").content.decode()
    name = f"report-{verified.pk}-{lang}.pdf"
    assert f'href="/jobs/{job.pk}/download"' in shown
    assert ("Tải tệp về" if lang == "vi" else "Download the file") in shown
    assert (f"Tệp {name} đã sẵn sàng để tải về." if lang == "vi" else f"The file {name} is ready") in shown
    assert 'http-equiv="refresh"' not in shown  # finished: the page stops refreshing

    stored = job.result_params["file"]
    assert stored == f"exports/jobs/{job.pk}/{name}" and evidence_storage().exists(stored)
    content = _download(client, job)
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    facility = verified.facility
    assert words in text and (facility.name_vi or facility.name if lang == "vi" else facility.name) in text


def test_a_running_job_shows_its_step_and_refreshes_itself(verified: Assessment) -> None:
    from django.contrib.auth.models import User

    from commonground.improvement.report import STEPS, WRITING_PDF, start_report
    from commonground.jobs.services import report

    client = client_for("factory.admin", "vi")
    owner = User.objects.get(username="factory.admin")
    job = start_report(verified.pk, "pdf", user=owner, lang="vi")  # not committed: no worker has it
    job.state = Job.State.RUNNING
    job.save()
    report(job, 1, STEPS, WRITING_PDF)
    shown = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in shown and "Đang viết tệp PDF" in shown and 'value="33"' in shown
    assert client.get(f"/jobs/{job.pk}/download").status_code == 302  # not yet: back to its page


def test_a_double_click_runs_one_job_and_the_other_language_another(
    verified: Assessment, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("factory.admin", "en")
    url = f"/assessments/{verified.pk}/report/prepare"
    first = _post(client, url, {"format": "pdf", "lang": "en"}, django_capture_on_commit_callbacks)
    again = _post(client, url, {"format": "pdf", "lang": "en"}, django_capture_on_commit_callbacks)
    assert first.url == again.url
    assert Job.objects.filter(kind="facility_report").count() == 1
    vi = _post(client, url, {"format": "pdf", "lang": "vi"}, django_capture_on_commit_callbacks)
    assert vi.url != first.url and Job.objects.filter(kind="facility_report").count() == 2


def test_nobody_else_starts_follows_or_downloads_it(
    verified: Assessment, django_capture_on_commit_callbacks: Any
) -> None:
    url = f"/assessments/{verified.pk}/report/prepare"
    for username in ("buyer", "authority", "cso"):  # who may not see the results page
        assert client_for(username).get(f"/assessments/{verified.pk}/results/").status_code == 404
        refused = _post(client_for(username), url, {"format": "pdf"}, django_capture_on_commit_callbacks)
        assert refused.status_code == 404
    assert not Job.objects.exists()
    assert Client().post(url, {"format": "pdf"}).status_code == 302  # to log in
    owner = client_for("factory.admin")
    assert owner.get(url).status_code == 405  # starting a job is a POST
    for bad in ({"format": "docx"}, {}, {"format": "pdf\x00"}):
        assert owner.post(url, bad).status_code in (400, 404)  # a NUL: refused by the middleware
    assert owner.post("/assessments/999999/report/prepare", {"format": "pdf"}).status_code == 404
    assert not Job.objects.exists()

    _post(owner, url, {"format": "pdf"}, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="facility_report")
    for username in ("factory.editor", "factory.viewer", "verifier", "buyer"):  # colleagues too
        other = client_for(username)
        assert other.get(f"/jobs/{job.pk}/").status_code == 404
        assert other.get(f"/jobs/{job.pk}/download").status_code == 404


def test_the_verifiers_read_is_logged_once_as_the_direct_download_logs_it(
    verified: Assessment, django_capture_on_commit_callbacks: Any
) -> None:
    entries = AccessLogEntry.objects.filter(facility=verified.facility).order_by("id")
    before = entries.count()
    client = client_for("verifier")
    _post(
        client,
        f"/assessments/{verified.pk}/report/prepare",
        {"format": "pdf", "lang": "en"},
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get(kind="facility_report")
    made = list(entries[before:])
    assert [e.what.split(" ")[0] for e in made] == ["report", "action"]  # as test_facility_report's
    assert {e.channel for e in made} == {"page"} and all(e.read.reader.username == "verifier" for e in made)
    _download(client, job)
    _download(client, job)
    assert (
        entries.count() == before + 2
    )  # the file was read when it was made; handing it over is not a new read

    # the facility chooses another verifier body: the file made for the old one is no longer theirs
    Assessment.objects.filter(pk=verified.pk).update(verifier=None)
    assert client.get(f"/jobs/{job.pk}/download").status_code == 404


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_state_form_pdf_is_a_job_too(
    verified: Assessment, tmp_path: Path, django_capture_on_commit_callbacks: Any, lang: str
) -> None:
    client = client_for("factory.admin", lang)
    page = client.get(f"/assessments/{verified.pk}/results/").content.decode()
    url = f"/assessments/{verified.pk}/forms/{FORM}/prepare"
    assert f'action="{url}"' in page and f"/assessments/{verified.pk}/forms/{FORM}.xlsx" in page
    response = _post(client, url, {"format": "pdf"}, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="state_form")
    assert response.url == f"/jobs/{job.pk}/" and job.state == Job.State.DONE and job.done == 3
    shown = client.get(f"/jobs/{job.pk}/").content.decode()
    assert ("Biểu mẫu của cơ quan nhà nước" if lang == "vi" else "State form, filled") in shown
    text = pdf_text(_download(client, job), tmp_path)
    title = "PHIẾU TỰ KIỂM TRA" if lang == "vi" else "LABOUR-LAW SELF-INSPECTION"
    assert title in text and "17/2018/TT-BLĐTBXH" in text
    assert ("chưa có dữ liệu" if lang == "vi" else "no data yet") in text
    # what the direct download gives
    direct = client.get(f"/assessments/{verified.pk}/forms/{FORM}.pdf")
    assert direct.status_code == 200 and title in pdf_text(direct.content, tmp_path)


def test_the_state_form_job_refuses_what_the_download_refuses(
    verified: Assessment, django_capture_on_commit_callbacks: Any
) -> None:
    owner = client_for("factory.admin")
    base = f"/assessments/{verified.pk}/forms"
    assert owner.post(f"{base}/no-such-form/prepare", {"format": "pdf"}).status_code == 404
    assert owner.post(f"{base}/{FORM}/prepare", {"format": "html"}).status_code == 404
    assert owner.get(f"{base}/{FORM}/prepare").status_code == 405
    assert client_for("cso").post(f"{base}/{FORM}/prepare", {"format": "pdf"}).status_code == 404
    assert not Job.objects.exists()
    _post(owner, f"{base}/{FORM}/prepare", {"format": "xlsx"}, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="state_form")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_download(owner, job)))
    assert book.sheetnames[0] == "Self-inspection form"
    assert client_for("factory.editor").get(f"/jobs/{job.pk}/download").status_code == 404


def test_a_failed_attempt_is_retried_and_ends_with_its_file(verified: Assessment, monkeypatch: Any) -> None:
    """The handler fails once (as a worker stopped mid-write would): the queue's next attempt makes
    the file again and the job ends done, as every kind does (decision 0018)."""
    from django.contrib.auth.models import User

    from commonground.improvement import report
    from commonground.jobs import services

    real = report.html_to_pdf
    calls: list[int] = []

    def flaky(html: str) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real(html)

    monkeypatch.setattr(report, "html_to_pdf", flaky)
    owner = User.objects.get(username="factory.admin")
    job = report.start_report(verified.pk, "pdf", user=owner, lang="en")  # not committed: no worker has it
    with pytest.raises(OSError):
        services.run(job.pk, last_attempt=False)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.attempts == 1
    services.run(job.pk, last_attempt=True)
    job.refresh_from_db()
    assert (job.state, job.attempts, len(calls)) == (Job.State.DONE, 2, 2)
    assert _download(client_for("factory.admin"), job).startswith(b"%PDF")


def test_a_cold_portfolio_reads_its_answers_as_columns_and_gets_the_same_outcomes(
    verified: Assessment,
) -> None:
    """A cold portfolio summary reads its suppliers' answers as columns (on PostgreSQL, encoded by
    the database: half the time of the object path at 2,000 suppliers, decision 0036); the outcomes
    are those of the object path, for the portfolio's frameworks and for every framework."""
    from commonground.accounts.library import library
    from commonground.assessments.columns import read_columns
    from commonground.assessments.evaluations import core_assessments_of
    from commonground.core.columnar import Columns
    from commonground.sharing import outcomes

    lib = library()
    items = list(Assessment.objects.select_related("facility").order_by("pk"))
    assert len(items) >= 6
    portfolio = ("vn-labour-code-2019", "vn-osh-2015", "ilo-fundamental", "sa8000", "zdhc-wastewater")
    for chosen in (portfolio, tuple(sorted(lib.frameworks))):
        objects = Columns.from_assessments(lib, core_assessments_of(items))
        expected = outcomes._evaluate(lib, objects, chosen)
        assert any(o.findings for o in expected) and any(r for o in expected for _f, r in o.rates)
        assert outcomes._evaluate(lib, read_columns(items), chosen) == expected


def test_the_api_offers_the_report_as_a_job_beside_the_direct_download(
    verified: Assessment, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth.models import User

    from commonground.accounts.tokens import create_token

    owner = User.objects.get(username="factory.admin")
    token = create_token(owner, name="jobs", can_write=True)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="vi")
    url = f"/api/assessments/{verified.pk}/report/jobs"
    read_only = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, name='read')}")
    assert read_only.post(url).status_code == 403  # a job is recorded: a token that may write
    assert read_only.get(f"/api/assessments/{verified.pk}/report").status_code == 200  # the direct one
    with django_capture_on_commit_callbacks(execute=False):  # queued, not run yet
        queued = api.post(f"{url}?format=pdf")
    assert queued.status_code == 202
    body = queued.json()
    assert (
        body["kind"] == "facility_report"
        and body["state"] == "queued"
        and body["kind_label"] == "Báo cáo cơ sở"
    )
    waiting = api.get(f"/api/jobs/{body['id']}/file")
    assert waiting.status_code == 202 and waiting.json()["id"] == body["id"]

    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(f"{url}?format=xlsx")
    job = Job.objects.get(pk=started.json()["id"])
    assert (
        job.state == Job.State.DONE and job.params["channel"] == "api" and job.params["file_type"] == "xlsx"
    )
    assert api.get(f"/api/jobs/{job.pk}").json()["result"].startswith("Tệp report-")
    got = api.get(f"/api/jobs/{job.pk}/file")
    assert got.status_code == 200
    from openpyxl import load_workbook

    assert "Tổng quan" in load_workbook(io.BytesIO(b"".join(got.streaming_content))).sheetnames
    assert api.get(f"/api/assessments/{verified.pk}/report?format=xlsx").status_code == 200  # kept as it was

    assert api.post(f"{url}?format=docx").status_code == 422
    assert api.post("/api/assessments/999999/report/jobs").status_code == 404
    buyer = create_token(User.objects.get(username="buyer"), name="jobs", can_write=True)
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {buyer}")
    assert outsider.post(url).status_code == 404
    assert outsider.get(f"/api/jobs/{job.pk}/file").status_code == 404
    assert Job.objects.filter(kind="facility_report").count() == 2


def test_an_export_kept_a_week_is_deleted_and_its_page_says_so(
    verified: Assessment, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from commonground.jobs.services import discard_old_files

    client = client_for("factory.admin", "vi")
    for lang in ("vi", "en"):
        _post(
            client,
            f"/assessments/{verified.pk}/report/prepare",
            {"format": "pdf", "lang": lang},
            django_capture_on_commit_callbacks,
        )
    old, recent = Job.objects.filter(kind="facility_report").order_by("pk")
    stored = {job.pk: job.result_params["file"] for job in (old, recent)}
    storage = evidence_storage()
    assert all(storage.exists(name) for name in stored.values())
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(finished_at=now - dt.timedelta(days=8))
    Job.objects.filter(pk=recent.pk).update(finished_at=now - dt.timedelta(days=6))

    assert discard_old_files(now) == 1 and discard_old_files(now) == 0  # twice: nothing more to do
    assert not storage.exists(stored[old.pk]) and storage.exists(stored[recent.pk])
    page = client.get(f"/jobs/{old.pk}/").content.decode()
    name = f"report-{verified.pk}-vi.pdf"
    assert f"Tệp {name} đã được lưu 7 ngày và nay đã bị xoá" in page and "/download" not in page
    assert client.get(f"/jobs/{old.pk}/download").url == f"/jobs/{old.pk}/"
    assert (
        "was kept for 7 days and has been deleted"
        in client_for("factory.admin").get(f"/jobs/{old.pk}/").content.decode()
    )
    assert _download(client, recent).startswith(b"%PDF")
