"""Completing the demo's answers: what a factory that submits for verification actually answers.

`demo._answers` models about eighty facts per assessment (the ones that carry the demo's planted
findings, trends and peer effects). A real factory that submits for verification answers nearly its
whole questionnaire, so `complete` adds the rest of the facility's questionnaire after them, from a
separate random stream (the modeled draws stay exactly as they were):

- submitted and verified assessments draw 93–100 % of their questions, drafts 35–65 % in
  questionnaire order (a person works from the top); a question only requirements that do not apply
  read stays empty (no effluent metals at a sewing factory), so about 95 % of what applies is
  answered; small workshops (under 150 workers) keep the modeled facts only, so "not enough
  answers" remains visible in the demo;
- a number meets the binding target of the facility's frameworks (core.targets) most of the time and
  fails it sometimes (more often for careless and small facilities); a yes/no or a choice takes the
  answer the rules ask for, mostly; a comparison with another answer (measured ≤ permitted) holds
  mostly; the profile agrees with the facility (sector, workers, volumes in the sector's unit);
- values stay inside the catalogue's range, dates inside the period (a permit's before and after it),
  texts are short and in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from commonground.core.assessments import Assessment as CoreAssessment
from commonground.core.catalogue import DataPoint, normalise
from commonground.core.engine import Engine, Evaluation
from commonground.core.frameworks import Requirement
from commonground.core.library import Library
from commonground.core.logic import Status
from commonground.core.rules import All, AnyOf, Compare, Implies, Not, Rule, datapoints_of

SUBMITTED_SHARE = (0.93, 1.0)
DRAFT_SHARE = (0.35, 0.65)
WORKSHOP = 150  # fewer workers: a small workshop that answers only what it is asked first
# How often an added fact fails, relative to the facility's rate, by the severity of what judges it:
# the demo's zero-tolerance and most critical breaches are the modeled ones (demo._answers), drawn
# with the published pattern in mind; the added facts only add the everyday minor and major gaps.
_RANK = {"minor": 0, "major": 1, "critical": 2, "zero_tolerance": 3}
_FAILS = {"minor": 1.5, "major": 1.0, "critical": 0.25, "zero_tolerance": 0.0}

_TEXTS = {
    "wages.living_wage_benchmark_source": (
        "Chuẩn lương đủ sống Anker cho khu vực Đông Nam Bộ (2024)",
        "Khảo sát chi phí sinh hoạt của công đoàn cơ sở (2024)",
        "Chuẩn lương đủ sống của Liên minh Lương đủ sống châu Á",
    ),
    "grievance.case_details": (
        "3 khiếu nại về giờ làm thêm, đã giải quyết trong 7 ngày.",
        "2 phản ánh về nhà ăn, đã xử lý tại hội nghị đối thoại.",
        "1 khiếu nại về khấu trừ lương, đã hoàn trả cho người lao động.",
        "Không có khiếu nại nào chưa giải quyết.",
    ),
}


@dataclass(frozen=True)
class Site:
    """What the completion needs to know of a facility (from demo._Site and its supply links)."""

    sector: str
    workers: int
    care: float  # 0 (careless) .. 1 (careful)
    buyers: int  # buyers it supplies in the demo


@dataclass(frozen=True)
class Preferences:
    """What the rules of a set of frameworks ask of yes/no and choice answers, and paired answers."""

    wanted: dict[str, dict[Any, int]]  # data point -> value -> votes (negative: to avoid)
    pairs: tuple[tuple[str, str, str], ...]  # (data point, operator, other data point)
    severity: dict[str, str]  # data point -> the highest severity of the requirements that judge it


def preferences(requirements: Iterable[Requirement]) -> Preferences:
    wanted: dict[str, dict[Any, int]] = {}
    pairs: dict[tuple[str, str, str], None] = {}

    def vote(dp: str, value: Any, weight: int) -> None:
        votes = wanted.setdefault(dp, {})
        votes[value] = votes.get(value, 0) + weight

    def walk(rule: Rule, sign: int) -> None:
        if isinstance(rule, Compare):
            if rule.ref is not None:
                if sign > 0 and rule.op in ("<", "<=", ">", ">="):
                    pairs[(rule.dp, rule.op, rule.ref)] = None
                return
            if rule.op in ("==", "!="):
                vote(rule.dp, rule.value, sign if rule.op == "==" else -sign)
            elif rule.op in ("in", "not_in"):
                for v in rule.value:
                    vote(rule.dp, v, sign if rule.op == "in" else -sign)
            elif rule.op in ("contains", "not_contains"):
                vote(rule.dp, rule.value, sign if rule.op == "contains" else -sign)
        elif isinstance(rule, Not):
            walk(rule.part, -sign)
        elif isinstance(rule, Implies):
            walk(rule.then, sign)
        elif isinstance(rule, All | AnyOf):
            for part in rule.parts:
                walk(part, sign)

    severity: dict[str, str] = {}
    for requirement in requirements:
        for rule in (requirement.rule, requirement.partial):
            if rule is not None:
                walk(rule, 1)
        for dp in requirement.rule_datapoints:
            if _RANK[requirement.spec.severity] > _RANK.get(severity.get(dp, ""), -1):
                severity[dp] = requirement.spec.severity
    return Preferences(wanted, tuple(pairs), severity)


def complete(
    values: Mapping[str, Any],
    *,
    rng: random.Random,
    lib: Library,
    engine: Engine,
    prefs: Preferences,
    questions: tuple[str, ...],
    site: Site,
    start: dt.date,
    end: dt.date,
    status: str,
) -> dict[str, Any]:
    """The answers to add to `values` (never one of them) for this assessment."""
    if site.workers < WORKSHOP:
        return {}
    missing = [q for q in questions if q not in values]
    answered = len(questions) - len(missing)
    draft = status == "draft"
    share = rng.uniform(*(DRAFT_SHARE if draft else SUBMITTED_SHARE))
    want = max(0, min(len(missing), round(share * len(questions)) - answered))
    # a draft is filled from the top of the questionnaire; a submitted one misses a few anywhere
    chosen = missing[:want] if draft else sorted(rng.sample(missing, want), key=questions.index)
    fail = 0.02 + 0.08 * (1 - site.care) + (0.05 if site.workers < 300 else 0.0)
    # one draw per fact, made once: a second pass with better targets keeps the same intent
    intent = {
        dp: (rng.random() >= fail * _FAILS[prefs.severity.get(dp, "minor")], rng.random(), rng.random())
        for dp in chosen
    }
    profile = _profile(rng, site, values)
    out: dict[str, Any] = {}
    for _ in range(2):  # targets can depend on the new answers (conditions, parameters)
        known = _canonical(lib, {**values, **out})
        evaluation = engine.evaluate(CoreAssessment({"name": "demo"}, start, end, known))
        bounds, needed = _bounds(evaluation.targets), applicable_facts(evaluation)
        for dp_id in chosen:
            dp = lib.datapoints[dp_id]
            if dp_id not in needed:  # only requirements that do not apply read it (COD without effluent)
                out.pop(dp_id, None)
                continue
            if dp_id.startswith("facility."):
                if dp_id in profile:
                    out[dp_id] = profile[dp_id]
                continue
            ok, r, s = intent[dp_id]
            value = _value(dp, bounds.get(dp_id), prefs.wanted.get(dp_id), ok, r, s, site, start, end)
            value = _agree(dp_id, value, values, ok, r, site)
            if value is not None:
                out[dp_id] = value
    _pairs(lib, prefs.pairs, values, out, intent)
    return out


def _agree(dp_id: str, value: Any, values: Mapping[str, Any], ok: bool, r: float, site: Site) -> Any:
    """Facts that follow from the modeled ones."""
    if dp_id == "child_labour.workers_under_18_count":
        youngest = values.get("child_labour.youngest_worker_age", 18)
        return 0.0 if youngest >= 18 else float(1 + int(r * site.workers / 150))
    if dp_id == "wastewater.discharging_before_2025_09":
        return True  # every demo facility has been operating since before QCVN 40:2025 (1 Sep 2025)
    if dp_id == "working_time.total_hours_day_max":
        overtime = values.get("working_time.overtime_hours_day_max")
        if isinstance(overtime, int | float):
            return 8.0 + float(overtime)
    return value


def applicable_facts(evaluation: Evaluation) -> set[str]:
    """The facts a requirement that applies (or may apply) reads, and every condition."""
    needed: set[str] = set()
    for framework in evaluation.frameworks:
        for result in framework.results:
            requirement = result.requirement
            if result.status is not Status.NOT_APPLICABLE:
                needed.update(requirement.datapoints)
            else:
                needed.update(datapoints_of(requirement.applies_when))
    return needed


def _canonical(lib: Library, values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: normalise(lib.datapoints[k], v) for k, v in values.items()}


def _bounds(targets: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Per data point its binding bounds: {"lo": (value, strict), "hi": ..., "eq": value}."""
    out: dict[str, dict[str, Any]] = {}
    for t in targets:
        b = out.setdefault(t.datapoint, {})
        if t.operator in ("<", "<="):
            b["hi"] = (t.value, t.operator == "<")
        elif t.operator in (">", ">="):
            b["lo"] = (t.value, t.operator == ">")
        elif t.operator == "==":
            b["eq"] = t.value
    return out


