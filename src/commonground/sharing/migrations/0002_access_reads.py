"""One hash-chained read per page view, API call or export, with an entry per facility it covered
(decision 0011). The old chain is checked before the log is sealed again, so a log tampered with
before this migration is never laundered: the migration stops and names the entries."""

import hashlib
import itertools
import json
from collections.abc import Iterator
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _old_digest(previous: str, entry: Any) -> str:
    payload = [
        previous,
        entry.facility_id,
        entry.reader_id,
        entry.organisation_id,
        entry.grant_id,
        entry.what,
        entry.channel,
        entry.at.isoformat(),
    ]
    return hashlib.sha256(json.dumps(payload, separators=(",", ":")).encode()).hexdigest()


def _new_digest(previous: str, read: Any, entries: list[Any]) -> str:
    """As sharing.services._digest(previous, _content(read, entries)) computes it."""
    rows = sorted(
        ((e.facility_id, e.grant_id, e.what) for e in entries),
        key=lambda e: (e[0], -1 if e[1] is None else e[1], e[2]),
    )
    content = [read.reader_id, read.organisation_id, read.channel, read.at.isoformat(), rows]
    return hashlib.sha256((previous + json.dumps(content, separators=(",", ":"))).encode()).hexdigest()


def seal_again(apps: Any, schema_editor: Any) -> None:
    Entry = apps.get_model("sharing", "AccessLogEntry")
    Read = apps.get_model("sharing", "AccessRead")
    Head = apps.get_model("sharing", "LogHead")

    def in_order() -> Iterator[Any]:
        yield from Entry.objects.order_by("id").iterator(chunk_size=5000)

    previous, broken = GENESIS, []
    for entry in in_order():
        if entry.previous_hash != previous or entry.hash != _old_digest(previous, entry):
            broken.append(entry.pk)
        previous = entry.hash
    head = Head.objects.filter(pk=1).first()
    if broken or (head is not None and head.hash != previous):
        ids = ", ".join(map(str, broken[:20])) or "the newest"
        raise RuntimeError(
            f"the access log was tampered with (entries {ids}); run verify_access_log and restore it "
            f"before migrating / nhật ký truy cập bị sửa (mục {ids}); hãy khôi phục trước khi chuyển đổi"
        )
    previous = GENESIS
    # consecutive entries of one reader at one moment on one channel were one view (a portfolio)
    for (reader, organisation, channel, at), group in itertools.groupby(
        in_order(), key=lambda e: (e.reader_id, e.organisation_id, e.channel, e.at)
    ):
        entries = list(group)
        read = Read(reader_id=reader, organisation_id=organisation, channel=channel, at=at)
        read.previous_hash = previous
        read.hash = previous = _new_digest(previous, read, entries)
        read.save()
        Entry.objects.filter(pk__gte=entries[0].pk, pk__lte=entries[-1].pk).update(read=read)
    if head is not None:
        head.hash = previous
        head.save(update_fields=["hash"])


def refuse_to_unseal(apps: Any, schema_editor: Any) -> None:
    """Going back is possible only while the log is empty: the old chain is not rebuilt."""
    if apps.get_model("sharing", "AccessRead").objects.exists():
        raise RuntimeError(
            "the access log cannot be migrated back / không thể chuyển nhật ký truy cập về dạng cũ"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_buyer_code"),
        ("sharing", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessRead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("channel", models.CharField(max_length=10)),
                ("at", models.DateTimeField()),
                ("previous_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation"
                    ),
                ),
                (
                    "reader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="read",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="sharing.accessread",
            ),
        ),
        migrations.RunPython(seal_again, refuse_to_unseal, elidable=False),
        migrations.AlterField(
            model_name="accesslogentry",
            name="read",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="entries", to="sharing.accessread"
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="grant",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reads",
                to="sharing.grant",
            ),
        ),
        migrations.RemoveField(model_name="accesslogentry", name="reader"),
        migrations.RemoveField(model_name="accesslogentry", name="organisation"),
        migrations.RemoveField(model_name="accesslogentry", name="channel"),
        migrations.RemoveField(model_name="accesslogentry", name="at"),
        migrations.RemoveField(model_name="accesslogentry", name="previous_hash"),
        migrations.RemoveField(model_name="accesslogentry", name="hash"),
    ]
