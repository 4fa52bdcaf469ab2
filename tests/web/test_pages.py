"""Pages in a real request cycle: log-in and lock-out, facility, answering, results, languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonground.assessments.models import Answer, Assessment
from tests.web.conftest import PASSWORD


@pytest.fixture
def alice(cast: dict[str, Any]) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_login_page_speaks_vietnamese_first_and_english_on_request(db: None) -> None:
    assert "Đăng nhập" in Client().get("/accounts/login/").content.decode()
    assert "Log in" in Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()


def test_repeated_failed_logins_lock_the_account(cast: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429 and "Account locked" in locked.content.decode()


def test_home_and_facility_pages_show_the_burden(alice: Client, cast: dict[str, Any]) -> None:
    facility = cast["facility"]
    assert facility.name in alice.get("/").content.decode()
    page = alice.get(f"/facilities/{facility.pk}/").content.decode()
    assert "nhãn hàng của bạn yêu cầu" in page and "điểm dữ liệu" in page


def test_the_facility_page_names_the_locality_once(alice: Client, cast: dict[str, Any]) -> None:
    facility = cast["facility"]
    facility.locality = "phường Thuận An"
    facility.address = "12 Đại lộ Bình Dương, phường Thuận An, Thành phố Hồ Chí Minh"
    facility.save()
    page = alice.get(f"/facilities/{facility.pk}/").content.decode()
    assert page.count("phường Thuận An") == 1
    facility.address = ""
    facility.save()
    page = alice.get(f"/facilities/{facility.pk}/").content.decode()
    assert page.count("phường Thuận An") == 1  # the locality beside the province when no address


def test_charlie_gets_404_everywhere(cast: dict[str, Any], assessment: Assessment) -> None:
    charlie = Client()
    assert charlie.post("/accounts/login/", {"username": "charlie", "password": PASSWORD}).status_code == 302
    for url in (
        f"/facilities/{cast['facility'].pk}/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/results/",
    ):
        assert charlie.get(url).status_code == 404
    assert (
        charlie.post(
            f"/assessments/{assessment.pk}/answer", {"datapoint": "facility.workers_total", "value": "5"}
        ).status_code
        == 404
    )
    assert not Answer.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(assessment: Assessment) -> None:
    response = Client().get(f"/assessments/{assessment.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_answering_converts_units_and_refuses_bad_input_beside_the_field(
    alice: Client, assessment: Assessment
) -> None:
    url = f"/assessments/{assessment.pk}/answer"
    ok = alice.post(
        url, {"datapoint": "working_time.overtime_hours_month_max", "value": "2640", "unit": "min"}
    )
    assert ok.status_code == 302
    assert Answer.objects.get(datapoint="working_time.overtime_hours_month_max").value == 44.0
    bad = alice.post(url, {"datapoint": "working_time.overtime_hours_month_max", "value": "nhiều"})
    html = bad.content.decode()
    assert bad.status_code == 400 and "cần một số, nhưng nhận được &#x27;nhiều&#x27;" in html
    assert html.index('role="alert"') > html.index('id="working_time.overtime_hours_month_max"')
    wrong_unit = alice.post(
        url, {"datapoint": "working_time.overtime_hours_month_max", "value": "3", "unit": "kg"}
    )
    assert wrong_unit.status_code == 400
    assert Answer.objects.get(datapoint="working_time.overtime_hours_month_max").value == 44.0


def test_every_form_input_is_handled_without_a_server_error(alice: Client, assessment: Assessment) -> None:
    url = f"/assessments/{assessment.pk}/answer"
    for data in (
        {},
        {"datapoint": "nope"},
        {"datapoint": "facility.sector", "value": "<script>"},
        {"datapoint": "facility.processes", "multi": "1", "value": ["sewing", "welding"]},
        {"datapoint": "fire_safety.last_drill_date", "value": "31/02/2026"},
        {"datapoint": "facility.workers_total", "value": "1e400"},
    ):
        assert alice.post(url, data).status_code in (302, 400)
    assert (
        alice.post(f"/facilities/{assessment.facility_id}/assessments/new", {"start": "x"}).status_code == 400
    )


def test_the_questionnaire_page_is_small_and_grouped_by_topic(alice: Client, assessment: Assessment) -> None:
    page = alice.get(f"/assessments/{assessment.pk}/?topic=working_time")
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 300_000
    assert "Thời giờ làm việc" in html and 'id="working_time.overtime_hours_month_max"' in html
    assert "wastewater.cod_mg_l" not in html  # another topic, another page


def test_submit_then_results_list_findings_in_the_users_language(
    alice: Client, cast: dict[str, Any], assessment: Assessment
) -> None:
    url = f"/assessments/{assessment.pk}/answer"
    for dp, value in (
        ("facility.sector", "garment"),
        ("facility.minimum_wage_region", "1"),
        ("wages.lowest_base_wage_month_vnd", "5000000"),
    ):
        assert alice.post(url, {"datapoint": dp, "value": value}).status_code == 302
    assert alice.post(f"/assessments/{assessment.pk}/submit", {"confirm": "1"}).status_code == 302
    assert Assessment.objects.get().status == Assessment.Status.SUBMITTED
    results = alice.get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert "Mức lương tháng thấp nhất" in results and "5.000.000 đ/tháng" in results
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert "VND 5,000,000/month" in english.get(f"/assessments/{assessment.pk}/results/").content.decode()


def test_the_verifier_confirms_corrects_and_completes_in_the_page(
    alice: Client, cast: dict[str, Any], assessment: Assessment
) -> None:
    url = f"/assessments/{assessment.pk}/"
    alice.post(url + "answer", {"datapoint": "working_time.overtime_hours_month_max", "value": "44"})
    alice.post(url + "answer", {"datapoint": "fire_safety.evacuation_drills_year", "value": "2"})
    alice.post(url + "submit", {"confirm": "1"})
    victor = Client(HTTP_ACCEPT_LANGUAGE="en")
    victor.post("/accounts/login/", {"username": "victor", "password": PASSWORD})
    page = victor.get(url + "?topic=working_time").content.decode()
    assert "Corrected value (if wrong)" in page and "Complete verification" in page
    assert victor.post(url + "complete").status_code == 302
    assert Assessment.objects.get().status == Assessment.Status.SUBMITTED  # answers still pending
    victor.post(
        url + "verify",
        {
            "datapoint": "working_time.overtime_hours_month_max",
            "method": "worker_interview",
            "corrected": "52",
            "note": "time cards",
        },
    )
    victor.post(
        url + "verify", {"datapoint": "fire_safety.evacuation_drills_year", "method": "document_review"}
    )
    assert (
        victor.post(
            url + "verify", {"datapoint": "fire_safety.evacuation_drills_year", "method": "x"}
        ).status_code
        == 302
    )
    assert Answer.objects.get(datapoint="working_time.overtime_hours_month_max").value == 52.0
    victor.post(url + "complete")
    assert Assessment.objects.get().status == Assessment.Status.VERIFIED
    assert (
        alice.post(
            url + "answer", {"datapoint": "fire_safety.evacuation_drills_year", "value": "3"}
        ).status_code
        == 302
    )
    assert Answer.objects.get(datapoint="fire_safety.evacuation_drills_year").value == 2
    assert "Verify" not in Client().get(url).content.decode()


def test_each_framework_lists_every_requirement_with_the_facts_behind_it(
    alice: Client, assessment: Assessment
) -> None:
    alice.post(
        f"/assessments/{assessment.pk}/answer",
        {"datapoint": "working_time.overtime_hours_month_max", "value": "44"},
    )
    page = alice.get(f"/assessments/{assessment.pk}/results/vn-labour-code-2019/")
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 300_000
    assert html.count('class="card"><span class="badge') >= 80  # every requirement of the Labour Code
    assert "Số giờ làm thêm nhiều nhất trong một tháng: 44 giờ" in html and "not_met" in html
    index = alice.get(f"/assessments/{assessment.pk}/results/env-improvement-levels/")
    assert index.status_code == 404  # not one of this facility's frameworks
    assert alice.get(f"/assessments/{assessment.pk}/results/sa8000/").status_code == 200


def test_a_new_facility_gets_its_region_and_bad_fields_are_named(alice: Client, cast: dict[str, Any]) -> None:
    from commonground.facilities.models import Facility

    form = {
        "name": "Hoan Kiem Atelier",
        "name_vi": "Xưởng Hoàn Kiếm",
        "province": "Thành phố Hà Nội",
        "locality": "phường Hoàn Kiếm",
        "sector": "garment",
        "processes": ["cutting", "sewing"],
        "workers": "120",
    }
    response = alice.post("/facilities/new", form)
    created = Facility.objects.get(name="Hoan Kiem Atelier")
    assert response["Location"] == f"/facilities/{created.pk}/"
    assert (created.minimum_wage_region, created.processes, created.owner) == (
        "1",
        ["cutting", "sewing"],
        cast["facility"].owner,
    )
    bad = alice.post("/facilities/new", {**form, "workers": "nhiều", "sector": "shipyard", "name": ""})
    html = bad.content.decode()
    assert bad.status_code == 400 and html.count('role="alert"') == 3 and "Trường này là bắt buộc" in html
    assert Facility.objects.count() == 2
    assert Client().get("/facilities/new").status_code == 302
    charlie = Client()
    charlie.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert charlie.get(f"/facilities/{created.pk}/edit").status_code == 404  # bob only views


def test_findings_name_the_buyers_concerned_and_the_verifier_is_chosen_in_the_page(
    alice: Client, cast: dict[str, Any], assessment: Assessment
) -> None:
    from commonground.accounts.models import Organisation

    other = Organisation.objects.create(name="Bien Hoa Audits", kind=Organisation.Kind.VERIFIER_BODY)
    url = f"/assessments/{assessment.pk}/"
    alice.post(url + "verifier", {"verifier": str(other.pk)})
    assert Assessment.objects.get().verifier == other
    assert alice.post(url + "verifier", {"verifier": str(cast["buyer"].pk)}).status_code == 302
    assert Assessment.objects.get().verifier == other  # a buyer is not a verifier body
    alice.post(url + "answer", {"datapoint": "working_time.overtime_hours_week_max", "value": "22"})
    alice.post(
        url + "answer",
        {"datapoint": "working_time.overtime_hours_week_max", "value": "20", "reason": "payroll re-checked"},
    )
    from commonground.assessments.models import AnswerChange

    assert AnswerChange.objects.last().reason == "payroll re-checked"  # type: ignore[union-attr]
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    html = english.get(url + "results/").content.decode()
    assert "Buyers concerned: Bao Brand" in html  # SA8000 caps weekly overtime at 12 h; Bao requires SA8000
