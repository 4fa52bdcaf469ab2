"""Framework summaries from requirement statuses: counts, compliance rate, levels and scores.

Written once over arrays of shape (assessments, requirements): the single-assessment path passes
one row, the columnar path many, and both get the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .frameworks import Framework
from .logic import CODE_OF, STATUS_CODES, Status
from .standing import standing as standing_of

Codes = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Halves = dict[int, npt.NDArray[np.bool_]]  # requirement column -> rows earning half credit

MET, NOT_MET, NA = CODE_OF[Status.MET], CODE_OF[Status.NOT_MET], CODE_OF[Status.NOT_APPLICABLE]
LEVEL_STATES = ("not_applicable", "locked", "not_achieved", "partial", "achieved")
_S = {name: code for code, name in enumerate(LEVEL_STATES)}


@dataclass(frozen=True)
class SectionLevels:
    section: str
    achieved: int  # highest level whose requirements, and all lower ones, are met (0: none)
    levels: dict[int, str]  # level -> achieved | partial | not_achieved | locked | not_applicable
    score: float | None  # 0-100, the section's weighted score


@dataclass(frozen=True)
class Rated:
    """A framework's rating of one assessment: the overall grade (None: nothing decided yet), each
    section's grade, and whether a zero-tolerance requirement not met set the overall grade."""

    overall: str | None
    sections: tuple[tuple[str, str | None], ...]
    zero_tolerance: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "sections": dict(self.sections),
            "zero_tolerance": self.zero_tolerance,
        }


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    total: int
    compliance_rate: float | None  # met / (met + not_met)
    answered_rate: float | None  # decided / applicable
    score: float | None = None
    sections: tuple[SectionLevels, ...] = ()
    rating: Rated | None = None  # None: the framework has no rating scheme

    def as_dict(self) -> dict[str, Any]:
        """The summary for JSON; `decided_rate` and `enough_answers` say, by core.standing's one rule,
        what the rate stands on and whether it may be read as the headline."""
        standing = standing_of(self.counts)
        out: dict[str, Any] = {
            "total": self.total,
            "counts": self.counts,
            "compliance_rate": self.compliance_rate,
            "answered_rate": self.answered_rate,
            "decided_rate": standing.decided_share,
            "enough_answers": standing.verdict == "rate",
            "score": self.score,
        }
        if self.rating is not None:
            out["rating"] = self.rating.as_dict()
        if self.sections:
            out["levels"] = [
                {
                    "section": s.section,
                    "achieved": s.achieved,
                    "score": s.score,
                    "levels": {str(k): v for k, v in s.levels.items()},
                }
                for s in self.sections
            ]
        return out


@dataclass(frozen=True)
class SectionArrays:
    section: str
    achieved: Ints
    states: dict[int, Codes]
    score: Floats


@dataclass(frozen=True)
class RatingArrays:
    """Ratings of many assessments: grade indexes into the scheme's bands (-1: none)."""

    framework: Framework
    overall: Ints  # (assessments,)
    sections: Ints  # (assessments, sections)
    zero_tolerance: npt.NDArray[np.bool_]

    def row(self, i: int) -> Rated:
        scheme = self.framework.spec.rating
        assert scheme is not None
        order = self.framework.rating_sections[0]
        return Rated(
            scheme.grade_of(int(self.overall[i])),
            tuple((s, scheme.grade_of(int(self.sections[i, k]))) for k, s in enumerate(order)),
            bool(self.zero_tolerance[i]),
        )


@dataclass(frozen=True)
class SummaryArrays:
    """Summaries of many assessments as columns; `row(i)` gives one assessment's Summary."""

    total: int
    counts: dict[str, Ints]
    compliance_rate: Floats
    answered_rate: Floats
    score: Floats | None
    sections: tuple[SectionArrays, ...]
    rating: RatingArrays | None = None

    def row(self, i: int) -> Summary:
        return Summary(
            counts={k: int(v[i]) for k, v in self.counts.items()},
            total=self.total,
            compliance_rate=_opt(self.compliance_rate[i]),
            answered_rate=_opt(self.answered_rate[i]),
            score=None if self.score is None else _opt(self.score[i]),
            sections=tuple(
                SectionLevels(
                    s.section,
                    int(s.achieved[i]),
                    {lvl: LEVEL_STATES[int(c[i])] for lvl, c in s.states.items()},
                    _opt(s.score[i]),
                )
                for s in self.sections
            ),
            rating=None if self.rating is None else self.rating.row(i),
        )


