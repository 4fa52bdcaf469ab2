"""The exact crosswalk (issue 16, point 3; decision 0039): each case of the issue at its edge, and a
property test that the relation agrees with brute-force evaluation of random small rule pairs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core import crosswalk as cw
from commonground.core.crosswalk import Reason, as_dict, as_text, crosswalk, judge, reason_text
from commonground.core.frameworks import Requirement
from commonground.core.library import load_library
from commonground.core.logic import TRUE, Status, status_of
from commonground.core.rules import parse
from commonground.core.single import compile_rule
from tests.conftest import FIXTURES, MINI

LIB = load_library([MINI, FIXTURES / "crosswalk"], shipped=False)
DAY = dt.date(2025, 6, 1)  # mini.min_wage: 4,960,000 in region 1, 4,410,000 in region 2


def _req(key: str) -> Requirement:
    framework, rid = key.split("/")
    return next(r for r in LIB.frameworks[framework].requirements if r.id == rid)


def _judge(a: str, b: str) -> tuple[str, Reason | None]:
    return judge(_req(a), _req(b), LIB, DAY)


def test_nine_facts_that_differ_only_in_overtime_40_or_50_are_not_equal() -> None:
    # 4 test values for each of nine facts is 262,144 combinations: the old grid stopped at 50,000
    # before it reached an overtime of 45 hours, and called the pair equal
    assert _judge("cw-left/nine", "cw-right/nine") == ("stricter", None)
    assert _judge("cw-right/nine", "cw-left/nine") == ("looser", None)
    assert _judge("cw-left/nine", "cw-left/nine") == ("equal", None)


def test_the_law_or_the_prevailing_wage_whichever_is_higher_is_stricter_than_the_law() -> None:
    assert _judge("cw-left/wage_or_prevailing", "cw-right/wage") == ("stricter", None)
    assert _judge("cw-right/wage", "cw-left/wage_or_prevailing") == ("looser", None)
    # the same words as one expression are not stricter: with the prevailing wage missing,
    # `max(minimum, missing)` is unknown and lets a wage under the legal minimum through, which the
    # law fails (answered, it is stricter: a prevailing wage above the minimum fails more wages)
    assert _judge("cw-left/wage_max_expr", "cw-right/wage") == ("overlap", None)
    assert _judge("cw-left/wage_or_prevailing", "cw-left/wage_max_expr") == ("stricter", None)


def test_a_present_rule_is_stricter_than_a_rule_that_holds_for_every_answer() -> None:
    # `present` fails a missing answer; `x <= 5 or x > 5` is only unknown without it
    assert _judge("cw-left/present", "cw-right/always") == ("stricter", None)
    assert _judge("cw-right/always", "cw-left/present") == ("looser", None)


def test_counts_are_decided() -> None:
    assert _judge("cw-left/two_of_three", "cw-right/two_of_three") == ("stricter", None)  # a >= 10 vs 5
    assert _judge("cw-left/two_of_three", "cw-right/one_of_three") == ("stricter", None)
    # two of [a >= 5, b >= 10, c >= 10] always holds one of b, c >= 10; unknown parts count as
    # either, and the three-valued count follows
    assert _judge("cw-right/two_of_three", "cw-right/one_of_three") == ("stricter", None)
    assert _judge("cw-right/one_of_three", "cw-left/two_of_three") == ("looser", None)


def test_an_expression_linear_in_one_fact_is_decided() -> None:
    assert _judge("cw-left/wage105", "cw-right/wage100") == ("stricter", None)
    assert _judge("cw-left/wage105", "cw-right/wage") == ("stricter", None)
    assert _judge("cw-right/wage100", "cw-right/wage") == ("equal", None)  # 1.00 x the minimum is it


def test_an_expression_over_two_facts_is_undecidable_and_says_why() -> None:
    relation, reason = _judge("cw-left/ghg_sum", "cw-right/scope1")
    assert relation == "undecidable" and reason == Reason("several_facts", "cw.s1 + cw.s2 < 3000")
    assert reason_text(reason, "en") == "an expression calculates with several facts: cw.s1 + cw.s2 < 3000"
    vi = reason_text(reason, "vi")
    assert vi is not None and "cw.s1 + cw.s2 < 3000" in vi and vi != reason_text(reason, "en")
    pairs = crosswalk(LIB, "cw-left", "cw-right", DAY)
    data = as_dict(pairs, "en")
    ghg = next(p for p in data["pairs"] if p["a"] == "cw-left/ghg_sum")
    assert ghg["relation"] == "undecidable" and ghg["reason"].startswith("an expression calculates")
    assert all(p["reason"] is None for p in data["pairs"] if p["relation"] != "undecidable")
    text = as_text(pairs, "cw-left", "cw-right", "vi")
    assert vi in text


def test_past_its_limits_a_pair_is_undecidable_never_a_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cw, "MAX_CASES", 3)  # the wage has more cells than that
    relation, reason = _judge("cw-left/wage105", "cw-right/wage")
    assert relation == "undecidable" and reason is not None and reason.code == "too_many"
    monkeypatch.undo()
    monkeypatch.setattr(cw, "MAX_NODES", 20)
    relation, reason = _judge("cw-left/nine", "cw-right/nine")
    assert relation == "undecidable" and reason is not None and reason.code == "too_many"
    assert "(20)" in (reason_text(reason, "en") or "")


# ---- the relation agrees with brute force ------------------------------------------------------

FACTS = ("cw.p", "cw.q")  # decimals in [0, 4]
OPS = ("<", "<=", ">", ">=", "==", "!=")
constant = st.integers(-1, 5)  # a limit may lie outside the answers' range

leaf = st.one_of(
    st.builds(
        lambda dp, op, v: {"dp": dp, "op": op, "value": v},
        st.sampled_from(FACTS),
        st.sampled_from(OPS),
        constant,
    ),
    st.builds(
        lambda dp, lo, width: {"dp": dp, "op": "between", "value": [lo, lo + width]},
        st.sampled_from(FACTS),
        constant,
        st.integers(0, 3),
    ),
    st.builds(lambda op: {"dp": "cw.p", "op": op, "ref": "cw.q"}, st.sampled_from(OPS)),
    st.builds(lambda dp: {"present": dp}, st.sampled_from((*FACTS, "cw.flag", "cw.n"))),
    st.builds(lambda v: {"dp": "cw.flag", "op": "==", "value": v}, st.booleans()),
    st.builds(lambda op, v: {"dp": "cw.n", "op": op, "value": v}, st.sampled_from(OPS), constant),
    st.builds(  # linear in one fact: its roots are multiples of 1/4
        lambda dp, k, c, op, d: {"expr": f"{k} * {dp} + {c} {op} {d}"},
        st.sampled_from(FACTS),
        st.sampled_from((1, 2, 4, -1)),
        st.integers(0, 3),
        st.sampled_from(OPS),
        st.integers(0, 6),
    ),
    st.builds(  # facts under max and min: decided by their order
        lambda op, c: {"expr": f"cw.p {op} max(cw.q, {c})"}, st.sampled_from(OPS), st.integers(0, 4)
    ),
    st.builds(lambda op: {"expr": f"cw.n * 2 {op} cw.n + 3"}, st.sampled_from(OPS)),
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    parts = st.lists(children, min_size=1, max_size=3)
    return st.one_of(
        st.builds(lambda ps: {"all": ps}, parts),
        st.builds(lambda ps: {"any": ps}, parts),
        st.builds(lambda p: {"not": p}, children),
        st.builds(lambda c, t: {"if": c, "then": t}, children, children),
        st.builds(lambda ps, k: {"at_least": min(k, len(ps)), "of": ps}, parts, st.integers(1, 3)),
    )


rule = st.recursive(leaf, _extend, max_leaves=5)
requirement = st.tuples(rule, st.one_of(st.none(), leaf))

# every cell of every leaf above: limits and roots are multiples of 1/4, and two facts between the
# same two limits need three values between them to take each order
GRID = {
    "cw.p": [None, *(i / 16 for i in range(0, 65))],
    "cw.q": [None, *(i / 16 for i in range(0, 65))],
    "cw.n": [None, *range(0, 7)],
    "cw.flag": [None, True, False],
}


def _make(raw: tuple[Any, Any]) -> Requirement:
    template = LIB.frameworks["cw-left"].requirements[0]
    rule_raw, applies_raw = raw
    parsed = parse(rule_raw, LIB.datapoints, {})
    applies = parse(applies_raw, LIB.datapoints, {}) if applies_raw is not None else None
    return dataclasses.replace(template, rule=parsed, applies_when=applies)


def _passes(req: Requirement, names: list[str]) -> list[bool]:
    """Whether the requirement lets each answer set of the grid through (the facts `names` read)."""
    assert req.rule is not None
    holds = compile_rule(req.rule)
    applies = compile_rule(req.applies_when) if req.applies_when is not None else None
    out = []
    for combo in itertools.product(*(GRID[n] for n in names)):
        values = dict(zip(names, combo, strict=True))
        a = applies(values, {}) if applies is not None else TRUE
        out.append(status_of(a, holds(values, {})) is not Status.NOT_MET)
    return out


def test_two_facts_equal_between_two_limits_are_a_cell() -> None:
    # fails only when p = q strictly between 1 and 2: no limit sits there, only the order of p and q
    rare = _make(
        (
            {
                "not": {
                    "all": [
                        {"dp": "cw.p", "op": "==", "ref": "cw.q"},
                        {"dp": "cw.p", "op": ">", "value": 1},
                        {"dp": "cw.p", "op": "<", "value": 2},
                    ]
                }
            },
            None,
        )
    )
    always = _make(
        ({"any": [{"dp": "cw.p", "op": "<=", "value": 1}, {"dp": "cw.p", "op": ">", "value": 1}]}, None)
    )
    assert judge(rare, always, LIB, DAY) == ("stricter", None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requirement, requirement)
def test_the_relation_agrees_with_brute_force(first: tuple[Any, Any], second: tuple[Any, Any]) -> None:
    a, b = _make(first), _make(second)
    relation, reason = judge(a, b, LIB, DAY)
    assert relation != "undecidable", reason
    names = sorted(set(a.datapoints) | set(b.datapoints))
    pa, pb = _passes(a, names), _passes(b, names)
    a_only = any(x and not y for x, y in zip(pa, pb, strict=True))
    b_only = any(y and not x for x, y in zip(pa, pb, strict=True))
    expected = "overlap" if a_only and b_only else "looser" if a_only else "stricter" if b_only else "equal"
    assert relation == expected
