"""Rating schemes in a framework file (issue 16 point 2): sections graded by bands, the overall grade
capped by the worst section, zero-tolerance overrides, only the factory's own requirements counted;
the same on the single and the columnar path; a scheme that cannot work is refused by the check."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.assessments import Assessment
from commonground.core.columnar import evaluate_many
from commonground.core.engine import Engine
from commonground.core.errors import CommonGroundError
from commonground.core.library import load_library
from commonground.core.scoring import Rated
from tests.conftest import FIXTURES, MINI

RATINGS = FIXTURES / "ratings"
LIB = load_library([MINI, RATINGS], shipped=False)
GOOD = {"work.notified": True, "work.leading": True, "work.ot_year": 50}


def rated(values: dict[str, Any]) -> Rated:
    """The rating, after checking both paths give the same summary."""
    a = Assessment({"name": "x"}, dt.date(2025, 1, 1), dt.date(2025, 12, 31), values)
    single = Engine(LIB, ["mini-rated"]).evaluate(a)
    (columnar,) = evaluate_many(LIB, [a], ["mini-rated"])
    assert single.frameworks[0].summary == columnar.frameworks[0].summary
    rating = single.frameworks[0].summary.rating
    assert rating is not None
    return rating


@pytest.mark.parametrize(
    ("overtime", "grade"),
    # met of the four limits 10/20/30/40 h: 4 (100 %), 3 (75 %: exactly A's minimum), 2 (50 %: B's), 1, 0
    [(5, "A"), (15, "A"), (25, "B"), (35, "C"), (45, "C")],
)
def test_a_section_is_graded_by_the_first_band_its_compliance_reaches(overtime: float, grade: str) -> None:
    rating = rated({**GOOD, "work.ot_month": overtime})
    assert dict(rating.sections)["hours"] == grade and dict(rating.sections)["notice"] == "A"


def test_the_worst_section_caps_the_overall_grade() -> None:
    # hours 2/4 (B) and notice 2/2 (A): overall 4/6 = 66.7 % → B; hours 1/4 (C): overall 3/6 = 50 % → B,
    # capped to C by the hours section
    assert rated({**GOOD, "work.ot_month": 25}).overall == "B"
    assert rated({**GOOD, "work.ot_month": 35}).overall == "C"


def test_a_zero_tolerance_breach_sets_the_overall_grade_whatever_the_scores() -> None:
    rating = rated({**GOOD, "work.ot_month": 5, "work.leading": False})
    assert dict(rating.sections)["hours"] == "A" and rating.zero_tolerance
    assert rating.overall == "C"
    assert not rated({**GOOD, "work.ot_month": 5}).zero_tolerance


def test_the_buyers_own_requirements_do_not_grade_the_factory() -> None:
    assert rated({**GOOD, "work.ot_month": 5, "work.ot_year": 500}).overall == "A"


def test_nothing_decided_is_no_grade_and_a_section_without_answers_is_left_out() -> None:
    empty = rated({})
    assert empty.overall is None and dict(empty.sections) == {"hours": None, "notice": None}
    partial = rated({"work.ot_month": 5})
    assert partial.overall == "A" and dict(partial.sections)["notice"] is None


def test_the_rating_is_in_the_json_contract() -> None:
    result = CliRunner().invoke(
        app,
        ["evaluate", "src/commonground/samples/01-garment-hcmc-2026.yaml", "-f", "example-buyer-code"],
    )
    summary = json.loads(result.stdout)["frameworks"][0]["summary"]
    assert summary["rating"]["overall"] in "ABCDE"
    assert set(summary["rating"]["sections"]) >= {"hours", "wages"}


BAD = """id: bad-rating
version: "1"
kind: buyer_code
name: {en: Bad, vi: Xấu}
source: {title: t}
rating: RATING
follow_up_days: FOLLOW
requirements:
  - {id: r, title: {en: t, vi: t}, text: {en: t, vi: t}, citation: x, severity: major, accountable: factory,
     rule: {dp: work.ot_month, op: "<=", value: 10}}
"""


@pytest.mark.parametrize(
    ("rating", "follow", "expected"),
    [
        ("{bands: [{grade: A, min: 50}, {grade: B, min: 60}, {grade: C, min: 0}]}", "{}", "best grade down"),
        ("{bands: [{grade: A, min: 50}, {grade: B, min: 10}]}", "{}", "the last 0"),
        ("{bands: [{grade: A, min: 50}, {grade: A, min: 0}]}", "{}", "its own grade"),
        ("{bands: [{grade: A, min: 50}, {grade: B, min: 0}], zero_tolerance: F}", "{}", "one of the grades"),
        ("{bands: [{grade: A, min: 50}, {grade: B, min: 0}]}", "{major: 0}", "between 1 and 730"),
        ("{bands: [{grade: A, min: 50}, {grade: B, min: 0}]}", "{severe: 30}", "severe"),
    ],
)
def test_a_scheme_that_cannot_work_is_refused_by_the_check(rating: str, follow: str, expected: str) -> None:
    text = BAD.replace("RATING", rating).replace("FOLLOW", follow)
    with pytest.raises(CommonGroundError) as caught:
        load_library([MINI], shipped=False, documents=[("bad.yaml", text)])
    rendered = " ".join(p.render("en") for p in caught.value.problems)
    assert expected in rendered and "bad.yaml" in rendered
