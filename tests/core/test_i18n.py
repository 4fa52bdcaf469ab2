"""One translation mechanism: core reads the same catalogue as the pages, through the standard library."""

from __future__ import annotations

import pytest

from commonground.core import (
    crosswalk,
    errors,
    facility_report,
    insights,
    metrics,
    numbers,
    priorities,
    report,
    units,
)
from commonground.core.i18n import gettext, ngettext, npgettext, pgettext
from commonground.core.imports import output as imports_output
from commonground.core.imports import template as imports_template

TABLES = {
    "errors.MESSAGES": errors.MESSAGES,
    "errors.KIND_WORDS": errors.KIND_WORDS,
    "report.words": report._WORDS,
    "facility_report.words": facility_report.WORDS,
    "report.severity": report.SEVERITY_WORDS,
    "report.party": report.PARTY_WORDS,
    "priorities.templates": priorities.TEMPLATES,
    "priorities.difficulty": priorities.DIFFICULTY_WORDS,
    "crosswalk.relations": crosswalk._RELATION_WORDS,
    "crosswalk.reasons": crosswalk._REASON_WORDS,
    "imports.status": imports_output.STATUS_WORDS,
    "imports.meta": imports_output._META,
    "imports.sentences": {
        "head": imports_output._HEAD,
        "done": imports_output._DONE,
        "same": imports_output._SAME,
        "intro": imports_template._INTRO,
    },
    "imports.how": imports_template._HOW,
    "insights.sentences": insights.SENTENCES,
    "metrics.labels": metrics.LABELS,
    "metrics.bases": {basis: words for basis, (_dp, _per, words) in metrics.BASES.items()},
    "numbers.money": numbers.MONEY_WORDS,
    "numbers.marks": numbers.MARK_WORDS,
}
# Unit symbols that read the same in both languages (kg, m³, kWh…) need no entry; these are words.
UNIT_WORDS = ["h", "min", "VND", "t", "L", "tCO₂e", "kgCO₂e"]


def test_a_message_reads_in_vietnamese_and_english_is_the_key() -> None:
    assert gettext("the file or directory does not exist", "vi") == "tệp hoặc thư mục không tồn tại"
    assert gettext("the file or directory does not exist", "en") == "the file or directory does not exist"
    assert gettext("a message nobody translated", "vi") == "a message nobody translated"
    assert ngettext("{n} worker", "{n} workers", 2, "en") == "{n} workers"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_message_in_core_has_its_vietnamese_in_the_catalogue(name: str) -> None:
    untranslated = [text for text in TABLES[name].values() if gettext(text, "vi") == text]
    assert untranslated == []


def test_every_unit_word_has_its_vietnamese_in_the_catalogue() -> None:
    assert [w for w in UNIT_WORDS if pgettext("unit", w, "vi") == w] == []
    counted = [units._COUNTED[u] for u in ("day", "week", "month", "year")]
    assert [one for one, many in counted if npgettext("unit", one, many, 2, "vi") == many] == []
    assert units.unit_word("week", "en") == "weeks" and units.unit_word("h/week", "en") == "h/week"
    assert (
        units.unit_word("VND/month", "vi") == "đồng/tháng"
        and units.unit_word("VND/month", "en") == "VND/month"
    )
    assert units.unit_word("day", "en", one=True) == "day" and units.unit_word("day", "vi") == "ngày"
    assert units.unit_word("tCO2e", "vi") == "tấn CO₂e" and units.unit_word("kWh", "vi") == "kWh"


def test_money_and_separators_in_words_of_each_language() -> None:
    assert numbers.money_vnd(2_500_000_000, "vi") == "2,5 tỷ đồng"
    assert numbers.money_vnd(2_500_000_000, "en") == "2.5 billion VND"
    assert numbers.money_vnd(3_000_000, "vi") == "3 triệu đồng" and numbers.money_vnd(950, "en") == "950 VND"
    assert numbers.Mark(",").in_lang("vi") == "dấu phẩy" and numbers.Mark(".").in_lang("en") == "a point"


def test_metric_labels_in_both_languages() -> None:
    energy = metrics.METRICS["energy_intensity.pieces"].label
    assert (energy.en, energy.vi) == ("Energy per 1,000 pieces", "Năng lượng trên 1.000 sản phẩm")
    water = metrics.METRICS["water_intensity.tonne"].label
    assert (water.en, water.vi) == ("Water per tonne", "Nước sử dụng trên tấn")


def test_a_problem_renders_in_both_languages_with_its_words() -> None:
    problem = errors.Problem("wrong_type", params={"type": "integer", "value": "abc"})
    assert problem.message("en") == "expected a whole number, got 'abc'"
    assert problem.message("vi") == "cần một số nguyên, nhưng nhận được 'abc'"
    assert report.status_word("not_met", "vi") == "không đạt" and report.status_word("odd", "vi") == "odd"
