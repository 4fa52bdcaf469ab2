"""Evaluation: frameworks x answers -> results per requirement, summaries, findings and targets.

`Engine` compiles the selected frameworks once; `Engine.evaluate` is the single-assessment path.
The columnar path over many assessments is in `columnar.py` and gives identical results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .assessments import Assessment
from .catalogue import Value
from .expressions import PERIOD_END, PERIOD_START, Param
from .findings import Finding, collect_findings
from .frameworks import Framework, Requirement
from .library import Library
from .logic import CODE_OF, FALSE, TRUE, UNKNOWN, Status, status_of
from .rules import keyed_references
from .scoring import Summary, summarise_one
from .single import Blamer, Compiled, Params, compile_blamer, compile_rule, run_blamer
from .targets import Target, TargetPlan


class RequirementResult(NamedTuple):
    requirement: Requirement
    status: Status
    credit: float  # 1 met, 0.5 met in part, 0 otherwise
    blamed: tuple[str, ...] = ()  # the facts that make it fail (not_met only)


@dataclass(frozen=True)
class FrameworkResult:
    framework: Framework
    results: tuple[RequirementResult, ...]
    summary: Summary


@dataclass(frozen=True)
class Evaluation:
    assessment: Assessment
    frameworks: tuple[FrameworkResult, ...]
    findings: tuple[Finding, ...]
    targets: tuple[Target, ...]
    parameters: dict[str, float | None]


@dataclass(frozen=True)
class _Compiled:
    requirement: Requirement
    rule: Compiled | None
    applies: Compiled | None
    partial: Compiled | None
    blamer: Blamer | None


def _compile(req: Requirement) -> _Compiled:
    return _Compiled(
        req,
        None if req.rule is None else compile_rule(req.rule),
        None if req.applies_when is None else compile_rule(req.applies_when),
        None if req.partial is None else compile_rule(req.partial),
        None if req.rule is None else compile_blamer(req.rule),
    )


_BY_HOLDS = {FALSE: Status.NOT_MET, UNKNOWN: Status.UNKNOWN, TRUE: Status.MET}
_CREDIT = {Status.MET: 1.0, Status.NOT_MET: 0.0, Status.UNKNOWN: 0.0}


def judge(c: _Compiled, values: dict[str, Value], params: Params) -> tuple[Status, float, int]:
    """Status, credit and applicability of one requirement."""
    if c.applies is None and c.rule is not None and c.partial is None:  # the common case, fast
        status = _BY_HOLDS[c.rule(values, params)]
        return status, _CREDIT[status], TRUE
    applies = TRUE if c.applies is None else c.applies(values, params)
    if c.rule is None:
        return (Status.NOT_APPLICABLE if applies == FALSE else Status.UNKNOWN), 0.0, applies
    status = status_of(applies, c.rule(values, params))
    if status is Status.MET:
        return status, 1.0, applies
    partial = (
        status is not Status.NOT_APPLICABLE and c.partial is not None and c.partial(values, params) == TRUE
    )
    return status, (0.5 if partial else 0.0), applies


def expression_scope(
    lib: Library, assessment: Assessment, params: dict[str, float | None], keyed: Iterable[Param]
) -> dict[str, float | None]:
    """What rules read beside the answers: the parameters, the period's first and last day numbers
    (`period.start`, `period.end`) and the keyed parameters named for a key (`id[key]`)."""
    scope = {**params, PERIOD_START: float(assessment.start.toordinal())}
    scope[PERIOD_END] = float(assessment.end.toordinal())
    for p in keyed:
        scope[p.scope_key] = lib.parameters[p.id].value_on(assessment.end, p.key)
    return scope


class Engine:
    """The selected frameworks of a library, compiled once."""

    def __init__(self, lib: Library, framework_ids: Sequence[str] = ()) -> None:
        self.library = lib
        self.frameworks = lib.select(framework_ids)
        self._compiled = [[_compile(r) for r in f.requirements] for f in self.frameworks]
        self._partials = {
            id(f): [j for j, r in enumerate(f.requirements) if r.partial is not None] for f in self.frameworks
        }
        self._targets = TargetPlan((r for f in self.frameworks for r in f.requirements), lib)
        rules = (
            rule
            for f in self.frameworks
            for r in f.requirements
            for rule in (r.rule, r.applies_when, r.partial)
        )
        self._keyed = tuple(dict.fromkeys(p for rule in rules for p in keyed_references(rule)))

    def evaluate(self, assessment: Assessment) -> Evaluation:
        values = assessment.values
        params = self.library.resolve_parameters(assessment.end, values)
        scope = expression_scope(self.library, assessment, params, self._keyed)
        judged = [self._judge(compiled, values, scope) for compiled in self._compiled]
        codes = [np.array([CODE_OF[r.status] for r in rs], dtype=np.int8) for rs in judged]
        halves = [
            {j: np.array([rs[j].credit == 0.5]) for j in self._partials[id(f)]}
            for f, rs in zip(self.frameworks, judged, strict=True)
        ]
        summaries = summarise_one(self.frameworks, codes, halves)
        results = tuple(
            FrameworkResult(f, tuple(rs), s)
            for f, rs, s in zip(self.frameworks, judged, summaries, strict=True)
        )
        findings = collect_findings(results, values, self.library.context)
        applicable = [r.status is not Status.NOT_APPLICABLE for fr in results for r in fr.results]
        targets = self._targets.targets(applicable, values, scope)
        return Evaluation(assessment, results, findings, targets, params)

    @staticmethod
    def _judge(
        compiled: list[_Compiled], values: dict[str, Value], params: Params
    ) -> list[RequirementResult]:
        results = []
        for c in compiled:
            status, credit, _ = judge(c, values, params)
            blamed: tuple[str, ...] = ()
            if status is Status.NOT_MET and c.blamer is not None:
                blamed = run_blamer(c.blamer, values, params, c.requirement.rule_datapoints)
            results.append(RequirementResult(c.requirement, status, credit, blamed))
        return results