def _profile(rng: random.Random, site: Site, values: Mapping[str, Any]) -> dict[str, Any]:
    """The facility facts the model leaves out, consistent with the facility (drawn every time, so
    the stream does not depend on which of them the questionnaire asks)."""
    workers = int(values.get("facility.workers_total", site.workers))
    per_worker = {"garment": 2200.0, "footwear": 900.0, "textile": 9000.0, "leather": 4000.0}
    volume = round(workers * per_worker[site.sector] * rng.uniform(0.8, 1.2), -3)
    unit = {"garment": "pieces", "footwear": "pairs"}.get(site.sector, "kg")
    # output only in the sector's own unit: the other volumes stay unanswered (they do not apply)
    return {
        f"facility.production_volume_{unit}": volume,
        "facility.export_share_pct": round(rng.uniform(85, 100), 0),
        "facility.supply_chain_tier": "materials"
        if site.sector in ("textile", "leather")
        else "finished_goods",
        "facility.year_established": 1995 + int(rng.random() * 24),
        "facility.operating_days": 290 + int(rng.random() * 20),
        "facility.workers_foreign": int(rng.random() * 4) if workers > 1000 else 0,
        "facility.workers_with_disabilities": round(workers * rng.uniform(0.0, 0.008)),
        "facility.floor_area_m2": round(workers * rng.uniform(7, 14), -2),
        "facility.subcontracting_used": rng.random() < 0.3,
        "facility.homeworkers_used": rng.random() < 0.05,
        "facility.buyers_count": site.buyers + 1 + int(rng.random() * 6),
    }


