"""Evaluation: statuses, applicability, summaries, findings per fact and binding targets."""

from __future__ import annotations

from commonground.core.engine import Engine, Evaluation
from commonground.core.library import Library
from commonground.core.logic import Status
from tests.conftest import make_assessment

GARMENT = {"site.sector": "garment", "site.minimum_wage_region": "1"}


def _eval(lib: Library, values: dict[str, object], end: str = "2025-12-31") -> Evaluation:
    return Engine(lib).evaluate(make_assessment(lib, values, end=end))


def _status(ev: Evaluation, key: str) -> Status:
    for fr in ev.frameworks:
        for r in fr.results:
            if r.requirement.key == key:
                return r.status
    raise KeyError(key)


def test_missing_data_is_unknown_never_met(mini: Library) -> None:
    ev = _eval(mini, {})
    assert _status(ev, "mini-law/ot-month") is Status.UNKNOWN
    assert _status(ev, "mini-law/wage") is Status.UNKNOWN
    assert not ev.findings


def test_the_edge_of_a_cap_is_compliant(mini: Library) -> None:
    assert _status(_eval(mini, {"work.ot_month": 40}), "mini-law/ot-month") is Status.MET
    assert _status(_eval(mini, {"work.ot_month": 41}), "mini-law/ot-month") is Status.NOT_MET
    assert _status(_eval(mini, {"work.ot_month": 35.9}), "mini-buyer/ot-month") is Status.MET
    assert _status(_eval(mini, {"work.ot_month": 36}), "mini-buyer/ot-month") is Status.NOT_MET


def test_the_parameter_in_force_at_the_end_of_the_period_applies(mini: Library) -> None:
    values = {**GARMENT, "work.wage": 5000000}
    assert _status(_eval(mini, values, end="2025-12-31"), "mini-law/wage") is Status.MET
    assert _status(_eval(mini, values, end="2026-03-31"), "mini-law/wage") is Status.NOT_MET
    no_region = {"work.wage": 5000000}
    assert _status(_eval(mini, no_region), "mini-law/wage") is Status.UNKNOWN


def test_sector_exception_switches_the_annual_cap(mini: Library) -> None:
    notified = {**GARMENT, "work.notified": True, "work.ot_year": 280}
    ev = _eval(mini, notified)
    assert _status(ev, "mini-law/ot-year-200") is Status.NOT_APPLICABLE
    assert _status(ev, "mini-law/ot-year-300") is Status.MET
    ev = _eval(mini, {**notified, "work.notified": False})
    assert _status(ev, "mini-law/ot-year-200") is Status.NOT_MET
    assert _status(ev, "mini-law/ot-year-300") is Status.NOT_APPLICABLE
    ev = _eval(mini, {**notified, "site.sector": "other"})
    assert _status(ev, "mini-law/ot-year-200") is Status.NOT_MET


def test_unknown_applicability_is_met_when_the_rule_holds_anyway(mini: Library) -> None:
    ev = _eval(mini, {"work.ot_year": 150})
    assert _status(ev, "mini-law/ot-year-200") is Status.MET
    ev = _eval(mini, {"work.ot_year": 250})
    assert _status(ev, "mini-law/ot-year-200") is Status.UNKNOWN
    assert _status(ev, "mini-law/ot-year-300") is Status.MET


def test_manual_requirements_stay_unknown_until_a_verifier_decides(mini: Library) -> None:
    ev = _eval(mini, GARMENT)
    assert _status(ev, "mini-law/inspection") is Status.UNKNOWN


def test_summary_counts_and_compliance_rate(mini: Library) -> None:
    ev = _eval(mini, {**GARMENT, "work.ot_month": 41, "work.wage": 6000000, "work.ot_year": 100})
    law = next(fr for fr in ev.frameworks if fr.framework.id == "mini-law")
    # both annual caps hold at 100 h whether or not the 300-hour regime was notified
    assert law.summary.counts == {"not_met": 1, "unknown": 2, "met": 3, "not_applicable": 0}
    assert law.summary.compliance_rate == 0.75
    assert law.summary.answered_rate == round(4 / 6, 4)
    assert law.summary.score is None


def _index(ev: Evaluation):  # type: ignore[no-untyped-def]
    return next(fr for fr in ev.frameworks if fr.framework.id == "mini-index").summary


def test_level_one_gates_levels_two_and_three(mini: Library) -> None:
    s = _index(_eval(mini, {"work.policy": "no", "work.baseline": True, "work.leading": True}))
    ems = s.sections[0]
    assert ems.section == "ems" and ems.achieved == 0
    assert ems.levels == {1: "not_achieved", 2: "locked", 3: "locked"}
    assert ems.score == 0.0


