"""The verifier's correction reads numbers as the reader writes them, like the factory's form: on the
verification page and in the per-answer form of the answer page; a malformed number gets its message
beside the field with the typed value kept; the API stays locale-neutral."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client

from commonground.accounts.tokens import create_token
from commonground.assessments import services
from commonground.assessments.models import Answer, Assessment
from tests.web.conftest import client_for

WAGE = "wages.lowest_base_wage_month_vnd"
OVERTIME = "working_time.overtime_hours_month_max"


@pytest.fixture
def submitted(cast: dict[str, Any], assessment: Assessment) -> Assessment:
    for dp, value in ((WAGE, 4_800_000), (OVERTIME, 44)):
        services.save_answer(assessment.pk, dp, value, user=cast["alice"])
    services.submit_assessment(assessment.pk, user=cast["alice"])
    return assessment


def _value(assessment: Assessment, dp: str) -> Any:
    return Answer.objects.get(assessment=assessment, datapoint=dp).value


@pytest.mark.parametrize(
    ("lang", "dp", "typed", "stored"),
    [
        ("vi", WAGE, "5.200.000", 5_200_000),
        ("vi", WAGE, "5 200 000 đồng", 5_200_000),
        ("vi", OVERTIME, "1,5", 1.5),
        ("en", WAGE, "5,200,000", 5_200_000),
        ("en", OVERTIME, "1.5", 1.5),
    ],
)
def test_the_verification_page_reads_a_correction_in_the_readers_language(
    cast: dict[str, Any], submitted: Assessment, lang: str, dp: str, typed: str, stored: float
) -> None:
    client = client_for("victor", lang)
    url = f"/assessments/{submitted.pk}/verification/correct"
    response = client.post(url, {"datapoint": dp, "value": typed, "method": "document_review"})
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=submitted, datapoint=dp)
    assert (answer.value, answer.verification) == (stored, "corrected")


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("vi", "5,200,000", "hãy viết 5.200.000"),
        ("en", "5.200.000", "write 5,200,000"),
        ("en", "x" * 100_000, "at most 64 characters"),
        ("vi", "1e300", "nằm ngoài khoảng cho phép"),
        ("en", "12 parsecs", "parsecs"),
    ],
)
def test_a_malformed_correction_gets_its_message_beside_the_field(
    cast: dict[str, Any], submitted: Assessment, lang: str, typed: str, message: str
) -> None:
    client = client_for("victor", lang)
    url = f"/assessments/{submitted.pk}/verification/correct"
    response = client.post(
        url, {"datapoint": WAGE, "value": typed, "unit": "đồng/tháng", "method": "document_review"}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    alert = re.search(rf'<p class="error" role="alert" id="e-{re.escape(WAGE)}">([^<]*)<', page)
    assert alert is not None and message in alert.group(1) and len(alert.group(1)) < 400
    field = re.search(rf'<input type="text" name="value" id="c-{re.escape(WAGE)}"[^>]*>', page)
    assert field is not None and 'aria-invalid="true"' in field.group(0)
    if len(typed) < 100:
        assert f'value="{typed}"' in field.group(0)  # what was typed is kept
    assert _value(submitted, WAGE) == 4_800_000


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [("vi", "5.200.000", 5_200_000), ("vi", "1,5", 1.5), ("en", "5,200,000", 5_200_000), ("en", "1.5", 1.5)],
)
def test_the_answer_pages_verify_form_reads_the_readers_language(
    cast: dict[str, Any], submitted: Assessment, lang: str, typed: str, stored: float
) -> None:
    dp = OVERTIME if stored < 100 else WAGE
    client = client_for("victor", lang)
    response = client.post(
        f"/assessments/{submitted.pk}/verify", {"datapoint": dp, "corrected": typed, "method": "observation"}
    )
    assert response.status_code == 302
    assert _value(submitted, dp) == stored


@pytest.mark.parametrize(("lang", "typed"), [("vi", "5,200,000"), ("en", "5.200.000")])
def test_the_answer_pages_verify_form_refuses_beside_the_corrected_field(
    cast: dict[str, Any], submitted: Assessment, lang: str, typed: str
) -> None:
    client = client_for("victor", lang)
    response = client.post(
        f"/assessments/{submitted.pk}/verify",
        {"datapoint": WAGE, "corrected": typed, "method": "observation"},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    found = re.search(
        rf'<p class="error" role="alert" id="ce-{re.escape(WAGE)}">([^<]*)</p>(<input[^>]*>)', page
    )
    assert found is not None and ("5.200.000" if lang == "vi" else "5,200,000") in found.group(1)
    assert f'value="{typed}"' in found.group(2) and 'aria-invalid="true"' in found.group(2)
    assert _value(submitted, WAGE) == 4_800_000


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_api_reads_a_correction_the_same_in_every_language(
    cast: dict[str, Any], submitted: Assessment, lang: str
) -> None:
    token = create_token(cast["victor"], name="t", can_write=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": lang}
    url = f"/api/assessments/{submitted.pk}/verification/correct"

    def correct(value: str) -> int:
        body = json.dumps({"datapoint": WAGE, "value": value, "method": "document_review"})
        return int(Client().post(url, body, content_type="application/json", **headers).status_code)

    assert correct("5,200,000") == 200 and _value(submitted, WAGE) == 5_200_000
    assert correct("5.300.000") == 422 and _value(submitted, WAGE) == 5_200_000
