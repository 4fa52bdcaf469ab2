"""The API: OpenAPI and local docs, tokens (hashed, read-only or read-write, revocable), the same
permissions as the pages (404 for outsiders), errors as JSON in the language asked for."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from commonground.accounts.models import ApiToken
from commonground.accounts.tokens import create_token, revoke_token
from commonground.assessments.models import Answer, Assessment


def bearer(token: str, lang: str = "en") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": lang}


def test_openapi_and_docs_are_served_locally(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert (
        schema["openapi"].startswith("3.") and "/api/assessments/{assessment_id}/results" in schema["paths"]
    )
    docs = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_tokens_are_hashed_scoped_and_revocable(cast: dict[str, Any], assessment: Assessment) -> None:
    read = create_token(cast["alice"], name="reporting")
    write = create_token(cast["alice"], name="sync", can_write=True)
    assert not ApiToken.objects.filter(token_hash=read).exists()  # only the hash is kept
    client = Client(enforce_csrf_checks=True)  # as a program calls: no CSRF token, so none is excused
    assert client.get("/api/facilities", **bearer(read)).json()["items"][0]["name"] == "Song Hong Factory 1"
    url = f"/api/assessments/{assessment.pk}/answers/working_time.overtime_hours_month_max"
    body = json.dumps({"value": 2640, "unit": "min"})
    refused = client.put(url, body, content_type="application/json", **bearer(read))
    assert refused.status_code == 403 and refused.json()["code"] == "read_only"
    saved = client.put(url, body, content_type="application/json", **bearer(write))
    assert saved.status_code == 200 and saved.json()["value"] == 44.0
    revoke_token(ApiToken.objects.get(name="sync").pk, user=cast["alice"])
    assert client.put(url, body, content_type="application/json", **bearer(write)).status_code == 401
    assert client.get("/api/facilities", **bearer("cg_nonsense")).status_code == 401


def test_outsiders_get_404_as_json_in_their_language(cast: dict[str, Any], assessment: Assessment) -> None:
    token = create_token(cast["charlie"], name="x", can_write=True)
    client = Client()
    for url in (
        f"/api/facilities/{cast['facility'].pk}",
        f"/api/assessments/{assessment.pk}",
        f"/api/assessments/{assessment.pk}/answers",
        f"/api/assessments/{assessment.pk}/results",
        f"/api/facilities/{cast['facility'].pk}/grants",
        f"/api/facilities/{cast['facility'].pk}/access-log",
    ):
        response = client.get(url, **bearer(token, "vi"))
        assert response.status_code == 404 and response.json() == {
            "code": "not_found",
            "message": "không tìm thấy",
        }
    assert client.get("/api/facilities", **bearer(token)).json()["count"] == 0


def test_bad_answers_are_refused_with_the_problem_code(cast: dict[str, Any], assessment: Assessment) -> None:
    token = create_token(cast["alice"], name="sync", can_write=True)
    url = f"/api/assessments/{assessment.pk}/answers/working_time.overtime_hours_month_max"
    response = Client().put(
        url, json.dumps({"value": "many"}), content_type="application/json", **bearer(token, "vi")
    )
    assert response.status_code == 422
    assert response.json()["code"] == "wrong_type" and "cần một số" in response.json()["message"]
    assert not Answer.objects.exists()
    assessment.status = Assessment.Status.VERIFIED
    assessment.save()
    locked = Client().put(url, json.dumps({"value": 3}), content_type="application/json", **bearer(token))
    assert locked.status_code == 409 and locked.json()["code"] == "locked"


def test_results_and_findings_match_the_engine(cast: dict[str, Any], assessment: Assessment) -> None:
    token = create_token(cast["bob"], name="read")
    Answer.objects.create(
        assessment=assessment, datapoint="working_time.overtime_hours_month_max", value=48.0
    )
    results = Client().get(f"/api/assessments/{assessment.pk}/results", **bearer(token)).json()
    assert {f["id"] for f in results["frameworks"]} == {
        "vn-labour-code-2019",
        "vn-osh-2015",
        "vn-environment-2020",
        "sa8000",
    }
    findings = Client().get(f"/api/assessments/{assessment.pk}/findings", **bearer(token)).json()
    assert findings[0]["datapoint"] == "working_time.overtime_hours_month_max"
    answers = (
        Client().get(f"/api/assessments/{assessment.pk}/answers?topic=working_time", **bearer(token)).json()
    )
    assert answers["count"] == 1


def test_session_users_may_read_but_must_send_the_csrf_token_to_write(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["alice"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/api/assessments/{assessment.pk}").json()["status"] == "draft"
    url = f"/api/assessments/{assessment.pk}/answers/facility.workers_total"
    assert client.put(url, json.dumps({"value": 5}), content_type="application/json").status_code in (
        401,
        403,
    )


def test_a_nul_character_in_a_filter_is_refused_not_a_server_error(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    token = create_token(cast["alice"], name="x")
    f = cast["facility"].pk
    for url in (
        "/api/facilities?sector=a%00b",
        f"/api/facilities/{f}/access-log?channel=a%00b",
        f"/api/facilities/{f}/assessments?status=a%00b",
    ):
        response = Client().get(url, **bearer(token, "vi"))  # refused on SQLite too, before any query
        assert response.status_code == 422 and response.json()["code"] == "invalid", url
        assert response.json()["message"].startswith("yêu cầu không hợp lệ")
