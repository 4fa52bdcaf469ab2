"""Spreadsheet downloads from the demo data (decision 0029), read back with openpyxl in both
languages: an assessment's results and findings, the access log, the open data, the portfolio;
and a facility name written as a formula arrives as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook

from commonground.accounts.models import Organisation
from commonground.assessments.models import Assessment
from commonground.core.spreadsheet import XLSX_TYPE
from commonground.facilities.models import Facility
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.conftest import seeded_once
from tests.web.conftest import client_for, share_results


def _seed() -> list[int]:
    seed_demo(facilities=8)
    buyer = Organisation.objects.get(name="Lotus Apparel")
    suppliers = list(Facility.objects.filter(supply_links__buyer=buyer).order_by("pk"))
    share_results(buyer, suppliers[:3])
    return [f.pk for f in suppliers[:3]]


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[int]]:
    """The demo seeded once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, _seed) as made:
        yield made


@pytest.fixture
def demo(_seeded: list[int], db: None, settings: Any) -> dict[str, Any]:
    """Lotus Apparel, three suppliers sharing results, the demo factory's latest assessment."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    buyer = Organisation.objects.get(name="Lotus Apparel")
    mine = Assessment.objects.filter(facility__owner__memberships__user__username="factory.admin")
    sharing = list(Facility.objects.filter(pk__in=_seeded).order_by("pk"))
    return {"buyer": buyer, "sharing": sharing, "assessment": mine.order_by("-period_end").first()}


def _book(response: Any) -> Any:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize(
    ("lang", "sheets", "compliance"),
    [
        ("vi", ["Tổng quan", "Các yêu cầu", "Phát hiện"], "Mức tuân thủ (%)"),
        ("en", ["Summary", "Requirements", "Findings"], "Compliance (%)"),
    ],
)
def test_results_and_findings_as_xlsx(
    demo: dict[str, Any], lang: str, sheets: list[str], compliance: str
) -> None:
    item = demo["assessment"]
    client = client_for("factory.admin", lang, PASSWORD)
    page = client.get(f"/assessments/{item.pk}/results/").content.decode()
    assert f"/assessments/{item.pk}/results.xlsx" in page and f"/assessments/{item.pk}/findings.csv" in page
    book = _book(client.get(f"/assessments/{item.pk}/results.xlsx"))
    assert book.sheetnames == sheets
    summary = book[sheets[0]]
    assert [c.value for c in summary[1]][5] == compliance
    counts = [row for row in summary.iter_rows(min_row=2, values_only=True)]
    assert counts and all(isinstance(n, int) for row in counts for n in row[1:5])
    requirements = list(book[sheets[1]].iter_rows(min_row=2, values_only=True))
    assert len(requirements) == sum(sum(row[1:5]) for row in counts)  # every requirement once
    findings = list(book[sheets[2]].iter_rows(min_row=2, values_only=True))
    assert findings, "the demo assessment has findings"
    numeric = [row for row in findings if isinstance(row[2], int | float)]
    assert numeric and all(row[3] is not None for row in numeric if row[0].endswith(("_h", "_vnd")))
    csv_text = client.get(f"/assessments/{item.pk}/findings.csv").content.decode("utf-8")
    assert csv_text.startswith("\ufeff")
    assert len(list(csv.reader(io.StringIO(csv_text)))) == len(findings) + 1


def test_an_outsider_gets_no_results_spreadsheet(demo: dict[str, Any]) -> None:
    item = demo["assessment"]
    response = client_for("cso", "en", PASSWORD).get(f"/assessments/{item.pk}/results.xlsx")
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(("lang", "first"), [("vi", "Cơ sở"), ("en", "Facility")])
def test_the_portfolio_as_xlsx(demo: dict[str, Any], lang: str, first: str) -> None:
    client = client_for("buyer", lang, PASSWORD)
    assert "/portfolio.xlsx?" in client.get("/portfolio/").content.decode()
    ws = _book(client.get("/portfolio.xlsx")).active
    header = [c.value for c in ws[1]]
    assert header[0] == first
    rows = list(ws.iter_rows(min_row=2))
    assert {r[0].value for r in rows} == {f.name for f in demo["sharing"]}
    verified = [r[4] for r in rows if r[4].value is not None]
    assert verified and all(c.is_date and isinstance(c.value, dt.datetime) for c in verified)
    rates = [r[5].value for r in rows if r[5].value not in (None, "")]
    assert rates and any(isinstance(v, int) for v in rates)


def test_a_name_written_as_a_formula_arrives_as_text(demo: dict[str, Any]) -> None:
    one = demo["sharing"][0]
    Facility.objects.filter(pk=one.pk).update(name='=HYPERLINK("http://evil.test","Open")')
    ws = _book(client_for("buyer", "en", PASSWORD).get("/portfolio.xlsx")).active
    cells = [r[0] for r in ws.iter_rows(min_row=2) if str(r[0].value).startswith("=")]
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert cells[0].value == '=HYPERLINK("http://evil.test","Open")'


@pytest.mark.parametrize(("lang", "time"), [("vi", "Thời điểm (UTC)"), ("en", "Time (UTC)")])
def test_the_access_log_as_xlsx(demo: dict[str, Any], lang: str, time: str) -> None:
    client_for("buyer", "en", PASSWORD).get("/portfolio/")  # reads to log
    facility = demo["sharing"][0]
    client = client_for("factory.admin", lang, PASSWORD)
    assert (
        f"/facilities/{facility.pk}/access-log.xlsx"
        in client.get(f"/facilities/{facility.pk}/sharing/").content.decode()
    )
    ws = _book(client.get(f"/facilities/{facility.pk}/access-log.xlsx")).active
    assert ws[1][0].value == time
    rows = list(ws.iter_rows(min_row=2))
    assert rows and all(r[0].is_date for r in rows)
    assert "Lotus Apparel" in {r[2].value for r in rows}


def test_the_open_data_as_xlsx(empty_database: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(facilities=30)
    ws = _book(client_for("cso", "en", PASSWORD).get("/open-data/labour-aggregates.xlsx")).active
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows
    figures = [r for r in rows if r.get("value") not in (None, "")]
    assert figures and all(isinstance(r["value"], int | float) for r in figures)


@pytest.mark.parametrize(("lang", "due"), [("vi", "Hạn hoàn thành"), ("en", "Due date")])
def test_the_action_plan_as_xlsx_and_csv(demo: dict[str, Any], lang: str, due: str) -> None:
    from commonground.actions.models import Action
    from commonground.web.demo.actions import seed_demo_actions

    seed_demo_actions()
    action = Action.objects.filter(facility__owner__memberships__user__username="factory.admin").first()
    assert action is not None, "the demo has actions"
    Action.objects.filter(pk=action.pk).update(title="=cmd|' /C calc'!A0")
    facility = action.facility_id
    client = client_for("factory.admin", lang, PASSWORD)
    assert (
        f"/facilities/{facility}/actions.xlsx"
        in client.get(f"/facilities/{facility}/actions/").content.decode()
    )
    ws = _book(client.get(f"/facilities/{facility}/actions.xlsx")).active
    header = [c.value for c in ws[1]]
    assert header[2] == due
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == Action.objects.filter(facility_id=facility).count()
    assert all(r[2].is_date for r in rows)
    hostile = [r[0] for r in rows if r[0].value == "=cmd|' /C calc'!A0"]
    assert len(hostile) == 1 and hostile[0].data_type == "s"
    text = client.get(f"/facilities/{facility}/actions.csv").content.decode("utf-8")
    assert text.startswith("\ufeff") and "'=cmd|" in text


def test_the_questionnaire_as_an_xlsform_download(assessment: Assessment, tmp_path: Any) -> None:
    import zipfile

    import yaml
    from pyxform.xls2xform import convert

    client = client_for("alice", "vi")
    assert (
        f"/assessments/{assessment.pk}/xlsform.zip"
        in client.get(f"/assessments/{assessment.pk}/").content.decode()
    )
    response = client.get(f"/assessments/{assessment.pk}/xlsform.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        assert sorted(bundle.namelist()) == ["commonground-all.profile.yaml", "commonground-all.xlsx"]
        bundle.extractall(tmp_path)
    xform = convert(xlsform=str(tmp_path / "commonground-all.xlsx")).xform
    assert 'lang="Tiếng Việt (vi)"' in xform and 'lang="English (en)"' in xform
    profile = yaml.safe_load((tmp_path / "commonground-all.profile.yaml").read_text(encoding="utf-8"))
    assert profile["import"]["layout"] == {"format": "any", "shape": "wide"}
    assert client_for("charlie").get(f"/assessments/{assessment.pk}/xlsform.zip").status_code in (403, 404)


def test_a_long_portfolio_is_written_by_a_job_with_a_download_link(
    demo: dict[str, Any],
    settings: Any,
    tmp_path: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from commonground.jobs.models import Job
    from commonground.sharing import portfolio

    settings.EVIDENCE_ROOT = tmp_path
    monkeypatch.setattr(portfolio, "DIRECT_LIMIT", 2)  # the demo buyer lists more than two
    client = client_for("buyer", "vi", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/portfolio.xlsx?sort=-name")
    job = Job.objects.get(kind="portfolio_export")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == job.total == len(demo["sharing"])
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/jobs/{job.pk}/download" in page and "sẵn sàng để tải về" in page
    download = client.get(f"/jobs/{job.pk}/download")
    assert download.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws[1][0].value == "Cơ sở"
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == sorted(
        (f.name for f in demo["sharing"]), reverse=True
    )
    assert client_for("cso", "en", PASSWORD).get(f"/jobs/{job.pk}/download").status_code == 404