def test_weights_partial_credit_and_equal_sections(mini: Library) -> None:
    s = _index(_eval(mini, {"work.policy": "yes", "work.baseline": True, "work.leading": False}))
    ems, energy = s.sections
    assert (ems.achieved, ems.score) == (2, 75.0)
    assert ems.levels == {1: "achieved", 2: "achieved", 3: "not_achieved"}
    assert (energy.achieved, energy.score) == (1, 100.0)  # only Level 1 applies: it counts 100 %
    assert s.score == 87.5
    s = _index(_eval(mini, {"work.policy": "partial", "work.baseline": False}))
    assert s.sections[0].levels[1] == "partial" and s.sections[0].score == 12.5
    assert s.score == 6.25


def test_one_finding_per_fact_lists_every_framework(mini: Library) -> None:
    ev = _eval(
        mini,
        {
            **GARMENT,
            "work.ot_month": 45,
            "work.ot_year": 250,
            "work.notified": False,
            "work.audit_date": "2025-05-01",
        },
    )
    month = next(f for f in ev.findings if f.datapoint == "work.ot_month")
    assert {r.key for r in month.requirements} == {
        "mini-law/ot-month",
        "mini-buyer/ot-month",
        "mini-buyer/combined",
    }
    assert month.frameworks == ("mini-law", "mini-buyer") or set(month.frameworks) == {
        "mini-law",
        "mini-buyer",
    }
    assert month.severity == "zero_tolerance"  # the highest of critical, major, zero_tolerance
    assert month.accountable == ("buyer", "factory")
    assert len({f.datapoint for f in ev.findings}) == len(ev.findings)
    assert ev.findings[0].severity == "zero_tolerance"


def test_profile_facts_are_not_findings(mini: Library) -> None:
    ev = _eval(mini, {**GARMENT, "work.ot_year": 250, "work.notified": False})
    assert all(not f.datapoint.startswith("site.") for f in ev.findings)


def test_targets_name_the_strictest_rule_and_who_binds(mini: Library) -> None:
    ev = _eval(mini, {**GARMENT, "site.processes": ["dyeing"]}, end="2026-06-30")
    targets = {(t.datapoint, t.operator): t for t in ev.targets}
    month = targets[("work.ot_month", "<")]
    assert month.value == 36 and month.frameworks == ("mini-buyer",)
    assert [(o.requirement.key, o.value) for o in month.others] == [("mini-law/ot-month", 40.0)]
    low_ph = targets[("work.ph", ">=")]
    assert low_ph.value == 6 and low_ph.frameworks == ("mini-buyer",)
    high_ph = targets[("work.ph", "<")]  # a dyer: the buyer's 8.5 binds, both 9s are looser
    assert high_ph.value == 8.5 and high_ph.frameworks == ("mini-buyer",)
    assert sorted(o.requirement.key for o in high_ph.others) == ["mini-buyer/ph", "mini-law/ph"]
    assert targets[("work.wage", ">=")].value == 5310000
    assert ("work.ot_month", "<=") not in targets  # `any` alternatives are not binding


def test_targets_skip_requirements_that_do_not_apply(mini: Library) -> None:
    ev = _eval(mini, {**GARMENT, "site.processes": ["sewing"]})
    bounds = [t for t in ev.targets if t.datapoint == "work.ph"]
    assert all(t.frameworks == ("mini-buyer",) for t in bounds)


def test_an_alternative_binds_once_the_others_are_false(mini: Library) -> None:
    # combined: ot_year <= 100, or (an audit date and ot_month <= 20)
    values = {**GARMENT, "work.ot_year": 250, "work.audit_date": "2025-05-01"}
    targets = {(t.datapoint, t.operator): t for t in _eval(mini, values).targets}
    assert targets[("work.ot_month", "<=")].value == 20  # the year route is closed: the month bound binds
    assert ("work.ot_year", "<=") in targets
    values["work.ot_year"] = 50
    targets = {(t.datapoint, t.operator): t for t in _eval(mini, values).targets}
    assert ("work.ot_month", "<=") not in targets


def test_if_then_requirements_bind_only_when_the_condition_holds(mini: Library) -> None:
    dyer = _eval(mini, {"site.processes": ["dyeing"], "work.ph": 8.7})
    assert _status(dyer, "mini-buyer/dyers-ph") is Status.NOT_MET
    assert [
        f.datapoint for f in dyer.findings if "mini-buyer/dyers-ph" in {r.key for r in f.requirements}
    ] == ["work.ph"]
    assert any(t.datapoint == "work.ph" and t.value == 8.5 for t in dyer.targets)
    sewer = _eval(mini, {"site.processes": ["sewing"], "work.ph": 8.7})
    assert _status(sewer, "mini-buyer/dyers-ph") is Status.MET
    assert not any(t.value == 8.5 for t in sewer.targets)
