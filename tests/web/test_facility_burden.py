"""The facility's questionnaire is the union of its buyers' frameworks and the law, each fact once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from commonground.accounts.models import Organisation
from commonground.core.library import cached_library
from commonground.facilities.models import RequiredFramework, SupplyLink
from commonground.facilities.services import get_facility_burden, save_facility


def test_the_burden_figure_counts_each_fact_once(cast: dict[str, Any]) -> None:
    burden = get_facility_burden(cast["facility"].pk, user=cast["bob"])
    lib = cached_library()
    frameworks = ["vn-labour-code-2019", "vn-osh-2015", "vn-environment-2020", "sa8000"]
    assert [f.id for f in burden.questionnaire.frameworks] == frameworks
    requirements = sum(len(lib.frameworks[f].requirements) for f in frameworks)
    assert burden.questionnaire.burden.requirements == requirements
    asked = burden.questionnaire.burden.datapoints_asked
    assert asked < burden.questionnaire.burden.questions_without
    assert burden.sentence("en") == (
        f"Your 1 buyers' frameworks, with Vietnamese law, contain {requirements} "
        f"requirements; you answer {asked} data points."
    )
    assert f"có {requirements} yêu cầu; bạn trả lời {asked} điểm dữ liệu" in burden.sentence("vi")


def test_a_second_buyer_adds_its_frameworks_but_not_the_shared_facts(cast: dict[str, Any]) -> None:
    before = get_facility_burden(cast["facility"].pk, user=cast["alice"]).questionnaire.burden
    other = Organisation.objects.create(name="Mekong Outdoor", kind=Organisation.Kind.BUYER)
    SupplyLink.objects.create(buyer=other, facility=cast["facility"])
    RequiredFramework.objects.create(buyer=other, framework_id="eti-base-code")
    RequiredFramework.objects.create(buyer=other, framework_id="sa8000")  # shared with the first buyer
    after = get_facility_burden(cast["facility"].pk, user=cast["alice"])
    assert after.buyers == 2
    assert after.questionnaire.burden.requirements == before.requirements + len(
        cached_library().frameworks["eti-base-code"].requirements
    )
    assert after.questionnaire.burden.datapoints_asked - before.datapoints_asked < len(
        cached_library().frameworks["eti-base-code"].datapoints
    )


def test_charlie_gets_404(cast: dict[str, Any]) -> None:
    with pytest.raises(Http404):
        get_facility_burden(cast["facility"].pk, user=cast["charlie"])


def test_a_new_facility_gets_its_region_from_its_commune(cast: dict[str, Any]) -> None:
    owner = cast["facility"].owner
    on = dt.date(2026, 3, 1)
    place = {"province": "Hà Nội", "locality": "phường Hoàn Kiếm", "sector": "garment"}
    hanoi = save_facility(
        None, {"name": "Hoàn Kiếm Atelier", **place}, user=cast["alice"], owner_id=owner.pk, on=on
    )
    assert hanoi.minimum_wage_region == "1"
    place = {"province": "Thành phố Hà Nội", "locality": "xã Ba Vì", "sector": "garment"}
    rural = save_facility(
        None, {"name": "Ba Vì Sewing", **place}, user=cast["alice"], owner_id=owner.pk, on=on
    )
    assert rural.minimum_wage_region == "2"
    place = {"province": "Hà Nội", "sector": "garment"}
    unknown = save_facility(None, {"name": "Somewhere", **place}, user=cast["alice"], owner_id=owner.pk)
    assert unknown.minimum_wage_region == ""  # no commune: not guessed
    assert hanoi.owner == rural.owner == unknown.owner == owner
    with pytest.raises(Http404):  # not a group bob edits for: as if it did not exist
        save_facility(None, {"name": "x", **place}, user=cast["bob"], owner_id=owner.pk)
