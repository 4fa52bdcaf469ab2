"""The access log scales and its end is anchored (decision 0023): reads are recorded with no lock
shared across requests and sealed afterwards by one sealer; the chain covers a canonical form that
survives Django's JSON dump; signed checkpoints make the removal of the newest reads, or a wipe of
the whole log, visible to `verify_access_log`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from commonground.accounts.models import Membership
from commonground.facilities.models import Facility
from commonground.sharing import access_log, services
from commonground.sharing.models import AccessLogEntry, AccessRead, LogCheckpoint
from tests.web.conftest import PASSWORD, client_for, member


@pytest.fixture
def log(cast: dict[str, Any]) -> dict[str, Any]:
    """Four reads by a buyer: three page views of the facility and a portfolio of two facilities."""
    bao = member("bao", cast["buyer"], Membership.Role.EDITOR)
    other = Facility.objects.create(
        owner=cast["facility"].owner, name="Factory 2", province="HN", sector="garment"
    )
    reads = [
        services.record_read(
            cast["facility"], user=bao, organisation=cast["buyer"], what=what, channel="page", grant=None
        )
        for what in ("results 2025", "findings 2025", "evidence drill.pdf")
    ]
    reads.append(
        services.record_reads(
            [
                (other.pk, None, "portfolio: results 2025"),
                (cast["facility"].pk, None, "portfolio: results 2025"),
            ],
            user=bao,
            organisation=cast["buyer"],
            channel="export",
        )
    )
    return {"reads": reads, "bao": bao, "other": other}


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_read_is_recorded_without_a_hash_and_sealed_later(
    cast: dict[str, Any], log: dict[str, Any]
) -> None:
    assert all(r.hash is None and r.position is None for r in AccessRead.objects.all())
    assert all(r.at.microsecond % 1000 == 0 for r in AccessRead.objects.all())  # to the millisecond
    found = services.check_log()
    assert found.intact and (found.sealed, found.unsealed) == (0, 4)  # nothing to vouch for yet
    assert services.seal_access_log() == 4
    assert services.seal_access_log() == 0  # nothing left
    sealed = list(AccessRead.objects.order_by("position"))
    assert [(r.pk, r.position) for r in sealed] == [(r.pk, i) for i, r in enumerate(log["reads"], start=1)]
    assert sealed[0].hash == access_log.link(
        access_log.GENESIS,
        access_log.canonical(
            log["bao"].pk,
            cast["buyer"].pk,
            "page",
            sealed[0].at,
            [(cast["facility"].pk, None, "results 2025")],
        ),
    )
    found = services.check_log()
    assert found.intact and (found.sealed, found.unsealed) == (4, 0)
    assert "4 reads sealed, 0 not sealed yet" in _command("verify_access_log")


def test_the_canonical_form_is_the_same_whatever_the_time_zone_and_order() -> None:
    at = dt.datetime(2026, 12, 6, 10, 0, 0, 123000, tzinfo=dt.UTC)
    hanoi = at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    one = access_log.canonical(1, 2, "page", at, [(5, None, "Kết quả"), (3, 9, "b")])
    assert one == access_log.canonical(1, 2, "page", hanoi, [(3, 9, "b"), (5, None, "Kết quả")])
    assert one == (
        b'{"at_ms":1796551200123,"channel":"page","entries":[[3,9,"b"],[5,null,"K\\u1ebft qu\\u1ea3"]],'
        b'"organisation":2,"reader":1}'
    )
    later = at + dt.timedelta(milliseconds=1)
    assert access_log.canonical(1, 2, "page", later, [(3, 9, "b"), (5, None, "Kết quả")]) != one


@pytest.mark.parametrize("tamper", ["changed", "added", "removed", "moved", "swapped", "reader"])
def test_tampering_with_a_sealed_read_is_named(
    cast: dict[str, Any], log: dict[str, Any], tamper: str
) -> None:
    services.seal_access_log()
    first, second, third, portfolio = log["reads"]
    if tamper == "changed":
        AccessLogEntry.objects.filter(read=second).update(what="nothing")
        expected = [second.pk]
    elif tamper == "added":
        AccessLogEntry.objects.create(read=second, facility=log["other"], grant=None, what="results 2025")
        expected = [second.pk]
    elif tamper == "removed":  # a whole read out of the middle of the chain
        AccessLogEntry.objects.filter(read=second).delete()
        AccessRead.objects.filter(pk=second.pk).delete()
        expected = [third.pk]
    elif tamper == "moved":  # one facility's line moved from the portfolio to another read
        AccessLogEntry.objects.filter(read=portfolio, facility=log["other"]).update(read=first)
        expected = [first.pk, portfolio.pk]
    elif tamper == "swapped":  # two reads trade places in the chain
        AccessRead.objects.filter(pk=second.pk).update(position=None)
        AccessRead.objects.filter(pk=third.pk).update(position=2)
        AccessRead.objects.filter(pk=second.pk).update(position=3)
        expected = [third.pk, second.pk, portfolio.pk]  # in chain order; the next one's link breaks too
    else:
        AccessRead.objects.filter(pk=third.pk).update(reader=cast["alice"])
        expected = [third.pk]
    assert services.verify_log() == expected
    with pytest.raises(CommandError, match="do not match their seal"):
        call_command("verify_access_log")


def test_removing_the_newest_reads_is_caught_once_a_later_checkpoint_exists(
    cast: dict[str, Any], log: dict[str, Any]
) -> None:
    services.seal_access_log()
    checkpoint = services.take_checkpoint()
    assert checkpoint is not None and checkpoint.size == 4
    assert services.take_checkpoint() == checkpoint  # the head did not move: no new checkpoint
    later = services.record_read(
        cast["facility"], user=log["bao"], organisation=cast["buyer"], what="x", channel="api", grant=None
    )
    assert later is not None and services.seal_access_log() == 1
    AccessLogEntry.objects.filter(read=later).delete()
    AccessRead.objects.filter(pk=later.pk).delete()
    assert services.check_log().intact  # no checkpoint counted it: the limit written down in 0023
    newest = log["reads"][-1]
    AccessLogEntry.objects.filter(read=newest).delete()
    AccessRead.objects.filter(pk=newest.pk).delete()
    found = services.check_log()
    assert found.checkpoints == [checkpoint.pk] and found.missing == 1 and found.broken == []
    with pytest.raises(CommandError, match="1 sealed reads missing at the end"):
        call_command("verify_access_log")


def test_a_full_wipe_is_caught_by_a_checkpoint_or_a_copy_of_one(log: dict[str, Any]) -> None:
    services.seal_access_log()
    token = _command("checkpoint_access_log").strip()
    assert token.startswith("v1.4.")
    AccessLogEntry.objects.all().delete()
    AccessRead.objects.all().delete()  # a reset log: nothing sealed, nothing to chain
    assert services.check_log().missing == 4
    with pytest.raises(CommandError, match="4 sealed reads missing"):
        call_command("verify_access_log")
    LogCheckpoint.objects.all().delete()  # the checkpoints wiped too: only a copy kept elsewhere shows it
    assert services.check_log().intact
    with pytest.raises(CommandError, match="do not hold"):
        call_command("verify_access_log", "--checkpoint", token)
    with pytest.raises(CommandError, match="--checkpoint: not a checkpoint"):
        call_command("verify_access_log", "--checkpoint", "v1.4.nonsense")


def test_a_checkpoint_must_be_signed_with_the_logs_key(log: dict[str, Any]) -> None:
    services.seal_access_log()
    checkpoint = services.take_checkpoint()
    assert checkpoint is not None
    token = access_log.token(checkpoint)
    assert services.check_log([token]).intact
    LogCheckpoint.objects.filter(pk=checkpoint.pk).update(size=3)  # rewritten to fit a shorter log
    assert services.check_log().checkpoints == [checkpoint.pk]
    LogCheckpoint.objects.filter(pk=checkpoint.pk).update(size=4)
    assert services.check_log().unsigned == 0
    with override_settings(COMMONGROUND_LOG_KEY="another key"):
        assert services.check_log().checkpoints == [checkpoint.pk]
        assert services.check_log([token]).copies == [token]
        with pytest.raises(CommandError, match="not signed with this log's key"):
            call_command("verify_access_log")


def test_the_seal_survives_a_json_dump_and_load(
    cast: dict[str, Any], log: dict[str, Any], tmp_path: Path
) -> None:
    # a read from before this change keeps its microseconds; the seal covers its milliseconds only
    old = AccessRead.objects.create(
        reader=log["bao"],
        organisation=cast["buyer"],
        channel="page",
        at=dt.datetime(2026, 11, 30, 9, 0, 0, 123456, tzinfo=dt.UTC),
    )
    AccessLogEntry.objects.create(read=old, facility=cast["facility"], grant=None, what="results 2024")
    services.seal_access_log()
    services.take_checkpoint()
    dump = tmp_path / "log.json"
    models = ("sharing.AccessRead", "sharing.AccessLogEntry", "sharing.LogCheckpoint")
    call_command("dumpdata", *models, output=str(dump), verbosity=0)
    assert "2026-11-30T09:00:00.123Z" in dump.read_text(encoding="utf-8")  # Django's JSON drops the µs
    AccessLogEntry.objects.all().delete()
    AccessRead.objects.all().delete()
    LogCheckpoint.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    assert AccessRead.objects.get(pk=old.pk).at.microsecond == 123000  # changed by the dump …
    found = services.check_log()
    assert found.intact and (found.sealed, found.unsealed) == (5, 0)  # … and the seal still holds


def test_a_late_read_is_sealed_by_the_next_run_at_the_next_position(log: dict[str, Any]) -> None:
    """A read whose transaction commits after newer reads were sealed (here: one the sealer's `now`
    does not reach yet) is sealed by the next run, after them: nothing waits for a gap in the ids."""
    start = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)
    first, *others = log["reads"]
    for minutes, read in enumerate(others, start=1):
        AccessRead.objects.filter(pk=read.pk).update(at=start + dt.timedelta(minutes=minutes))
    AccessRead.objects.filter(pk=first.pk).update(at=start + dt.timedelta(hours=1))
    assert services.seal_access_log(now=start + dt.timedelta(minutes=30)) == 3
    assert services.check_log().unsealed == 1
    assert services.seal_access_log() == 1
    positions = dict(AccessRead.objects.values_list("pk", "position"))
    assert [positions[r.pk] for r in log["reads"]] == [4, 1, 2, 3]  # sealed in the order seen
    assert services.check_log().intact


def test_the_facility_sees_the_seal_and_the_checkpoint_in_both_languages(
    cast: dict[str, Any], log: dict[str, Any]
) -> None:
    url = f"/facilities/{cast['facility'].pk}/sharing/"
    english = client_for("alice", "en").get(url).content.decode()
    assert "Log sealed up to" in english and "4 reads are waiting to be sealed." in english
    assert "no checkpoint yet" in english and english.count("not sealed yet") == 4
    services.seal_access_log()
    checkpoint = services.take_checkpoint(now=dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC))
    assert checkpoint is not None
    vietnamese = client_for("alice", "vi").get(url).content.decode()
    assert (
        "Nhật ký đã được niêm phong đến" in vietnamese
        and "điểm kiểm tra gần nhất: 06/12/2026 10:00" in vietnamese
    )
    assert access_log.token(checkpoint) in vietnamese and "chưa niêm phong" not in vietnamese
    export = client_for("alice", "en").get(f"/facilities/{cast['facility'].pk}/access-log.csv")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert lines[0].endswith("Position in the sealed chain") and lines[1].endswith(",4")


def test_the_api_gives_the_seal_status_and_each_entrys_seal(
    cast: dict[str, Any], log: dict[str, Any]
) -> None:
    alice = client_for("alice", "en")
    f = cast["facility"].pk
    items = alice.get(f"/api/facilities/{f}/access-log").json()["items"]
    assert [i["sealed"] for i in items] == [False] * 4
    assert alice.get(f"/api/facilities/{f}/access-log/seal").json()["checkpoint"] is None
    services.seal_access_log()
    checkpoint = services.take_checkpoint()
    assert checkpoint is not None
    seal = alice.get(f"/api/facilities/{f}/access-log/seal").json()
    assert seal["unsealed"] == 0 and seal["checkpoint"]["size"] == 4
    assert seal["checkpoint"]["token"] == access_log.token(checkpoint)
    assert [i["sealed"] for i in alice.get(f"/api/facilities/{f}/access-log").json()["items"]] == [True] * 4
    assert (
        client_for("charlie", "en", PASSWORD).get(f"/api/facilities/{f}/access-log/seal").status_code == 404
    )


def test_recording_a_portfolio_of_two_thousand_suppliers_is_one_cheap_write(
    cast: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    owner = cast["facility"].owner
    Facility.objects.bulk_create(
        [Facility(owner=owner, name=f"S{i}", province="HN", sector="garment") for i in range(1999)]
    )
    reads = [(pk, None, "portfolio: results 2025") for pk in Facility.objects.values_list("pk", flat=True)]
    bao = member("bao", cast["buyer"], Membership.Role.EDITOR)
    with django_assert_max_num_queries(5) as counted:  # the read and its entries (2 on PostgreSQL)
        services.record_reads(reads, user=bao, organisation=cast["buyer"], channel="page")
    sql = " ".join(q["sql"] for q in counted.captured_queries).upper()
    assert "FOR UPDATE" not in sql and "UPDATE " not in sql  # no row locked, nothing shared rewritten
    assert AccessLogEntry.objects.count() == 2000
    assert services.seal_access_log() == 1 and services.check_log().intact


def test_the_workers_seal_every_minute_and_sign_every_ten(log: dict[str, Any]) -> None:
    from commonground.sharing import tasks

    assert AccessRead.objects.filter(hash__isnull=True).count() == 4
    tasks.seal_new_reads.call_local()  # what the scheduler runs each minute
    assert not AccessRead.objects.filter(hash__isnull=True).exists()
    tasks.checkpoint_log_head.call_local()
    tasks.checkpoint_log_head.call_local()  # the head has not moved: no second checkpoint
    assert LogCheckpoint.objects.count() == 1 and LogCheckpoint.objects.get().size == 4
    assert "intact" in _command("verify_access_log")
