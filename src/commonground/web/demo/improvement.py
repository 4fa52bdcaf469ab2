"""Demo data for improvement: production volumes (so that intensities exist), environmental
practices that mature (so that levels move), adoptions of catalogued solutions in the middle year
with outcomes that follow them, and trainings delivered.

Called by `seed_demo` after the sector and its action plans: a solution that an action adopted in
the middle year has its outcome too. The adopters of a solution are drawn among the
facilities it suits (digital time-keeping where hours are still on paper, condensate recovery where a
boiler runs, …). Their answers for the years after adoption are changed the way the solution's
sources say it works (overtime falls, fuel per unit of production falls, …); non-adopters keep the
trend the sector seed gave them. So peer insights find a difference, and not an exact one.
Deterministic for a seed; one transaction; bulk writes only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from commonground.accounts.library import library
from commonground.actions.models import Adoption
from commonground.assessments.models import Answer, Assessment
from commonground.assessments.services import to_json
from commonground.core.catalogue import normalise
from commonground.facilities import profile
from commonground.facilities.models import Facility
from commonground.improvement.models import Training
from commonground.web.demo import levels as demo_levels

Values = dict[str, Any]
NOTE = "dữ liệu mẫu (demo)"
# Output per worker and year, by sector: (data point, low, high).
_VOLUME = {
    "garment": ("facility.production_volume_pieces", 2000, 3400),
    "footwear": ("facility.production_volume_pairs", 1100, 1900),
    "textile": ("facility.production_volume_kg", 9000, 15000),
    "leather": ("facility.production_volume_kg", 4000, 8000),
}


@dataclass(frozen=True)
class Plan:
    solution_id: str
    share: float  # of the facilities it suits
    suits: Callable[[Values], bool]  # on the answers of the year before adoption
    apply: Callable[[Values, random.Random], Values]  # the answers changed after adoption


def _scale(values: Values, dp: str, factor: float, step: float = 1.0) -> Values:
    if not isinstance(values.get(dp), int | float):
        return {}
    return {dp: float(f"{round(values[dp] * factor / step) * step:.12g}")}  # no binary noise


def _time_keeping(v: Values, rng: random.Random) -> Values:
    f = rng.uniform(0.6, 0.78)
    out: Values = {
        "working_time.hours_recorded_electronically": True,
        "working_time.time_records_complete": True,
    }
    for dp in ("overtime_hours_month_max", "overtime_hours_week_max", "overtime_hours_year_max"):
        out |= _scale(v, f"working_time.{dp}", f)
    if "working_time.overtime_hours_week_max" in out:
        out["working_time.total_hours_week_max"] = 48 + out["working_time.overtime_hours_week_max"]
    return out


def _thermal(v: Values) -> float:
    """The energy that is not electricity (boiler fuel, diesel), in GJ."""
    total, kwh = v.get("energy.total_gj"), v.get("energy.electricity_kwh") or 0.0
    return max(0.0, float(total) - float(kwh) * 0.0036) if isinstance(total, int | float) else 0.0


def _fuel(v: Values, factor: float) -> Values:
    """The fuel burnt scaled by `factor`, the total energy following."""
    thermal = _thermal(v)
    if not thermal:
        return {}
    return {"energy.total_gj": round(v["energy.total_gj"] - thermal * (1 - factor), 1)}


def _fuel_saving(v: Values, rng: random.Random) -> Values:
    return _fuel(v, rng.uniform(0.76, 0.88))


def _electricity_saving(low: float, high: float) -> Callable[[Values, random.Random], Values]:
    def apply(v: Values, rng: random.Random) -> Values:
        if not v.get("energy.electricity_kwh"):
            return {}
        kwh = round(v["energy.electricity_kwh"] * rng.uniform(low, high), -3)
        saved_gj = (v["energy.electricity_kwh"] - kwh) * 0.0036
        out = {"energy.electricity_kwh": kwh, "ghg.scope2_tco2e": round(kwh * 0.000666, 1)}
        if v.get("energy.total_gj"):
            out["energy.total_gj"] = round(v["energy.total_gj"] - saved_gj, 1)
        return out

    return apply


def _water_reuse(v: Values, rng: random.Random) -> Values:
    return _scale(v, "water.withdrawal_m3", rng.uniform(0.68, 0.8), 10) | {
        "water.recycled_pct": float(rng.randint(18, 35))
    }


def _etp_upgrade(v: Values, rng: random.Random) -> Values:
    f = rng.uniform(0.45, 0.65)
    return _scale(v, "wastewater.cod_mg_l", f, 0.1) | _scale(v, "wastewater.bod5_mg_l", f, 0.1)


def _wet(v: Values) -> bool:
    return bool(v.get("wastewater.industrial_wastewater"))


PLANS = (
    Plan(
        "digital_time_keeping",
        0.55,
        lambda v: not v.get("working_time.hours_recorded_electronically"),
        _time_keeping,
    ),
    Plan("condensate_recovery", 0.4, lambda v: v.get("air.boiler_fuel") not in (None, "none"), _fuel_saving),
    Plan("compressor_vsd", 0.3, lambda v: True, _electricity_saving(0.88, 0.94)),
    Plan("led_lighting", 0.3, lambda v: True, _electricity_saving(0.93, 0.97)),
    Plan("wastewater_recycling", 0.3, _wet, _water_reuse),
    Plan("etp_upgrade", 0.5, _wet, _etp_upgrade),
    Plan(
        "social_insurance_enrolment",
        0.5,
        lambda v: v.get("benefits.social_insurance_enrolled_pct", 100) < 100,
        lambda v, rng: {
            "benefits.social_insurance_enrolled_pct": 100.0,
            "benefits.health_insurance_enrolled_pct": 100.0,
        },
    ),
    Plan(
        "grievance_hotline",
        0.9,
        lambda v: v.get("grievance.mechanism_in_place") is False,
        lambda v, rng: {"grievance.mechanism_in_place": True},
    ),
    Plan(
        "fire_drills",
        0.6,
        lambda v: v.get("fire_safety.evacuation_drills_year", 0) < 2,
        lambda v, rng: {"fire_safety.evacuation_drills_year": 2, "fire_safety.drills_cover_all_shifts": True},
    ),
)


@dataclass(frozen=True)
class ImprovementDemo:
    adoptions: int
    trainings: int
    answers_changed: int


class _Store:
    """The demo's answers by facility and year, with the rows to write back."""

    def __init__(self) -> None:
        self.lib = library()
        rows = Answer.objects.select_related("assessment").filter(assessment__facility__isnull=False)
        self.rows: dict[tuple[int, int], dict[str, Answer]] = {}
        for answer in rows.order_by("assessment__version"):
            key = (answer.assessment.facility_id, answer.assessment.period_end.year)
            if answer.assessment.version == 1:
                self.rows.setdefault(key, {})[answer.datapoint] = answer
        self.changed: dict[int, Answer] = {}
        self.new: list[Answer] = []

    def values(self, facility_id: int, year: int) -> Values:
        return {dp: a.value for dp, a in self.rows.get((facility_id, year), {}).items()}

    def set(self, facility_id: int, year: int, changes: Values) -> None:
        answers = self.rows.get((facility_id, year))
        if not answers:
            return
        for dp, raw in changes.items():
            value = to_json(normalise(self.lib.datapoints[dp], raw))
            if dp in answers:
                answers[dp].value = value
                self.changed[answers[dp].pk] = answers[dp]
                continue
            model = next(iter(answers.values()))
            verified = model.assessment.status == Assessment.Status.VERIFIED
            answer = Answer(
                assessment=model.assessment,
                datapoint=dp,
                value=value,
                source=NOTE,
                verification=Answer.Verification.CONFIRMED if verified else Answer.Verification.PENDING,
                method=self.lib.datapoints[dp].verification[0] if verified else "",
                updated_by=model.updated_by,
            )
            answers[dp] = answer
            self.new.append(answer)

    def save(self) -> int:
        Answer.objects.bulk_update(list(self.changed.values()), ["value"], batch_size=2000)
        Answer.objects.bulk_create(self.new, batch_size=2000)
        profile.refresh(Facility.objects.values("pk"))  # the rows follow the answers (decision 0025)
        return len(self.changed) + len(self.new)


