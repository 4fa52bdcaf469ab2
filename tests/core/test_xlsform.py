"""Skip logic: applicability conditions written in XPath where they can be, and left out (the
question always asked) where they cannot."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.library import cached_library
from commonground.core.questionnaire import build_questionnaire
from commonground.core.rules import parse
from commonground.core.xlsform import build_form, field_name, xpath_of

LIB = cached_library(())
ASKED = frozenset(LIB.datapoints)


def _xpath(raw: dict[str, Any]) -> str | None:
    return xpath_of(parse(raw, LIB.datapoints, {p: None for p in LIB.parameters}), ASKED)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"dp": "facility.workers_total", "op": ">=", "value": 1000}, "${facility__workers_total} >= 1000"),
        (
            {"dp": "facility.workers_total", "op": "between", "value": [300, 999]},
            "(${facility__workers_total} >= 300 and ${facility__workers_total} <= 999)",
        ),
        ({"dp": "dormitories.provided", "op": "==", "value": True}, "${dormitories__provided} = 'yes'"),
        (
            {"dp": "wastewater.discharge_type", "op": "in", "value": ["direct", "indirect_to_ciz_wwtp"]},
            "(${wastewater__discharge_type} = 'direct' or ${wastewater__discharge_type} = 'indirect_to_ciz_wwtp')",
        ),
        (
            {"dp": "wages.pay_forms", "op": "contains", "value": ["hourly"]},
            "(selected(${wages__pay_forms}, 'hourly'))",
        ),
        (
            {"not": {"dp": "dormitories.provided", "op": "==", "value": False}},
            "not(${dormitories__provided} = 'no')",
        ),
    ],
)
def test_conditions_in_xpath(raw: dict[str, Any], expected: str) -> None:
    assert _xpath(raw) == expected


def test_a_condition_on_another_answer_is_not_written() -> None:
    ref = {
        "dp": "working_time.overtime_hours_month_max",
        "op": "<=",
        "ref": "working_time.overtime_hours_month_max",
    }
    assert _xpath(ref) is None
    assert (
        xpath_of(
            parse({"dp": "facility.workers_total", "op": ">", "value": 1}, LIB.datapoints, {}), frozenset()
        )
        is None
    )


def test_a_question_whose_every_use_has_a_condition_is_skipped_otherwise() -> None:
    form = build_form(build_questionnaire(LIB, ["vn-osh-2015"]), LIB.topics, ["vn-osh-2015"])
    rows = {r["name"]: r for r in form.survey}
    assert form.form_id == "commonground-vn-osh-2015"
    relevant = [r for r in form.survey if r.get("relevant")]
    assert relevant, "vn-osh-2015 has applicability conditions"
    assert "relevant" not in rows[field_name("facility.workers_total")]  # a condition is always asked
    assert all(r["label"]["vi"] and r["label"]["en"] for r in form.survey if r["type"] != "end_group")
