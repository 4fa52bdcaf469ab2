"""Solutions and peer insights: the catalogue by topic; for a solution, how many adopted it and the
median change after adoption against similar non-adopters, suppressed under k; adoption recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commonground.actions.models import Adoption
from commonground.improvement import services
from tests.improvement.conftest import PROFILE, client_for, make_assessment_with, make_peer, sample_values


def _factory(name: str, before: float, after: float, *, adopts: bool) -> Any:
    peer = make_peer(name, before, years=(2023, 2024))
    make_assessment_with(
        peer, 2025, {**sample_values(), **PROFILE, "working_time.overtime_hours_month_max": after}
    )
    if adopts:
        Adoption.objects.create(
            facility=peer, solution_id="digital_time_keeping", adopted_on=dt.date(2024, 5, 1)
        )
    return peer


def _sector(adopters: int, others: int) -> None:
    for i in range(adopters):
        _factory(f"Adopter {i}", 60 + i, 30 + i, adopts=True)  # about -50 %
    for i in range(others):
        _factory(f"Other {i}", 60 + i, 54 + i, adopts=False)  # about -10 %


def test_the_catalogue_lists_solutions_by_topic_in_both_languages(cast: dict[str, Any]) -> None:
    catalogue = services.list_solutions(lang="vi")
    assert sum(len(v) for v in catalogue.values()) >= 40
    body = client_for("bob", "vi").get("/solutions/?topic=working_time").content.decode()
    assert "Chấm công điện tử có chặn giờ làm thêm" in body
    assert "Chi phí" in body and "Độ khó" in body
    assert "Rooftop" not in body  # another topic is filtered out


def test_a_solution_shows_its_effect_with_group_sizes_and_a_range(cast: dict[str, Any]) -> None:
    _sector(5, 6)
    detail = services.get_solution("digital_time_keeping", user=cast["bob"], lang="en")
    assert detail.adopters == 5
    overtime = next(i for i in detail.insights if i.effect.metric == "overtime_month_max")
    e = overtime.effect
    assert not e.suppressed and (e.adopters, e.comparison) == (5, 6)
    assert e.difference is not None and e.difference < -30
    assert e.low is not None and e.high is not None and e.low <= e.difference <= e.high
    body = client_for("bob", "en").get("/solutions/digital_time_keeping/").content.decode()
    assert "5 facilities recorded adopting it." in body and "(6 factories)" in body and "n = " not in body
    assert "Adopter 0" not in body and "Other 0" not in body


def test_an_effect_with_fewer_than_k_adopters_is_hidden(cast: dict[str, Any]) -> None:
    _sector(4, 6)
    detail = services.get_solution("digital_time_keeping", user=cast["bob"])
    overtime = next(i for i in detail.insights if i.effect.metric == "overtime_month_max")
    assert overtime.effect.suppressed and overtime.effect.difference is None and overtime.sentence is None
    body = client_for("bob", "en").get("/solutions/digital_time_keeping/").content.decode()
    assert "Hidden: fewer than 5 adopters" in body


def test_factories_like_yours_get_the_sentence_on_the_improvement_page(cast: dict[str, Any]) -> None:
    _sector(5, 6)
    make_assessment_with(cast["facility"], 2024, {**sample_values(), **PROFILE})
    insights = services.get_peer_insights(cast["facility"].pk, user=cast["alice"], lang="en")
    assert any(i.effect.metric == "overtime_month_max" for i in insights)
    body = client_for("alice", "en").get(f"/facilities/{cast['facility'].pk}/improvement/").content.decode()
    assert "Factories like yours that adopted “Digital time-keeping with an overtime cap”" in body
    assert "(5 that adopted it)" in body and "uncertainty" not in body


def test_an_editor_records_an_adoption_and_bad_input_is_shown_beside_the_field(cast: dict[str, Any]) -> None:
    url = f"/facilities/{cast['facility'].pk}/adoptions/new"
    client = client_for("alice", "en")
    bad = client.post(url, {"solution_id": "no_such_thing", "adopted_on": "2026-02-01"})
    assert bad.status_code == 400 and "no_such_thing" in bad.content.decode()
    assert not Adoption.objects.exists()
    ok = client.post(
        url, {"solution_id": "condensate_recovery", "adopted_on": "2026-02-01", "note": "line 3"}
    )
    assert ok.status_code == 302
    adoption = Adoption.objects.get()
    assert (adoption.facility, adoption.solution_id, adoption.recorded_by) == (
        cast["facility"],
        "condensate_recovery",
        cast["alice"],
    )
    assert (
        client_for("bob", "en")
        .post(url, {"solution_id": "condensate_recovery", "adopted_on": "2026-02-01"})
        .status_code
        == 404
    )
