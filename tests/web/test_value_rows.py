"""`common.rows.value_rows` reads the rows a query gives, the same values as Django would: on
PostgreSQL its timestamps are parsed by psycopg's own loader, and a portfolio's keys (built from the
moment of verification to the microsecond) must not change with the path that read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from commonground.assessments.models import Assessment
from commonground.assessments.services import latest_verified_refs
from commonground.common.rows import value_rows


def test_the_rows_and_their_moments_are_django_s(cast: dict[str, Any]) -> None:
    facility = cast["facility"]
    moments = [
        dt.datetime(2026, 3, 1, 7, 30, 15, 123456, tzinfo=dt.UTC),
        dt.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        None,
    ]
    for year, moment in zip((2025, 2024, 2023), moments, strict=True):
        Assessment.objects.create(
            facility=facility,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            status=Assessment.Status.VERIFIED if moment else Assessment.Status.DRAFT,
            verified_at=moment,
        )
    query = Assessment.objects.filter(facility=facility).order_by("period_end")
    columns = query.values_list("pk", "period_end", "version", "verified_at", "status")
    read = value_rows(columns)
    assert read == [tuple(row) for row in columns.all()]
    assert [row[3] for row in read] == [None, moments[1], moments[0]]
    assert all(row[3] is None or row[3].utcoffset() == dt.timedelta(0) for row in read)
    latest = latest_verified_refs([facility.pk])[facility.pk]
    kept = Assessment.objects.get(pk=latest.pk)
    assert latest.verified_at == kept.verified_at and latest.period_end == dt.date(2025, 12, 31)
    assert latest.verified_at.timestamp() == kept.verified_at.timestamp()
    assert timezone.is_aware(latest.verified_at)
