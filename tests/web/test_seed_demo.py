"""The demo sector: enough facilities, buyers and years to try every page, with a login per role."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterator
from statistics import mean
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory

from commonground.accounts.library import library
from commonground.accounts.models import Membership, Organisation
from commonground.assessments import services
from commonground.assessments.evaluations import evaluate
from commonground.assessments.models import Answer, AnswerChange, Assessment
from commonground.core.catalogue import normalise
from commonground.facilities.models import Facility, RequiredFramework, SupplyLink
from commonground.web.demo import facilities as demo
from tests.conftest import seeded_once

URBAN = ("Thành phố Hồ Chí Minh", "Thành phố Hà Nội", "Thành phố Hải Phòng", "Tỉnh Đồng Nai")


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[demo.DemoSummary]:
    """The demo seeded once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, demo.seed_demo) as made:
        yield made


@pytest.fixture
def summary(_seeded: demo.DemoSummary, db: None) -> demo.DemoSummary:
    return _seeded


def test_the_demo_sector_has_facilities_buyers_and_a_login_per_role(summary: demo.DemoSummary) -> None:
    facilities = list(Facility.objects.all())
    assert len(facilities) == summary.facilities >= 60
    assert len({f.province for f in facilities}) == summary.provinces >= 5
    assert {f.sector for f in facilities} == {"garment", "footwear", "textile", "leather"}
    # the row shows the latest answer (decision 0025): up to 8 % above the site's 8,000
    assert all(50 <= f.workers <= 8700 and f.name.isascii() and f.name_vi for f in facilities)
    assert any(not f.name_vi.isascii() for f in facilities)  # Vietnamese names keep their diacritics
    urban = [f for f in facilities if f.province in URBAN]
    assert sum(f.minimum_wage_region == "1" for f in urban) >= 0.7 * len(urban)
    assert {f.minimum_wage_region for f in facilities} >= {"1", "2", "3"}

    per_facility = defaultdict(list)
    for a in Assessment.objects.all():
        per_facility[a.facility_id].append(a)
    assert len(per_facility) == len(facilities)
    for assessments in per_facility.values():
        years = sorted(a.period_end.year for a in assessments)
        assert years == [2023, 2024, 2025]
        by_year = {a.period_end.year: a for a in assessments}
        assert by_year[2023].status == by_year[2024].status == Assessment.Status.VERIFIED
        assert by_year[2025].status in (Assessment.Status.SUBMITTED, Assessment.Status.DRAFT)
        assert all(a.period_start.month == a.period_start.day == 1 for a in assessments)
    assert Assessment.objects.count() == summary.assessments
    assert Assessment.objects.filter(status=Assessment.Status.DRAFT).exists()

    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    buyers = Organisation.objects.filter(kind=Organisation.Kind.BUYER)
    assert {b.name for b in buyers} == {
        "Lotus Apparel",
        "Mekong Outdoor",
        "Saigon Shoes Intl",
        "Red River Retail",
    }
    sets = {
        b.name: frozenset(RequiredFramework.objects.filter(buyer=b).values_list("framework_id", flat=True))
        for b in buyers
    }
    assert len(set(sets.values())) == 4
    assert all(ids <= set(library().frameworks) for ids in sets.values())
    assert all(10 <= SupplyLink.objects.filter(buyer=b).count() <= 30 for b in buyers)
    assert SupplyLink.objects.count() == summary.supply_links

    request = RequestFactory().post("/accounts/login/")
    kinds = {}
    for login in summary.logins:
        user = authenticate(request, username=login.username, password=login.password)
        assert user is not None, login.username
        kinds[login.username] = Membership.objects.get(user=user).organisation.kind
    assert kinds == {
        "factory.admin": "factory_group",
        "factory.editor": "factory_group",
        "factory.viewer": "factory_group",
        "buyer": "buyer",
        "buyer.admin": "buyer",
        "verifier": "verifier_body",
        "authority": "authority",
        "cso": "cso",
    }
    assert all(login.password == "demo-password-2026" and login.role_vi for login in summary.logins)