def _value(
    dp: DataPoint,
    bound: dict[str, Any] | None,
    wanted: dict[Any, int] | None,
    ok: bool,
    r: float,
    s: float,
    site: Site,
    start: dt.date,
    end: dt.date,
) -> Any:
    if dp.type == "boolean":
        return _boolean(bound, wanted, ok, r)
    if dp.numeric:
        return _number(dp, bound or {}, ok, r, s, site)
    if dp.type == "enum":
        return _choice(dp, bound, wanted, ok, r)
    if dp.type == "multi-enum":
        return _choices(dp, wanted, ok, r, s)
    if dp.type == "date":
        return _date(dp, r, start, end)
    texts = _TEXTS.get(dp.id)
    return texts[int(r * len(texts))] if texts else None


def _boolean(bound: dict[str, Any] | None, wanted: dict[Any, int] | None, ok: bool, r: float) -> bool:
    if bound and "eq" in bound:
        good = bool(bound["eq"])
    elif wanted:
        good = max(wanted.get(True, 0), 0) >= max(wanted.get(False, 0), 0)
        if wanted.get(True, 0) == wanted.get(False, 0) == 0:
            return r < 0.4
    else:
        return r < 0.4  # a circumstance (a condition of other requirements), not a duty
    return good if ok else not good


def _choice(
    dp: DataPoint, bound: dict[str, Any] | None, wanted: dict[Any, int] | None, ok: bool, r: float
) -> str:
    options = dp.option_values
    votes = dict(wanted or {})
    if bound and "eq" in bound:
        votes[bound["eq"]] = votes.get(bound["eq"], 0) + 1
    good = [o for o in options if votes.get(o, 0) > 0] or [o for o in options if votes.get(o, 0) == 0]
    bad = [o for o in options if votes.get(o, 0) < 0] or [o for o in options if o not in good]
    pool = good if ok or not bad else bad
    return pool[min(len(pool) - 1, int(r * r * len(pool)))]  # the first listed are the most common


def _choices(dp: DataPoint, wanted: dict[Any, int] | None, ok: bool, r: float, s: float) -> list[str]:
    options = dp.option_values
    votes = wanted or {}
    must = [o for o in options if votes.get(o, 0) > 0]
    never = {o for o in options if votes.get(o, 0) < 0}
    others = [o for o in options if o not in never and o not in must]
    picked = must + others[: 1 + int(r * min(4, len(others)))]
    if not ok and must:
        picked.remove(must[int(s * len(must))])
    return picked or [options[0]]


def _date(dp: DataPoint, r: float, start: dt.date, end: dt.date) -> dt.date:
    days = (end - start).days
    if dp.id.endswith("_issue_date"):
        return start - dt.timedelta(days=365 + int(r * 5 * 365))
    if dp.id.endswith("_expiry"):
        return end + dt.timedelta(days=365 + int(r * 5 * 365))
    return start + dt.timedelta(days=int(days * (0.3 + 0.7 * r)))


