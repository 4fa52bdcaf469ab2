"""The results page shows a framework's rating (issue 16 point 2), in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.assessments.models import Answer, Assessment
from commonground.facilities.models import RequiredFramework
from tests.web.conftest import client_for


@pytest.mark.parametrize(("lang", "words"), [("en", "Rating "), ("vi", "Xếp hạng ")])
def test_the_results_page_shows_the_grade_and_why(
    cast: dict[str, Any], assessment: Assessment, lang: str, words: str
) -> None:
    RequiredFramework.objects.create(buyer=cast["buyer"], framework_id="example-buyer-code")
    Answer.objects.create(assessment=assessment, datapoint="working_time.overtime_hours_month_max", value=60)
    Answer.objects.create(assessment=assessment, datapoint="child_labour.youngest_worker_age", value=14)
    html = client_for("alice", lang).get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert f"{words}E" in html  # a child worker breaks a zero-tolerance requirement
    assert 'class="grade grade-4"' in html
    assert ("zero-tolerance" if lang == "en" else "không khoan nhượng") in html


def test_frameworks_without_a_rating_show_none(cast: dict[str, Any], assessment: Assessment) -> None:
    html = client_for("alice").get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert "Frameworks" in html and 'class="rating"' not in html