def _opt(x: Any) -> float | None:
    return None if np.isnan(x) else float(x)


def _ratio(numerator: Floats, denominator: Floats, digits: int) -> Floats:
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, np.round(numerator / safe, digits), np.nan)


def summary_arrays(framework: Framework, statuses: Codes, half: Halves) -> SummaryArrays:
    """`half`: for requirements with a partial rule, where it earned half credit."""
    counts = {s.value: (statuses == CODE_OF[s]).sum(axis=1).astype(np.int64) for s in STATUS_CODES}
    met, not_met = counts["met"].astype(float), counts["not_met"].astype(float)
    applicable = statuses.shape[1] - counts["not_applicable"].astype(float)
    sections = _levels(framework, statuses, half) if framework.level_columns else ()
    return SummaryArrays(
        total=statuses.shape[1],
        counts=counts,
        compliance_rate=_ratio(met, met + not_met, 4),
        answered_rate=_ratio(met + not_met, applicable, 4),
        score=_score(framework, sections, statuses.shape[0]),
        sections=sections,
        rating=rating_arrays(framework, statuses),
    )


def summarise_one(frameworks: list[Framework], codes: list[Codes], halves: list[Halves]) -> list[Summary]:
    """One assessment's summary for each framework: counts for all frameworks in one pass.

    The same arithmetic as `summary_arrays` (exact integer counts, then `_ratio`, `_levels` and
    `_score`), arranged for one row, which is what the single path evaluates.
    """
    sizes = np.array([len(c) for c in codes])
    which = np.repeat(np.arange(len(codes)), sizes)
    width = len(STATUS_CODES)
    counts = np.bincount(which * width + np.concatenate(codes), minlength=width * len(codes)).reshape(
        -1, width
    )
    met, not_met = counts[:, MET].astype(float), counts[:, NOT_MET].astype(float)
    applicable = sizes - counts[:, NA].astype(float)
    rates, answered = _ratio(met, met + not_met, 4), _ratio(met + not_met, applicable, 4)
    out = []
    for k, framework in enumerate(frameworks):
        sections = _levels(framework, codes[k][None, :], halves[k]) if framework.level_columns else ()
        score = _score(framework, sections, 1)
        out.append(
            Summary(
                counts={s.value: int(counts[k, CODE_OF[s]]) for s in STATUS_CODES},
                total=int(sizes[k]),
                compliance_rate=_opt(rates[k]),
                answered_rate=_opt(answered[k]),
                score=None if score is None else _opt(score[0]),
                sections=tuple(
                    SectionLevels(
                        s.section,
                        int(s.achieved[0]),
                        {lvl: LEVEL_STATES[int(c[0])] for lvl, c in s.states.items()},
                        _opt(s.score[0]),
                    )
                    for s in sections
                ),
                rating=_one_rating(framework, codes[k]),
            )
        )
    return out


def _one_rating(framework: Framework, codes: Codes) -> Rated | None:
    rated = rating_arrays(framework, codes[None, :])
    return None if rated is None else rated.row(0)