def test_every_seeded_answer_is_a_valid_canonical_value_and_the_engine_judges_it(
    summary: demo.DemoSummary,
) -> None:
    datapoints = library().datapoints
    count = 0
    for answer in Answer.objects.all().iterator():
        assert services.to_json(normalise(datapoints[answer.datapoint], answer.value)) == answer.value
        if isinstance(answer.value, float):  # a value a person types: 2.8, not 2.8000000000000003
            assert float(f"{answer.value:.12g}") == answer.value, (answer.datapoint, answer.value)
        count += 1
    assert count == summary.answers >= 50 * summary.assessments
    assert not AnswerChange.objects.exists()  # seed data is nobody's change

    contract = (
        "facility.sector",
        "facility.minimum_wage_region",
        "facility.workers_total",
        "working_time.overtime_hours_month_max",
        "wages.lowest_base_wage_month_vnd",
        "fire_safety.evacuation_drills_year",
        "forced_labour.identity_documents_retained",
    )
    answered = Answer.objects.filter(datapoint__in=contract).values("assessment").distinct().count()
    assert answered == summary.assessments
    dyers = Answer.objects.filter(datapoint="wastewater.cod_mg_l").count()
    assert dyers >= 3 * 5

    admin = User.objects.get(username="factory.admin")
    assessment = Assessment.objects.filter(facility__owner__memberships__user=admin).first()
    assert assessment is not None
    evaluation = services.evaluate_assessment(assessment.pk, user=admin)
    assert evaluation.findings


def test_most_facilities_improve_and_wages_follow_the_decrees(summary: demo.DemoSummary) -> None:
    by_year: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    regions = dict(Facility.objects.values_list("pk", "minimum_wage_region"))
    floor_met: dict[int, list[bool]] = defaultdict(list)
    overtime_of: dict[int, list[float]] = defaultdict(list)
    for answer in Answer.objects.select_related("assessment").order_by("assessment__period_end"):
        end = answer.assessment.period_end
        if isinstance(answer.value, float):
            by_year[answer.datapoint][end.year].append(answer.value)
        if answer.datapoint == "wages.lowest_base_wage_month_vnd":
            region = regions[answer.assessment.facility_id]
            floor_met[end.year].append(answer.value >= demo.minimum_wage(region, end))
        if answer.datapoint == "working_time.overtime_hours_month_max":
            overtime_of[answer.assessment.facility_id].append(answer.value)

    overtime = by_year["working_time.overtime_hours_month_max"]
    assert mean(overtime[2023]) > mean(overtime[2024]) > mean(overtime[2025])
    worse = [pk for pk, hours in overtime_of.items() if hours[-1] > hours[0]]
    assert 0 < len(worse) < len(overtime_of) / 3  # a minority gets worse
    drills = by_year["fire_safety.evacuation_drills_year"]
    assert mean(drills[2023]) < mean(drills[2025])
    cod = by_year["wastewater.cod_mg_l"]
    assert mean(cod[2023]) > mean(cod[2025])
    wages = by_year["wages.lowest_base_wage_month_vnd"]
    assert mean(wages[2023]) < mean(wages[2024]) <= mean(wages[2025])

    assert demo.minimum_wage("1", dt.date(2023, 12, 31)) == 4_680_000
    assert (
        demo.minimum_wage("1", dt.date(2024, 12, 31))
        == demo.minimum_wage("1", dt.date(2025, 12, 31))
        == 4_960_000
    )
    for year, met in floor_met.items():
        assert sum(met) >= 0.8 * len(met), year  # most pay the minimum in force at the end of the period
    assert not all(all(met) for met in floor_met.values())  # and a few do not


def test_the_command_seeds_once_and_prints_the_logins_in_both_languages(empty_database: None) -> None:
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    counts = (
        Facility.objects.count(),
        Assessment.objects.count(),
        Answer.objects.count(),
        User.objects.count(),
    )
    assert counts[0] == 60
    text = out.getvalue()
    for username in (
        "factory.admin",
        "factory.editor",
        "factory.viewer",
        "buyer",
        "buyer.admin",
        "verifier",
        "authority",
        "cso",
    ):
        assert username in text
    assert (
        "demo-password-2026" in text and "quản trị viên nhà máy" in text and "factory administrator" in text
    )

    again = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=again)
    assert "no demo data seeded" in again.getvalue()
    assert counts == (
        Facility.objects.count(),
        Assessment.objects.count(),
        Answer.objects.count(),
        User.objects.count(),
    )
    with pytest.raises(demo.DemoExists):
        demo.seed_demo(facilities=5)


def test_the_command_takes_a_number_of_facilities(empty_database: None) -> None:
    call_command("seed_demo", "--facilities", "12", stdout=io.StringIO())
    assert Facility.objects.count() == 12
    assert Assessment.objects.count() == 36
    assert {f.sector for f in Facility.objects.all()} == {"garment", "footwear", "textile", "leather"}


