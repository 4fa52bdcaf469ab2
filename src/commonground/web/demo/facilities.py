"""Demo data: a seeded sector to try every page on, with one login per role.

`seed_demo` creates a few dozen fictional facilities across real (post-2025) provinces, their owners,
four buyers with different framework sets, a verifier body, an authority and a civil-society
organisation, and three calendar years of assessments per facility whose answers follow plausible
trends: most facilities improve year on year (overtime falls, the lowest wage follows the regional
minimum-wage decrees, drills become more frequent, dyers' effluent COD falls), a minority gets worse.
Breaches are drawn with the published pattern in mind (Better Work Vietnam synthesis reports: overtime
is the most common breach, then OSH management and social insurance; forced and child labour are rare).

Every company, person and figure is fictional. Localities and their minimum-wage regions are taken
from the Decree 293/2025 annex (``library/regions``); a facility keeps its 2026 region in every year
(a simplification: before July 2025 regions were mapped by district).

All rows are written with ``bulk_create`` in one transaction. No ``AnswerChange`` rows are recorded:
the change history is the record of what a person did to an answer, and seed data is not anyone's
change — an empty history is the truthful one. ``Answer.updated_by`` still names the facility's
demo administrator where there is one.

The modeled answers carry the demo's findings, trends and peer effects; `demo_complete` then adds the
rest of each facility's questionnaire from its own random stream, as a factory that submits answers
nearly everything that applies to it (drafts part of it, small workshops only the modeled facts).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from commonground.accounts.library import library
from commonground.accounts.models import Membership, Organisation
from commonground.assessments.evaluations import LAW
from commonground.assessments.models import Answer, Assessment
from commonground.assessments.services import to_json
from commonground.core.catalogue import normalise
from commonground.core.engine import Engine
from commonground.core.identity import with_check_digit
from commonground.core.questionnaire import build_questionnaire
from commonground.facilities import profile
from commonground.facilities.models import Facility, RequiredFramework, SupplyLink
from commonground.web.demo import complete as demo_complete

PASSWORD = "demo-password-2026"
EMAIL_DOMAIN = "demo.commonground.example"
SOURCE = "demo seed"


class DemoExists(Exception):
    """The demo logins already exist: seeding again would duplicate the demo."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    organisation: str
    role_en: str
    role_vi: str
    password: str = PASSWORD


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    facilities: int
    provinces: int
    assessments: int
    answers: int
    supply_links: int
    logins: tuple[DemoLogin, ...] = field(default=())


# ---- the cast -------------------------------------------------------------------------------------

# (username, organisation key, membership role, role in English, role in Vietnamese)
_LOGINS: tuple[tuple[str, str, str, str, str], ...] = (
    ("factory.admin", "group", "admin", "factory administrator", "quản trị viên nhà máy"),
    ("factory.editor", "group", "editor", "factory editor (compliance officer)", "cán bộ tuân thủ nhà máy"),
    ("factory.viewer", "group", "viewer", "factory viewer", "người xem của nhà máy"),
    ("buyer", "buyer", "editor", "buyer (sourcing / sustainability)", "nhãn hàng (bộ phận bền vững)"),
    (
        "buyer.admin",
        "buyer",
        "admin",
        "buyer administrator (code of conduct)",
        "quản trị nhãn hàng (bộ quy tắc)",
    ),
    ("verifier", "verifier", "editor", "verifier (third-party assessor)", "đánh giá viên độc lập"),
    ("authority", "authority", "viewer", "labour authority", "cơ quan quản lý lao động"),
    ("cso", "cso", "viewer", "civil-society organisation", "tổ chức xã hội"),
)

# The demo factory group (the factory logins belong to it) and the other owners.
_DEMO_GROUP = ("Song Hong Garment Corporation (demo)", "Tổng Công ty May Sông Hồng (demo)")
_OTHER_GROUPS = (
    ("Phuong Nam Textile Group", "Tập đoàn Dệt May Phương Nam"),
    ("Thanh Cong Footwear Holdings", "Công ty Cổ phần Giày Thành Công"),
    ("Hoa Binh Leather JSC", "Công ty Cổ phần Da Hòa Bình"),
    ("Viet Tien Apparel Partners", "Công ty TNHH Đối tác May Việt Tiến"),
    ("Delta Knit Group", "Tập đoàn Dệt Kim Đồng Bằng"),
    ("Truong Son Industrial Group", "Tập đoàn Công nghiệp Trường Sơn"),
    ("Kim Long Fashion Corporation", "Tổng Công ty Thời trang Kim Long"),
)

