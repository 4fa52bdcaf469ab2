"""One translation mechanism: core reads the same catalogue as the pages, through the standard library."""

from __future__ import annotations

import pytest

from commonground.core import crosswalk, errors, priorities, questionnaire_out, report
from commonground.core.i18n import gettext, ngettext

TABLES = {
    "errors.MESSAGES": errors.MESSAGES,
    "errors.KIND_WORDS": errors.KIND_WORDS,
    "report.words": report._WORDS,
    "report.severity": report.SEVERITY_WORDS,
    "report.party": report.PARTY_WORDS,
    "priorities.templates": priorities.TEMPLATES,
    "priorities.difficulty": priorities.DIFFICULTY_WORDS,
    "crosswalk.relations": crosswalk._RELATION_WORDS,
    "questionnaire.head": dict(enumerate(questionnaire_out._HEAD)),
}


def test_a_message_reads_in_vietnamese_and_english_is_the_key() -> None:
    assert gettext("the file or directory does not exist", "vi") == "tệp hoặc thư mục không tồn tại"
    assert gettext("the file or directory does not exist", "en") == "the file or directory does not exist"
    assert gettext("a message nobody translated", "vi") == "a message nobody translated"
    assert ngettext("{n} worker", "{n} workers", 2, "en") == "{n} workers"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_message_in_core_has_its_vietnamese_in_the_catalogue(name: str) -> None:
    untranslated = [text for text in TABLES[name].values() if gettext(text, "vi") == text]
    assert untranslated == []


def test_a_problem_renders_in_both_languages_with_its_words() -> None:
    problem = errors.Problem("wrong_type", params={"type": "integer", "value": "abc"})
    assert problem.message("en") == "expected a whole number, got 'abc'"
    assert problem.message("vi") == "cần một số nguyên, nhưng nhận được 'abc'"
    assert report.status_word("not_met", "vi") == "không đạt" and report.status_word("odd", "vi") == "odd"
