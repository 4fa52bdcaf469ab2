"""Profile facts once (decision 0025): the answers per period are the facts, the facility row a copy
of the latest period's values written in the same transaction; every path keeps them equal, and
aggregates, the portfolio filter, the API and the facility page read the same value."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from contextlib import redirect_stdout
from typing import Any

from django.apps import apps

from commonground.accounts.library import library
from commonground.accounts.models import Membership
from commonground.accounts.tokens import create_token
from commonground.assessments import services
from commonground.assessments.models import Answer, AnswerChange, Assessment
from commonground.facilities import profile
from commonground.facilities.models import Facility
from commonground.improvement import sector
from commonground.sharing import aggregates, portfolio
from tests.web.conftest import client_for, member

FORM = {
    "name": "Song Hong Factory 1",
    "province": "Tỉnh Đồng Nai",
    "sector": "garment",
    "workers": "950",
    "processes": ["cutting", "sewing"],
    "minimum_wage_region": "2",
}


def _answers(assessment: Assessment) -> dict[str, Any]:
    return dict(assessment.answers.values_list("datapoint", "value"))


def test_a_profile_typed_before_any_period_is_stored_once_and_starts_the_first_period(
    cast: dict[str, Any],
) -> None:
    facility = cast["facility"]
    response = client_for("alice").post(f"/facilities/{facility.pk}/edit", FORM)
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.province, facility.workers, facility.minimum_wage_region) == ("Tỉnh Đồng Nai", 950, "2")
    first = services.create_assessment(
        facility.pk, user=cast["alice"], start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert _answers(first) == {
        "facility.sector": "garment",
        "facility.province": "Tỉnh Đồng Nai",
        "facility.minimum_wage_region": "2",
        "facility.workers_total": 950,
        "facility.processes": ["cutting", "sewing"],
    }
    assert AnswerChange.objects.filter(assessment=first, reason=profile.PREFILL_REASON).count() == 5
    second = services.create_assessment(
        facility.pk, user=cast["alice"], start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
    )
    assert _answers(second) == {}  # later periods copy forward instead
    assert profile.disagreements() == []


def test_the_form_changes_the_open_periods_answer_and_the_row_together(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    facility = cast["facility"]
    response = client_for("alice").post(f"/facilities/{facility.pk}/edit", {**FORM, "sector": "textile"})
    assert response.status_code == 302
    assert _answers(assessment)["facility.sector"] == "textile"
    assert _answers(assessment)["facility.workers_total"] == 950
    facility.refresh_from_db()
    assert facility.sector == "textile" and facility.workers == 950
    assert profile.disagreements() == []


def test_a_verified_period_refuses_a_profile_change_from_the_form_naming_the_field(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    Answer.objects.create(assessment=assessment, datapoint="facility.workers_total", value=800)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.VERIFIED)
    facility = cast["facility"]
    page = client_for("alice", "vi").post(
        f"/facilities/{facility.pk}/edit", {**FORM, "province": "Thành phố Hà Nội"}
    )
    assert page.status_code == 400
    assert "đã xác minh" in page.content.decode()
    facility.refresh_from_db()
    assert facility.workers == 800 and facility.province == "Thành phố Hà Nội"  # nothing half-saved


def test_an_answer_through_the_api_is_seen_by_the_row_the_api_the_portfolio_and_the_page(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    facility = cast["facility"]
    token = create_token(cast["alice"], name="sync", can_write=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = client_for("alice")
    for datapoint, value in (("facility.province", "Tỉnh Bắc Ninh"), ("facility.workers_total", 1234)):
        url = f"/api/assessments/{assessment.pk}/answers/{datapoint}"
        put = client.put(url, json.dumps({"value": value}), content_type="application/json", **headers)
        assert put.status_code == 200, put.content
    facility.refresh_from_db()
    assert (facility.province, facility.workers) == ("Tỉnh Bắc Ninh", 1234)
    assert client.get(f"/api/facilities/{facility.pk}", **headers).json()["workers"] == 1234
    assert ": 1234" in client.get(f"/facilities/{facility.pk}/").content.decode()
    buyer = member("bea", cast["buyer"], Membership.Role.ADMIN)
    assert [s.facility.pk for s in portfolio.list_suppliers(buyer, province="Bắc Ninh")] == [facility.pk]
    assert portfolio.list_suppliers(buyer, province="Hà Nội") == []
    services.save_answer(assessment.pk, "facility.workers_total", "", user=cast["alice"])  # removed
    facility.refresh_from_db()
    assert facility.workers == 1234  # no period answers it now: the row keeps the last value
    assert profile.disagreements() == []


def _verified(facility: Facility, year: int, province: str) -> Assessment:
    a = Assessment.objects.create(
        facility=facility,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        status=Assessment.Status.VERIFIED,
    )
    Answer.objects.create(assessment=a, datapoint="facility.province", value=province)
    Answer.objects.create(assessment=a, datapoint="facility.sector", value="garment")
    return a


def test_a_facility_that_moved_is_counted_in_its_old_province_before_and_its_new_one_after(
    cast: dict[str, Any], settings: Any
) -> None:
    settings.AGGREGATE_K = 2
    facility = cast["facility"]
    _verified(facility, 2024, "Thành phố Hà Nội")
    _verified(facility, 2025, "Tỉnh Bắc Ninh")
    profile.refresh([facility.pk])
    facility.refresh_from_db()
    assert facility.province == "Tỉnh Bắc Ninh"  # the current profile is the latest period's
    keys = {c.key for c in aggregates.law_aggregates().cells}
    assert ("Thành phố Hà Nội", "garment", 2024) in keys and ("Tỉnh Bắc Ninh", "garment", 2025) in keys
    assert not any(k[2] == 2024 and k[0] == "Tỉnh Bắc Ninh" for k in keys)


def test_the_migration_lets_the_latest_answer_win_and_reports_each_conflict(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    facility = cast["facility"]
    Answer.objects.create(assessment=assessment, datapoint="facility.workers_total", value=812)
    Answer.objects.create(assessment=assessment, datapoint="facility.sector", value="garment")
    assert profile.disagreements() == [(facility.pk, "workers", 800, 812)]
    migration = importlib.import_module("commonground.facilities.migrations.0004_profile_from_answers")
    out = io.StringIO()
    with redirect_stdout(out):
        migration.forwards(apps, None)
    assert f"facility {facility.pk} workers: row 800 -> latest answer 812" in out.getvalue()
    assert "1 profile conflicts" in out.getvalue()
    assert profile.disagreements() == []


def _sector_code(value: str) -> int:
    return list(library().datapoints["facility.sector"].option_values).index(value)


def test_benchmarks_peer_profile_reads_each_periods_answer_and_the_forms_change_once_submitted(
    cast: dict[str, Any], assessment: Assessment, settings: Any
) -> None:
    facility = cast["facility"]
    old = _verified(facility, 2024, "Thành phố Hà Nội")
    Answer.objects.filter(assessment=old, datapoint="facility.sector").delete()  # asked later
    response = client_for("alice").post(f"/facilities/{facility.pk}/edit", {**FORM, "sector": "textile"})
    assert response.status_code == 302
    services.submit_assessment(assessment.pk, user=cast["alice"])
    rows = sector.panel_rows()
    then, now = rows.index_of(facility.pk, 2024), rows.index_of(facility.pk, 2026)
    assert then is not None and now is not None
    assert int(rows.profile.sector[now]) == _sector_code("textile")  # the answer the form wrote
    # 2024 does not answer the sector: it reads the facility's profile, as the aggregates do
    assert int(rows.profile.sector[then]) == _sector_code("textile")
    assert int(rows.profile.size[now]) == int(rows.profile.size[then]) == 1  # 950 workers: 250–999


def test_every_answer_path_keeps_the_row_equal_to_the_latest_answer(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    facility, alice = cast["facility"], cast["alice"]

    def row() -> tuple[str, int]:
        facility.refresh_from_db()
        assert profile.disagreements() == []
        return facility.province, facility.workers

    _verified(facility, 2025, "Tỉnh Bắc Ninh")
    profile.refresh([facility.pk])
    assert row() == ("Tỉnh Bắc Ninh", 800)
    services.save_answer(assessment.pk, "facility.province", "Thành phố Hà Nội", user=alice)
    assert row() == ("Thành phố Hà Nội", 800)
    services.save_answer(assessment.pk, "facility.province", "", user=alice)  # removed: 2025 again
    assert row() == ("Tỉnh Bắc Ninh", 800)
    assert services.copy_forward(assessment.pk, user=alice) == 2
    assert row() == ("Tỉnh Bắc Ninh", 800)
    services.save_answer(assessment.pk, "facility.province", "Tỉnh Phú Thọ", user=alice)
    services.delete_assessment(assessment.pk, user=alice)  # the draft goes: 2025 is the latest again
    assert row() == ("Tỉnh Bắc Ninh", 800)
    draft = services.create_assessment(
        facility.pk, user=alice, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
    )
    Assessment.objects.filter(pk=draft.pk).update(verifier=cast["verifiers"])
    services.save_answer(draft.pk, "facility.workers_total", "700", user=alice)
    assert row() == ("Tỉnh Bắc Ninh", 700)
    services.submit_assessment(draft.pk, user=alice)
    services.verify_answer(
        draft.pk, "facility.workers_total", user=cast["victor"], method="document_review", corrected="900"
    )
    assert row() == ("Tỉnh Bắc Ninh", 900)  # the verifier's correction is the fact
