"""Sharing through the API: a buyer requests, the facility narrows and approves, the buyer reads
what the grant shows (logged on the channel "api"), the facility revokes and access stops at once."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonground.accounts.models import Membership
from commonground.accounts.tokens import create_token
from commonground.assessments.evidence import attach_evidence
from commonground.assessments.models import Assessment
from commonground.assessments.services import save_answer
from commonground.sharing.models import AccessLogEntry, Grant
from tests.web.conftest import member
from tests.web.test_api import bearer


@pytest.fixture
def world(cast: dict[str, Any], assessment: Assessment, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.EVIDENCE_ROOT = tmp_path
    for datapoint, value in (
        ("working_time.overtime_hours_month_max", 52),
        ("wastewater.cod_mg_l", 120),
        ("grievance.case_details", "Ms X, harassment by line chief"),
    ):
        save_answer(assessment.pk, datapoint, value, user=cast["alice"])
    for datapoint in ("working_time.overtime_hours_month_max", "wastewater.cod_mg_l", ""):
        attach_evidence(
            assessment.pk, io.BytesIO(b"%PDF-1 x"), name=f"{datapoint or 'general'}.pdf", size=8,
            user=cast["alice"], datapoint=datapoint,
        )  # fmt: skip
    bao = member("bao", cast["buyer"], Membership.Role.EDITOR)
    return {
        **cast,
        "bao": create_token(bao, name="sourcing", can_write=True),
        "alice_token": create_token(cast["alice"], name="compliance", can_write=True),
        "charlie_token": create_token(cast["charlie"], name="x", can_write=True),
    }


def _post(url: str, token: str, body: dict[str, Any] | None = None, lang: str = "en") -> Any:
    return Client().post(url, json.dumps(body or {}), content_type="application/json", **bearer(token, lang))


def _get(url: str, token: str, lang: str = "en") -> Any:
    return Client().get(url, **bearer(token, lang))


def _terms(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    expires = (timezone.now() + dt.timedelta(days=90)).isoformat()
    terms = {
        "grantee_id": world["buyer"].pk,
        "scope": "both",
        "content": "answers",
        "purpose": "due diligence",
    }
    return {**terms, "expires_at": expires, **overrides}


def test_request_narrow_read_logged_then_revoke(world: dict[str, Any]) -> None:
    f = world["facility"].pk
    asked = _post(f"/api/facilities/{f}/grant-requests", world["bao"], _terms(world))
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    assert _get(f"/api/shared/{f}", world["bao"]).status_code == 404  # a request is not consent
    grant_id = asked.json()["id"]
    approved = _post(
        f"/api/grants/{grant_id}/decision", world["alice_token"], {"approve": True, "scope": "social"}
    )
    assert approved.status_code == 200 and approved.json()["scope"] == "social"
    assert [s["facility_id"] for s in _get("/api/shared", world["bao"]).json()["items"]] == [f]
    shared = _get(f"/api/shared/{f}", world["bao"]).json()
    facts = {a["datapoint"] for a in shared["answers"]}
    assert "working_time.overtime_hours_month_max" in facts
    assert "wastewater.cod_mg_l" not in facts  # environment was narrowed away
    assert "grievance.case_details" not in facts  # sensitive, and the grant does not name it
    assert [e["original_name"] for e in shared["evidence"]] == ["working_time.overtime_hours_month_max.pdf"]
    assert {x["datapoint"] for x in shared["findings"]} <= facts | {"facility.sector"}
    assert "vn-labour-code-2019" in {fw["id"] for fw in shared["frameworks"]}
    log = _get(f"/api/facilities/{f}/access-log?channel=api", world["alice_token"]).json()["items"]
    assert len(log) == 1 and log[0]["grant_id"] == grant_id and log[0]["organisation_id"] == world["buyer"].pk
    assert log[0]["what"].startswith("results ") and log[0]["description"].endswith("(API)")
    vi = _get(f"/api/facilities/{f}/access-log", world["alice_token"], "vi").json()["items"][0]
    assert vi["what"] == log[0]["what"]  # as recorded
    by_org = f"/api/facilities/{f}/access-log?organisation_id="
    assert len(_get(by_org + str(world["buyer"].pk), world["alice_token"]).json()["items"]) == 1
    assert _get(by_org + str(world["buyer"].pk + 999), world["alice_token"]).json()["items"] == []
    assert vi["description"] == f"kết quả {log[0]['what'].removeprefix('results ')} (API)"
    revoked = _post(f"/api/grants/{grant_id}/revoke", world["alice_token"])
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert _get(f"/api/shared/{f}", world["bao"]).status_code == 404  # at once
    assert _get("/api/shared", world["bao"]).json()["items"] == []
    assert _get("/api/grants?status=revoked", world["bao"]).json()["items"][0]["id"] == grant_id


def test_evidence_is_shared_only_with_answers_and_each_download_is_logged(world: dict[str, Any]) -> None:
    f = world["facility"].pk
    given = _post(f"/api/facilities/{f}/grants", world["alice_token"], _terms(world, content="results"))
    assert given.status_code == 201 and given.json()["status"] == "active"
    shared = _get(f"/api/shared/{f}", world["bao"]).json()
    assert shared["answers"] == [] and shared["evidence"] == []
    any_evidence = world["facility"].assessments.get().evidence.first().pk
    assert _get(f"/api/shared/{f}/evidence/{any_evidence}", world["bao"]).status_code == 404
    Grant.objects.filter(pk=given.json()["id"]).update(content="answers", scope="environment")
    shared = _get(f"/api/shared/{f}", world["bao"]).json()
    [cod] = shared["evidence"]
    download = _get(f"/api/shared/{f}/evidence/{cod['id']}", world["bao"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1 x"
    assert AccessLogEntry.objects.filter(read__channel="api", what__startswith="evidence").count() == 1


def test_the_sensitive_facts_named_by_the_facility_are_shared(world: dict[str, Any]) -> None:
    f = world["facility"].pk
    terms = _terms(world, sensitive_datapoints=["grievance.case_details", "not.a.datapoint"])
    grant = _post(f"/api/facilities/{f}/grants", world["alice_token"], terms).json()
    assert grant["sensitive_datapoints"] == ["grievance.case_details"]
    facts = {a["datapoint"] for a in _get(f"/api/shared/{f}", world["bao"]).json()["answers"]}
    assert "grievance.case_details" in facts


def test_only_the_facility_manages_its_grants_and_errors_speak_vietnamese(world: dict[str, Any]) -> None:
    f = world["facility"].pk
    grant_id = _post(f"/api/facilities/{f}/grant-requests", world["bao"], _terms(world)).json()["id"]
    for token in (world["bao"], world["charlie_token"]):
        assert _post(f"/api/grants/{grant_id}/decision", token, {"approve": True}).status_code == 404
        assert _post(f"/api/grants/{grant_id}/revoke", token).status_code == 404
        assert _post(f"/api/facilities/{f}/grants", token, _terms(world)).status_code == 404
    widened = _post(
        f"/api/grants/{grant_id}/decision",
        world["alice_token"],
        {"approve": True, "content": "action_plan"},
        "vi",
    )
    assert widened.status_code == 422 and widened.json()["code"] == "invalid"
    assert widened.json()["message"].startswith("yêu cầu không hợp lệ")
    _post(f"/api/grants/{grant_id}/decision", world["alice_token"], {"approve": False})
    again = _post(f"/api/grants/{grant_id}/decision", world["alice_token"], {"approve": True})
    assert again.status_code == 422  # a declined request cannot be approved later
    past = _terms(world, expires_at="2020-01-01T00:00:00Z")
    assert _post(f"/api/facilities/{f}/grant-requests", world["bao"], past).status_code == 422
    to_a_factory = _terms(world, grantee_id=world["facility"].owner_id)
    assert _post(f"/api/facilities/{f}/grants", world["alice_token"], to_a_factory).status_code == 422
    assert _post("/api/facilities/999999/grant-requests", world["bao"], _terms(world)).status_code == 404


def test_the_facility_lists_uploads_and_downloads_its_evidence(world: dict[str, Any]) -> None:
    a = world["facility"].assessments.get().pk
    listed = _get(f"/api/assessments/{a}/evidence", world["alice_token"]).json()["items"]
    assert len(listed) == 3
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\nrest")
    upload.name = "drill.png"
    client = Client()
    made = client.post(
        f"/api/assessments/{a}/evidence",
        {"file": upload, "datapoint": "fire_safety.evacuation_drills_year"},
        **bearer(world["alice_token"]),
    )
    assert made.status_code == 201 and made.json()["content_type"] == "image/png"
    fake = io.BytesIO(b"<html>not a pdf</html>")
    fake.name = "report.pdf"
    refused = client.post(
        f"/api/assessments/{a}/evidence", {"file": fake}, **bearer(world["alice_token"], "vi")
    )
    assert refused.status_code == 422 and refused.json()["code"] == "content_mismatch"
    assert "không khớp" in refused.json()["message"]
    assert len(_get(f"/api/assessments/{a}/evidence", world["alice_token"]).json()["items"]) == 4
    got = _get(f"/api/evidence/{made.json()['id']}/download", world["alice_token"])
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"\x89PNG")
    assert _get(f"/api/evidence/{made.json()['id']}/download", world["charlie_token"]).status_code == 404


def test_the_grantee_page_lists_shared_evidence_and_downloads_it_logged(world: dict[str, Any]) -> None:
    from tests.web.conftest import client_for

    f = world["facility"].pk
    _post(f"/api/facilities/{f}/grants", world["alice_token"], _terms(world, scope="environment"))
    page = client_for("bao", "vi").get(f"/shared/{f}/").content.decode()
    assert "Bằng chứng" in page and "wastewater.cod_mg_l.pdf" in page and "general.pdf" not in page
    cod = world["facility"].assessments.get().evidence.get(datapoint="wastewater.cod_mg_l")
    response = client_for("bao").get(f"/shared/{f}/evidence/{cod.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1 x"
    assert AccessLogEntry.objects.filter(read__channel="page", what__startswith="evidence").count() == 1
