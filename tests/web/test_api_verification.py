"""Verification through the API, exactly as the contract says: the worklist, confirm, correct,
complete (409 with the pending ids) and return; the factory's routes closed while submitted;
periods and drafts; hostile input refused in the one error shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commonground.accounts.tokens import create_token
from commonground.assessments import services
from commonground.assessments.models import Answer, Assessment

OVERTIME, DRILLS, WORKERS = (
    "working_time.overtime_hours_month_max",
    "fire_safety.evacuation_drills_year",
    "facility.workers_total",
)


class Api:
    """A client that speaks JSON with a read-write token."""

    def __init__(self, user: Any, lang: str = "en") -> None:
        self.client = Client()
        token = create_token(user, name="test", can_write=True)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": lang}

    def get(self, url: str) -> Any:
        return self.client.get(f"/api{url}", **self.headers)

    def post(self, url: str, body: Any = None) -> Any:
        data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
        return self.client.post(f"/api{url}", data, content_type="application/json", **self.headers)

    def put(self, url: str, body: Any) -> Any:
        return self.client.put(
            f"/api{url}", json.dumps(body), content_type="application/json", **self.headers
        )

    def delete(self, url: str) -> Any:
        return self.client.delete(f"/api{url}", **self.headers)


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def submitted(cast: dict[str, Any], assessment: Assessment) -> Assessment:
    for dp, value in ((OVERTIME, 44), (DRILLS, 2), (WORKERS, 800)):
        services.save_answer(assessment.pk, dp, value, user=cast["alice"])
    services.submit_assessment(assessment.pk, user=cast["alice"])
    return assessment


def _is_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert response.status_code == status, body
    assert isinstance(body["code"], str) and isinstance(body["message"], str) and body["message"]
    assert code is None or body["code"] == code, body
    return body


def test_the_worklist_items_have_exactly_the_contracts_shape(
    cast: dict[str, Any], submitted: Assessment
) -> None:
    api = Api(cast["victor"])
    page = api.get("/verification/assessments").json()
    assert page == {
        "items": [
            {
                "id": submitted.pk,
                "facility": {"id": cast["facility"].pk, "name": "Song Hong Factory 1"},
                "period": {"start": "2026-01-01", "end": "2026-12-31"},
                "status": "submitted",
                "pending": 3,
            }
        ],
        "count": 1,
    }
    assert api.get("/verification/assessments?status=verified").json() == {"items": [], "count": 0}
    assert api.get("/verification/assessments?status=submitted&limit=1&offset=1").json()["items"] == []
    assert (
        _is_error(api.get("/verification/assessments?status=draft"), 422, "status_unknown")["field"]
        == "status"
    )
    _is_error(api.get("/verification/assessments?limit=100000"), 422, "invalid")
    assert Api(cast["alice"]).get("/verification/assessments").json() == {"items": [], "count": 0}
    assert Api(cast["charlie"]).get("/verification/assessments").json()["count"] == 0


def test_confirm_correct_complete_as_the_contract_says(cast: dict[str, Any], submitted: Assessment) -> None:
    api, base = Api(cast["victor"]), f"/assessments/{submitted.pk}/verification"
    confirmed = api.post(f"{base}/confirm", {"datapoints": [DRILLS], "method": "observation", "note": "seen"})
    assert confirmed.status_code == 200 and confirmed.json() == {"confirmed": 1}
    corrected = api.post(
        f"{base}/correct", {"datapoint": OVERTIME, "value": 3120, "unit": "min", "method": "worker_interview"}
    )
    assert corrected.status_code == 200
    assert corrected.json() == {"datapoint": OVERTIME, "value": 52.0, "verification": "corrected"}
    answer = Answer.objects.get(datapoint=OVERTIME)
    assert (answer.reported_value, answer.value, answer.verified_by) == (44.0, 52.0, cast["victor"])
    refused = _is_error(api.post(f"{base}/complete"), 409, "pending")
    assert refused["pending"] == [WORKERS]
    assert api.get("/verification/assessments").json()["items"][0]["pending"] == 1
    assert api.post(f"{base}/confirm", {"datapoints": "all", "method": "document_review"}).json() == {
        "confirmed": 1
    }
    done = api.post(f"{base}/complete")
    assert done.status_code == 200
    assert done.json() == {
        "id": submitted.pk,
        "facility_id": cast["facility"].pk,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "status": "verified",
        "version": 1,
    }
    assert api.get("/verification/assessments?status=verified").json()["items"][0]["pending"] == 0
    _is_error(api.post(f"{base}/confirm", {"datapoints": "all", "method": "observation"}), 409, "locked")
    _is_error(api.post(f"{base}/complete"), 409, "locked")


def test_return_then_the_factory_corrects_and_submits_again(
    cast: dict[str, Any], submitted: Assessment
) -> None:
    victor, alice = Api(cast["victor"]), Api(cast["alice"])
    base = f"/assessments/{submitted.pk}/verification"
    answer_url = f"/assessments/{submitted.pk}/answers/{OVERTIME}"
    _is_error(alice.put(answer_url, {"value": 40}), 409, "locked")  # closed while submitted
    pdf = SimpleUploadedFile("cards.pdf", b"%PDF-1.7 cards", content_type="application/pdf")
    upload = alice.client.post(f"/api/assessments/{submitted.pk}/evidence", {"file": pdf}, **alice.headers)
    _is_error(upload, 409, "locked")
    victor.post(f"{base}/correct", {"datapoint": OVERTIME, "value": 50, "method": "document_review"})
    assert Answer.objects.get(datapoint=OVERTIME).reported_value == 44.0
    returned = victor.post(f"{base}/return", {"comment": "Overtime: attach the time cards"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert victor.get("/verification/assessments?status=returned").json()["count"] == 1
    assert alice.put(answer_url, {"value": 40}).status_code == 200
    assert Answer.objects.get(datapoint=OVERTIME).reported_value is None
    pdf = SimpleUploadedFile("cards.pdf", b"%PDF-1.7 cards", content_type="application/pdf")
    upload = alice.client.post(
        f"/api/assessments/{submitted.pk}/evidence", {"file": pdf, "datapoint": OVERTIME}, **alice.headers
    )
    assert upload.status_code == 201 and upload.json()["datapoint"] == OVERTIME
    _is_error(victor.post(f"{base}/confirm", {"datapoints": "all", "method": "observation"}), 409, "locked")
    services.submit_assessment(submitted.pk, user=cast["alice"])
    assert victor.post(f"{base}/confirm", {"datapoints": "all", "method": "document_review"}).json() == {
        "confirmed": 3
    }
    assert victor.post(f"{base}/complete").json()["status"] == "verified"
    pdf = SimpleUploadedFile("late.pdf", b"%PDF-1.7 late", content_type="application/pdf")
    late = alice.client.post(f"/api/assessments/{submitted.pk}/evidence", {"file": pdf}, **alice.headers)
    _is_error(late, 409, "locked")  # a verified assessment takes no evidence


def test_factory_users_and_outsiders_cannot_verify(cast: dict[str, Any], submitted: Assessment) -> None:
    base = f"/assessments/{submitted.pk}/verification"
    for name in ("alice", "bob", "charlie"):
        api = Api(cast[name])
        for url, body in (
            (f"{base}/confirm", {"datapoints": "all", "method": "observation"}),
            (f"{base}/correct", {"datapoint": DRILLS, "value": 1, "method": "observation"}),
            (f"{base}/complete", {}),
            (f"{base}/return", {"comment": "x"}),
        ):
            _is_error(api.post(url, body), 404, "not_found")
    assert set(Answer.objects.values_list("verification", flat=True)) == {"pending"}
    assert Assessment.objects.get().status == "submitted"


@pytest.mark.parametrize(
    ("url", "body", "status", "field"),
    [
        ("confirm", {"datapoints": ["no.such"], "method": "observation"}, 422, "datapoints"),
        ("confirm", {"datapoints": [], "method": "observation"}, 422, "datapoints"),
        (
            "confirm",
            {"datapoints": [f"a.b{i}" for i in range(40_000)], "method": "observation"},
            422,
            "datapoints",
        ),
        ("confirm", {"datapoints": "some", "method": "observation"}, 422, "datapoints"),
        ("confirm", {"datapoints": 5, "method": "observation"}, 422, "datapoints"),
        ("confirm", {"datapoints": "all", "method": "guessing"}, 422, "method"),
        ("confirm", {"datapoints": "all"}, 422, "method"),
        ("confirm", {"datapoints": "all", "method": "observation", "note": "x" * 2001}, 422, "note"),
        ("confirm", {"datapoints": "all", "method": "observation", "note": "a\u0000b"}, 422, "note"),
        ("confirm", {"datapoints": ["a\ud800"], "method": "observation"}, 422, "datapoints"),
        ("confirm", {"datapoints": "all", "method": "observation", "note": "\udfff"}, 422, "note"),
        ("correct", {"datapoint": "no.such", "value": 1, "method": "observation"}, 422, "no.such"),
        ("correct", {"datapoint": OVERTIME, "value": "many", "method": "observation"}, 422, OVERTIME),
        ("correct", {"datapoint": OVERTIME, "value": 1e300, "method": "observation"}, 422, OVERTIME),
        (
            "correct",
            {"datapoint": OVERTIME, "value": 40, "unit": "parsecs", "method": "observation"},
            422,
            OVERTIME,
        ),
        (
            "correct",
            {"datapoint": OVERTIME, "value": 40, "method": "observation", "note": "x" * 5000},
            422,
            "note",
        ),
        ("correct", {"value": 40, "method": "observation"}, 422, "datapoint"),
        ("return", {"comment": ""}, 422, "comment"),
        ("return", {"comment": "x" * 2001}, 422, "comment"),
        ("return", {"comment": "a\u0000"}, 422, "comment"),
        ("return", {}, 422, "comment"),
    ],
)
def test_hostile_input_gets_a_4xx_in_the_one_error_shape(
    cast: dict[str, Any], submitted: Assessment, url: str, body: Any, status: int, field: str
) -> None:
    api = Api(cast["victor"], "vi")
    raw = json.dumps(body)  # a lone surrogate travels as its JSON escape, as a hostile client sends it
    found = _is_error(api.post(f"/assessments/{submitted.pk}/verification/{url}", raw), status)
    assert found.get("field") == field, found
    assert set(Answer.objects.values_list("verification", flat=True)) == {"pending"}
    assert Assessment.objects.get().status == "submitted"


def test_a_body_that_is_not_json_is_refused_in_the_same_shape(
    cast: dict[str, Any], submitted: Assessment
) -> None:
    api = Api(cast["victor"])
    _is_error(api.post(f"/assessments/{submitted.pk}/verification/confirm", "{not json"), 400, "invalid")
    _is_error(api.post(f"/assessments/{submitted.pk}/verification/return", "[1, 2]"), 422)


def test_periods_and_drafts_through_the_api(cast: dict[str, Any], assessment: Assessment) -> None:
    alice, url = Api(cast["alice"], "vi"), f"/facilities/{cast['facility'].pk}/assessments"
    same = _is_error(alice.post(url, {"period_start": "2026-01-01", "period_end": "2026-12-31"}), 422)
    assert (same["code"], same["field"], same["message"]) == (
        "period_exists",
        "start",
        "Cơ sở này đã có bản đánh giá cho kỳ này.",
    )
    for start, end, code in (
        ("2025-06-01", "2025-01-01", "period_reversed"),
        ("2026-06-01", "2027-05-31", "period_in_future"),
        ("0001-01-01", "0001-12-31", "period_too_early"),
        ("2023-01-01", "2024-12-31", "period_too_long"),
    ):
        _is_error(alice.post(url, {"period_start": start, "period_end": end}), 422, code)
    _is_error(alice.post(url, {"period_start": "2025-02-30", "period_end": "2025-12-31"}), 422, "invalid")
    created = alice.post(url, {"period_start": "2025-01-01", "period_end": "2025-12-31"})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    new_id = created.json()["id"]
    _is_error(Api(cast["bob"]).delete(f"/assessments/{new_id}"), 404)
    assert alice.delete(f"/assessments/{new_id}").status_code == 204
    assert not Assessment.objects.filter(pk=new_id).exists()
    services.submit_assessment(assessment.pk, user=cast["alice"])
    _is_error(alice.delete(f"/assessments/{assessment.pk}"), 409, "locked")


def test_evidence_names_a_catalogue_data_point(cast: dict[str, Any], assessment: Assessment) -> None:
    alice = Api(cast["alice"])
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.7 a", content_type="application/pdf")
    refused = alice.client.post(
        f"/api/assessments/{assessment.pk}/evidence", {"file": pdf, "datapoint": "no.such"}, **alice.headers
    )
    assert _is_error(refused, 422, "datapoint_unknown")["field"] == "datapoint"
