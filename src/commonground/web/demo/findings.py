"""The findings of every verified assessment of the demo, on the columnar path (one pass per set
of frameworks, answers read as plain values): what the demo action plans are made from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from commonground.assessments.evaluations import frameworks_for
from commonground.assessments.models import Answer, Assessment
from commonground.core.assessments import Assessment as CoreAssessment
from commonground.core.catalogue import normalise
from commonground.core.columnar import Columns, ManyResult, evaluate_columns
from commonground.core.findings import Finding, group_findings
from commonground.core.library import Library
from commonground.core.logic import CODE_OF, Status


@dataclass(frozen=True)
class Seen:
    """An assessment's findings and the data points it answered."""

    findings: tuple[Finding, ...]
    answered: set[str]


def verified_findings(lib: Library) -> dict[int, tuple[Assessment, Seen]]:
    """Every verified assessment's findings, on the columnar path, one pass per framework set."""
    rows = list(
        Assessment.objects.filter(status=Assessment.Status.VERIFIED).select_related("facility", "verifier")
    )
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    answers = Answer.objects.filter(assessment__in=rows).values_list("assessment_id", "datapoint", "value")
    for assessment_id, datapoint, value in answers.iterator():
        if datapoint in lib.datapoints:
            values[assessment_id][datapoint] = normalise(lib.datapoints[datapoint], value)
    groups: dict[tuple[str, ...], list[Assessment]] = defaultdict(list)
    frameworks: dict[int, tuple[str, ...]] = {}
    for a in rows:
        if a.facility_id not in frameworks:
            frameworks[a.facility_id] = tuple(frameworks_for(a.facility))
        groups[frameworks[a.facility_id]].append(a)
    out = {}
    for ids, items in groups.items():
        cores = [CoreAssessment({}, a.period_start, a.period_end, values[a.pk]) for a in items]
        result = evaluate_columns(lib, Columns.from_assessments(lib, cores), ids)
        for i, a in enumerate(items):
            out[a.pk] = (a, Seen(_findings(result, i, cores[i].values, lib), set(cores[i].values)))
    return out


def _findings(result: ManyResult, i: int, values: dict[str, Any], lib: Library) -> tuple[Finding, ...]:
    """Assessment i's findings (what `ManyResult.evaluation` gives, without results and targets)."""
    not_met = CODE_OF[Status.NOT_MET]
    failures = [
        (req, tuple(dp for dp in req.rule_datapoints if dp in fc.blamed[j] and fc.blamed[j][dp][i]))
        for fc in result.frameworks
        for j, req in enumerate(fc.framework.requirements)
        if fc.statuses[i, j] == not_met
    ]
    return group_findings(failures, values, lib.context)


def last_two(
    evaluations: dict[int, tuple[Assessment, Seen]],
) -> dict[int, tuple[tuple[Assessment, Seen], tuple[Assessment, Seen]]]:
    by_facility: dict[int, list[tuple[Assessment, Seen]]] = defaultdict(list)
    for pair in evaluations.values():
        by_facility[pair[0].facility_id].append(pair)
    out = {}
    for facility_id, items in by_facility.items():
        items.sort(key=lambda p: (p[0].period_end, p[0].version))
        if len(items) >= 2:
            out[facility_id] = (items[-2], items[-1])
    return out