def _volumes(store: _Store, rng: random.Random, facilities: list[Facility], years: list[int]) -> None:
    for facility in facilities:
        dp, low, high = _VOLUME.get(facility.sector, _VOLUME["garment"])
        per_worker = rng.uniform(low, high)
        for year in years:
            volume = facility.workers * per_worker * rng.uniform(0.98, 1.02)
            store.set(facility.pk, year, {dp: round(volume, -2)})


def _steady_energy(store: _Store, rng: random.Random, facilities: list[Facility], years: list[int]) -> None:
    """Energy after the middle year as business as usual: the year before, give or take a few per
    cent a year (the sector seed's own trends are too wide to read a 10 % saving against)."""
    year = years[len(years) // 2]
    for facility in facilities:
        before = store.values(facility.pk, year - 1)
        kwh, thermal = before.get("energy.electricity_kwh"), _thermal(before)
        for later in (y for y in years if y > year):
            if not isinstance(kwh, int | float) or not store.values(facility.pk, later).get(
                "energy.total_gj"
            ):
                continue
            new_kwh = round(kwh * rng.uniform(0.95, 1.03), -3)
            total = new_kwh * 0.0036 + thermal * rng.uniform(0.92, 1.02)
            store.set(
                facility.pk,
                later,
                {
                    "energy.electricity_kwh": new_kwh,
                    "ghg.scope2_tco2e": round(new_kwh * 0.000666, 1),
                    "energy.total_gj": round(total, 1),
                },
            )


def _practices(store: _Store, rng: random.Random, facilities: list[Facility], years: list[int]) -> None:
    """Environmental management practices that mature over the years (see demo_levels)."""
    for facility in facilities:
        steps = demo_levels.maturities(rng, len(years))
        for k, year in enumerate(years):
            now = store.values(facility.pk, year)
            if now:
                answers = demo_levels.practices({s: m[k] for s, m in steps.items()}, rng)
                store.set(facility.pk, year, demo_levels.profile_facts(now, rng) | answers)


def _energy_toe(store: _Store, facilities: list[Facility], years: list[int]) -> None:
    """Energy in tonnes of oil equivalent (1 toe = 41.868 GJ), after every change to the total."""
    for facility in facilities:
        for year in years:
            total = store.values(facility.pk, year).get("energy.total_gj")
            if isinstance(total, int | float):
                store.set(facility.pk, year, {"energy.toe": round(total / 41.868, 1)})


def _adopt(store: _Store, rng: random.Random, facilities: list[Facility], years: list[int]) -> list[Adoption]:
    year = years[len(years) // 2]  # the middle year: one year before to compare with, one after
    _steady_energy(store, rng, facilities, years)
    known = store.lib.solutions
    recorded = set(Adoption.objects.filter(adopted_on__year=year).values_list("facility_id", "solution_id"))
    adoptions = []
    for plan in (p for p in PLANS if p.solution_id in known):
        for facility in facilities:
            if (facility.pk, plan.solution_id) not in recorded:  # an action's adoption works as well
                before = store.values(facility.pk, year - 1)
                if not before or not plan.suits(before) or rng.random() >= plan.share:
                    continue
                day = dt.date(year, rng.randint(2, 9), rng.randint(1, 28))
                adoptions.append(
                    Adoption(facility=facility, solution_id=plan.solution_id, adopted_on=day, note=NOTE)
                )
            for later in (y for y in years if y > year):
                store.set(facility.pk, later, plan.apply(store.values(facility.pk, later), rng))
    return adoptions


# (topic, title in English, title in Vietnamese, provider)
_TRAININGS = (
    (
        "working_time",
        "Planning overtime within the legal limits",
        "Lập kế hoạch làm thêm giờ trong giới hạn luật",
        "Better Work Vietnam",
    ),
    (
        "wages",
        "Payslips and wage calculation for HR staff",
        "Phiếu lương và cách tính lương cho cán bộ nhân sự",
        "Liên đoàn Lao động tỉnh",
    ),
    (
        "osh",
        "Machine guarding and lock-out for mechanics",
        "Che chắn máy và khóa an toàn cho thợ máy",
        "Trung tâm huấn luyện an toàn, vệ sinh lao động",
    ),
    (
        "fire_safety",
        "Evacuation drill leaders",
        "Huấn luyện chỉ huy diễn tập thoát nạn",
        "Cảnh sát PCCC và CNCH tỉnh",
    ),
    (
        "grievance",
        "Handling worker grievances",
        "Tiếp nhận và giải quyết khiếu nại của người lao động",
        "Công đoàn cơ sở",
    ),
    (
        "chemicals",
        "Safe chemical storage and handling",
        "Lưu trữ và sử dụng hóa chất an toàn",
        "Nhà cung cấp hóa chất",
    ),
    (
        "energy",
        "Energy walk-through for maintenance teams",
        "Khảo sát năng lượng cho tổ bảo trì",
        "Đơn vị tư vấn tiết kiệm năng lượng",
    ),
)


def _trainings(rng: random.Random, facilities: list[Facility], today: dt.date) -> list[Training]:
    """One to three trainings per facility in the last two years, participants mostly women."""
    out = []
    for facility in facilities:
        for _ in range(rng.randint(0, 3)):
            topic, title_en, title_vi, provider = rng.choice(_TRAININGS)
            size = rng.randint(12, 60)
            women = round(size * rng.uniform(0.55, 0.85))
            others = rng.choice((0, 0, 0, 1))
            out.append(
                Training(
                    facility=facility,
                    topic=topic,
                    resource_id=_resource(topic),
                    title=f"{title_vi} / {title_en}",
                    delivered_on=today - dt.timedelta(days=rng.randint(5, 700)),
                    women=women,
                    men=max(0, size - women - others),
                    others=others,
                    provider=provider,
                    note=NOTE,
                )
            )
    return out


def _resource(topic: str) -> str:
    found = sorted(t.id for t in library().trainings.values() if t.topic == topic)
    return found[0] if found else ""


def seed_improvement(*, seed: int = 2026, today: dt.date | None = None) -> ImprovementDemo:
    """Volumes, adoptions with their outcomes, and trainings for the seeded demo sector."""
    rng = random.Random(seed * 7 + 6)
    facilities = list(Facility.objects.order_by("pk"))
    years = sorted({d.year for d in Assessment.objects.values_list("period_end", flat=True)})
    with transaction.atomic():
        store = _Store()
        _volumes(store, rng, facilities, years)
        _practices(store, rng, facilities, years)
        adoptions = _adopt(store, rng, facilities, years) if len(years) >= 3 else []
        _energy_toe(store, facilities, years)
        Adoption.objects.bulk_create(adoptions)
        trainings = _trainings(rng, facilities, today or dt.date.today())
        Training.objects.bulk_create(trainings)
        changed = store.save()
    return ImprovementDemo(len(adoptions), len(trainings), changed)
