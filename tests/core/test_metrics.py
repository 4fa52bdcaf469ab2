"""Benchmark metrics, computed on columns, agree with the facts and with the single path's results."""

from __future__ import annotations

import math

import numpy as np
import pytest

from commonground.core.columnar import Columns, evaluate_columns
from commonground.core.engine import Engine
from commonground.core.library import Library
from commonground.core.logic import Status
from commonground.core.metrics import METRICS, all_metrics, metric_values
from tests.conftest import make_assessment

FACTS = {
    "facility.sector": "garment",
    "facility.minimum_wage_region": "1",
    "facility.workers_total": 800,
    "facility.production_volume_pieces": 2_000_000,
    "energy.total_gj": 9_000,
    "water.withdrawal_m3": 50_000,
    "wastewater.cod_mg_l": 80,
    "working_time.overtime_hours_month_max": 52,
    "wages.lowest_base_wage_month_vnd": 5_456_000,
    "forced_labour.identity_documents_retained": True,
}


@pytest.fixture(scope="module")
def computed(shipped: Library) -> tuple[dict[str, np.ndarray], list[object]]:
    rows = [
        make_assessment(shipped, FACTS, end="2025-12-31"),
        make_assessment(shipped, FACTS, end="2026-12-31"),
        make_assessment(shipped, {"facility.sector": "footwear"}, end="2026-12-31"),
    ]
    cols = Columns.from_assessments(shipped, rows)
    many = evaluate_columns(shipped, cols)
    return metric_values(shipped, cols, many), rows


def test_intensities_are_per_thousand_pieces(computed: tuple[dict[str, np.ndarray], list[object]]) -> None:
    values, _ = computed
    assert values["energy_intensity.pieces"][0] == pytest.approx(4.5)  # 9,000 GJ / 2,000 x 1,000 pieces
    assert values["water_intensity.pieces"][0] == pytest.approx(25.0)
    assert math.isnan(values["energy_intensity.pairs"][0])  # no pairs reported: no value on that basis


def test_unknown_facts_give_nan(computed: tuple[dict[str, np.ndarray], list[object]]) -> None:
    values, _ = computed
    for mid in METRICS:
        assert math.isnan(values[mid][2]), mid


def test_the_wage_is_read_against_the_minimum_in_force_at_period_end(
    computed: tuple[dict[str, np.ndarray], list[object]],
) -> None:
    values, _ = computed
    ratio = values["lowest_wage_vs_minimum"]
    assert ratio[0] == pytest.approx(100 * 5_456_000 / 4_960_000)  # Decree 74/2024, region 1
    assert ratio[1] == pytest.approx(100 * 5_456_000 / 5_310_000)  # Decree 293/2025 from 2026
    assert values["wastewater_cod"][0] == 80 and values["overtime_month_max"][0] == 52


def test_noncompliance_per_topic_counts_the_decided_requirements(
    shipped: Library, computed: tuple[dict[str, np.ndarray], list[object]]
) -> None:
    values, rows = computed
    evaluation = Engine(shipped).evaluate(rows[0])  # type: ignore[arg-type]
    failed = decided = 0
    for fr in evaluation.frameworks:
        for r in fr.results:
            if any(dp.startswith("forced_labour.") for dp in r.requirement.rule_datapoints):
                decided += r.status in (Status.MET, Status.NOT_MET)
                failed += r.status is Status.NOT_MET
    assert failed > 0
    assert values["noncompliance.forced_labour"][0] == pytest.approx(round(100 * failed / decided, 2))


def test_levels_are_the_level_achieved_per_section(
    shipped: Library, computed: tuple[dict[str, np.ndarray], list[object]]
) -> None:
    values, rows = computed
    evaluation = Engine(shipped).evaluate(rows[0])  # type: ignore[arg-type]
    env = next(fr for fr in evaluation.frameworks if fr.framework.id == "env-improvement-levels")
    for section in env.summary.sections:
        value = values[f"level.env-improvement-levels.{section.section}"][0]
        if section.levels[1] == "not_applicable":
            assert math.isnan(value)
        else:
            assert value == section.achieved


def test_every_metric_has_a_bilingual_label_and_direction(shipped: Library) -> None:
    metrics = all_metrics(shipped)
    assert "noncompliance.working_time" in metrics and "level.env-improvement-levels.water" in metrics
    assert "noncompliance.facility" not in metrics  # the profile is context, never a finding
    for m in metrics.values():
        assert m.label.en and m.label.vi and m.label.en != m.label.vi and m.better in ("lower", "higher")


def test_without_an_evaluation_only_the_fixed_metrics_are_given(shipped: Library) -> None:
    cols = Columns.from_assessments(shipped, [make_assessment(shipped, FACTS)])
    assert set(metric_values(shipped, cols, None)) == set(METRICS)


def test_fallbacks_for_energy_in_toe_and_an_hourly_wage(shipped: Library) -> None:
    facts = {
        "facility.minimum_wage_region": "2",
        "facility.production_volume_kg": 500_000,
        "energy.toe": 100,
        "wages.lowest_base_wage_hour_vnd": 25_440,
    }
    cols = Columns.from_assessments(shipped, [make_assessment(shipped, facts, end="2025-06-30")])
    values = metric_values(shipped, cols, None)
    assert values["energy_intensity.tonne"][0] == pytest.approx(100 * 41.868 / 500)
    assert values["lowest_wage_vs_minimum"][0] == pytest.approx(
        100 * 25_440 / 21_200
    )  # region 2, 2024 decree
