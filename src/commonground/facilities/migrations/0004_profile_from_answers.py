"""Decision 0025: the answers are a facility's profile facts; the facility row keeps a copy of the
latest period's values. Where the two disagree, the latest answer wins (it is dated, recorded and
may be verified; the row was typed once at creation and never kept up). Each conflict is reported."""

import sys
from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.utils import timezone

FACTS = {
    "sector": "facility.sector",
    "province": "facility.province",
    "minimum_wage_region": "facility.minimum_wage_region",
    "workers": "facility.workers_total",
    "processes": "facility.processes",
}
FIELD_OF = {dp: field for field, dp in FACTS.items()}


def _column(field: str, answer: Any) -> Any:  # as facilities.profile.column_value, frozen here for the migration
    if field == "workers":
        return int(answer) if isinstance(answer, (int, float)) and not isinstance(answer, bool) else 0
    if field == "processes":
        return sorted(str(p) for p in answer) if isinstance(answer, list) else []
    return str(answer) if answer is not None else ""


def forwards(apps: Apps, schema_editor: Any) -> None:
    Facility = apps.get_model("facilities", "Facility")
    Answer = apps.get_model("assessments", "Answer")
    latest: dict[int, dict[str, Any]] = {}
    rows = (
        Answer.objects.filter(datapoint__in=FIELD_OF)
        .order_by("assessment__period_end", "assessment__version", "assessment_id")
        .values_list("assessment__facility_id", "datapoint", "value")
    )
    for facility_id, datapoint, value in rows.iterator(chunk_size=5000):
        field = FIELD_OF[datapoint]
        latest.setdefault(facility_id, {})[field] = _column(field, value)
    changed, conflicts = [], 0
    for facility in Facility.objects.filter(pk__in=list(latest)).order_by("pk").iterator(chunk_size=2000):
        fresh = {f: v for f, v in latest[facility.pk].items() if getattr(facility, f) != v}
        for field, value in fresh.items():
            if field != "processes" or sorted(facility.processes or []) != value:
                conflicts += 1
                sys.stdout.write(
                    f"\n  profile conflict: facility {facility.pk} {field}: row {getattr(facility, field)!r}"
                    f" -> latest answer {value!r}"
                )
            setattr(facility, field, value)
        if fresh:
            facility.updated_at = timezone.now()
            changed.append(facility)
    Facility.objects.bulk_update(changed, [*FACTS, "updated_at"], batch_size=500)
    if conflicts:
        sys.stdout.write(f"\n  {conflicts} profile conflicts on {len(changed)} facilities: the latest answer won\n")


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0003_facility_updated_at"),
        ("assessments", "0003_verification_returned"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
