"""Frameworks: laws, standards, buyer codes and improvement indices, each a file of requirements."""

from __future__ import annotations

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
    requirements: tuple[RequirementSpec, ...] = Field(min_length=1)

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
