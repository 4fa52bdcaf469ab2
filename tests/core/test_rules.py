"""The rule language: structure checks, three-valued logic and blame."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.library import Library
from commonground.core.logic import FALSE, TRUE, UNKNOWN, Status, status_of
from commonground.core.rules import RuleProblem, datapoints_of, parameters_of, parse
from commonground.core.single import blame, compile_rule


def _rule(lib: Library, raw: dict[str, Any]):  # type: ignore[no-untyped-def]
    return parse(raw, lib.datapoints, {p: x.unit for p, x in lib.parameters.items()})


def test_kleene_logic_for_all_any_not(mini: Library) -> None:
    low = {"dp": "work.ot_month", "op": "<=", "value": 40}
    yes = {"dp": "work.notified", "op": "==", "value": True}
    both = compile_rule(_rule(mini, {"all": [low, yes]}))
    either = compile_rule(_rule(mini, {"any": [low, yes]}))
    negate = compile_rule(_rule(mini, {"not": low}))
    assert both({"work.ot_month": 50.0}, {}) == FALSE  # false wins over unknown
    assert both({"work.ot_month": 30.0}, {}) == UNKNOWN
    assert either({"work.ot_month": 30.0}, {}) == TRUE  # true wins over unknown
    assert either({"work.ot_month": 50.0}, {}) == UNKNOWN
    assert negate({"work.ot_month": 50.0}, {}) == TRUE
    assert negate({}, {}) == UNKNOWN


def test_present_is_never_unknown(mini: Library) -> None:
    present = compile_rule(_rule(mini, {"present": "work.audit_date"}))
    assert present({}, {}) == FALSE
    assert present({"work.audit_date": "x"}, {}) == TRUE


def test_ref_and_param_comparisons(mini: Library) -> None:
    ref = compile_rule(_rule(mini, {"dp": "work.ot_month", "op": "<=", "ref": "work.ot_year"}))
    assert ref({"work.ot_month": 10.0, "work.ot_year": 100.0}, {}) == TRUE
    assert ref({"work.ot_month": 10.0}, {}) == UNKNOWN
    param = compile_rule(_rule(mini, {"dp": "work.wage", "op": ">=", "param": "mini.min_wage"}))
    assert param({"work.wage": 5e6}, {"mini.min_wage": 5.31e6}) == FALSE
    assert param({"work.wage": 5e6}, {"mini.min_wage": None}) == UNKNOWN


def test_set_operators(mini: Library) -> None:
    in_rule = compile_rule(_rule(mini, {"dp": "site.sector", "op": "not_in", "value": ["garment"]}))
    assert in_rule({"site.sector": "other"}, {}) == TRUE
    none = compile_rule(_rule(mini, {"dp": "site.processes", "op": "not_contains", "value": "dyeing"}))
    assert none({"site.processes": frozenset({"sewing"})}, {}) == TRUE
    assert none({"site.processes": frozenset({"dyeing", "sewing"})}, {}) == FALSE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"dp": "work.x", "op": "<", "value": 1}, "unknown_datapoint"),
        ({"dp": "work.ph", "op": "~", "value": 1}, "rule_invalid"),
        ({"dp": "work.ph", "op": "in", "value": [1]}, "rule_op_type"),
        ({"dp": "work.ph", "op": "<", "value": 1, "param": "mini.ot_month"}, "rule_invalid"),
        ({"dp": "work.ph", "op": "between", "value": [9, 6]}, "rule_invalid"),
        ({"dp": "work.ph", "op": "between", "value": 6}, "rule_invalid"),
        ({"dp": "work.ot_month", "op": "<", "ref": "work.notified"}, "rule_invalid"),
        ({"dp": "work.notified", "op": "==", "value": "perhaps"}, "rule_value_type"),
        ({"dp": "work.ot_month", "op": "<", "param": "mini.nothing"}, "unknown_parameter"),
        ({"all": []}, "rule_invalid"),
        ({"all": [{"present": "work.ph"}], "any": []}, "rule_invalid"),
        ({"when": 1}, "rule_invalid"),
        ("work.ph < 9", "rule_invalid"),
        ({"present": "work.nope"}, "unknown_datapoint"),
    ],
)
def test_bad_rules_are_refused_with_a_code(mini: Library, raw: Any, code: str) -> None:
    with pytest.raises(RuleProblem) as exc:
        _rule(mini, raw)
    assert exc.value.code == code


def test_blame_names_only_the_failing_facts(mini: Library) -> None:
    rule = _rule(
        mini,
        {
            "all": [
                {"dp": "work.ot_month", "op": "<=", "value": 40},
                {"dp": "work.ot_year", "op": "<=", "value": 200},
                {
                    "any": [
                        {"dp": "work.ph", "op": ">=", "value": 6},
                        {"not": {"present": "work.audit_date"}},
                    ]
                },
            ]
        },
    )
    values = {"work.ot_month": 30.0, "work.ot_year": 250.0, "work.ph": 5.0, "work.audit_date": "x"}
    assert blame(rule, values, {}) == ("work.ot_year", "work.ph", "work.audit_date")
    assert datapoints_of(rule) == ("work.ot_month", "work.ot_year", "work.ph", "work.audit_date")
    assert parameters_of(rule) == ()


def test_status_table() -> None:
    assert status_of(FALSE, TRUE) is Status.NOT_APPLICABLE
    assert status_of(TRUE, TRUE) is Status.MET
    assert status_of(UNKNOWN, TRUE) is Status.MET
    assert status_of(TRUE, FALSE) is Status.NOT_MET
    assert status_of(UNKNOWN, FALSE) is Status.UNKNOWN
    assert status_of(TRUE, UNKNOWN) is Status.UNKNOWN


def test_if_then_is_an_implication_that_blames_only_the_consequence(mini: Library) -> None:
    raw = {
        "if": {"dp": "work.notified", "op": "==", "value": True},
        "then": {"dp": "work.ot_year", "op": "<=", "value": 300},
    }
    rule = _rule(mini, raw)
    check = compile_rule(rule)
    assert check({"work.notified": False}, {}) == TRUE  # the condition does not hold
    assert check({"work.notified": True, "work.ot_year": 250.0}, {}) == TRUE
    assert check({"work.notified": True, "work.ot_year": 350.0}, {}) == FALSE
    assert check({"work.notified": True}, {}) == UNKNOWN
    assert check({"work.ot_year": 350.0}, {}) == UNKNOWN
    assert blame(rule, {"work.notified": True, "work.ot_year": 350.0}, {}) == ("work.ot_year",)
    assert datapoints_of(rule) == ("work.notified", "work.ot_year")
    with pytest.raises(RuleProblem):
        _rule(mini, {"if": {"present": "work.ph"}})
