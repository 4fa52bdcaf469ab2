"""The migration to one hash-chained read per view keeps every entry and seals the log again so
that `verify_access_log` holds, and refuses a log that was tampered with before it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commonground.sharing import services

BEFORE = [("sharing", "0001_initial")]
AFTER = [("sharing", "0002_access_reads")]
GENESIS = "0" * 64


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Move the sharing app to `targets`; the models as they are then (every other app newest)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "sharing"]
    return executor.loader.project_state([*others, *targets]).apps


@pytest.fixture
def old_log(transactional_db: None) -> Iterator[Any]:
    apps = _migrate(BEFORE)
    yield apps
    newest = [n for n in MigrationExecutor(connection).loader.graph.leaf_nodes() if n[0] == "sharing"]
    _migrate(newest)  # the newest schema again for the other tests


def _old_entries(apps: Any, tamper: bool = False) -> list[Any]:
    """Three entries chained the old way (one hashed row per facility): a portfolio view of two
    suppliers at one moment, then one page view."""
    Organisation = apps.get_model("accounts", "Organisation")
    Facility = apps.get_model("facilities", "Facility")
    User = apps.get_model("auth", "User")
    Entry = apps.get_model("sharing", "AccessLogEntry")
    Head = apps.get_model("sharing", "LogHead")
    owner = Organisation.objects.create(name="Owner", kind="facility")
    buyer = Organisation.objects.create(name="Buyer", kind="buyer")
    reader = User.objects.create(username="reader")
    one, two = (Facility.objects.create(owner=owner, name=n, province="HN", sector="apparel") for n in "AB")
    at = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    later = at + dt.timedelta(minutes=5)
    rows = [
        (one, at, "portfolio: results 2025"),
        (two, at, "portfolio: results 2025"),
        (one, later, "results"),
    ]
    previous, made = GENESIS, []
    for facility, moment, what in rows:
        entry = Entry(
            facility=facility,
            reader=reader,
            organisation=buyer,
            grant=None,
            what=what,
            channel="page",
            at=moment,
        )
        payload = [previous, facility.pk, reader.pk, buyer.pk, None, what, "page", moment.isoformat()]
        entry.previous_hash = previous
        entry.hash = previous = hashlib.sha256(
            json.dumps(payload, separators=(",", ":")).encode()
        ).hexdigest()
        entry.save()
        made.append(entry)
    Head.objects.create(pk=1, hash=previous)
    if tamper:
        Entry.objects.filter(pk=made[1].pk).update(what="nothing")
    return made


def test_the_migration_keeps_every_entry_and_seals_the_log_again(old_log: Any) -> None:
    made = _old_entries(old_log)
    apps = _migrate(AFTER)
    Read = apps.get_model("sharing", "AccessRead")
    Entry = apps.get_model("sharing", "AccessLogEntry")
    reads = list(Read.objects.order_by("id"))
    assert len(reads) == 2  # the two rows of one moment were one view
    assert [(e.pk, e.what, e.read_id) for e in Entry.objects.order_by("id")] == [
        (made[0].pk, "portfolio: results 2025", reads[0].pk),
        (made[1].pk, "portfolio: results 2025", reads[0].pk),
        (made[2].pk, "results", reads[1].pk),
    ]
    assert services.verify_log() == []  # sealed exactly as the application checks it
    Entry.objects.filter(pk=made[2].pk).update(what="changed")
    assert services.verify_log() == [reads[1].pk]
    Entry.objects.filter(pk=made[2].pk).update(what="results")


def test_a_log_tampered_with_before_the_migration_stops_it(old_log: Any) -> None:
    _old_entries(old_log, tamper=True)
    with pytest.raises(RuntimeError, match="tampered"):
        _migrate(AFTER)
    Entry = old_log.get_model("sharing", "AccessLogEntry")
    assert Entry.objects.filter(what="nothing").count() == 1  # nothing rewritten
    Entry.objects.all().delete()  # leave an empty log so the schema can move on
    old_log.get_model("sharing", "LogHead").objects.all().delete()
