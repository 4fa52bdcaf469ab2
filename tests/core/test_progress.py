"""The questionnaire's topics in a person's order, and what is left to answer."""

from __future__ import annotations

from commonground.core.library import Library
from commonground.core.progress import TOPIC_ORDER, order_topics, progress, unanswered


def test_the_facility_profile_comes_first_then_people_then_environment() -> None:
    ordered = order_topics(["air", "wages", "facility", "mine", "working_time", "ours"])
    assert ordered == ["facility", "working_time", "wages", "air", "mine", "ours"]


def test_every_shipped_topic_has_its_place(shipped: Library) -> None:
    assert set(shipped.topics) == set(TOPIC_ORDER)


def test_progress_counts_per_topic_and_lists_what_is_left_in_order() -> None:
    questions = [("air.a", "air"), ("facility.s", "facility"), ("air.b", "air"), ("wages.w", "wages")]
    topics = progress(questions, answered={"air.a", "facility.s"})
    assert [t.topic for t in topics] == ["facility", "wages", "air"]
    assert [(t.answered, t.total, t.left) for t in topics] == [
        (1, 1, ()),
        (0, 1, ("wages.w",)),
        (1, 2, ("air.b",)),
    ]
    assert unanswered(topics) == 2
    assert progress([], answered=set()) == []
