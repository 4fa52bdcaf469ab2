"""The import page of a draft assessment: preview every row, then apply as a job, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from commonground.assessments.models import Answer, AnswerChange, Assessment
from commonground.common.storage import evidence_storage
from commonground.jobs.models import Job
from commonground.samples.imports import make_samples
from tests.web.conftest import client_for

SAMPLES = Path(make_samples.__file__).resolve().parent


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def _preview(client: Any, assessment: Assessment, path: Path) -> Any:
    with path.open("rb") as handle:
        return client.post(f"/assessments/{assessment.pk}/import", {"file": handle})


def test_preview_then_apply_stores_every_answer_with_its_source(
    cast: dict[str, Any], assessment: Assessment, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("alice")
    assert client.get(f"/assessments/{assessment.pk}/import").status_code == 200
    response = _preview(client, assessment, SAMPLES / "slcp-style-workbook.xlsx")
    assert response.status_code == 200
    report = response.context["report"]
    assert report["profile"] == "slcp-style-workbook" and report["counts"]["error"] == 0
    assert "wh-ot-1" in response.content.decode() and not Answer.objects.exists()  # a preview stores nothing
    stored = response.context["stored"]
    assert evidence_storage().exists(stored)  # the original upload is kept
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(
            f"/assessments/{assessment.pk}/import/apply",
            {"stored": stored, "name": "slcp-style-workbook.xlsx"},
        )
    job = Job.objects.get(kind="assessment_import")
    assert applied.status_code == 302 and applied.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == job.total == 18
    answer = Answer.objects.get(assessment=assessment, datapoint="working_time.overtime_hours_month_max")
    assert answer.value == 38.5
    assert answer.source == "slcp-style-workbook.xlsx › Data Collection › #17"
    assert Answer.objects.get(datapoint="facility.processes").value == ["cutting", "embroidery", "sewing"]
    changes = AnswerChange.objects.count()
    assert changes == 18
    # the same file again changes nothing
    again = _preview(client, assessment, SAMPLES / "slcp-style-workbook.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/assessments/{assessment.pk}/import/apply", {"stored": again.context["stored"], "name": "x"}
        )
    assert Job.objects.filter(state=Job.State.DONE).count() == 2
    assert AnswerChange.objects.count() == changes and Answer.objects.count() == 18
    second = Job.objects.filter(kind="assessment_import").order_by("-pk")[0]
    shown = client.get(f"/jobs/{second.pk}/").content.decode()
    assert "Nothing changed: every answer in x was already stored as it is." in shown
    assert "18 answers imported" in client.get(f"/jobs/{job.pk}/").content.decode()


def _broken(tmp_path: Path) -> Path:
    wb = load_workbook(SAMPLES / "slcp-style-workbook.xlsx")
    ws = wb["Data Collection"]
    for row in ws.iter_rows(min_row=3):
        if row[1].value == "wh-ot-1":
            row[3].value = "800"
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "error [D]: 800 is outside the allowed range 0 – 744 h"),
        ("vi", "lỗi [D]: 800 nằm ngoài"),
    ],
)
def test_a_row_in_error_is_shown_and_nothing_can_be_applied(
    cast: dict[str, Any], assessment: Assessment, tmp_path: Path, lang: str, expected: str
) -> None:
    response = _preview(client_for("alice", lang), assessment, _broken(tmp_path))
    page = response.content.decode()
    assert response.status_code == 422 and expected in page, page[page.find("error") :][:300]
    assert "/import/apply" not in page and not Answer.objects.exists()


def test_a_file_of_another_kind_is_refused_with_a_message(
    cast: dict[str, Any], assessment: Assessment, tmp_path: Path
) -> None:
    odd = tmp_path / "answers.pdf"
    odd.write_bytes(b"%PDF-1.7")
    response = _preview(client_for("alice"), assessment, odd)
    assert response.status_code == 422 and "save the file as .xlsx or .csv" in response.content.decode()


def test_only_the_factory_may_import(cast: dict[str, Any], assessment: Assessment) -> None:
    for outsider in ("charlie", "bob"):  # another group's admin; a viewer of the facility
        client = client_for(outsider)
        assert client.get(f"/assessments/{assessment.pk}/import").status_code == 404
        response = client.post(
            f"/assessments/{assessment.pk}/import/apply", {"stored": f"imports/{assessment.pk}/x.xlsx"}
        )
        assert response.status_code == 404
    assert not Job.objects.exists()


def test_the_verifier_sees_where_an_imported_answer_came_from(
    cast: dict[str, Any], assessment: Assessment, django_capture_on_commit_callbacks: Any
) -> None:
    from commonground.assessments import services

    client = client_for("alice")
    response = _preview(client, assessment, SAMPLES / "higg-style-fem.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/assessments/{assessment.pk}/import/apply",
            {"stored": response.context["stored"], "name": "higg-style-fem.csv"},
        )
    assert Answer.objects.get(datapoint="energy.electricity_kwh").value == 1_850_000
    services.submit_assessment(assessment.pk, user=cast["alice"])
    page = client_for("victor", "vi").get(f"/assessments/{assessment.pk}/verification/?topic=energy")
    assert page.status_code == 200
    assert 'Nguồn gốc: <span translate="no">higg-style-fem.csv › #10</span>' in page.content.decode()


def test_the_downloaded_template_is_pre_filled_and_imports_back_unchanged(
    cast: dict[str, Any], assessment: Assessment, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("alice", "vi")
    response = _preview(client, assessment, SAMPLES / "slcp-style-workbook.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/assessments/{assessment.pk}/import/apply",
            {"stored": response.context["stored"], "name": "a.xlsx"},
        )
    download = client.get(f"/assessments/{assessment.pk}/questionnaire.xlsx")
    assert download.status_code == 200 and download["Content-Type"].endswith("spreadsheetml.sheet")
    path = tmp_path / "q.xlsx"
    path.write_bytes(download.content)
    wb = load_workbook(path)
    assert wb["Cơ sở - Facility"]["B3"].value == "Song Hong Factory 1"
    ws = wb["Câu hỏi - Questions"]
    answers = {ws.cell(r, 1).value: ws.cell(r, 8).value for r in range(2, ws.max_row + 1)}
    assert answers["working_time.overtime_hours_month_max"] == 38.5
    assert answers["working_time.overtime_voluntary"] == "Có"
    assert answers["facility.processes"] == "cutting | embroidery | sewing"
    changes = AnswerChange.objects.count()
    again = _preview(client, assessment, path)
    assert again.status_code == 200 and again.context["report"]["profile"] == "commonground-template"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/assessments/{assessment.pk}/import/apply",
            {"stored": again.context["stored"], "name": "q.xlsx"},
        )
    assert AnswerChange.objects.count() == changes  # the same answers: nothing changed
    assert client_for("charlie").get(f"/assessments/{assessment.pk}/questionnaire.xlsx").status_code == 404
