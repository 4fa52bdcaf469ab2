"""The improvement endpoints give the same figures as the pages, through the same services."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from commonground.accounts.tokens import create_token
from commonground.improvement.models import Training
from tests.improvement.conftest import make_peer, own_assessment


def _client(user: Any, *, write: bool = False, lang: str = "en") -> Client:
    token = create_token(user, name="test", can_write=write)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=lang)


def test_priorities_come_ranked_with_reasons_in_the_language_asked(cast: dict[str, Any]) -> None:
    own_assessment(cast, 60, **{"child_labour.youngest_worker_age": 14})
    rows = _client(cast["bob"], lang="vi").get(f"/api/facilities/{cast['facility'].pk}/priorities").json()
    assert rows[0]["rank"] == 1 and rows[0]["severity"] == "zero_tolerance"
    assert rows[0]["datapoint"] == "child_labour.youngest_worker_age"
    assert any("Vi phạm pháp luật Việt Nam" in reason for row in rows for reason in row["reasons"])


def test_levels_over_time_list_each_period_with_its_sections(cast: dict[str, Any]) -> None:
    own_assessment(cast, 60, year=2024)
    own_assessment(cast, 40, year=2025)
    body = _client(cast["alice"]).get(f"/api/facilities/{cast['facility'].pk}/levels").json()
    assert body["periods"] == ["2024", "2025"] and body["verified"] == [True, True]
    overtime = next(m for m in body["metrics"] if m["metric"] == "overtime_month_max")
    assert overtime["values"] == [60.0, 40.0]
    law = next(f for f in body["frameworks"] if f["framework"] == "vn-labour-code-2019")
    assert len(law["compliance_pct"]) == 2


def test_benchmarks_hide_positions_under_k_and_widen_on_request(cast: dict[str, Any]) -> None:
    own_assessment(cast, 30)
    for i in range(3):
        make_peer(f"Near {i}", 50)
        make_peer(f"Far {i}", 70, region="2")
    url = f"/api/facilities/{cast['facility'].pk}/benchmarks"
    narrow = _client(cast["bob"]).get(url).json()
    assert narrow["peers"] is None and narrow["k"] == 5
    assert all(m["percentile"] is None and m["median"] is None for m in narrow["metrics"])
    wide = _client(cast["bob"]).get(url + "?widen=region").json()
    overtime = next(m for m in wide["metrics"] if m["metric"] == "overtime_month_max")
    assert wide["widen"] == ["region"] and wide["peers"] == 6
    assert overtime["percentile"] == 100.0 and overtime["peers"] == 6 and overtime["median"] == 60.0


def test_an_unknown_peer_dimension_is_a_clear_error(cast: dict[str, Any]) -> None:
    response = _client(cast["bob"]).get(f"/api/facilities/{cast['facility'].pk}/benchmarks?widen=province")
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_trainings_are_recorded_and_listed(cast: dict[str, Any]) -> None:
    url = f"/api/facilities/{cast['facility'].pk}/trainings"
    payload = {
        "topic": "fire_safety",
        "title": "Drill leaders",
        "delivered_on": "2026-02-01",
        "women": 9,
        "men": 3,
    }
    created = _client(cast["alice"], write=True).post(
        url, json.dumps(payload), content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["women"] == 9
    listed = _client(cast["bob"]).get(url).json()
    assert [t["title"] for t in listed] == ["Drill leaders"]


def test_a_bad_training_is_refused_whole(cast: dict[str, Any]) -> None:
    url = f"/api/facilities/{cast['facility'].pk}/trainings"
    payload = {"topic": "nope", "title": "", "delivered_on": "2026-02-01", "women": 0, "men": 0}
    response = _client(cast["alice"], write=True, lang="vi").post(
        url, json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422
    assert "Hãy chọn một chủ đề trong danh sách." in response.json()["message"]
    assert not Training.objects.exists()
