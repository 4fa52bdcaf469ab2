"""Trainings: an editor records one with participants by sex; bad input is refused beside the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from commonground.improvement import services
from commonground.improvement.models import Training
from tests.improvement.conftest import client_for

GOOD = {
    "topic": "working_time",
    "title": "Overtime rules for line leaders",
    "delivered_on": "2026-03-02",
    "women": "18",
    "men": "6",
    "others": "1",
    "provider": "Better Work Vietnam",
}


def test_an_editor_records_a_training_and_sees_it_listed(cast: dict[str, Any]) -> None:
    url = f"/facilities/{cast['facility'].pk}/trainings/"
    client = client_for("alice", "en")
    assert client.post(url, GOOD).status_code == 302
    training = Training.objects.get()
    assert (training.women, training.men, training.others, training.participants) == (18, 6, 1, 25)
    assert training.recorded_by == cast["alice"]
    assert "Overtime rules for line leaders" in client.get(url).content.decode()


def test_a_future_date_is_refused_beside_the_field_in_vietnamese(cast: dict[str, Any]) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client_for("alice", "vi").post(
        f"/facilities/{cast['facility'].pk}/trainings/", {**GOOD, "delivered_on": future}
    )
    assert response.status_code == 400
    assert "Ngày không thể ở tương lai." in response.content.decode()
    assert not Training.objects.exists()


def test_no_participant_and_an_unknown_topic_are_both_reported(cast: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        services.record_training(
            cast["facility"].pk,
            user=cast["alice"],
            topic="astrology",
            title="x",
            delivered_on=dt.date(2026, 1, 5),
            women=0,
            men=0,
        )
    assert set(raised.value.message_dict) == {"topic", "women"}


def test_a_viewer_sees_trainings_but_cannot_record_one(cast: dict[str, Any]) -> None:
    url = f"/facilities/{cast['facility'].pk}/trainings/"
    client = client_for("bob", "en")
    assert "Record a training" not in client.get(url).content.decode()
    assert client.post(url, GOOD).status_code == 404
    assert not Training.objects.exists()


def test_absurd_counts_and_overlong_text_are_refused_not_crashed(cast: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        services.record_training(
            cast["facility"].pk,
            user=cast["alice"],
            topic="osh",
            title="x" * 201,
            delivered_on=dt.date(2026, 1, 5),
            women=10**12,
            men=1,
        )
    assert set(raised.value.message_dict) == {"title", "women"}
    assert not Training.objects.exists()