# Buyer name → the frameworks it requires (library ids) and the sectors it sources from.
_BUYERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], int], ...] = (
    ("Lotus Apparel", ("sa8000", "ilo-fundamental", "zdhc-wastewater"), ("garment", "textile"), 24),
    (
        "Mekong Outdoor",
        ("eti-base-code", "env-improvement-levels", "zdhc-wastewater"),
        ("garment", "textile"),
        18,
    ),
    (
        "Saigon Shoes Intl",
        ("wrap-principles", "ilo-fundamental", "env-improvement-levels"),
        ("footwear", "leather"),
        14,
    ),
    ("Red River Retail", ("example-buyer-code", "eti-base-code"), ("garment", "footwear", "textile"), 20),
)

_BUYERS_KEYS = tuple(name for name, *_ in _BUYERS)

_VERIFIER = ("Viet Assure Verification (demo)", "Công ty Kiểm định Việt Assure (demo)")
# (name, name in Vietnamese, the province whose figures its home page shows)
_AUTHORITY = (
    "Ho Chi Minh City Department of Home Affairs (demo)",
    "Sở Nội vụ TP. Hồ Chí Minh (demo)",
    "Thành phố Hồ Chí Minh",
)
_CSO = ("Centre for Workers' Rights (demo)", "Trung tâm Quyền của Người lao động (demo)", "Tỉnh Đồng Nai")

# (province, locality, minimum-wage region, weight) — localities and regions as listed by the
# Decree 293/2025 annex (or the province's remaining-units row).
_SITES: tuple[tuple[str, str, str, int], ...] = (
    ("Thành phố Hồ Chí Minh", "phường Bến Cát", "1", 3),
    ("Thành phố Hồ Chí Minh", "phường Tân Uyên", "1", 2),
    ("Thành phố Hồ Chí Minh", "phường Thuận An", "1", 2),
    ("Thành phố Hồ Chí Minh", "phường Dĩ An", "1", 2),
    ("Thành phố Hồ Chí Minh", "xã Củ Chi", "1", 2),
    ("Thành phố Hồ Chí Minh", "phường Bình Tân", "1", 2),
    ("Thành phố Hồ Chí Minh", "phường Bà Rịa", "2", 1),
    ("Tỉnh Đồng Nai", "xã Nhơn Trạch", "1", 3),
    ("Tỉnh Đồng Nai", "xã Trảng Bom", "1", 2),
    ("Tỉnh Đồng Nai", "xã Long Thành", "1", 2),
    ("Tỉnh Đồng Nai", "phường Chơn Thành", "2", 1),
    ("Tỉnh Đồng Nai", "phường Bình Long", "3", 1),
    ("Tỉnh Tây Ninh", "xã Đức Hòa", "1", 2),
    ("Tỉnh Tây Ninh", "phường Trảng Bàng", "2", 2),
    ("Tỉnh Tây Ninh", "xã Thạnh Phước", "3", 1),
    ("Thành phố Hà Nội", "xã Thạch Thất", "1", 1),
    ("Thành phố Hà Nội", "xã Đông Anh", "1", 1),
    ("Thành phố Hà Nội", "xã Sóc Sơn", "1", 1),
    ("Thành phố Hải Phòng", "phường An Dương", "1", 2),
    ("Thành phố Hải Phòng", "phường Hải Dương", "1", 1),
    ("Thành phố Hải Phòng", "xã Ninh Giang", "2", 1),
    ("Tỉnh Bắc Ninh", "phường Quế Võ", "2", 1),
    ("Tỉnh Bắc Ninh", "xã Yên Phong", "2", 1),
    ("Tỉnh Bắc Ninh", "xã Hiệp Hòa", "3", 1),
    ("Tỉnh Hưng Yên", "phường Mỹ Hào", "2", 2),
    ("Tỉnh Hưng Yên", "phường Thái Bình", "2", 1),
    ("Tỉnh Hưng Yên", "xã Tiền Hải", "3", 1),
    ("Tỉnh Ninh Bình", "phường Nam Định", "2", 2),
    ("Tỉnh Ninh Bình", "phường Phủ Lý", "3", 1),
    ("Tỉnh Ninh Bình", "xã Gia Viễn", "3", 1),
    ("Tỉnh Nghệ An", "phường Hoàng Mai", "2", 1),
    ("Tỉnh Nghệ An", "xã Diễn Châu", "3", 1),
    ("Tỉnh Nghệ An", "xã Yên Thành", "3", 1),
    ("Tỉnh Nghệ An", "xã Anh Sơn", "4", 1),
    ("Thành phố Đà Nẵng", "phường Hòa Khánh", "2", 1),
    ("Thành phố Đà Nẵng", "phường Điện Bàn", "3", 1),
    ("Tỉnh Thanh Hóa", "phường Nghi Sơn", "2", 1),
    ("Tỉnh Thanh Hóa", "xã Thọ Xuân", "3", 1),
    ("Tỉnh Thanh Hóa", "xã Thạch Thành", "4", 1),
)

