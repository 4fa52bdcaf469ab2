"""The demo's improvement data: adoptions in the middle year with outcomes that follow them, so the
peer insights find something; production volumes for intensities; trainings; deterministic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from commonground.accounts.library import library
from commonground.actions.models import Adoption
from commonground.improvement import peer_insights, sector
from commonground.improvement.models import Training
from commonground.web.demo import facilities as demo
from commonground.web.demo.improvement import seed_improvement

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def seeded(db: None) -> object:
    demo.seed_demo()
    return seed_improvement(today=TODAY)


def test_adoptions_fall_in_the_middle_year_on_catalogued_solutions(seeded: object) -> None:
    adoptions = list(Adoption.objects.all())
    assert len(adoptions) >= 60
    assert {a.adopted_on.year for a in adoptions} == {2024}
    assert {a.solution_id for a in adoptions} <= set(library().solutions)
    assert {"digital_time_keeping", "condensate_recovery"} <= {a.solution_id for a in adoptions}


def test_digital_time_keeping_cuts_overtime_more_than_at_similar_non_adopters(seeded: object) -> None:
    found = peer_insights.effects(library(), sector.panel_rows(), 5, solution_id="digital_time_keeping")
    overtime = found["digital_time_keeping/overtime_month_max"]
    assert not overtime.suppressed
    assert overtime.difference is not None and overtime.high is not None
    assert overtime.high < 0  # the whole range says adopters cut more


def test_trainings_count_participants_by_sex_and_volumes_make_intensities(seeded: object) -> None:
    trainings = list(Training.objects.all())
    assert len(trainings) >= 40
    assert all(t.participants > 0 and t.women >= t.men for t in trainings)
    assert all(TODAY - dt.timedelta(days=730) <= t.delivered_on <= TODAY for t in trainings)
    rows = sector.verified_rows(2024)
    assert any(
        not all(v != v for v in rows.metrics[m])
        for m in ("energy_intensity.pieces", "energy_intensity.tonne")
    )


def _seed_and_read() -> list[tuple[str, str, dt.date]]:
    """Seed everything, read the adoptions, and roll it all back."""
    with transaction.atomic():
        demo.seed_demo()
        seed_improvement(today=TODAY)
        found = sorted(Adoption.objects.values_list("facility__name", "solution_id", "adopted_on"))
        transaction.set_rollback(True)
    return found


def test_the_same_seed_gives_the_same_adoptions(db: None) -> None:
    first = _seed_and_read()
    assert first and _seed_and_read() == first


def test_the_seed_command_makes_condensate_recovery_and_time_keeping_show_their_effect(db: None) -> None:
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    found = peer_insights.effects(library(), sector.panel_rows(), 5)
    for key in ("condensate_recovery/energy_intensity.tonne", "digital_time_keeping/overtime_month_max"):
        effect = found[key]
        assert not effect.suppressed and effect.high is not None and effect.high < 0, key
