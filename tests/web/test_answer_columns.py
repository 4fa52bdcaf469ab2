"""The sector's answers read straight into columns (on PostgreSQL by a binary COPY) are the columns
the object path builds, data point by data point, and one refresh reads them once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.accounts.library import library
from commonground.assessments import columns
from commonground.assessments.evaluations import core_assessments_of
from commonground.assessments.models import Answer, Assessment
from commonground.core.columnar import Columns
from commonground.web.demo.facilities import seed_demo


@pytest.fixture
def demo(db: None, settings: Any) -> None:
    settings.SNAPSHOTS_REFRESH = "job"
    seed_demo(facilities=12)


def _assessments() -> list[Assessment]:
    return list(Assessment.objects.exclude(status="draft").select_related("facility").order_by("-pk"))


def test_the_columns_are_those_of_the_object_path(demo: None) -> None:
    assessments = _assessments()
    Answer.objects.filter(assessment=assessments[0], datapoint="facility.processes").delete()
    expected = Columns.from_assessments(library(), core_assessments_of(assessments))
    found = columns.answer_columns(assessments)
    assert found.n == expected.n == len(assessments)
    assert np.array_equal(found.end, expected.end)
    assert found.start is not None and np.array_equal(found.start, expected.start)  # period.start
    assert set(found.values) == set(expected.values)
    for dp, column in expected.values.items():
        assert found.values[dp].dtype == column.dtype, dp
        assert np.array_equal(found.values[dp], column, equal_nan=column.dtype.kind == "f"), dp


def test_inside_one_refresh_the_answers_are_read_once(demo: None) -> None:
    assessments = _assessments()
    with columns.shared():
        whole = columns.answer_columns(assessments)
        with CaptureQueriesContext(connection) as queries:
            part = columns.answer_columns(assessments[5:1:-1])
    assert not [q for q in queries.captured_queries if "assessments_answer" in q["sql"]]
    for dp, column in whole.values.items():
        assert np.array_equal(part.values[dp], column[5:1:-1], equal_nan=column.dtype.kind == "f"), dp
    with CaptureQueriesContext(connection) as queries:
        columns.answer_columns(assessments[:2])
    assert [q for q in queries.captured_queries if "assessments_answer" in q["sql"]]  # not kept after