# Monthly regional minimum wage (VND) in force at the end of a calendar-year period, by region:
# Decree 38/2022 (from 2022-07-01), Decree 74/2024 (from 2024-07-01), Decree 293/2025 (from 2026-01-01).
_MINIMUM_WAGE: tuple[tuple[dt.date, dict[str, int]], ...] = (
    (dt.date(2022, 7, 1), {"1": 4_680_000, "2": 4_160_000, "3": 3_640_000, "4": 3_250_000}),
    (dt.date(2024, 7, 1), {"1": 4_960_000, "2": 4_410_000, "3": 3_860_000, "4": 3_450_000}),
    (dt.date(2026, 1, 1), {"1": 5_310_000, "2": 4_730_000, "3": 4_140_000, "4": 3_700_000}),
)

_SECTORS = (("garment", 0.58), ("footwear", 0.16), ("textile", 0.16), ("leather", 0.10))
# Median and spread (of the log) of the workforce by sector.
_SIZE = {"garment": (650, 1.0), "footwear": (2400, 0.9), "textile": (450, 0.8), "leather": (300, 0.7)}
_PROCESSES = {
    "garment": ("cutting", "sewing", "finishing"),
    "footwear": ("cutting", "sewing", "shoe_assembly"),
    "textile": ("knitting", "dyeing", "finishing"),
    "leather": ("tanning", "leather_finishing"),
}
_KIND_VI = {
    "garment": ("Công ty TNHH May", "Công ty Cổ phần May", "Công ty TNHH May mặc xuất khẩu"),
    "footwear": ("Công ty TNHH Giày", "Công ty Cổ phần Giày da"),
    "textile": ("Công ty TNHH Dệt nhuộm", "Công ty Cổ phần Dệt"),
    "leather": ("Công ty TNHH Thuộc da", "Công ty Cổ phần Da thuộc"),
}
_KIND_EN = {
    "garment": "Garment",
    "footwear": "Footwear",
    "textile": "Textile",
    "leather": "Leather",
}
_NAME_WORDS = (
    "Hưng Thịnh", "Phú Hòa", "Thành Đạt", "An Phát", "Minh Anh", "Việt Thắng", "Tân Phú", "Hoàng Long",
    "Đại Nam", "Phước Lộc", "Bình Minh", "Sao Mai", "Hồng Hà", "Trường Thành", "Kim Ngân", "Thiên Ân",
    "Đông Á", "Nam Tiến", "Hải Âu", "Quang Vinh", "Phú Cường", "Thuận Phát", "Gia Bảo", "Hòa Thắng",
    "Lộc Phát", "Vạn Xuân", "Bảo Tín", "Tiến Đạt", "Mai Linh", "Ánh Dương", "Thanh Bình", "Đức Hạnh",
    "Phương Đông", "Tường Vy", "Hưng Phát", "Khải Hoàn", "Toàn Thắng", "Hồng Phúc", "Thịnh Vượng", "Ngọc Lan",
    "Phúc Khang", "Quốc Bảo", "Vĩnh Hưng", "Tân Tiến", "Hòa Bình", "Thái Sơn", "Nhật Quang", "Sông Hương",
)  # fmt: skip


