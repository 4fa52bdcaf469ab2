"""What to fix first: zero tolerance first, then the law, with the reasons for every rank shown."""

from __future__ import annotations

from typing import Any

from commonground.improvement import services
from tests.improvement.conftest import client_for, own_assessment


def test_zero_tolerance_comes_first_and_every_rank_has_reasons(cast: dict[str, Any]) -> None:
    own_assessment(cast, 60, **{"child_labour.youngest_worker_age": 14})
    found = services.get_priorities(cast["facility"].pk, user=cast["bob"], lang="en")
    assert found.period is not None and found.rows
    first = found.rows[0]
    assert first.priority.severity == "zero_tolerance"
    assert first.priority.datapoint == "child_labour.youngest_worker_age"
    assert [r.priority.rank for r in found.rows] == list(range(1, len(found.rows) + 1))
    assert all(row.reasons for row in found.rows)
    overtime = next(r for r in found.rows if r.priority.datapoint == "working_time.overtime_hours_month_max")
    assert overtime.priority.legal and "Bao Brand" in overtime.priority.buyers
    assert any(s.id == "digital_time_keeping" for s in overtime.priority.solutions)


def test_the_page_gives_the_reasons_in_vietnamese_and_links_solutions(cast: dict[str, Any]) -> None:
    own_assessment(cast, 60)
    body = client_for("alice", "vi").get(f"/facilities/{cast['facility'].pk}/priorities/").content.decode()
    assert "Vì sao xếp ở thứ hạng này" in body
    assert "Vi phạm pháp luật Việt Nam" in body
    assert "/solutions/digital_time_keeping/" in body


def test_without_an_assessment_the_page_says_so(cast: dict[str, Any]) -> None:
    body = client_for("bob", "en").get(f"/facilities/{cast['facility'].pk}/priorities/").content.decode()
    assert "the ranked list appears after the first one" in body
