"""Numbers in the reader's language on the answer page: on the seeded demo, every numeric answer
shows in the reader's convention and saves back unchanged, in Vietnamese and English; hostile text
gets a message beside the field, never a 500; the API reads a string the same in every language."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from commonground.accounts.library import library
from commonground.accounts.tokens import create_token
from commonground.assessments.models import Answer, AnswerChange, Assessment
from commonground.core.numbers import format_number
from commonground.facilities import access as facility_access
from commonground.facilities.models import Facility
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.conftest import seeded_once
from tests.web.conftest import client_for

WAGE = "wages.lowest_base_wage_month_vnd"
OVERTIME = "working_time.overtime_hours_month_max"
_INPUT = re.compile(r'<input type="text" inputmode="decimal"[^>]*\bid="v-([a-z0-9_.]+)" value="([^"]*)"')


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    """The demo seeded once for this module (tests/conftest.py seeded_once): factory.editor's draft."""

    def seed() -> int:
        seed_demo(facilities=24)  # the first size at which factory.editor has a draft
        editor = User.objects.get(username="factory.editor")
        found = Assessment.objects.filter(
            status=Assessment.Status.DRAFT, facility__in=facility_access.facilities_for(editor, write=True)
        ).first()
        assert found is not None
        return found.pk

    with seeded_once(django_db_blocker, seed) as draft_id:
        yield draft_id


@pytest.fixture
def draft(_demo: int, db: None) -> Assessment:
    """factory.editor's draft assessment on the seeded demo (read afresh for each test)."""
    return Assessment.objects.get(pk=_demo)


def _shown(client: Client, assessment: Assessment, topic: str) -> dict[str, str]:
    page = client.get(f"/assessments/{assessment.pk}/?topic={topic}")
    assert page.status_code == 200
    return {dp: html.unescape(value) for dp, value in _INPUT.findall(page.content.decode())}


def _numeric_answers(assessment: Assessment) -> dict[str, Any]:
    datapoints = library().datapoints
    return {
        a.datapoint: a.value
        for a in Answer.objects.filter(assessment=assessment)
        if a.datapoint in datapoints and datapoints[a.datapoint].numeric
    }


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_saving_the_demo_answers_unchanged_changes_no_value(draft: Assessment, lang: str) -> None:
    client = client_for("factory.editor", lang, PASSWORD)
    before = _numeric_answers(draft)
    changes = AnswerChange.objects.filter(assessment=draft).count()
    saved = 0
    for topic in sorted({dp.split(".", 1)[0] for dp in before}):
        for dp, shown in _shown(client, draft, topic).items():
            if dp not in before:
                continue
            assert shown == format_number(before[dp], lang)  # 5.310.000, never 5310000,0
            response = client.post(f"/assessments/{draft.pk}/answer", {"datapoint": dp, "value": shown})
            assert response.status_code == 302, (dp, shown, response.content.decode()[-3000:])
            saved += 1
    assert saved >= 20 and _numeric_answers(draft) == before
    assert AnswerChange.objects.filter(assessment=draft).count() == changes


def test_the_wage_shows_grouped_in_each_language(draft: Assessment) -> None:
    wage = Answer.objects.get(assessment=draft, datapoint=WAGE).value
    assert wage >= 1_000_000
    vi = _shown(client_for("factory.editor", "vi", PASSWORD), draft, "wages")[WAGE]
    en = _shown(client_for("factory.editor", "en", PASSWORD), draft, "wages")[WAGE]
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", vi) and re.fullmatch(r"\d{1,3}(,\d{3})+", en)
    page = (
        client_for("factory.editor", "vi", PASSWORD)
        .get(f"/assessments/{draft.pk}/?topic=wages")
        .content.decode()
    )
    assert "(đồng/tháng)" in page and 'inputmode="decimal"' in page and 'type="number"' not in page


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [
        ("vi", "5.200.000", 5_200_000),
        ("vi", "5 200 000", 5_200_000),
        ("vi", "5\u00a0200\u202f000", 5_200_000),
        ("vi", "5.200.000 đ", 5_200_000),
        ("vi", "5.200.000 đồng/tháng", 5_200_000),
        ("en", "5,200,000", 5_200_000),
        ("en", "5 200 000", 5_200_000),
        ("en", "VND 5,200,000", 5_200_000),
    ],
)
def test_the_wage_is_read_as_the_reader_writes_it(
    draft: Assessment, lang: str, typed: str, stored: float
) -> None:
    client = client_for("factory.editor", lang, PASSWORD)
    response = client.post(f"/assessments/{draft.pk}/answer", {"datapoint": WAGE, "value": typed})
    assert response.status_code == 302
    assert Answer.objects.get(assessment=draft, datapoint=WAGE).value == stored