def ascii_name(text: str) -> str:
    """The name without diacritics ("Đồng Nai" → "Dong Nai")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def minimum_wage(region: str, on: dt.date) -> int:
    amount = 0
    for start, table in _MINIMUM_WAGE:
        if on >= start:
            amount = table[region]
    return amount


# ---- facilities and their trajectories ------------------------------------------------------------


@dataclass
class _Site:
    sector: str
    province: str
    locality: str
    region: str
    workers: int
    wet: bool  # dyeing, washing or tanning: industrial wastewater
    direct: bool  # discharges treated wastewater itself (else to the industrial-zone plant)
    trend: float  # < 1 improves every year, > 1 gets worse
    care: float  # 0 (careless) .. 1 (careful): how likely breaches are
    name: str = ""
    name_vi: str = ""
    processes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def _sites(rng: random.Random, count: int) -> list[_Site]:
    weights = [w for *_, w in _SITES]
    used: set[tuple[str, str]] = set()
    sites = []
    for i in range(count):
        # the first four cover every sector, whatever the draw
        sector = (
            _SECTORS[i][0]
            if i < len(_SECTORS)
            else rng.choices([s for s, _ in _SECTORS], [w for _, w in _SECTORS])[0]
        )
        province, locality, region, _ = rng.choices(_SITES, weights)[0]
        median, sigma = _SIZE[sector]
        workers = int(min(8000, max(50, round(rng.lognormvariate(math.log(median), sigma), -1))))
        processes = list(_PROCESSES[sector])
        wet = sector in ("textile", "leather")
        if sector == "garment" and rng.random() < 0.12:  # denim and garment washing
            processes.append("washing")
            wet = True
        if sector == "garment" and rng.random() < 0.2:
            processes.append("embroidery")
        if sector == "footwear" and rng.random() < 0.3:
            processes.append("printing")
        roll = rng.random()
        trend = (
            rng.uniform(0.82, 0.94)
            if roll < 0.78
            else rng.uniform(0.98, 1.02)
            if roll < 0.88
            else rng.uniform(1.06, 1.18)
        )
        site = _Site(
            sector=sector,
            province=province,
            locality=locality,
            region=region,
            workers=workers,
            wet=wet,
            direct=wet and rng.random() < 0.6,
            trend=trend,
            care=rng.betavariate(4, 2),
            processes=tuple(sorted(processes)),
        )
        site.name_vi, site.name = _company_name(rng, sector, used)
        sites.append(site)
    return sites


def _company_name(rng: random.Random, sector: str, used: set[tuple[str, str]]) -> tuple[str, str]:
    """A fictional company name, unique within the sector (Vietnamese with diacritics, and ASCII)."""
    free = [w for w in _NAME_WORDS if (w, sector) not in used]
    word = rng.choice(free) if free else f"{rng.choice(_NAME_WORDS)} {len(used) + 1}"
    used.add((word, sector))
    kind_vi = rng.choice(_KIND_VI[sector])
    legal = "JSC" if "Cổ phần" in kind_vi else "Co., Ltd."
    return f"{kind_vi} {word}", f"{ascii_name(word)} {_KIND_EN[sector]} {legal}"


# ---- answers --------------------------------------------------------------------------------------


def _round(x: float, step: float = 1) -> float:
    """x to the nearest step, without binary noise (28 × 0.1 is 2.8, not 2.8000000000000003: a value a
    person would type, so that a page or a workbook showing it saves back the same)."""
    return float(f"{round(x / step) * step:.12g}")


def _answers(rng: random.Random, site: _Site, year: int, k: int) -> dict[str, Any]:
    """The raw answers of one facility for one calendar year (k = 0 for the first year)."""
    f = site.trend**k  # < 1 for an improving facility
    care = site.care
    bad = 1 - care

    def chance(p: float) -> bool:
        return rng.random() < p

    def issue(key: str, p: float) -> bool:
        """A breach that persists: drawn once per facility, it fades as the facility improves (f falls)
        and may appear as it gets worse (f rises)."""
        return bool(site.extra.setdefault(key, rng.random()) < p * f)

    end = dt.date(year, 12, 31)

    # Working time: peak-season overtime is the sector's most common breach.
    base_ot = site.extra.setdefault("ot", rng.uniform(32, 62) * (1.15 if site.workers < 300 else 1))
    ot_month = max(8.0, _round(base_ot * f * rng.uniform(0.95, 1.05)))
    ot_week = max(4.0, _round(ot_month / rng.uniform(3.0, 3.6)))
    ot_year = _round(min(ot_month * rng.uniform(6.0, 7.6), 700))
    workers = max(50, round(site.workers * rng.uniform(0.93, 1.08)))
    female = round(workers * rng.uniform(0.62, 0.85 if site.sector != "leather" else 0.55))
    region = site.region
    wage_floor = minimum_wage(region, end)
    # Most pay a little above the minimum; a few lag behind a new decree.
    lag = site.extra.setdefault("lag", chance(0.05 + 0.1 * bad))
    margin = rng.uniform(-0.04, -0.005) if lag and f >= 0.9 else rng.uniform(0.005, 0.06) + 0.02 * k
    lowest = _round(wage_floor * (1 + margin), 10_000)
    # Social insurance: new hires are often enrolled late; the gap closes as the facility improves.
    si_gap = site.extra.setdefault("si_gap", rng.uniform(0.5, 15)) * f
    si_pct = _round(100 - si_gap, 0.5) if issue("si", 0.5 + 0.5 * bad) else 100.0
    drills = site.extra.setdefault("drills", rng.choice((0, 1, 1, 1, 2)))
    drills = min(4, max(0, drills + (k if site.trend < 0.95 else -k if site.trend > 1.05 else 0)))
    youngest = site.extra.setdefault(
        "youngest", 18 if not chance(0.2) else rng.choice((16, 17, 17)) if not chance(0.05) else 15
    )
    if youngest < 18 and k >= 2 and site.trend < 0.95:
        youngest += 1  # no longer hires the youngest

    a: dict[str, Any] = {
        "facility.sector": site.sector,
        "facility.processes": list(site.processes),
        "facility.province": site.province,
        "facility.commune": site.locality,
        "facility.minimum_wage_region": region,
        "facility.in_industrial_zone": site.extra.setdefault("zone", chance(0.7)),
        "facility.ownership": site.extra.setdefault(
            "owner", rng.choices(("foreign_invested", "domestic_private", "joint_venture"), (5, 4, 1))[0]
        ),
        "facility.export_oriented": True,
        "facility.shifts_per_day": 2 if site.wet else 1,
        "facility.workers_total": workers,
        "facility.workers_female": female,
        "facility.workers_migrant": round(workers * rng.uniform(0.2, 0.7)),
        "working_time.hours_regime": "daily",
        "working_time.normal_hours_day_max": 8,
        "working_time.normal_hours_week_max": 48,
        "working_time.overtime_hours_day_max": min(4.0, max(1.0, _round(ot_week / 5.5, 0.5))),
        "working_time.overtime_hours_week_max": ot_week,
        "working_time.total_hours_week_max": 48 + ot_week,
        "working_time.overtime_hours_month_max": ot_month,
        "working_time.overtime_hours_year_max": ot_year,
        "working_time.overtime_300h_notified": site.extra.setdefault("notified", chance(0.55 + 0.4 * care)),
        "working_time.overtime_voluntary": not issue("involuntary", 0.25 * bad),
        "working_time.overtime_consent_documented": not issue("no_consent", 0.3 + 0.4 * bad),
        "working_time.weekly_rest_24h": not issue("no_rest", 0.35 * bad),
        "working_time.time_records_complete": not issue("records", 0.1 + 0.4 * bad),
        "working_time.hours_recorded_electronically": not issue("paper", 0.6),
        "wages.pay_forms": ["monthly", "piece_rate"] if site.sector == "garment" else ["monthly"],
        "wages.lowest_base_wage_month_vnd": lowest,
        "wages.lowest_take_home_month_vnd": _round(lowest * rng.uniform(1.08, 1.3), 10_000),
        "wages.average_wage_month_vnd": _round(max(lowest, wage_floor) * rng.uniform(1.45, 1.9), 10_000),
        "wages.overtime_premium_weekday_pct": 130 if issue("premium", 0.15 * bad) else 150,
        "wages.overtime_premium_rest_day_pct": 200,
        "wages.overtime_premium_holiday_pct": 300,
        "wages.pay_delay_days_max": rng.choice((3, 5, 10)) if issue("late_pay", 0.3 * bad) else 0,
        "wages.payslip_provided": not issue("payslip", 0.15 * bad),
        "wages.unlawful_deductions": issue("deductions", 0.3 * bad),
        "benefits.social_insurance_enrolled_pct": si_pct,
        "benefits.health_insurance_enrolled_pct": si_pct,
        "benefits.annual_leave_days_min": 10 if issue("leave", 0.2 * bad) else 12,
        "benefits.maternity_leave_months_granted_min": 6,
        "child_labour.youngest_worker_age": youngest,
        "child_labour.age_verification_at_hiring": not issue("age_check", 0.3 * bad),
        "forced_labour.identity_documents_retained": issue("id_kept", 0.12 * bad),
        "forced_labour.recruitment_fees_paid_by_workers": issue("fees", 0.15 * bad),
        "forced_labour.deposits_required": issue("deposits", 0.06 * bad),
        "forced_labour.freedom_to_resign": True,
        "freedom_of_association.union_present": site.workers >= 100 or not issue("no_union", 0.5),
        "freedom_of_association.union_leader_in_management": issue("union_mgmt", 0.2 + 0.8 * bad),
        "freedom_of_association.workplace_dialogue_meetings_year": rng.choice((1, 2, 4, 4, 4)),
        "contracts.written_contracts_pct": _round(rng.uniform(85, 99))
        if issue("contracts", 0.3 * bad)
        else 100,
        "contracts.contract_copy_given": not issue("copy", 0.25 * bad),
        "grievance.mechanism_in_place": not issue("grievance", 0.4 * bad),
        "osh.risk_assessment_done": not issue("risk", 0.1 + 0.6 * bad),
        "osh.workers_trained_pct": _round(rng.uniform(75, 99), 1)
        if issue("training", 0.2 + 0.6 * bad)
        else 100,
        "osh.health_check_coverage_pct": _round(rng.uniform(88, 99.5), 0.5)
        if issue("health", 0.5 * bad)
        else 100,
        "osh.machines_unguarded_count": rng.randint(1, 12) if issue("guards", 0.1 + 0.8 * bad) else 0,
        "osh.ppe_provided_free": True,
        "fire_safety.evacuation_drills_year": drills,
        "fire_safety.drills_cover_all_shifts": drills > 0 and not (site.wet and issue("shifts", 0.6 * bad)),
        "fire_safety.emergency_exits_unlocked": not issue("locked", 0.3 * bad),
        "fire_safety.aisles_clear": not issue("aisles", 0.6 * bad),
        "fire_safety.alarm_installed": True,
        "fire_safety.fire_plan_approved": not issue("fire_plan", 0.4 * bad),
        "env_management.environmental_permit": not issue("permit", 0.3 * bad),
        "wastewater.industrial_wastewater": site.wet,
        "wastewater.discharge_type": "direct" if site.direct else "indirect_to_ciz_wwtp",
    }
    a.update(_environment(rng, site, f, year))
    return a


def _environment(rng: random.Random, site: _Site, f: float, year: int) -> dict[str, Any]:
    # Electricity per worker and year: sewing lines use little, wet processing a lot.
    per_worker = {"garment": 2200, "footwear": 2600, "textile": 9000, "leather": 7000}[site.sector]
    kwh = _round(site.workers * per_worker * rng.uniform(0.8, 1.2) * (0.5 + 0.5 * f), 1000)
    coal = site.wet and site.extra.setdefault("coal", rng.random() < 0.5) and not (f < 0.8 and year >= 2025)
    fuel_t = (
        site.workers * (1.2 if site.sector == "textile" else 0.8) * rng.uniform(0.8, 1.2) if site.wet else 0.0
    )
    diesel_l = _round(site.workers * rng.uniform(2, 6), 10)
    coal_t = _round(fuel_t * f, 1) if coal else 0.0
    biomass_t = _round(fuel_t * 1.6 * f, 1) if site.wet and not coal else 0.0
    gj = kwh * 0.0036 + coal_t * 24.0 + biomass_t * 15.0 + diesel_l * 0.0386
    a: dict[str, Any] = {
        "energy.electricity_kwh": kwh,
        "energy.total_gj": _round(gj, 1),
        "energy.coal_used": coal,
        "air.boiler_fuel": ("coal" if coal else "biomass") if site.wet else "none",
        # location-based, Viet Nam grid emission factor ≈ 0.66 tCO2/MWh
        "ghg.scope2_tco2e": _round(kwh * 0.000666, 0.1),
        "ghg.scope1_tco2e": _round(coal_t * 2.45 + diesel_l * 0.00268, 0.1),
        "water.withdrawal_m3": _round(
            site.workers * (60 if not site.wet else 600) * rng.uniform(0.8, 1.2) * f, 10
        ),
        "waste.hazardous_t": _round(site.workers * rng.uniform(0.001, 0.004) * (5 if site.wet else 1), 0.1),
        "waste.hazardous_register": "yes" if rng.random() < 0.85 else "partial",
    }
    if site.wet:
        cod0 = site.extra.setdefault("cod", rng.uniform(70, 230) if site.direct else rng.uniform(250, 600))
        cod = _round(cod0 * f * rng.uniform(0.93, 1.07), 0.1)
        a |= {
            "wastewater.effluent_standard": "qcvn13_2015" if site.sector == "textile" else "qcvn40_2011",
            "wastewater.receiving_water_column": site.extra.setdefault(
                "column", "b" if rng.random() < 0.8 else "a"
            ),
            "wastewater.treatment_onsite": "full" if site.direct else "pretreatment",
            "wastewater.cod_mg_l": cod,
            "wastewater.bod5_mg_l": _round(cod * rng.uniform(0.25, 0.4), 0.1),
            "wastewater.tss_mg_l": _round(rng.uniform(20, 110) * f, 0.1),
            "wastewater.ph": _round(rng.uniform(6.3, 9.4 if f > 0.9 else 8.6), 0.1),
            "wastewater.discharge_m3_day": _round(site.workers * rng.uniform(0.6, 1.6), 1),
            "wastewater.zdhc_tested": rng.random() < 0.7,
            "wastewater.ciz_connection_agreement": True,
        }
    return a


# ---- seeding --------------------------------------------------------------------------------------


def seed_demo(
    *, facilities: int = 60, years: tuple[int, ...] = (2023, 2024, 2025), seed: int = 2026
) -> DemoSummary:
    """Create the demo sector in one transaction; raise DemoExists when its logins are there."""
    if User.objects.filter(username__in=[u for u, *_ in _LOGINS]).exists():
        raise DemoExists("the demo logins already exist")
    rng = random.Random(seed)
    lib = library()
    years = tuple(sorted(years))
    with transaction.atomic():
        kinds = Organisation.Kind
        orgs = {
            "group": Organisation(name=_DEMO_GROUP[0], name_vi=_DEMO_GROUP[1], kind=kinds.FACTORY_GROUP),
            "verifier": Organisation(name=_VERIFIER[0], name_vi=_VERIFIER[1], kind=kinds.VERIFIER_BODY),
            "authority": Organisation(
                name=_AUTHORITY[0], name_vi=_AUTHORITY[1], kind=kinds.AUTHORITY, province=_AUTHORITY[2]
            ),
            "cso": Organisation(name=_CSO[0], name_vi=_CSO[1], kind=kinds.CSO, province=_CSO[2]),
        }
        for i, (en, vi) in enumerate(_OTHER_GROUPS):
            orgs[f"group{i}"] = Organisation(name=en, name_vi=vi, kind=kinds.FACTORY_GROUP)
        for i, (name, *_) in enumerate(_BUYERS):
            orgs[f"buyer{i}"] = Organisation(name=name, name_vi=name, kind=kinds.BUYER)
        Organisation.objects.bulk_create(list(orgs.values()))
        orgs["buyer"] = orgs["buyer0"]  # the demo buyer login's organisation

        logins = _create_logins(orgs)
        admin = next(u for u in logins[0] if u.username == "factory.admin")

        sites = _sites(rng, facilities)
        owners = [orgs[k] for k in orgs if k.startswith("group")]
        rows = []
        for i, site in enumerate(sites):
            # the demo group owns every eighth site (at least one)
            owner = orgs["group"] if i % 8 == 0 else owners[1 + i % (len(owners) - 1)]
            rows.append(
                Facility(
                    owner=owner,
                    name=site.name,
                    name_vi=site.name_vi,
                    address=f"{site.locality}, {site.province}",
                    province=site.province,
                    locality=site.locality,
                    minimum_wage_region=site.region,
                    tax_code=with_check_digit(f"{rng.randrange(10**9, 10**10)}"),
                    sector=site.sector,
                    processes=list(site.processes),
                    products=_products(site.sector),
                    workers=site.workers,
                )
            )
        Facility.objects.bulk_create(rows)
        supplied = _supply(rng, orgs, rows)
        links = len(supplied)

        assessments, raw = [], []
        for facility, site in zip(rows, sites, strict=True):
            for k, year in enumerate(years):
                latest = k == len(years) - 1
                status = _status(rng, latest)
                mine = facility.owner_id == orgs["group"].pk
                assessments.append(
                    Assessment(
                        facility=facility,
                        period_start=dt.date(year, 1, 1),
                        period_end=dt.date(year, 12, 31),
                        status=status,
                        verifier=orgs["verifier"],
                        created_by=admin if mine else None,
                        submitted_at=_moment(year + 1, 2, rng) if status != "draft" else None,
                        verified_at=_moment(year + 1, 4, rng) if status == "verified" else None,
                    )
                )
                raw.append((_answers(rng, site, year, k), status, admin if mine else None))
        # its own stream: the modeled draws above stay exactly as they were (the offset is one with
        # which the demo's peer-insight effects, carried by five or six adopters, still show)
        _complete(random.Random(seed * 7919 + 15), lib, rows, sites, supplied, assessments, raw)
        Assessment.objects.bulk_create(assessments)

        answers = []
        for assessment, (values, status, who) in zip(assessments, raw, strict=True):
            for dp_id, value in values.items():
                dp = lib.datapoints[dp_id]
                verification, method = Answer.Verification.PENDING, ""
                if status == "verified":
                    # confirmed, never "corrected": a correction would need a change in the history
                    verification, method = Answer.Verification.CONFIRMED, dp.verification[0]
                answers.append(
                    Answer(
                        assessment=assessment,
                        datapoint=dp_id,
                        value=to_json(normalise(dp, value)),
                        source=SOURCE,
                        verification=verification,
                        method=method,
                        updated_by=who,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=2000)
        profile.refresh([f.pk for f in rows])  # the rows carry the latest period's profile (0025)

    return DemoSummary(
        organisations=len(orgs) - 1,
        facilities=len(rows),
        provinces=len({f.province for f in rows}),
        assessments=len(assessments),
        answers=len(answers),
        supply_links=links,
        logins=logins[1],
    )


def _create_logins(orgs: dict[str, Organisation]) -> tuple[list[User], tuple[DemoLogin, ...]]:
    # One hash for the shared password: hashing it seven times would dominate the seeding time.
    hashed = make_password(PASSWORD)
    users, memberships, logins = [], [], []
    for username, org_key, role, role_en, role_vi in _LOGINS:
        user = User(username=username, email=f"{username}@{EMAIL_DOMAIN}", password=hashed)
        users.append(user)
        memberships.append(Membership(user=user, organisation=orgs[org_key], role=role))
        logins.append(DemoLogin(username, orgs[org_key].name, role_en, role_vi))
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(memberships)
    return users, tuple(logins)


def _complete(
    rng: random.Random,
    lib: Any,
    rows: list[Facility],
    sites: list[_Site],
    links: list[SupplyLink],
    assessments: list[Assessment],
    raw: list[tuple[dict[str, Any], str, User | None]],
) -> None:
    """Add the rest of each facility's questionnaire to the modeled answers (demo_complete), from
    its own random stream: the modeled answers and their draws stay as they are."""
    frameworks = dict(zip(_BUYERS_KEYS, (b[1] for b in _BUYERS), strict=True))
    by_facility: dict[int, list[str]] = {}
    for link in links:
        by_facility.setdefault(id(link.facility), []).append(link.buyer.name)
    prepared: dict[tuple[str, ...], tuple[Any, demo_complete.Preferences, tuple[str, ...]]] = {}
    facts = {}
    for facility, site in zip(rows, sites, strict=True):
        buyers = sorted(set(by_facility.get(id(facility), [])))
        ids = tuple(dict.fromkeys([*LAW, *(f for b in buyers for f in frameworks[b])]))
        if ids not in prepared:
            engine = Engine(lib, ids)
            reqs = [r for fw in engine.frameworks for r in fw.requirements]
            questions = tuple(q.datapoint.id for q in build_questionnaire(lib, ids).questions)
            prepared[ids] = (engine, demo_complete.preferences(reqs), questions)
        facts[id(facility)] = (ids, demo_complete.Site(site.sector, site.workers, site.care, len(buyers)))
    for assessment, (values, status, _) in zip(assessments, raw, strict=True):
        ids, site_facts = facts[id(assessment.facility)]
        engine, prefs, questions = prepared[ids]
        values.update(
            demo_complete.complete(
                values,
                rng=rng,
                lib=lib,
                engine=engine,
                prefs=prefs,
                questions=questions,
                site=site_facts,
                start=assessment.period_start,
                end=assessment.period_end,
                status=status,
            )
        )


def _supply(
    rng: random.Random, orgs: dict[str, Organisation], facilities: list[Facility]
) -> list[SupplyLink]:
    """Each buyer requires its frameworks and is supplied by 10–30 facilities of its sectors."""
    required, links = [], []
    for i, (_, frameworks, sectors, share) in enumerate(_BUYERS):
        buyer = orgs[f"buyer{i}"]
        required += [RequiredFramework(buyer=buyer, framework_id=f) for f in frameworks]
        # the demo factory's sites supply the demo buyer, so that both logins see the same facts
        chosen = [f for f in facilities if i == 0 and f.owner_id == orgs["group"].pk]
        pool = [f for f in facilities if f.sector in sectors and f not in chosen]
        others = [f for f in facilities if f.sector not in sectors and f not in chosen]
        want = max(10, min(30, round(share * len(facilities) / 60)))
        chosen += rng.sample(pool, min(max(0, want - len(chosen)), len(pool)))
        chosen += rng.sample(others, min(max(0, 10 - len(chosen)), len(others)))
        links += [SupplyLink(buyer=buyer, facility=f) for f in chosen]
    RequiredFramework.objects.bulk_create(required)
    SupplyLink.objects.bulk_create(links)
    return links


def _status(rng: random.Random, latest: bool) -> str:
    if not latest:
        return Assessment.Status.VERIFIED
    return Assessment.Status.DRAFT if rng.random() < 0.15 else Assessment.Status.SUBMITTED


def _moment(year: int, month: int, rng: random.Random) -> dt.datetime:
    return dt.datetime(year, month, rng.randint(1, 28), rng.randint(8, 17), tzinfo=dt.UTC)


def _products(sector: str) -> str:
    return {
        "garment": "jackets, trousers, knitwear / áo khoác, quần, hàng dệt kim",
        "footwear": "sports shoes, sandals / giày thể thao, dép sandal",
        "textile": "dyed knitted fabric / vải dệt kim nhuộm",
        "leather": "finished leather / da thuộc thành phẩm",
    }[sector]