def test_the_demo_buyer_has_suppliers_sharing_and_the_factory_a_request_to_decide(
    empty_database: None, settings: Any
) -> None:
    from commonground.sharing.models import Grant
    from commonground.sharing.services import active_grant
    from tests.web.conftest import client_for

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--facilities", "20", stdout=io.StringIO())
    buyer = Membership.objects.get(user__username="buyer").organisation
    sharing = [f for f in Facility.objects.filter(supply_links__buyer=buyer) if active_grant(buyer, f)]
    contents = {active_grant(buyer, f).content for f in sharing}  # type: ignore[union-attr]
    assert len(sharing) >= 5 and contents == {"results", "answers", "action_plan"}
    revoked, expired = Grant.objects.get(status="revoked"), Grant.objects.get(expires_at__lt=dt_now())
    assert active_grant(buyer, revoked.facility) is None and active_grant(buyer, expired.facility) is None
    group = Membership.objects.get(user__username="factory.admin").organisation
    assert Grant.objects.filter(status="requested", facility__owner=group, grantee=buyer).count() == 1
    portfolio = client_for("buyer", "en", demo.PASSWORD).get("/portfolio/").content.decode()
    assert all(f.name in portfolio for f in sharing)
    public = client_for("cso", "en", demo.PASSWORD).get("/public/facilities/").content.decode()
    assert Facility.objects.filter(public_disclosure=True).exists()
    assert any(f.name in public for f in Facility.objects.filter(public_disclosure=True))


def dt_now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def test_factories_that_submit_answer_nearly_their_whole_questionnaire(summary: demo.DemoSummary) -> None:
    """Submitted and verified assessments answer nearly every question that applies to them (what
    only inapplicable requirements read, such as effluent metals at a sewing factory, stays empty);
    drafts part; the small workshops only the modeled facts; the profile agrees with the facility."""
    from commonground.facilities.services import facility_burden
    from commonground.web.demo.complete import WORKSHOP, applicable_facts

    shares: dict[str, list[float]] = defaultdict(list)
    asked: dict[int, set[str]] = {}
    for item in Assessment.objects.select_related("facility").order_by("pk"):
        facility = item.facility
        if facility.pk not in asked:
            asked[facility.pk] = {q.datapoint.id for q in facility_burden(facility).questionnaire.questions}
        values = dict(item.answers.values_list("datapoint", "value"))
        applies = asked[facility.pk] & applicable_facts(evaluate(item))
        share = len(applies & set(values)) / len(applies)
        kind = "workshop" if facility.workers < WORKSHOP else item.status
        shares[kind].append(share)
        assert values["facility.sector"] == facility.sector
        assert sorted(values["facility.processes"]) == sorted(facility.processes)
        assert values["facility.minimum_wage_region"] == facility.minimum_wage_region
        # the row is the latest period's count (0025); each period is within 8 % of the site's
        assert 0.85 * facility.workers <= values["facility.workers_total"] <= 1.17 * facility.workers
        volume = {"garment": "pieces", "footwear": "pairs"}.get(facility.sector, "kg")
        assert not {f"facility.production_volume_{u}" for u in ("pieces", "pairs", "kg")} - {
            f"facility.production_volume_{volume}"
        } & set(values)
        assert values.get("child_labour.workers_under_18_count", 0) == 0 or (
            values["child_labour.youngest_worker_age"] < 18
        )
        # the demo's facilities all operated before QCVN 40:2025: none is judged as a new discharger
        assert values.get("wastewater.discharging_before_2025_09", True) is True
    done = shares["submitted"] + shares["verified"]
    assert done and mean(done) >= 0.9 and min(done) >= 0.8, sorted(done)[:5]
    assert shares["draft"] and all(0.3 <= s <= 0.8 for s in shares["draft"]), shares["draft"]
    assert shares["workshop"] and max(shares["workshop"]) < 0.5


def test_the_completed_demo_is_the_same_for_the_same_seed(empty_database: None) -> None:
    from django.db import transaction

    def answers() -> list[tuple[Any, ...]]:
        with transaction.atomic():
            demo.seed_demo(facilities=6)
            rows = sorted(
                Answer.objects.values_list(
                    "assessment__facility__name", "assessment__period_end", "datapoint", "value"
                )
            )
            transaction.set_rollback(True)
        return [(*row[:3], repr(row[3])) for row in rows]

    first = answers()
    assert len(first) > 6 * 3 * 150 and answers() == first
