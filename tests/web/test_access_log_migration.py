"""The migrations of the access log keep every entry and seal the log again so that
`verify_access_log` holds, and refuse a log that was tampered with before them: 0002 (one
hash-chained read per view, decision 0011) and 0004 (sealed by a single sealer over a canonical
form, checkpoints instead of the head row, decision 0023)."""

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
from commonground.sharing.models import AccessLogEntry, AccessRead

BEFORE = [("sharing", "0001_initial")]
AFTER = [("sharing", "0002_access_reads")]
BEFORE_SEALS = [("sharing", "0003_access_log_of_facility")]
SEALS = [("sharing", "0004_access_log_seals")]
GENESIS = "0" * 64


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Move the sharing app to `targets`; the models as they are then (every other app newest)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "sharing"]
    return executor.loader.project_state([*others, *targets]).apps


def _newest() -> Any:
    newest = [n for n in MigrationExecutor(connection).loader.graph.leaf_nodes() if n[0] == "sharing"]
    return _migrate(newest)


@pytest.fixture
def old_log(transactional_db: None) -> Iterator[Any]:
    apps = _migrate(BEFORE)
    yield apps
    _newest()  # the newest schema again for the other tests


@pytest.fixture
def chained_log(transactional_db: None) -> Iterator[Any]:
    """The log as decision 0011 left it: reads chained under the head row."""
    apps = _migrate(BEFORE_SEALS)
    yield apps
    _newest()


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
    assert [r.hash for r in reads] == [
        _chained(GENESIS, reads[0], made[:2]),
        _chained(reads[0].hash, reads[1], made[2:]),
    ]
    _newest()  # 0004 checks this chain with 0002's formula, then seals it again
    assert services.verify_log() == []  # sealed exactly as the application checks it
    Entry.objects.filter(pk=made[2].pk).update(what="changed")
    assert services.verify_log() == [reads[1].pk]
    Entry.objects.filter(pk=made[2].pk).update(what="results")


def _chained(previous: str, read: Any, entries: list[Any]) -> str:
    """A read's hash as decision 0011 chained it."""
    rows = sorted([e.facility_id, e.grant_id, e.what] for e in entries)
    content = [read.reader_id, read.organisation_id, read.channel, read.at.isoformat(), rows]
    return hashlib.sha256((previous + json.dumps(content, separators=(",", ":"))).encode()).hexdigest()


def _chained_reads(apps: Any) -> list[Any]:
    """Three reads chained as decision 0011 did, under the head row: a portfolio view of two
    suppliers, a page view and an export, at times with microseconds."""
    Organisation = apps.get_model("accounts", "Organisation")
    Facility = apps.get_model("facilities", "Facility")
    User = apps.get_model("auth", "User")
    Read = apps.get_model("sharing", "AccessRead")
    Entry = apps.get_model("sharing", "AccessLogEntry")
    owner = Organisation.objects.create(name="Owner", kind="facility")
    buyer = Organisation.objects.create(name="Buyer", kind="buyer")
    reader = User.objects.create(username="reader")
    one, two = (Facility.objects.create(owner=owner, name=n, province="HN", sector="apparel") for n in "AB")
    at = dt.datetime(2026, 11, 30, 9, 0, 0, 123456, tzinfo=dt.UTC)
    views = [
        ("page", at, [(two, "portfolio: results 2025"), (one, "portfolio: results 2025")]),
        ("page", at + dt.timedelta(minutes=5), [(one, "results")]),
        ("export", at + dt.timedelta(minutes=9), [(two, "Kết quả")]),
    ]
    previous, made = GENESIS, []
    for channel, moment, lines in views:
        read = Read(reader=reader, organisation=buyer, channel=channel, at=moment, previous_hash=previous)
        entries = [Entry(facility=f, grant=None, what=w) for f, w in lines]
        read.hash = previous = _chained(previous, read, entries)
        read.save()
        for entry in entries:
            entry.read = read
            entry.save()
        made.append(read)
    apps.get_model("sharing", "LogHead").objects.create(pk=1, hash=previous)
    return made


def test_the_seals_migration_checks_the_old_chain_and_seals_every_read_again(chained_log: Any) -> None:
    made = _chained_reads(chained_log)
    _migrate(SEALS)
    sealed = list(AccessRead.objects.order_by("position"))
    assert [(r.pk, r.position) for r in sealed] == [(r.pk, i) for i, r in enumerate(made, start=1)]
    assert [r.at for r in sealed] == [r.at for r in made]  # the times as they were
    assert services.check_log().intact and services.check_log().sealed == 3
    checkpoint = services.take_checkpoint()
    assert checkpoint is not None and checkpoint.size == 3
    AccessLogEntry.objects.filter(what="Kết quả").update(what="nothing")
    assert services.verify_log() == [made[2].pk, 0]


def test_a_chain_tampered_with_before_the_seals_migration_stops_it(chained_log: Any) -> None:
    made = _chained_reads(chained_log)
    Entry = chained_log.get_model("sharing", "AccessLogEntry")
    Entry.objects.filter(read_id=made[1].pk).update(what="nothing")
    with pytest.raises(RuntimeError, match=f"tampered with \\(reads {made[1].pk}\\)"):
        _migrate(SEALS)
    assert Entry.objects.filter(what="nothing").count() == 1  # nothing rewritten
    Head = chained_log.get_model("sharing", "LogHead")
    Head.objects.update(hash=GENESIS)  # the newest reads removed, the head rewound: also stopped
    Entry.objects.filter(read_id=made[1].pk).update(what="results")
    with pytest.raises(RuntimeError, match="the newest"):
        _migrate(SEALS)
    Entry.objects.all().delete()  # leave an empty log so the schema can move on
    chained_log.get_model("sharing", "AccessRead").objects.all().delete()
    Head.objects.all().delete()


def test_a_log_tampered_with_before_the_migration_stops_it(old_log: Any) -> None:
    _old_entries(old_log, tamper=True)
    with pytest.raises(RuntimeError, match="tampered"):
        _migrate(AFTER)
    Entry = old_log.get_model("sharing", "AccessLogEntry")
    assert Entry.objects.filter(what="nothing").count() == 1  # nothing rewritten
    Entry.objects.all().delete()  # leave an empty log so the schema can move on
    old_log.get_model("sharing", "LogHead").objects.all().delete()