def test_overtime_in_hours_or_minutes_and_decimals_in_vietnamese(draft: Assessment) -> None:
    client = client_for("factory.editor", "vi", PASSWORD)
    url = f"/assessments/{draft.pk}/answer"
    for typed, unit, stored in (("44", "", 44), ("1,5", "", 1.5), ("2.640", "phút", 44), ("44 giờ", "", 44)):
        assert client.post(url, {"datapoint": OVERTIME, "value": typed, "unit": unit}).status_code == 302
        assert Answer.objects.get(assessment=draft, datapoint=OVERTIME).value == stored, typed


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("vi", "5,200,000", "hãy viết 5.200.000"),
        ("vi", "1.5", "hãy viết 1,5"),
        ("en", "5.200.000", "write 5,200,000"),
        ("en", "1,5", "write 1.5"),
        ("vi", "1e300", "1e300 nằm ngoài khoảng cho phép 0 – 500.000.000 đồng/tháng"),
        ("en", "1e300", "1e300 is outside the allowed range 0 – 500,000,000 VND/month"),
        ("vi", "1" * 10_000, "tối đa 64 ký tự"),
        ("en", "1e999999", "too large or too small"),
        ("vi", "nan", "cần một số"),
        ("en", "inf", "expected a number"),
        ("en", "-1", "-1 is outside the allowed range"),
        ("vi", "١٢٣", "chữ số 0–9"),
        ("en", "x" * 100_000, "at most 64 characters"),
    ],
)
def test_hostile_or_malformed_numbers_get_a_message_beside_the_field(
    draft: Assessment, lang: str, typed: str, message: str
) -> None:
    before = Answer.objects.get(assessment=draft, datapoint=WAGE).value
    client = client_for("factory.editor", lang, PASSWORD)
    response = client.post(f"/assessments/{draft.pk}/answer", {"datapoint": WAGE, "value": typed})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    alert = re.search(r'class="error" role="alert"[^>]*>([^<]*)<', page)
    assert alert is not None and message in alert.group(1) and len(alert.group(1)) < 400
    assert Answer.objects.get(assessment=draft, datapoint=WAGE).value == before


def test_minus_zero_is_stored_as_zero_and_nul_is_refused(draft: Assessment) -> None:
    client = client_for("factory.editor", "vi", PASSWORD)
    url = f"/assessments/{draft.pk}/answer"
    assert client.post(url, {"datapoint": OVERTIME, "value": "-0"}).status_code == 302
    assert json.dumps(Answer.objects.get(assessment=draft, datapoint=OVERTIME).value) == "0.0"
    assert client.post(url, {"datapoint": OVERTIME, "value": "4\x004"}).status_code == 400


# ---- the API stays locale-neutral --------------------------------------------------------------


def _put(token: str, url: str, value: Any, lang: str) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": lang}
    return Client().put(url, json.dumps({"value": value}), content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("value", "stored"),
    [(5_200_000, 5_200_000), ("5200000", 5_200_000), ("5,200,000.5", 5_200_000.5), ("1,500", 1500)],
)
def test_the_api_reads_a_value_the_same_in_every_language(
    cast: dict[str, Any], assessment: Assessment, value: Any, stored: float
) -> None:
    token = create_token(cast["alice"], name="sync", can_write=True)
    url = f"/api/assessments/{assessment.pk}/answers/{WAGE}"
    for lang in ("vi", "en"):
        _put(token, url, None, lang)
        response = _put(token, url, value, lang)
        assert response.status_code == 200 and response.json()["value"] == stored, lang
        assert isinstance(response.json()["value"], int | float)  # a JSON number, never localised text


