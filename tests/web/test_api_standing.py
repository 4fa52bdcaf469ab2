"""The API's results say what each rate stands on, by core.standing's one rule, beside the fields it
always had: `decided_rate` (decided of applicable requirements) and `enough_answers`."""

from __future__ import annotations

from typing import Any

from django.test import Client

from commonground.accounts.tokens import create_token
from commonground.assessments.models import Answer, Assessment
from commonground.core.scoring import Summary
from commonground.core.standing import ENOUGH
from tests.web.test_api import bearer

KEPT = {"total", "counts", "compliance_rate", "answered_rate", "score"}


def test_results_give_the_standing_beside_every_field_they_had(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    Answer.objects.create(assessment=assessment, datapoint="working_time.overtime_hours_month_max", value=48)
    token = create_token(cast["bob"], name="read")
    results = Client().get(f"/api/assessments/{assessment.pk}/results", **bearer(token, "vi")).json()
    assert results["frameworks"]
    for framework in results["frameworks"]:
        summary = framework["summary"]
        assert set(summary) >= KEPT  # nothing removed or renamed
        c = summary["counts"]
        applicable = c["met"] + c["not_met"] + c["unknown"]
        decided = (c["met"] + c["not_met"]) / applicable if applicable else None
        assert summary["decided_rate"] == decided
        assert summary["enough_answers"] is (decided is not None and decided >= ENOUGH)
    labour = next(f for f in results["frameworks"] if f["id"] == "vn-labour-code-2019")["summary"]
    assert labour["compliance_rate"] == 0.0 and labour["enough_answers"] is False  # one answer: 0 %, but said


def test_the_rule_is_core_standings_at_its_edges() -> None:
    def summary(met: int, not_met: int, unknown: int, na: int = 0) -> dict[str, Any]:
        counts = {"met": met, "not_met": not_met, "unknown": unknown, "not_applicable": na}
        return Summary(
            counts=counts, total=met + not_met + unknown + na, compliance_rate=None, answered_rate=None
        ).as_dict()

    assert summary(24, 3, 55)["enough_answers"] is False  # the "Labour Code 89 %"
    edge = summary(70, 10, 20, 5)
    assert (edge["decided_rate"], edge["enough_answers"]) == (0.8, True)
    below = summary(60, 19, 21)
    assert below["decided_rate"] == 0.79 and below["enough_answers"] is False
    nothing = summary(0, 0, 0, 7)
    assert (nothing["decided_rate"], nothing["enough_answers"]) == (None, False)


def test_shared_results_carry_the_standing_too(cast: dict[str, Any], assessment: Assessment) -> None:
    from commonground.accounts.models import Membership
    from tests.web.conftest import member, share_results

    Answer.objects.create(assessment=assessment, datapoint="working_time.overtime_hours_month_max", value=48)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.VERIFIED)
    share_results(cast["buyer"], [cast["facility"]])
    token = create_token(member("bea", cast["buyer"], Membership.Role.VIEWER), name="read")
    shared = Client().get(f"/api/shared/{cast['facility'].pk}", **bearer(token)).json()
    assert shared["frameworks"] and all(
        {"decided_rate", "enough_answers"} <= set(f) and set(f) >= KEPT for f in shared["frameworks"]
    )
