"""What to fix first: the order of findings and the reason shown for every rank, in vi and en."""

from __future__ import annotations

import pytest

from commonground.core.benchmarks import Position
from commonground.core.engine import Engine
from commonground.core.findings import Finding
from commonground.core.library import Library
from commonground.core.metrics import all_metrics
from commonground.core.numbers import money_range, money_vnd, number
from commonground.core.priorities import (
    TEMPLATES,
    Priority,
    Reason,
    positions_by_datapoint,
    rank,
    reason_text,
)
from commonground.core.solutions import solutions_for
from commonground.core.text import Text
from tests.conftest import make_assessment

LAW = {"vn-labour-code-2019", "vn-osh-2015", "vn-environment-2020"}
FACTS = {
    "facility.sector": "garment",
    "facility.minimum_wage_region": "1",
    "forced_labour.deposits_required": True,
    "working_time.overtime_hours_month_max": 60,
    "wages.paid_by_bank_transfer_pct": 10,
    "energy.audit_done": False,
}


@pytest.fixture(scope="module")
def findings(shipped: Library) -> tuple[Finding, ...]:
    return Engine(shipped).evaluate(make_assessment(shipped, FACTS)).findings


def _rank(shipped: Library, findings: tuple[Finding, ...], **overrides: object) -> list[Priority]:
    args: dict[str, object] = {
        "law": LAW,
        "buyers_by_framework": {"example-buyer-code": ["Bao Brand"]},
        "positions": {},
        "solutions": {f.datapoint: solutions_for(shipped, f.datapoint) for f in findings},
    }
    args.update(overrides)
    return rank(findings, **args)  # type: ignore[arg-type]


def test_zero_tolerance_comes_first_then_the_law(shipped: Library, findings: tuple[Finding, ...]) -> None:
    ranked = _rank(shipped, findings)
    assert [p.rank for p in ranked] == list(range(1, len(ranked) + 1))
    assert ranked[0].severity == "zero_tolerance" and ranked[0].datapoint == "forced_labour.deposits_required"
    legal = [p.legal for p in ranked if p.severity != "zero_tolerance"]
    assert legal == sorted(legal, reverse=True)  # every legal finding before any other
    overtime = next(p for p in ranked if p.datapoint == "working_time.overtime_hours_month_max")
    assert overtime.legal
    assert ("Bao Brand" in overtime.buyers) == ("example-buyer-code" in overtime.frameworks)


def test_every_rank_has_its_reasons_in_both_languages(
    shipped: Library, findings: tuple[Finding, ...]
) -> None:
    for p in _rank(
        shipped, findings, names={"vn-labour-code-2019": Text(en="Labour Code", vi="Bộ luật Lao động")}
    ):
        codes = [r.code for r in p.reasons]
        assert "reach" in codes and ("solution" in codes or "no_solution" in codes)
        assert ("zero_tolerance" in codes) == (p.severity == "zero_tolerance")
        assert ("legal" in codes) == p.legal
        for reason in p.reasons:
            en, vi = reason_text(reason, "en"), reason_text(reason, "vi")
            assert en and vi and en != vi and "{" not in en + vi


def test_more_frameworks_and_buyers_rank_higher(shipped: Library, findings: tuple[Finding, ...]) -> None:
    others = [p for p in _rank(shipped, findings) if not p.legal and p.severity != "zero_tolerance"]
    reach = [len(p.frameworks) + len(p.buyers) for p in others]
    assert reach == sorted(reach, reverse=True)


def _twins(shipped: Library) -> tuple[Finding, Finding]:
    found = Engine(shipped).evaluate(make_assessment(shipped, FACTS)).findings
    base = next(f for f in found if f.datapoint == "working_time.overtime_hours_month_max")
    return base, Finding("working_time.overtime_hours_week_max", 70.0, base.severity, base.requirements)


def test_a_worse_benchmark_position_breaks_the_tie(shipped: Library) -> None:
    a, b = _twins(shipped)
    ranked = _rank(shipped, (a, b), positions={b.datapoint: 10.0, a.datapoint: 80.0}, solutions={})
    assert [p.datapoint for p in ranked] == [b.datapoint, a.datapoint]
    reason = next(r for r in ranked[0].reasons if r.code == "benchmark")
    assert "better than 10 % of them" in reason_text(reason, "en")


def test_the_easier_solution_breaks_the_next_tie(shipped: Library) -> None:
    a, b = _twins(shipped)
    easy, hard = (
        shipped.solutions["voluntary_overtime_register"],
        shipped.solutions["production_capacity_planning"],
    )
    ranked = _rank(shipped, (a, b), solutions={a.datapoint: [hard], b.datapoint: [easy]})
    assert [p.datapoint for p in ranked] == [b.datapoint, a.datapoint]
    text = reason_text(next(r for r in ranked[1].reasons if r.code == "solution"), "vi")
    assert "Cân đối năng lực" in text and "hoàn vốn trong 6–24 tháng" in text and "triệu đồng" in text
    without = _rank(shipped, (a, b), solutions={a.datapoint: [hard]})
    assert without[-1].datapoint == b.datapoint
    assert reason_text(without[-1].reasons[-1], "en").startswith("No solution in the catalogue")


def test_positions_by_datapoint_keep_the_worst(shipped: Library) -> None:
    metrics = all_metrics(shipped)
    pos = {
        "overtime_month_max": Position(60, 20.0, 9, 40, 30, 50, "lower"),
        "noncompliance.working_time": Position(30, 45.0, 9, 20, 10, 30, "lower"),
        "energy_intensity.pieces": Position(5, 70.0, 9, 6, 5, 7, "lower"),
        "wastewater_cod": None,
    }
    found = positions_by_datapoint(pos, metrics, skip=shipped.context)
    assert found["working_time.overtime_hours_month_max"] == 20.0
    assert found["working_time.weekly_rest_24h"] == 45.0
    assert "facility.production_volume_pieces" not in found and "wastewater.cod_mg_l" not in found


def test_money_reads_naturally() -> None:
    reason = Reason(
        "solution",
        {
            "title": Text(en="X", vi="X"),
            "difficulty": "high",
            "cost_low": 2_500_000_000,
            "cost_high": 15_000_000_000,
            "payback": None,
        },
    )
    assert (
        reason_text(reason, "en")
        == "A known solution: X (a large project, costing 2.5 billion VND – 15 billion VND)."
    )
    assert reason_text(reason, "vi") == "Có giải pháp: X (dự án lớn, chi phí 2,5 tỷ đồng – 15 tỷ đồng)."
    assert set(TEMPLATES) >= {
        "zero_tolerance",
        "legal",
        "reach",
        "benchmark",
        "solution",
        "no_solution",
        "severity",
    }


def test_numbers_in_each_language() -> None:
    assert number(1234.56, "en") == "1,234.6" and number(1234.56, "vi") == "1.234,6"
    assert number(-0.01, "en") == "0" and number(3.0, "vi") == "3"
    assert money_vnd(500_000, "en") == "500,000 VND" and money_vnd(500_000, "vi") == "500.000 đồng"
    assert money_vnd(40_000_000, "vi") == "40 triệu đồng" and money_range(1e6, 1e6, "en") == "1 million VND"
