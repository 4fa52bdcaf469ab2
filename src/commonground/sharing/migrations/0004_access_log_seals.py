"""The access log sealed by a single sealer instead of under a lock taken by every read (decision
0023): each read gets its place in the chain (`position`) and a hash over a canonical form that every
serialisation keeps; the log head row goes, signed checkpoints come. The old chain is checked first
with the old formula (decision 0011), so a log tampered with before this migration is never laundered:
the migration stops and names the reads. Then every read is sealed again, in id order."""

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
BATCH = 1000


def _old_digest(previous: str, read: Any, entries: list[tuple[Any, ...]]) -> str:
    """As sharing.services._digest(previous, _content(read, entries)) computed it (decision 0011)."""
    rows = sorted(entries, key=lambda e: (e[0], -1 if e[1] is None else e[1], e[2]))
    content = [read.reader_id, read.organisation_id, read.channel, read.at.isoformat(), [list(r) for r in rows]]
    return hashlib.sha256((previous + json.dumps(content, separators=(",", ":"))).encode()).hexdigest()


def _new_link(previous: str, read: Any, entries: list[tuple[Any, ...]]) -> str:
    """As sharing.access_log.link(previous, canonical(...)) computes it (decision 0023)."""
    rows = sorted(entries, key=lambda e: (e[0], -1 if e[1] is None else e[1], e[2]))
    document = {
        "at_ms": (read.at - EPOCH) // dt.timedelta(milliseconds=1),
        "channel": read.channel,
        "entries": [list(r) for r in rows],
        "organisation": read.organisation_id,
        "reader": read.reader_id,
    }
    content = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return hashlib.sha256(previous.encode("ascii") + content).hexdigest()


def _reads_with_entries(apps: Any) -> Iterator[tuple[Any, list[tuple[Any, ...]]]]:
    """Every read in id order with its entries (facility, grant, what); orphan entries as (None, …)."""
    Entry = apps.get_model("sharing", "AccessLogEntry")
    Read = apps.get_model("sharing", "AccessRead")
    rows = Entry.objects.order_by("read_id", "id").values_list("read_id", "facility_id", "grant_id", "what")
    groups = itertools.groupby(rows.iterator(chunk_size=5000), key=lambda r: r[0])
    pending = next(groups, None)
    for read in Read.objects.order_by("id").iterator(chunk_size=2000):
        own: list[tuple[Any, ...]] = []
        while pending is not None and pending[0] <= read.pk:
            group = [r[1:] for r in pending[1]]
            if pending[0] == read.pk:
                own = group
            else:
                yield None, group  # entries of a read that is not in the log any more
            pending = next(groups, None)
        yield read, own
    while pending is not None:
        yield None, list(pending[1])
        pending = next(groups, None)


def _check_old_chain(apps: Any) -> None:
    broken, previous = [], GENESIS
    for read, entries in _reads_with_entries(apps):
        if read is None:
            broken.append("?")
            continue
        if read.previous_hash != previous or read.hash != _old_digest(previous, read, entries):
            broken.append(str(read.pk))
        previous = read.hash
    head = apps.get_model("sharing", "LogHead").objects.filter(pk=1).first()
    if head is not None and head.hash != previous:
        broken.append("the newest")
    if broken:
        ids = ", ".join(broken[:20])
        raise RuntimeError(
            f"the access log was tampered with (reads {ids}); run verify_access_log and restore it "
            f"before migrating / nhật ký truy cập bị sửa (lượt đọc {ids}); hãy khôi phục trước khi chuyển đổi"
        )


def seal_again(apps: Any, schema_editor: Any) -> None:
    _check_old_chain(apps)
    Read = apps.get_model("sharing", "AccessRead")
    previous, position, batch = GENESIS, 0, []
    for read, entries in _reads_with_entries(apps):
        position += 1
        read.position, read.hash = position, _new_link(previous, read, entries)
        previous = read.hash
        batch.append(read)
        if len(batch) == BATCH:
            Read.objects.bulk_update(batch, ["position", "hash"])
            batch = []
    Read.objects.bulk_update(batch, ["position", "hash"])


def refuse_to_unseal(apps: Any, schema_editor: Any) -> None:
    """Going back is possible only while the log is empty: the old chain is not rebuilt."""
    if apps.get_model("sharing", "AccessRead").objects.exists():
        raise RuntimeError(
            "the access log cannot be migrated back / không thể chuyển nhật ký truy cập về dạng cũ"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0003_access_log_of_facility"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accessread",
            name="position",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="accessread",
            name="hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(seal_again, refuse_to_unseal, elidable=False),
        migrations.RemoveField(model_name="accessread", name="previous_hash"),
        migrations.DeleteModel(name="LogHead"),
        migrations.CreateModel(
            name="LogCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("size", models.PositiveBigIntegerField()),
                ("head", models.CharField(max_length=64)),
                ("at", models.DateTimeField()),
                ("signature", models.CharField(max_length=64)),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.AddIndex(
            model_name="accessread",
            index=models.Index(
                condition=models.Q(("position__isnull", True)), fields=["id"], name="access_read_unsealed"
            ),
        ),
    ]
