"""Sector snapshots: aggregates, benchmarks and peer insights are computed into stored snapshots
that pages read; with jobs refreshing them, a page never scans the sector and costs the same
whatever its size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.assessments.models import Answer, Assessment
from commonground.facilities.models import Facility
from commonground.improvement import peer_insights, sector
from commonground.sharing import aggregates
from commonground.snapshots import store
from commonground.snapshots.fingerprint import sector_fingerprint
from commonground.snapshots.models import Snapshot
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.conftest import seeded_once
from tests.web.conftest import client_for


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The demo seeded once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, lambda: seed_demo(facilities=16), SNAPSHOTS_REFRESH="job") as made:
        yield made


@pytest.fixture
def demo(_seeded: Any, db: None, settings: Any) -> None:
    settings.SNAPSHOTS_REFRESH = "job"


def _drop_demo() -> None:
    Answer.objects.all().delete()
    Assessment.objects.all().delete()
    Facility.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()


def test_pages_serve_the_snapshot_until_the_job_refreshes_it(demo: None, settings: Any) -> None:
    before = aggregates.law_aggregates("en")  # nothing stored yet: worked out once
    assert before.k == 5 and before.computed_at is not None
    settings.AGGREGATE_K = 1000
    assert aggregates.law_aggregates("en") == before  # a page only reads: the old figures, same time
    refreshed = {s.kind for s in store.refresh_all(only_stale=True)}
    assert refreshed == set(store.KINDS)  # every kind depends on the threshold
    after = aggregates.law_aggregates("en")
    assert after.k == 1000 and not any(c.published for c in after.cells)
    assert after.computed_at is not None and after.computed_at > before.computed_at
    assert store.refresh_all(only_stale=True) == []  # nothing changed since: nothing to do


def test_the_fingerprint_follows_what_the_figures_are_made_of(demo: None) -> None:
    start = sector_fingerprint()
    draft = Assessment.objects.filter(status=Assessment.Status.DRAFT).first()
    assert draft is not None
    Answer.objects.filter(assessment=draft).delete()  # a draft is nobody's figure yet
    assert sector_fingerprint() == start
    facility = Facility.objects.order_by("pk").first()
    assert facility is not None
    facility.province = "Tỉnh Lâm Đồng"
    facility.save()  # a profile change moves the facility to another group
    moved = sector_fingerprint()
    assert moved != start
    Answer.objects.filter(assessment__status=Assessment.Status.SUBMITTED).order_by("pk").first().delete()  # type: ignore[union-attr]
    corrected = sector_fingerprint()  # a verifier's correction of a submitted assessment
    assert corrected != moved
    # a verified assessment's answers are locked and not looked at (decision 0030); reopening one is seen
    verified = Assessment.objects.filter(status=Assessment.Status.VERIFIED).order_by("pk").first()
    assert verified is not None
    Assessment.objects.filter(pk=verified.pk).update(status=Assessment.Status.RETURNED)
    assert sector_fingerprint() != corrected


def test_each_snapshot_reads_back_as_it_was_computed(demo: None) -> None:
    for name in ("sector-verified", "sector-panel"):
        fresh = store.refresh(name)
        rows = store.KINDS[name].decode(bytes(Snapshot.objects.get(pk=fresh.id).data))
        assert rows.n == fresh.data.n > 0 and set(rows.metrics) == set(fresh.data.metrics)
        assert np.array_equal(rows.facility_ids, fresh.data.facility_ids)
        for metric, values in fresh.data.metrics.items():
            assert np.array_equal(rows.metrics[metric], values, equal_nan=True)
    for name in ("aggregates", "insights"):
        fresh = store.refresh(name)
        assert store.KINDS[name].decode(bytes(Snapshot.objects.get(pk=fresh.id).data)) == fresh.data
    lib, rows = library(), sector.panel_rows()
    facility = int(rows.facility_ids[0])
    assert peer_insights.sector_effects() == peer_insights.effects(lib, rows, 5)
    assert peer_insights.sector_effects(like=facility) == peer_insights.effects(lib, rows, 5, like=facility)


def test_only_the_newest_snapshots_are_kept(demo: None) -> None:
    for _ in range(store.KEEP + 2):
        store.refresh("aggregates")
    assert Snapshot.objects.filter(kind="aggregates").count() == store.KEEP


def test_the_command_refreshes_every_kind(demo: None) -> None:
    from io import StringIO

    out = StringIO()
    call_command("refresh_snapshots", stdout=out)
    assert {line.split(":")[0] for line in out.getvalue().splitlines()} == set(store.KINDS)


def _queries(client: Any, url: str) -> int:
    assert client.get(url).status_code == 200  # the snapshots are read once into this process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_pages_cost_the_same_whatever_the_size_of_the_sector(db: None, settings: Any) -> None:
    settings.SNAPSHOTS_REFRESH = "job"
    counts: dict[str, list[int]] = {}
    for size in (12, 36):
        _drop_demo()
        seed_demo(facilities=size)
        store.refresh_all()
        admin = client_for("factory.admin", "en", PASSWORD)
        facility = Facility.objects.filter(owner__memberships__user__username="factory.admin").order_by("pk")[
            0
        ]
        solution = sorted(library().solutions)[0]
        pages = {
            "facility": (admin, f"/facilities/{facility.pk}/"),
            "benchmarks": (admin, f"/facilities/{facility.pk}/benchmarks/"),
            "solution": (admin, f"/solutions/{solution}/"),
            "aggregates": (client_for("authority", "en", PASSWORD), "/aggregates/"),
            "authority home": (client_for("authority", "en", PASSWORD), "/"),
        }
        for name, (client, url) in pages.items():
            counts.setdefault(name, []).append(_queries(client, url))
        assert sector.verified_rows(2024).n >= size  # the figures are there to compare with
    assert all(a == b for a, b in counts.values()), counts


def test_the_pages_say_when_the_figures_were_computed(demo: None) -> None:
    store.refresh_all()
    for lang, words in (("vi", "Số liệu toàn ngành được tính lúc"), ("en", "Sector figures computed on")):
        page = client_for("authority", lang, PASSWORD).get("/aggregates/").content.decode()
        assert words in page


def test_the_workers_refresh_stale_snapshots_every_minute(demo: None, settings: Any) -> None:
    from commonground.snapshots import tasks

    store.refresh_all()
    settings.AGGREGATE_K = 7
    assert aggregates.law_aggregates("en").k == 5  # the page reads the snapshot it has
    tasks.refresh_stale_snapshots.call_local()  # what the scheduler runs each minute
    assert aggregates.law_aggregates("en").k == 7
    settings.SNAPSHOTS_REFRESH = "on-read"
    before = Snapshot.objects.count()
    settings.AGGREGATE_K = 8
    tasks.refresh_stale_snapshots.call_local()  # reads refresh them themselves: the worker leaves them
    assert Snapshot.objects.count() == before
