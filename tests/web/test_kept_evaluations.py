"""Evaluations of verified assessments are kept until the library changes; others never are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from commonground.accounts.library import library
from commonground.accounts.models import Membership, Organisation
from commonground.accounts.services import upload_code
from commonground.assessments.models import Assessment
from commonground.assessments.services import evaluate_assessment
from commonground.web.demo.facilities import PASSWORD, seed_demo

CODE = (Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand" / "code.yaml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    seed_demo(facilities=8)
    owner = User.objects.get(username="factory.admin")
    mine = Assessment.objects.filter(created_by=owner)
    return {
        "owner": owner,
        "verified": mine.filter(status="verified").first(),
        "open": mine.exclude(status="verified").first(),
    }


def test_a_verified_assessment_is_evaluated_once(demo: dict[str, Any]) -> None:
    first = evaluate_assessment(demo["verified"].pk, user=demo["owner"])
    assert evaluate_assessment(demo["verified"].pk, user=demo["owner"]) is first
    draft = evaluate_assessment(demo["open"].pk, user=demo["owner"])
    again = evaluate_assessment(demo["open"].pk, user=demo["owner"])
    assert again is not draft and again.findings == draft.findings


def test_a_changed_buyer_code_gives_a_fresh_evaluation(demo: dict[str, Any]) -> None:
    buyer = Organisation.objects.get(name="Lotus Apparel")  # the demo factory's sites supply it
    boss = User.objects.create_user("lotus.admin", "boss@example.test", PASSWORD)
    Membership.objects.create(user=boss, organisation=buyer, role=Membership.Role.ADMIN)
    upload_code(buyer.pk, CODE, user=boss)
    before = evaluate_assessment(demo["verified"].pk, user=demo["owner"])
    upload_code(buyer.pk, CODE.replace('op: "<=", value: 36}', 'op: "<=", value: 400}', 1), user=boss)
    after = evaluate_assessment(demo["verified"].pk, user=demo["owner"])
    assert after is not before
    used = {fr.framework.id: fr.framework for fr in after.frameworks}
    assert used["my-brand-code"] is library().frameworks["my-brand-code"]
    assert (
        used["my-brand-code"]
        is not {fr.framework.id: fr.framework for fr in before.frameworks}["my-brand-code"]
    )


def test_a_renamed_facility_is_not_shown_under_its_old_name(demo: dict[str, Any]) -> None:
    before = evaluate_assessment(demo["verified"].pk, user=demo["owner"])
    facility = demo["verified"].facility
    facility.name = "Renamed Garment Co., Ltd."
    facility.save(update_fields=["name"])
    after = evaluate_assessment(demo["verified"].pk, user=demo["owner"])
    assert after.assessment.name == "Renamed Garment Co., Ltd." != before.assessment.name
