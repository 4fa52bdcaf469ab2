"""A backup that restores (decision 0017): one zip archive with every row of every model, written
losslessly as JSON lines (timestamps to the microsecond, so the access log's hashes still match),
and the evidence files, read and written through Django's storage API. A restore fills an empty,
migrated database — SQLite or PostgreSQL, whichever wrote it — in one transaction."""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

from commonground.common.storage import action_file, assessment_file, evidence_storage

FORMAT = "commonground-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Rows `migrate` itself writes: replaced by the archive's (their ids are what other rows point to).
MIGRATE_FILLS: tuple[type[models.Model], ...] = (ContentType, Permission)


class RestoreRefused(Exception):
    """The restore did not start: the one line says why."""


def all_models() -> list[type[models.Model]]:
    """Every model with a table of its own, many-to-many tables included, in a stable order."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    return sorted(found, key=lambda m: m._meta.label)


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _encode(field: models.Field[Any, Any], value: Any) -> Any:
    """A value JSON keeps exactly: JSON values as they are, numbers and text as themselves, the rest
    (datetimes, dates, decimals, UUIDs) as their full text (isoformat keeps the microseconds)."""
    if value is None or isinstance(field, models.JSONField) or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _decode(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return bytes.fromhex(value)
    return field.to_python(value)


def _rows(model: type[models.Model]) -> Iterator[list[Any]]:
    fields = _fields(model)
    query = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
    for row in query.iterator(chunk_size=2000):
        yield [_encode(f, v) for f, v in zip(fields, row, strict=True)]


def evidence_paths() -> list[str]:
    """The stored evidence files, as names in the evidence storage (the rows say which)."""
    from commonground.actions.models import ActionEvidence
    from commonground.assessments.models import Evidence

    assessments = Evidence.objects.order_by("pk").values_list("assessment_id", "stored_name")
    actions = ActionEvidence.objects.order_by("pk").values_list("action_id", "stored_name")
    return [assessment_file(a, s) for a, s in assessments] + [action_file(a, s) for a, s in actions]


def write_backup(target: Path) -> dict[str, int]:
    """Write the archive (within one read transaction, so the rows are consistent); rows per model."""
    counts: dict[str, int] = {}
    storage = evidence_storage()
    missing: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive, transaction.atomic():
        _one_snapshot()
        for model in all_models():
            label, count = model._meta.label, 0
            with archive.open(_entry(f"rows/{label}.jsonl"), "w", force_zip64=True) as out:
                out.write((json.dumps([f.attname for f in _fields(model)]) + "\n").encode())
                for row in _rows(model):
                    out.write((json.dumps(row) + "\n").encode())
                    count += 1
            counts[label] = count
        for name in evidence_paths():
            if not storage.exists(name):
                missing.append(name)
                continue
            with (
                storage.open(name, "rb") as src,
                archive.open(_entry(f"evidence/{name}"), "w", force_zip64=True) as out,
            ):
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    out.write(chunk)
        manifest = {"format": FORMAT, "database": connection.vendor, "rows": counts, "missing_files": missing}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
    return counts


def _one_snapshot() -> None:
    """Every query of this transaction sees the same moment: on PostgreSQL a repeatable-read, read-only
    transaction (writers go on); SQLite's transaction holds the write lock (writers wait, decision 0017)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _entry(name: str) -> zipfile.ZipInfo:
    """An archive member dated now (zip's default is 1980), compressed."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _not_empty() -> list[str]:
    return [m._meta.label for m in all_models() if m not in MIGRATE_FILLS and m._base_manager.exists()]


def _insert(model: type[models.Model], archive: zipfile.ZipFile) -> int:
    """The archive's rows of `model`, inserted as they are (no auto_now, no signals)."""
    name = f"rows/{model._meta.label}.jsonl"
    if name not in archive.namelist():
        return 0
    by_name = {f.attname: f for f in _fields(model)}
    count = 0
    with archive.open(name) as lines:
        header = json.loads(lines.readline())
        unknown = [n for n in header if n not in by_name]
        if unknown:
            raise RestoreRefused(f"{model._meta.label}: columns {unknown} are not in this database's schema")
        fields = [by_name[n] for n in header]
        batch: list[models.Model] = []
        for line in lines:
            values = json.loads(line)
            batch.append(model(**{f.attname: _decode(f, v) for f, v in zip(fields, values, strict=True)}))
            if len(batch) >= 500:
                count += _flush(model, fields, batch)
        count += _flush(model, fields, batch)
    return count


def _flush(model: type[models.Model], fields: list[models.Field[Any, Any]], batch: list[models.Model]) -> int:
    size = max(1, connection.ops.bulk_batch_size(fields, batch))
    for start in range(0, len(batch), size):
        # raw: the values go in as read (auto_now and auto_now_add fields keep the archive's times)
        model._base_manager._insert(batch[start : start + size], fields=fields, raw=True)  # type: ignore[attr-defined]
    done = len(batch)
    batch.clear()
    return done


def restore_backup(source: Path) -> dict[str, int]:
    """Fill this empty, migrated database and the evidence storage from the archive; rows per model.
    RestoreRefused (nothing changed) when the database holds rows or the archive is not a backup."""
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise RestoreRefused(f"{source} is not a backup archive ({exc})") from None
    with archive:
        manifest = _manifest(archive)
        with transaction.atomic():
            full = _not_empty()
            if full:
                shown = ", ".join(full[:3]) + (", …" if len(full) > 3 else "")
                raise RestoreRefused(
                    f"the database is not empty ({shown}): restore only into an empty, migrated one"
                )
            for model in reversed(MIGRATE_FILLS):
                model._base_manager.all().delete()
            try:
                counts = {m._meta.label: _insert(m, archive) for m in all_models()}
                _reset_sequences()
            except (
                ValueError,
                TypeError,
                KeyError,
                DatabaseError,
                ValidationError,
                zipfile.BadZipFile,
            ) as exc:
                raise RestoreRefused(
                    f"the archive is damaged ({str(exc)[:120]}); nothing was restored"
                ) from None
            _check_counts(manifest, counts)
            _restore_files(archive)
    ContentType.objects.clear_cache()
    return counts


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise RestoreRefused("the archive has no readable manifest: not a Common Ground backup") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"unknown backup format {str(manifest.get('format'))[:40]!r}")
    return manifest


def _check_counts(manifest: dict[str, Any], counts: dict[str, int]) -> None:
    expected = manifest.get("rows", {})
    unknown = sorted(set(expected) - set(counts))
    if unknown:
        raise RestoreRefused(
            f"the archive has rows of models this database does not know: {', '.join(unknown)}"
        )
    wrong = [label for label, n in expected.items() if counts[label] != n]
    if wrong:
        raise RestoreRefused(f"the archive's rows do not match its manifest: {', '.join(wrong)}")


def _reset_sequences() -> None:
    """New rows get ids after the restored ones (PostgreSQL; SQLite follows the largest id itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), all_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _restore_files(archive: zipfile.ZipFile) -> None:
    storage = evidence_storage()
    for info in archive.infolist():
        if not info.filename.startswith("evidence/") or info.is_dir():
            continue
        name = info.filename.removeprefix("evidence/")
        if ".." in Path(name).parts or name.startswith("/"):
            raise RestoreRefused(f"the archive names a file outside the evidence folder: {name[:80]}")
        if storage.exists(name):
            storage.delete(name)
        with archive.open(info) as src:
            saved = storage.save(name, File(src, name=name))
        if saved != name:
            raise RestoreRefused(f"evidence file {name[:80]} could not be restored under its own name")