def _number(dp: DataPoint, bound: dict[str, Any], ok: bool, r: float, s: float, site: Site) -> float:
    lo_cat = dp.min if dp.min is not None else 0.0
    hi_cat = dp.max if dp.max is not None else 1e12
    if "eq" in bound:
        value = float(bound["eq"]) if ok else float(bound["eq"]) + 1 + int(r * 3)
    elif "lo" in bound and "hi" in bound:
        lo, hi = float(bound["lo"][0]), float(bound["hi"][0])
        value = lo + (hi - lo) * (0.2 + 0.6 * r) if ok else (hi * (1.05 + 0.3 * s) if s < 0.5 else lo * 0.8)
    elif "hi" in bound:
        value = _below(float(bound["hi"][0]), bool(bound["hi"][1]), ok, r, s)
    elif "lo" in bound:
        lo = float(bound["lo"][0])
        if not ok:
            value = lo * (0.6 + 0.35 * s) if lo > 0 else lo - 1
        else:
            value = _above(dp, lo, bool(bound["lo"][1]), r, hi_cat)
    else:
        value = _plain(dp, r, site)
    value = min(hi_cat, max(lo_cat, value))
    whole = dp.type == "integer" or dp.unit in ("count", "day", "month", "min", "year")
    return float(round(value)) if whole else _tidy(value)


def _below(hi: float, strict: bool, ok: bool, r: float, s: float) -> float:
    """A value under an upper bound (most of the range below it), or over it by 5–45 %."""
    if ok:
        if hi > 0 and not strict and r < 0.4:
            return hi  # a facility often works to the limit (every 12 months, 6 days at most)
        return hi * (0.45 + 0.5 * r) if hi > 0 else hi - (1 if strict else 0)
    return hi * (1.05 + 0.4 * s) if hi > 0 else hi + 1 + int(s * 4)


def _above(dp: DataPoint, lo: float, strict: bool, r: float, hi_cat: float) -> float:
    """A value that meets a lower bound: the bound itself for a share (100 %), a little above else."""
    if dp.unit == "%" and any(word in dp.id for word, _ in _SHARES):
        return lo + (1 if strict else 0) + 8 * r  # a reduction or a reuse share: a little over the aim
    if dp.unit == "%" and lo < 100:
        return lo + (min(hi_cat, 100.0) - lo) * (0.5 + 0.5 * r)
    if dp.unit == "%":
        return 100.0
    step = 1.0 if dp.type == "integer" else max(0.1, abs(lo) * 0.01)
    return lo + (step if strict else 0.0) + abs(lo) * 0.3 * r + (int(r * 3) if dp.type == "integer" else 0)


# Per worker and year, a plausible size of a fact no rule bounds, by unit (the rest: its range).
_PER_WORKER = {"t": 0.01, "m3": 40.0, "m3/day": 0.3, "kWh": 500.0, "kg": 5.0, "tCO2e": 0.2, "GJ": 2.0}
# Shares no rule bounds, by a word of their id: (lowest, highest).
_SHARES = (
    ("reduction", (2, 18)),
    ("renewable", (0, 25)),
    ("agency", (0, 8)),
    ("recycled", (10, 45)),
    ("diverted", (40, 85)),
)


def _plain(dp: DataPoint, r: float, site: Site) -> float:
    """A fact no rule bounds: a plausible size for a facility of this workforce."""
    if dp.unit == "%":
        low, high = next((span for word, span in _SHARES if word in dp.id), (60, 100))
        return low + (high - low) * r
    if dp.unit == "count":
        return int(r * max(3, site.workers / 200))
    if dp.unit in _PER_WORKER:
        return site.workers * _PER_WORKER[dp.unit] * (0.5 + r)
    lo = dp.min if dp.min is not None else 0.0
    hi = dp.max if dp.max is not None else lo + 100
    return lo + (hi - lo) * min(0.35, 100 / max(1.0, hi - lo)) * r


def _tidy(value: float) -> float:
    if abs(value) >= 1000:
        return float(round(value, -1))
    if abs(value) >= 10:
        return float(round(value))
    return float(round(value, 1))


def _pairs(
    lib: Library,
    pairs: tuple[tuple[str, str, str], ...],
    values: Mapping[str, Any],
    out: dict[str, Any],
    intent: Mapping[str, tuple[bool, float, float]],
) -> None:
    """A measured value and its permitted one (or declared and due) agree, mostly."""
    for dp, op, ref in pairs:
        if dp not in out or not isinstance(out[dp], float):
            continue
        other = out.get(ref, values.get(ref))
        if not isinstance(other, int | float) or isinstance(other, bool):
            continue
        ok, r, _ = intent[dp]
        if op in ("<", "<="):
            out[dp] = _tidy(other * (0.5 + 0.45 * r) if ok else other * (1.05 + 0.3 * r))
        else:
            out[dp] = _tidy(other + (1 if op == ">" else 0) + int(r * 2) if ok else max(0.0, other - 1))
        if lib.datapoints[dp].type == "integer":
            out[dp] = float(round(out[dp]))
