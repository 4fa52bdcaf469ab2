"""The deduplicated questionnaire for a set of frameworks, and the burden it saves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .catalogue import DataPoint
from .frameworks import Framework, Requirement
from .library import Library


@dataclass(frozen=True)
class Question:
    datapoint: DataPoint
    requirements: tuple[Requirement, ...]

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.framework for r in self.requirements))


@dataclass(frozen=True)
class Burden:
    frameworks: int
    requirements: int  # every requirement of every framework
    decided_by_rules: int  # requirements a rule decides from the answers
    manual: int  # requirements a verifier decides
    datapoints_asked: int  # each fact once
    questions_without: int  # the sum of each framework's own questions (asked separately)

    @property
    def questions_saved(self) -> int:
        return self.questions_without - self.datapoints_asked


@dataclass(frozen=True)
class Questionnaire:
    frameworks: tuple[Framework, ...]
    questions: tuple[Question, ...]
    burden: Burden


def build_questionnaire(lib: Library, framework_ids: Sequence[str] = ()) -> Questionnaire:
    """Each data point once, in catalogue order, with every requirement that uses it."""
    frameworks = tuple(lib.select(framework_ids))
    users: dict[str, list[Requirement]] = {}
    for framework in frameworks:
        for requirement in framework.requirements:
            for dp in lib.needs(requirement):
                users.setdefault(dp, []).append(requirement)
    order = {dp_id: i for i, dp_id in enumerate(lib.datapoints)}
    questions = tuple(
        Question(lib.datapoints[dp], tuple(reqs))
        for dp, reqs in sorted(users.items(), key=lambda kv: order[kv[0]])
    )
    requirements = [r for f in frameworks for r in f.requirements]
    manual = sum(1 for r in requirements if r.manual)
    burden = Burden(
        frameworks=len(frameworks),
        requirements=len(requirements),
        decided_by_rules=len(requirements) - manual,
        manual=manual,
        datapoints_asked=len(questions),
        questions_without=sum(len({dp for r in f.requirements for dp in lib.needs(r)}) for f in frameworks),
    )
    return Questionnaire(frameworks, questions, burden)
