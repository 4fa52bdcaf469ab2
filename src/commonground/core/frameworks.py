"""Frameworks: laws, standards, buyer codes and improvement indices, each a file of requirements."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from .parameters import Confidence
from .rules import Rule, datapoints_of
from .text import Label, Model, Text

Kind = Literal["law", "standard", "buyer_code", "improvement_index"]
Severity = Literal["zero_tolerance", "critical", "major", "minor"]
Accountable = Literal["factory", "buyer", "authority"]
Method = Literal["compliance_rate", "improvement_index", "level_points"]

SEVERITY_RANK: dict[str, int] = {"minor": 1, "major": 2, "critical": 3, "zero_tolerance": 4}


class Source(Model):
    publisher: str | None = None
    title: str
    url: str | None = None
    date: str | None = None


class Scoring(Model):
    method: Method = "compliance_rate"
    level_weights: dict[int, float] = Field(default_factory=lambda: {1: 25.0, 2: 50.0, 3: 25.0})


class Section(Model):
    id: str
    name: Text
    description: Text | None = None


class Band(Model):
    """A grade and the lowest compliance (0–100) that earns it."""

    grade: str = Field(min_length=1, max_length=20)
    min: float = Field(ge=0, le=100)
    label: Text | None = None


class Rating(Model):
    """A rating scheme: bands over compliance (met ÷ decided, 0–100), best first, of the requirements
    the factory must act on (those of the buyer or the authority do not count). Each section is
    graded; the overall grade is the band of the framework's compliance, no better than its worst
    section (`worst_section_caps`); a zero-tolerance requirement not met gives `zero_tolerance`'s
    grade (or worse) whatever the scores."""

    bands: tuple[Band, ...] = Field(min_length=2)
    worst_section_caps: bool = True
    zero_tolerance: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Rating:
        grades = [b.grade for b in self.bands]
        if len(set(grades)) != len(grades):
            raise ValueError("each band needs its own grade")
        mins = [b.min for b in self.bands]
        if any(later >= earlier for earlier, later in itertools.pairwise(mins)) or mins[-1] != 0:
            raise ValueError(
                "bands go from the best grade down: each 'min' lower than the one before, the last 0"
            )
        if self.zero_tolerance is not None and self.zero_tolerance not in grades:
            raise ValueError(f"zero_tolerance must be one of the grades: {', '.join(grades)}")
        return self

    def grade_of(self, index: int) -> str | None:
        return self.bands[index].grade if 0 <= index < len(self.bands) else None


class RequirementSpec(Model):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    title: Text
    text: Text
    citation: Label
    severity: Severity
    accountable: Accountable
    rule: dict[str, Any] | Literal["manual"]
    applies_when: dict[str, Any] | None = None
    partial: dict[str, Any] | None = None
    section: str | None = None
    level: Literal[1, 2, 3] | None = None
    confidence: Confidence | None = None
    note: Label | None = None


class FrameworkSpec(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    version: str
    kind: Kind
    name: Text
    description: Text | None = None
    source: Source
    effective_from: str | None = None
    scoring: Scoring = Field(default_factory=Scoring)
    sections: tuple[Section, ...] = ()
    notes: Text | None = None
    rating: Rating | None = None
    follow_up_days: dict[Severity, int] | None = None  # days to close a finding, by severity
    requirements: tuple[RequirementSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _follow_up(self) -> FrameworkSpec:
        if any(not 1 <= days <= 730 for days in (self.follow_up_days or {}).values()):
            raise ValueError("follow_up_days are between 1 and 730 days")
        return self

    @model_validator(mode="before")
    @classmethod
    def _version_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("version"), int | float):
            data = {**data, "version": str(data["version"])}
        return data


@dataclass(frozen=True, eq=False)
class Requirement:
    """A requirement whose rules are parsed and checked against the catalogue."""

    framework: str
    spec: RequirementSpec
    rule: Rule | None  # None: decided by a verifier (`rule: manual`)
    applies_when: Rule | None
    partial: Rule | None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def key(self) -> str:
        return f"{self.framework}/{self.spec.id}"

    @property
    def manual(self) -> bool:
        return self.rule is None

    @cached_property
    def rule_datapoints(self) -> tuple[str, ...]:
        """The facts the requirement judges (its rule and partial rule)."""
        return tuple(dict.fromkeys(datapoints_of(self.rule) + datapoints_of(self.partial)))

    @cached_property
    def datapoints(self) -> tuple[str, ...]:
        """Every fact needed to evaluate it, the applicability condition included."""
        return tuple(dict.fromkeys(self.rule_datapoints + datapoints_of(self.applies_when)))


@dataclass(frozen=True, eq=False)
class Framework:
    spec: FrameworkSpec
    requirements: tuple[Requirement, ...]
    file: str = ""

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def datapoints(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(dp for r in self.requirements for dp in r.datapoints))

    @cached_property
    def rating_sections(self) -> tuple[tuple[str, ...], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """What a rating grades: the factory's own requirements (not the buyer's or the
        authority's, which the factory cannot fix). Their sections (declared order, then first use),
        the (requirements, sections) membership matrix, and which of them are zero tolerance."""
        rated = self.rated
        used = [
            r.spec.section for r, ok in zip(self.requirements, rated, strict=True) if ok and r.spec.section
        ]
        order = tuple(s for s in dict.fromkeys([s.id for s in self.spec.sections] + used) if s in set(used))
        member = np.zeros((len(self.requirements), len(order)))
        for i, r in enumerate(self.requirements):
            if rated[i] and r.spec.section:
                member[i, order.index(r.spec.section)] = 1.0
        zero = np.array([r.spec.severity == "zero_tolerance" for r in self.requirements], dtype=bool)
        return order, member, zero & rated

    @cached_property
    def rated(self) -> npt.NDArray[np.bool_]:
        """The requirements a rating counts (the factory's own)."""
        return np.array([r.spec.accountable == "factory" for r in self.requirements], dtype=bool)

    @property
    def has_levels(self) -> bool:
        return any(r.spec.level is not None for r in self.requirements)

    @cached_property
    def level_columns(self) -> dict[str, dict[int, list[int]]]:
        """Section -> level -> positions of its requirements, sections in declared order."""
        used = [r.spec.section for r in self.requirements if r.spec.level is not None and r.spec.section]
        order = [s for s in dict.fromkeys([s.id for s in self.spec.sections] + used) if s in set(used)]
        columns: dict[str, dict[int, list[int]]] = {s: {1: [], 2: [], 3: []} for s in order}
        for i, r in enumerate(self.requirements):
            if r.spec.level is not None and r.spec.section in columns:
                columns[r.spec.section][r.spec.level].append(i)
        return columns

    @cached_property
    def level_matrix(self) -> npt.NDArray[np.float64]:
        """(requirements, sections x 3): 1 where requirement i counts at (section, level)."""
        matrix = np.zeros((len(self.requirements), 3 * len(self.level_columns)))
        for k, levels in enumerate(self.level_columns.values()):
            for level, positions in levels.items():
                matrix[positions, 3 * k + level - 1] = 1.0
        return matrix
