"""Solutions and training resources: what other factories did about a finding, and where to learn it.

Both are library data (`library/solutions/*.yaml`, `library/trainings/*.yaml`), checked on load
against the catalogue: every data point and training a solution names must exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from .text import Label, Model, Text

if TYPE_CHECKING:
    from .library import Library

Difficulty = Literal["low", "medium", "high"]
Estimate = Literal["cost", "cost_and_payback"]
DIFFICULTY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
SOLUTION_ID = r"^[a-z][a-z0-9_]*$"


def _ordered(pair: tuple[int, int] | None, name: str) -> None:
    if pair is not None and not 0 <= pair[0] <= pair[1]:
        raise ValueError(f"{name} must be [low, high] with 0 <= low <= high")


class Solution(Model):
    id: str = Field(pattern=SOLUTION_ID)
    topic: str
    title: Text
    summary: Text
    datapoints: tuple[str, ...] = Field(min_length=1)
    cost_vnd: tuple[int, int]
    payback_months: tuple[int, int] | None = None
    difficulty: Difficulty
    source: Label
    estimate: Estimate | None = None  # which figures are ours rather than the source's
    url: str | None = None
    trainings: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _ranges(self) -> Solution:
        _ordered(self.cost_vnd, "cost_vnd")
        _ordered(self.payback_months, "payback_months")
        return self

    @property
    def effort(self) -> tuple[int, int]:
        """Smaller is easier: difficulty first, then the low end of the cost."""
        return DIFFICULTY_RANK[self.difficulty], self.cost_vnd[0]


class TrainingResource(Model):
    id: str = Field(pattern=SOLUTION_ID)
    topic: str
    title: Text
    summary: Text
    datapoints: tuple[str, ...] = Field(min_length=1)
    provider: Label
    url: str | None = None


class SolutionFile(Model):
    solutions: tuple[Solution, ...] = Field(min_length=1)


class TrainingFile(Model):
    trainings: tuple[TrainingResource, ...] = Field(min_length=1)


def solutions_for(lib: Library, datapoint: str) -> list[Solution]:
    """The solutions that act on a data point, easiest and cheapest first."""
    found = [s for s in lib.solutions.values() if datapoint in s.datapoints]
    return sorted(found, key=lambda s: (*s.effort, s.id))


def trainings_for(lib: Library, datapoint: str) -> list[TrainingResource]:
    """The training resources about a data point, by id."""
    return sorted((t for t in lib.trainings.values() if datapoint in t.datapoints), key=lambda t: t.id)
