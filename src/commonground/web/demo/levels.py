"""Demo management practices behind the environmental levels, so that levels move across the years.

Each facility starts every section (management system, energy, water, waste, chemicals) at a
maturity of 0, 1 or 2 and may climb one step a year. Maturity m answers every Level 1 fact well from
m = 1 and every Level 2 fact from m = 2; below that a fact or two of the level is answered "partly"
or "no". Facts the sector seed already answers (the permit, hazardous-waste register) are left as
they are, and the profile facts that decide which requirements apply are answered too.
"""

from __future__ import annotations

import random
from typing import Any

Values = dict[str, Any]

GOOD: dict[str, tuple[Values, Values]] = {  # section -> (Level 1 facts, Level 2 facts), answered well
    "ems": (
        {
            "env_management.environmental_report_submitted": True,
            "env_management.violations_count": 0,
            "env_management.legal_register": "yes",
            "env_management.responsible_person": True,
            "env_management.ems_policy": "yes",
        },
        {
            "env_management.targets_reviewed_by_management": "yes",
            "env_management.training_done": "yes",
            "env_management.internal_audit_done": True,
            "env_management.incident_response_plan": "yes",
            "env_practice.env_data_verified": "yes",
        },
    ),
    "energy_ghg": (
        {"energy.sources_tracked_monthly": "yes", "energy.audit_done": True},
        {
            "energy.baseline_set": True,
            "energy.reduction_target_set": True,
            "energy.intensity_tracked": "yes",
            "energy.submetering": "yes",
            "ghg.inventory_done": "yes",
            "ghg.baseline_set": True,
            "ghg.reduction_target_set": True,
            "ghg.inventory_verified": True,
        },
    ),
    "water": (
        {"water.sources_tracked": "yes"},
        {
            "water.baseline_set": True,
            "water.reduction_target_set": True,
            "water.intensity_tracked": "yes",
            "water.balance_done": True,
        },
    ),
    "waste": (
        {
            "waste.streams_tracked": "yes",
            "waste.hazardous_storage": "yes",
            "waste.licensed_hazardous_transporter": "yes",
            "waste.industrial_contract": "yes",
            "waste.open_burning": False,
        },
        {"waste.baseline_set": True, "waste.reduction_target_set": True, "waste.domestic_sorted": "yes"},
    ),
    "chemicals": (
        {
            "chemicals.inventory_complete": "yes",
            "chemicals.sds_coverage_pct": 100.0,
            "chemicals.sds_vietnamese": "yes",
            "chemicals.manager_assigned": True,
            "chemicals.storage_secondary_containment": "yes",
            "chemicals.training_done": "yes",
            "chemicals.emergency_plan": "yes",
        },
        {
            "chemicals.mrsl_policy": "yes",
            "chemicals.supplier_screening": "yes",
            "chemicals.lot_traceability": "yes",
        },
    ),
}


def _worse(value: Any, rng: random.Random) -> Any:
    if value is True or value is False:
        return not value
    if isinstance(value, str):
        return rng.choice(("partial", "no"))
    return 0 if value == 0 else round(value * rng.uniform(0.7, 0.95))


def _level(facts: Values, met: bool, rng: random.Random) -> Values:
    if met:
        return dict(facts)
    out = dict(facts)
    for dp in rng.sample(sorted(facts), k=min(len(facts), rng.randint(1, 2))):
        out[dp] = _worse(facts[dp], rng)
    return out


def profile_facts(v: Values, rng: random.Random) -> Values:
    """The facts that decide which environmental requirements apply."""
    workers = v.get("facility.workers_total") or 500
    return {
        "env_management.project_group": "group_ii"
        if v.get("wastewater.industrial_wastewater")
        else "group_iii",
        "ghg.on_decision_13_list": False,
        "water.groundwater_m3": 0.0,
        "waste.non_hazardous_t": round(workers * rng.uniform(0.05, 0.15), 1),
        "waste.domestic_t": round(workers * rng.uniform(0.02, 0.05), 1),
    }


def maturities(rng: random.Random, years: int) -> dict[str, list[int]]:
    """Per section, the maturity in each year: a start of 0–2 and at most one step up a year."""
    out = {}
    for section in GOOD:
        level = rng.choices((0, 1, 2), (5, 4, 1))[0]
        steps = [level]
        for _ in range(years - 1):
            level = min(2, level + (rng.random() < 0.35))
            steps.append(level)
        out[section] = steps
    return out


def practices(maturity: dict[str, int], rng: random.Random) -> Values:
    """The answers of one facility and year for its maturity in each section."""
    out: Values = {}
    for section, (level_1, level_2) in GOOD.items():
        m = maturity[section]
        out |= _level(level_1, m >= 1, rng) | _level(level_2, m >= 2, rng)
    return out