def rating_arrays(framework: Framework, statuses: Codes) -> RatingArrays | None:
    """Each assessment's grade by the framework's rating scheme (None when it has none), over the
    factory's own requirements: every section's compliance graded by the bands, the overall
    compliance graded and capped by the worst section, then the zero-tolerance grade where a
    zero-tolerance requirement is not met."""
    scheme = framework.spec.rating
    if scheme is None:
        return None
    _, member, zero = framework.rating_sections
    met = ((statuses == MET) & framework.rated).astype(np.float64)
    decided = met + ((statuses == NOT_MET) & framework.rated)
    mins = np.array([b.min for b in scheme.bands])  # best first, decreasing to 0
    section_rate = _ratio(met @ member, decided @ member, 4)
    overall_rate = _ratio(met.sum(axis=1), decided.sum(axis=1), 4)
    sections = _grade(section_rate, mins)
    overall = _grade(overall_rate, mins)
    if scheme.worst_section_caps and sections.shape[1]:
        overall = np.where(overall >= 0, np.maximum(overall, sections.max(axis=1)), overall)
    failed_zero = ((statuses == NOT_MET) & zero).any(axis=1)
    if scheme.zero_tolerance is not None:
        worst = [b.grade for b in scheme.bands].index(scheme.zero_tolerance)
        overall = np.where(failed_zero, np.maximum(overall, worst), overall)
    return RatingArrays(framework, overall.astype(np.int64), sections.astype(np.int64), failed_zero)


def _grade(rate: Floats, mins: Floats) -> Ints:
    """The band index of each rate (0–1): the first band whose `min` (0–100) it reaches; -1 for no
    rate. Compared in hundredths of a per cent, so 0.85 reaches 85 exactly."""
    hundredths = np.round(np.nan_to_num(rate, nan=-1.0) * 10_000)
    index = (hundredths[..., None] < np.round(mins * 100)).sum(axis=-1)
    return np.where(np.isnan(rate), -1, index).astype(np.int64)


def _levels(framework: Framework, statuses: Codes, half: Halves) -> tuple[SectionArrays, ...]:
    """Levels and section scores of every section at once, as (assessments, sections, levels) arrays."""
    sections = list(framework.level_columns)
    member = framework.level_matrix  # (requirements, sections * 3), 1 where a requirement counts
    n = statuses.shape[0]
    shape = (n, len(sections), 3)
    applicable = ((statuses != NA).astype(np.float64) @ member).reshape(shape)
    met = ((statuses == MET).astype(np.float64) @ member).reshape(shape)
    earned = met.copy()
    if half:
        keys = sorted(half)
        halves = np.column_stack([half[k] for k in keys]).astype(np.float64)
        earned += 0.5 * (halves @ member[keys]).reshape(shape)
    full = met == applicable
    frac = earned / np.maximum(applicable, 1.0)
    has = applicable > 0
    gate = full[:, :, :1]  # Level 1 gates Levels 2 and 3
    open_ = np.concatenate([np.ones_like(gate), gate, gate], axis=2)
    weights = np.array([framework.spec.scoring.level_weights.get(level, 0.0) for level in (1, 2, 3)])
    weight_total = (has * weights).sum(axis=2)
    points = (has & open_) * weights * frac
    safe = np.where(weight_total > 0, weight_total, 1.0)
    score = np.where(weight_total > 0, np.round(100.0 * points.sum(axis=2) / safe, 2), np.nan)
    still = np.logical_and.accumulate(np.where(has, full & open_, True), axis=2)
    achieved = ((has & still) * np.array([1, 2, 3])).max(axis=2)
    state = np.where(frac > 0, _S["partial"], _S["not_achieved"])
    state = np.where(full, _S["achieved"], state)
    state = np.where(open_, state, _S["locked"])
    state = np.where(has, state, _S["not_applicable"]).astype(np.int8)
    return tuple(
        SectionArrays(section, achieved[:, k], {lvl: state[:, k, lvl - 1] for lvl in (1, 2, 3)}, score[:, k])
        for k, section in enumerate(sections)
    )


def _score(framework: Framework, sections: tuple[SectionArrays, ...], n: int) -> Floats | None:
    method = framework.spec.scoring.method
    if method == "compliance_rate" or not sections:
        return None
    if method == "level_points":  # no score where no section applies at all
        points = np.sum([s.achieved for s in sections], axis=0).astype(np.float64)
        applies = np.any([s.states[1] != _S["not_applicable"] for s in sections], axis=0)
        return np.where(applies, points, np.nan)
    scores = np.array([s.score for s in sections])  # sections x n
    counted = (~np.isnan(scores)).sum(axis=0)
    total = np.where(np.isnan(scores), 0.0, scores).sum(axis=0)
    return np.where(counted > 0, np.round(total / np.maximum(counted, 1), 2), np.nan)
