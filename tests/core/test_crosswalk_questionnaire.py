"""Crosswalk relations computed from rules; the deduplicated questionnaire and its burden figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from commonground.core import questionnaire_out
from commonground.core.crosswalk import as_dict, as_text, crosswalk
from commonground.core.imports import template
from commonground.core.library import Library
from commonground.core.questionnaire import build_questionnaire


def _relations(lib: Library, a: str, b: str) -> dict[tuple[str, str], str]:
    return {(p.a.key, p.b.key): p.relation for p in crosswalk(lib, a, b, dt.date(2026, 1, 1))}


def test_relations_follow_the_thresholds(mini: Library) -> None:
    rel = _relations(mini, "mini-law", "mini-buyer")
    assert rel[("mini-law/ot-month", "mini-buyer/ot-month")] == "looser"  # <= 40 vs < 36
    assert rel[("mini-law/ph", "mini-buyer/ph")] == "looser"  # 5.5-9 for dyers only vs 6-9 for all
    assert rel[("mini-law/ot-month", "mini-buyer/combined")] == "overlap"
    back = _relations(mini, "mini-buyer", "mini-law")
    assert back[("mini-buyer/ot-month", "mini-law/ot-month")] == "stricter"
    same = _relations(mini, "mini-law", "mini-law")
    assert same[("mini-law/wage", "mini-law/wage")] == "equal"
    assert same[("mini-law/ot-year-200", "mini-law/ot-year-300")] == "overlap"  # different regimes


def test_manual_requirements_and_profile_facts_do_not_pair(mini: Library) -> None:
    rel = _relations(mini, "mini-law", "mini-law")
    assert not any("inspection" in a or "inspection" in b for a, b in rel)
    # ot-year-200 and ph share only facility.* facts through applicability: not a pair
    assert ("mini-law/ot-year-200", "mini-law/ph") not in rel


def test_crosswalk_outputs(mini: Library) -> None:
    pairs = crosswalk(mini, "mini-law", "mini-buyer", dt.date(2026, 1, 1))
    data = as_dict(pairs, "vi")
    assert data["counts"]["looser"] == 2 and len(data["pairs"]) == len(pairs)
    assert "lỏng hơn" in as_text(pairs, "mini-law", "mini-buyer", "vi")


def test_questionnaire_asks_each_fact_once(mini: Library) -> None:
    q = build_questionnaire(mini)
    ids = [qn.datapoint.id for qn in q.questions]
    assert len(ids) == len(set(ids))
    month = next(qn for qn in q.questions if qn.datapoint.id == "work.ot_month")
    assert {r.key for r in month.requirements} == {
        "mini-law/ot-month",
        "mini-buyer/ot-month",
        "mini-buyer/combined",
    }
    assert "site.minimum_wage_region" in ids  # the key of the minimum-wage parameter
    b = q.burden
    assert (b.frameworks, b.requirements, b.manual, b.datapoints_asked) == (3, 14, 1, 12)
    assert b.questions_without == 8 + 5 + 3  # law, buyer and index asked separately
    assert b.questions_saved == b.questions_without - b.datapoints_asked


def test_questionnaire_for_one_framework(mini: Library) -> None:
    q = build_questionnaire(mini, ["mini-buyer"])
    assert [qn.datapoint.id for qn in q.questions] == [
        "site.processes",
        "work.ot_month",
        "work.ot_year",
        "work.ph",
        "work.audit_date",
    ]
    assert q.burden.questions_saved == 0


def test_xlsx_export_is_readable_and_never_a_formula(mini: Library, tmp_path: Path) -> None:
    q = build_questionnaire(mini)
    path = tmp_path / "q.xlsx"
    template.write_template(q, path, "vi")
    ws = load_workbook(path)[template.QUESTIONS_SHEET]
    header = [c.value for c in ws[1]]
    assert header[0] == template.HEADINGS[0] and header[-1] == "Trả lời / Answer"
    ids = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert ids == [qn.datapoint.id for qn in q.questions]
    assert questionnaire_out.safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert questionnaire_out.safe_cell("-5") == "'-5" and questionnaire_out.safe_cell(5) == 5


def test_questionnaire_json_and_text(mini: Library) -> None:
    q = build_questionnaire(mini)
    data = questionnaire_out.as_dict(q, "en")
    assert data["burden"]["datapoints_asked"] == len(data["questions"])
    text = questionnaire_out.as_text(q, "vi")
    assert "bạn trả lời 12 điểm dữ liệu" in text and "[work]" in text
