"""How far a questionnaire has got: topics in the order a person answers them, and what is left.

The facility profile comes first (it decides which rules apply), then the people (contracts,
working time, wages, …, safety), then the environment. Topics this order does not name (a
user's own library) follow in the order they came.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

TOPIC_ORDER = (
    "facility",
    "contracts",
    "working_time",
    "wages",
    "benefits",
    "child_labour",
    "forced_labour",
    "discrimination",
    "freedom_of_association",
    "grievance",
    "osh",
    "fire_safety",
    "dormitories",
    "env_management",
    "env_practice",
    "chemicals",
    "energy",
    "water",
    "wastewater",
    "air",
    "waste",
    "ghg",
)
_RANK = {topic: i for i, topic in enumerate(TOPIC_ORDER)}


def order_topics(topics: Iterable[str]) -> list[str]:
    """Each topic once: the known ones in TOPIC_ORDER, then the others as they came."""
    seen = list(dict.fromkeys(topics))
    return sorted(seen, key=lambda t: (_RANK.get(t, len(_RANK)), seen.index(t)))


@dataclass(frozen=True)
class TopicProgress:
    topic: str
    total: int
    left: tuple[str, ...]  # the data points of this topic not answered yet, in questionnaire order

    @property
    def answered(self) -> int:
        return self.total - len(self.left)


def progress(questions: Sequence[tuple[str, str]], answered: Collection[str]) -> list[TopicProgress]:
    """Per topic, in order: `questions` are (data point id, topic); `answered` the ids answered."""
    by_topic: dict[str, list[str]] = {}
    for datapoint, topic in questions:
        by_topic.setdefault(topic, []).append(datapoint)
    return [
        TopicProgress(topic, len(ids), tuple(dp for dp in ids if dp not in answered))
        for topic, ids in ((t, by_topic[t]) for t in order_topics(by_topic))
    ]


def unanswered(topics: Sequence[TopicProgress]) -> int:
    return sum(len(t.left) for t in topics)
