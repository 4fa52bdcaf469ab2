"""The shipped library: the public contract of data point ids, the frameworks, and the law at its edges."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from commonground.core.crosswalk import crosswalk
from commonground.core.engine import Engine, Evaluation
from commonground.core.library import Library
from commonground.core.text import Text
from tests.conftest import make_assessment

CONTRACT: dict[str, tuple[str, str | None]] = {
    "facility.sector": ("enum", None),
    "facility.minimum_wage_region": ("enum", None),
    "facility.workers_total": ("integer", "count"),
    "working_time.normal_hours_week_max": ("decimal", "h"),
    "working_time.overtime_hours_month_max": ("decimal", "h"),
    "working_time.overtime_hours_year_max": ("decimal", "h"),
    "working_time.overtime_300h_notified": ("boolean", None),
    "working_time.total_hours_week_max": ("decimal", "h"),
    "working_time.weekly_rest_24h": ("boolean", None),
    "working_time.overtime_voluntary": ("boolean", None),
    "child_labour.youngest_worker_age": ("", "year"),
    "wages.lowest_base_wage_month_vnd": ("decimal", "VND/month"),
    "wages.overtime_premium_weekday_pct": ("decimal", "%"),
    "wages.overtime_premium_rest_day_pct": ("decimal", "%"),
    "wages.overtime_premium_holiday_pct": ("decimal", "%"),
    "benefits.social_insurance_enrolled_pct": ("decimal", "%"),
    "benefits.annual_leave_days_min": ("decimal", "day"),
    "forced_labour.identity_documents_retained": ("boolean", None),
    "forced_labour.recruitment_fees_paid_by_workers": ("boolean", None),
    "fire_safety.emergency_exits_unlocked": ("boolean", None),
    "fire_safety.evacuation_drills_year": ("integer", "count"),
    "wastewater.cod_mg_l": ("decimal", "mg/L"),
    "wastewater.bod5_mg_l": ("decimal", "mg/L"),
    "wastewater.tss_mg_l": ("decimal", "mg/L"),
    "wastewater.ph": ("decimal", None),
    "ghg.scope1_tco2e": ("decimal", "tCO2e"),
    "ghg.scope2_tco2e": ("decimal", "tCO2e"),
    "energy.total_gj": ("decimal", "GJ"),
}

FRAMEWORKS = {
    "vn-labour-code-2019": "law",
    "vn-environment-2020": "law",
    "vn-osh-2015": "law",
    "ilo-fundamental": "standard",
    "eti-base-code": "standard",
    "sa8000": "standard",
    "wrap-principles": "standard",
    "zdhc-wastewater": "standard",
    "env-improvement-levels": "improvement_index",
    "example-buyer-code": "buyer_code",
}

TOPICS = [
    "facility",
    "working_time",
    "wages",
    "benefits",
    "child_labour",
    "forced_labour",
    "discrimination",
    "freedom_of_association",
    "contracts",
    "grievance",
    "osh",
    "fire_safety",
    "dormitories",
    "env_management",
    "energy",
    "ghg",
    "water",
    "wastewater",
    "air",
    "waste",
    "chemicals",
]


@pytest.mark.parametrize("dp_id", sorted(CONTRACT))
def test_contract_data_points_exist_with_their_type_and_unit(shipped: Library, dp_id: str) -> None:
    dp = shipped.datapoints[dp_id]
    kind, unit = CONTRACT[dp_id]
    assert dp.type == kind or (not kind and dp.numeric)
    assert dp.unit == unit


def test_contract_options(shipped: Library) -> None:
    assert set(shipped.datapoints["facility.sector"].option_values) == {
        "garment",
        "footwear",
        "textile",
        "leather",
        "other",
    }
    assert shipped.datapoints["facility.minimum_wage_region"].option_values == ("1", "2", "3", "4")


def test_the_catalogue_is_broad_and_bilingual(shipped: Library) -> None:
    assert len(shipped.datapoints) >= 200
    topics = {dp.topic for dp in shipped.datapoints.values()}
    assert set(TOPICS) <= topics
    translated = [
        dp for dp in shipped.datapoints.values() if dp.label.vi != dp.label.en and dp.help.vi != dp.help.en
    ]
    assert len(translated) >= 0.95 * len(shipped.datapoints)
    unitless = [dp.id for dp in shipped.datapoints.values() if dp.numeric and dp.unit is None]
    assert len(unitless) <= 10, unitless  # pure numbers such as pH are rare; quantities carry a unit


# an English law name or article left in a Vietnamese citation
ENGLISH_LAW_WORDS = (
    r"\b(Art\.|Labour Code|Law on|Decree|Circular|Resolution|Protocol|clause|not checked|original wording)"
)


def test_a_citation_reads_in_each_language(shipped: Library) -> None:
    citation = shipped.frameworks["vn-labour-code-2019"].requirements[0].spec.citation
    assert isinstance(citation, Text)
    assert citation.en.startswith("Labour Code 2019, Art. ")
    assert citation.vi.startswith("Bộ luật Lao động 2019, Điều ")


@pytest.mark.parametrize(("framework_id", "kind"), sorted(FRAMEWORKS.items()))
def test_shipped_frameworks(shipped: Library, framework_id: str, kind: str) -> None:
    framework = shipped.frameworks[framework_id]
    assert framework.spec.kind == kind
    assert framework.spec.name.vi and framework.spec.name.en and framework.spec.version
    citations = [r.spec.citation for r in framework.requirements]
    assert all(isinstance(c, Text) and c.en.strip() and c.vi.strip() for c in citations)
    assert not [c.vi for c in citations if isinstance(c, Text) and re.search(ENGLISH_LAW_WORDS, c.vi)]
    decided = [r for r in framework.requirements if not r.manual]
    assert len(decided) >= 0.6 * len(framework.requirements)


def test_the_improvement_index_has_seven_sections_with_three_levels(shipped: Library) -> None:
    index = shipped.frameworks["env-improvement-levels"]
    assert index.spec.scoring.method == "improvement_index"
    assert index.spec.scoring.level_weights == {1: 25, 2: 50, 3: 25}
    sections = {r.spec.section for r in index.requirements}
    assert len(sections) == 7
    for section in sections:
        levels = {r.spec.level for r in index.requirements if r.spec.section == section}
        assert levels == {1, 2, 3}, section


def test_zdhc_has_three_levels(shipped: Library) -> None:
    zdhc = shipped.frameworks["zdhc-wastewater"]
    cod = [r for r in zdhc.requirements if "wastewater.cod_mg_l" in r.rule_datapoints]
    assert {r.spec.level for r in cod} == {1, 2, 3}


def test_the_buyer_code_is_stricter_than_the_law_somewhere(shipped: Library) -> None:
    pairs = crosswalk(shipped, "example-buyer-code", "vn-labour-code-2019", dt.date(2026, 6, 30))
    assert any(p.relation == "stricter" for p in pairs)
    buyer = shipped.frameworks["example-buyer-code"]
    assert any(r.spec.accountable == "buyer" for r in buyer.requirements)


# ---- the law at its edges ---------------------------------------------------------------------

GARMENT = {"facility.sector": "garment", "facility.minimum_wage_region": "1"}


def _law(shipped: Library, values: dict[str, Any], end: str = "2025-12-31") -> Evaluation:
    return Engine(shipped, ["vn-labour-code-2019"]).evaluate(make_assessment(shipped, values, end=end))


def _flagged(ev: Evaluation, dp: str) -> bool:
    return any(f.datapoint == dp for f in ev.findings)


def test_forty_hours_of_overtime_a_month_is_compliant_and_forty_one_is_not(shipped: Library) -> None:
    dp = "working_time.overtime_hours_month_max"
    assert not _flagged(_law(shipped, {**GARMENT, dp: 40}), dp)
    assert _flagged(_law(shipped, {**GARMENT, dp: 41}), dp)
    assert _flagged(_law(shipped, {**GARMENT, dp: 40.5}), dp)


def test_the_minimum_wage_in_force_at_the_end_of_the_period_applies(shipped: Library) -> None:
    dp = "wages.lowest_base_wage_month_vnd"
    values = {**GARMENT, dp: 5_000_000}
    in_2025 = _law(shipped, values, end="2025-12-31")
    in_2026 = _law(shipped, values, end="2026-12-31")
    assert not _flagged(in_2025, dp)  # above the 4,960,000 of Decree 74/2024
    assert _flagged(in_2026, dp)  # below the 5,310,000 of Decree 293/2025
    target = next(t for t in in_2026.targets if t.datapoint == dp)
    assert (target.operator, target.value) == (">=", 5_310_000)
    assert next(t for t in in_2025.targets if t.datapoint == dp).value == 4_960_000
    region4 = _law(shipped, {**values, "facility.minimum_wage_region": "4"}, end="2026-12-31")
    assert not _flagged(region4, dp)  # 3,700,000 in Region IV


def test_the_300_hour_regime_needs_the_sector_and_the_notification(shipped: Library) -> None:
    dp = "working_time.overtime_hours_year_max"
    notified = {**GARMENT, "working_time.overtime_300h_notified": True, dp: 280}
    assert not _flagged(_law(shipped, notified), dp)
    assert _flagged(_law(shipped, {**notified, "working_time.overtime_300h_notified": False}), dp)
    assert _flagged(_law(shipped, {**notified, "facility.sector": "other"}), dp)
    assert _flagged(_law(shipped, {**notified, dp: 301}), dp)
    assert not _flagged(_law(shipped, {**GARMENT, "working_time.overtime_300h_notified": False, dp: 200}), dp)


def test_minimum_age_is_fifteen(shipped: Library) -> None:
    dp = "child_labour.youngest_worker_age"
    assert not _flagged(_law(shipped, {**GARMENT, dp: 15}), dp)
    finding = next(f for f in _law(shipped, {**GARMENT, dp: 14}).findings if f.datapoint == dp)
    assert finding.severity == "zero_tolerance"


def test_one_fact_breaking_several_frameworks_is_one_finding(shipped: Library) -> None:
    values = {
        **GARMENT,
        "working_time.total_hours_week_max": 72,
        "working_time.normal_hours_week_max": 48,
        "working_time.overtime_hours_week_max": 24,
        "child_labour.youngest_worker_age": 14,
    }
    ev = Engine(shipped).evaluate(make_assessment(shipped, values, end="2026-12-31"))
    hours = [f for f in ev.findings if f.datapoint == "working_time.total_hours_week_max"]
    assert len(hours) == 1
    assert {"eti-base-code", "example-buyer-code"} <= set(hours[0].frameworks)
    weekly_overtime = next(f for f in ev.findings if f.datapoint == "working_time.overtime_hours_week_max")
    assert "sa8000" in weekly_overtime.frameworks  # at most 12 hours of overtime a week
    age = next(f for f in ev.findings if f.datapoint == "child_labour.youngest_worker_age")
    assert {"vn-labour-code-2019", "ilo-fundamental", "example-buyer-code"} <= set(age.frameworks)
