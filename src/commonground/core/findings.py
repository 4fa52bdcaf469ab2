"""Findings: one per failing fact, listing every framework and requirement that fact breaks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .frameworks import SEVERITY_RANK, Requirement
from .logic import Status

if TYPE_CHECKING:
    from .engine import FrameworkResult


@dataclass(frozen=True)
class Finding:
    datapoint: str
    value: Any
    severity: str  # the highest severity among the requirements it breaks
    requirements: tuple[Requirement, ...]

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.framework for r in self.requirements))

    @property
    def accountable(self) -> tuple[str, ...]:
        return tuple(sorted({r.spec.accountable for r in self.requirements}))

    @property
    def rank(self) -> tuple[int, int, str]:
        return (-SEVERITY_RANK[self.severity], -len(self.requirements), self.datapoint)


def facts_to_fix(blamed: Iterable[str], context: frozenset[str]) -> tuple[str, ...]:
    """The blamed facts, without profile (context) facts unless nothing else is to blame."""
    blamed = tuple(blamed)
    fixable = tuple(dp for dp in blamed if dp not in context)
    return fixable or blamed


def group_findings(
    failures: Iterable[tuple[Requirement, tuple[str, ...]]],
    values: Mapping[str, Any],
    context: frozenset[str],
) -> tuple[Finding, ...]:
    """Group (requirement, blamed facts) pairs by fact, most severe and widest first."""
    by_fact: dict[str, list[Requirement]] = {}
    for requirement, blamed in failures:
        for dp in facts_to_fix(blamed, context):
            by_fact.setdefault(dp, []).append(requirement)
    findings = [
        Finding(
            dp,
            values.get(dp),
            max((r.spec.severity for r in reqs), key=SEVERITY_RANK.__getitem__),
            tuple(reqs),
        )
        for dp, reqs in by_fact.items()
    ]
    return tuple(sorted(findings, key=lambda f: f.rank))


def collect_findings(
    results: Iterable[FrameworkResult], values: Mapping[str, Any], context: frozenset[str]
) -> tuple[Finding, ...]:
    failures = ((r.requirement, r.blamed) for fr in results for r in fr.results if r.status is Status.NOT_MET)
    return group_findings(failures, values, context)