@pytest.mark.parametrize("value", ["5.200.000", "1,5", "1e999999", "nan", "\u0661", "9" * 5000])
def test_the_api_refuses_the_same_strings_in_every_language(
    cast: dict[str, Any], assessment: Assessment, value: str
) -> None:
    token = create_token(cast["alice"], name="sync", can_write=True)
    url = f"/api/assessments/{assessment.pk}/answers/{WAGE}"
    codes = {lang: _put(token, url, value, lang) for lang in ("vi", "en")}
    assert {r.status_code for r in codes.values()} == {422}
    assert codes["vi"].json()["code"] == codes["en"].json()["code"]
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_the_change_history_shows_money_in_the_readers_format(draft: Assessment) -> None:
    client = client_for("factory.editor", "vi", PASSWORD)
    client.post(f"/assessments/{draft.pk}/answer", {"datapoint": WAGE, "value": "5.250.000"})
    page = client.get(f"/assessments/{draft.pk}/history/").content.decode()
    assert "<td>5.250.000 đ/tháng</td>" in page and "5250000,0" not in page
    english = client_for("factory.editor", "en", PASSWORD).get(f"/assessments/{draft.pk}/history/")
    assert "<td>VND 5,250,000/month</td>" in english.content.decode()


def test_a_list_or_an_object_for_a_number_is_refused_briefly(draft: Assessment) -> None:
    client = client_for("factory.editor", "en", PASSWORD)
    values = [str(i) for i in range(900)]
    response = client.post(
        f"/assessments/{draft.pk}/answer", {"datapoint": WAGE, "value": values, "multi": "1"}
    )
    alert = re.search(r'class="error" role="alert"[^>]*>([^<]*)<', html.unescape(response.content.decode()))
    assert response.status_code == 400 and alert is not None and len(alert.group(1)) < 200


@pytest.mark.parametrize("value", [[1, 2], {"amount": 5}, True, "1" * 10_000])
def test_the_api_refuses_other_shapes_without_a_server_error(
    cast: dict[str, Any], assessment: Assessment, value: Any
) -> None:
    token = create_token(cast["alice"], name="sync", can_write=True)
    response = _put(token, f"/api/assessments/{assessment.pk}/answers/{WAGE}", value, "vi")
    assert response.status_code == 422 and len(response.json()["message"]) < 200


# ---- other number fields of the web layer: the same rule (common/numberfields.NumberField) --------

FACILITY = {
    "name": "Hoan Kiem Atelier",
    "province": "Thành phố Hà Nội",
    "locality": "phường Hoàn Kiếm",
    "sector": "garment",
}


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [("vi", "1.200", 1200), ("vi", "1 200", 1200), ("en", "1,200", 1200), ("en", "1200", 1200)],
)
def test_the_facility_form_reads_workers_as_the_reader_writes_them(
    cast: dict[str, Any], lang: str, typed: str, stored: int
) -> None:
    client = client_for("alice", lang)
    response = client.post("/facilities/new", {**FACILITY, "workers": typed})
    assert response.status_code == 302
    facility = Facility.objects.get(name="Hoan Kiem Atelier")
    assert facility.workers == stored
    form = client.get(f"/facilities/{facility.pk}/edit").content.decode()
    shown = "1.200" if lang == "vi" else "1,200"
    assert f'name="workers" value="{shown}"' in form and 'inputmode="decimal"' in form


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("vi", "1.5", "hãy viết 1,5"),
        ("vi", "1,5", "cần một số nguyên"),
        ("en", "1e300", "1e300 is outside the allowed range 0 – 1,000,000"),
        ("en", "1" * 10_000, "at most 64 characters"),
        ("vi", "nhiều", "không phải là một số"),
    ],
)
def test_the_facility_form_refuses_malformed_workers_beside_the_field(
    cast: dict[str, Any], lang: str, typed: str, message: str
) -> None:
    response = client_for("alice", lang).post("/facilities/new", {**FACILITY, "workers": typed})
    assert response.status_code == 400 and message in html.unescape(response.content.decode())
    assert not Facility.objects.filter(name="Hoan Kiem Atelier").exists()
