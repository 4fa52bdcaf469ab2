"""Verified assessments' encoded answers, kept in the database between refreshes (decision 0034).

A verified assessment is locked: its answers, hence its row of the sector's columns
(`assessments.columns`), do not change while the catalogue does not. So a refresh reads from the
answers only the assessments it has not kept yet — verified since the last refresh, or not verified
(a submitted assessment of the panel is read every time) — and takes the others' rows from
`KeptColumns` blocks. A row is found by its assessment's id and moment of verification under the
current catalogue version: an assessment verified again (after being reopened) has a new moment and
is read again; one no longer verified is never taken from a block; another catalogue makes every
block unusable. The rows taken are exactly what reading the answers gives (a test holds it).

Blocks are written in bulk (at most BLOCK rows each) and never changed; `tidy` rewrites blocks that
hold rows no longer in use or that are small, and deletes blocks of another catalogue. Two refreshes
at once may both write a row: the copies are equal, one is used, the next tidy drops the other. A
block deleted by one refresh while another reads it is simply read from the answers by the other.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import numpy as np
from django.db import transaction
from django.utils import timezone

from commonground.accounts.library import library
from commonground.assessments import columns
from commonground.assessments.models import Assessment
from commonground.core.columnar import Columns
from commonground.snapshots.models import KeptColumns

BLOCK = 5000  # rows per block
SMALL = BLOCK // 4  # a block under this many rows is merged with others by `tidy`
DEAD = 0.25  # a block with more than this share of rows no longer in use is rewritten by `tidy`


def stamp(assessment: Assessment) -> int | None:
    """The moment of verification in microseconds, or None when the assessment is not locked."""
    if not assessment.locked or assessment.verified_at is None:
        return None
    return stamp_of(assessment.verified_at)


def stamp_of(moment: dt.datetime) -> int:
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def sector_columns(assessments: Sequence[Assessment]) -> Columns:
    """`columns.read_columns(assessments)`, taking verified assessments' rows from the kept blocks and
    keeping those read now."""
    lib = library()
    version = columns.catalogue_version(lib)
    ends = np.array([a.period_end.toordinal() for a in assessments], dtype=np.int64)
    out = Columns(lib, ends)
    n = len(assessments)
    if not n:
        return out
    wanted = {(a.pk, s): i for i, a in enumerate(assessments) if (s := stamp(a)) is not None}
    found = np.zeros(n, dtype=bool)
    plan: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # block -> its rows taken, and where they go
    if wanted:
        for pk, keys in KeptColumns.objects.filter(catalogue=version).values_list("pk", "keys"):
            src, dst = [], []
            for r, key in enumerate(_keys(keys).tolist()):
                i = wanted.get((key[0], key[1]))
                if i is not None and not found[i]:
                    found[i] = True
                    src.append(r)
                    dst.append(i)
            if src:
                plan[pk] = (np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64))
    read_blocks = set()
    for pk, data in KeptColumns.objects.filter(pk__in=list(plan)).values_list("pk", "data").iterator():
        taken, into = plan[pk]
        block = _load(bytes(data))
        for dp_id, values in block.items():
            out.column(dp_id)[into] = values[taken]
        read_blocks.add(pk)
    for pk in set(plan) - read_blocks:  # deleted meanwhile by another refresh's tidy: read below
        found[plan[pk][1]] = False
    missing = np.flatnonzero(~found)
    if len(missing):
        fresh = columns.read_columns([assessments[i] for i in missing.tolist()])
        for dp_id, values in fresh.values.items():
            out.column(dp_id)[missing] = values
        keep = [k for k, i in enumerate(missing.tolist()) if stamp(assessments[i]) is not None]
        if keep:
            rows = np.array(keep, dtype=np.int64)
            refs = [assessments[int(missing[k])] for k in keep]
            _write(version, [(a.pk, stamp(a) or 0) for a in refs], columns.take(fresh, rows))
    return out


def tidy() -> dict[str, int]:
    """Drop rows no longer in use (an assessment reopened, verified again or deleted, a copy written
    twice) and blocks of another catalogue; merge small blocks. Returns what it did."""
    lib = library()
    version = columns.catalogue_version(lib)
    gone = KeptColumns.objects.exclude(catalogue=version).delete()[0]
    verified = Assessment.objects.filter(status=Assessment.Status.VERIFIED, verified_at__isnull=False)
    valid = {(pk, stamp_of(m)) for pk, m in verified.values_list("pk", "verified_at") if m is not None}
    seen: set[tuple[int, int]] = set()
    rewrite: dict[int, list[int]] = {}  # block -> its rows still in use
    dirty = small = 0
    for pk, count, keys in (
        KeptColumns.objects.filter(catalogue=version).order_by("pk").values_list("pk", "rows", "keys")
    ):
        live = []
        for r, key in enumerate(_keys(keys).tolist()):
            pair = (key[0], key[1])
            if pair in valid and pair not in seen:
                seen.add(pair)
                live.append(r)
        if len(live) < count * (1 - DEAD):
            dirty += 1
            rewrite[pk] = live
        elif count < SMALL:
            small += 1
            rewrite[pk] = live
    if not dirty and small < 2:  # nothing to drop, and at most one small block: left as it is
        return {"blocks deleted": gone, "blocks rewritten": 0}
    keys_out: list[tuple[int, int]] = []
    parts: list[Columns] = []
    for pk, keys, data in KeptColumns.objects.filter(pk__in=list(rewrite)).values_list("pk", "keys", "data"):
        live = rewrite[pk]
        if not live:
            continue
        pairs = _keys(keys)[live]
        keys_out += [(int(a), int(b)) for a, b in pairs.tolist()]
        block = _load(bytes(data))
        part = Columns(lib, np.zeros(len(live), dtype=np.int64))
        part.values = {dp_id: values[live] for dp_id, values in block.items()}
        parts.append(part)
    with transaction.atomic():
        if parts:
            _write(version, keys_out, _concat_all(parts))
        KeptColumns.objects.filter(pk__in=list(rewrite)).delete()
    return {"blocks deleted": gone + len(rewrite), "blocks rewritten": len(rewrite)}


def _keys(blob: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype="<i8").reshape(-1, 2)


def _load(blob: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as found:
        return {name: found[name] for name in found.files}


def _concat_all(parts: list[Columns]) -> Columns:
    first = parts[0]
    n = sum(p.n for p in parts)
    out = Columns(first.library, np.zeros(n, dtype=np.int64))
    names = {dp for p in parts for dp in p.values}
    for dp_id in names:
        out.values[dp_id] = np.concatenate([p.column(dp_id) for p in parts])
    return out


def _write(version: str, keys: list[tuple[int, int]], cols: Columns) -> None:
    """The rows `cols` (of the assessments `keys`, in order) as new blocks of at most BLOCK rows."""
    now = timezone.now()
    blocks = []
    for start in range(0, len(keys), BLOCK):
        stop = min(start + BLOCK, len(keys))
        arrays = {dp_id: values[start:stop] for dp_id, values in cols.values.items()}
        out = io.BytesIO()
        np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
        blocks.append(
            KeptColumns(
                catalogue=version,
                created_at=now,
                rows=stop - start,
                keys=np.array(keys[start:stop], dtype="<i8").tobytes(),
                data=out.getvalue(),
            )
        )
    KeptColumns.objects.bulk_create(blocks, batch_size=1)
