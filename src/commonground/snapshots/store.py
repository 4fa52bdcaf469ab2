"""Saving and reading snapshots, and the kinds of sector-wide work that make them.

An area registers each kind it computes (`register`): how to compute it from the database and how to
write and read its data. `refresh` computes one kind and stores it; `read` gives the newest stored
one. With `SNAPSHOTS_REFRESH = "job"` (production, and `make run` with its worker) a page only ever
reads: a job refreshes the snapshots after changes and on a schedule. With "on-read" (tests, and a
process without a worker) a read first compares the sector's fingerprint and refreshes a stale kind.

A stored snapshot never changes, so a process keeps the decoded newest one of each kind, keyed by its
id: one small query per read tells whether a newer one exists. That memo is a copy of shared data,
never state another process needs.

Computing reads verified assessments' answers from the columns kept in the database
(`kept_columns`, decision 0034): only assessments verified since the last refresh, and those not
verified, are read from the answers."""

from __future__ import annotations

import contextlib
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from commonground.assessments import columns
from commonground.snapshots import kept_columns
from commonground.snapshots.fingerprint import sector_fingerprint
from commonground.snapshots.models import Snapshot

KEEP = 3  # the newest snapshots kept of each kind


@dataclass(frozen=True)
class Kind:
    name: str
    compute: Callable[[], tuple[Any, int]]  # the data and the number of assessments it is made of
    encode: Callable[[Any], bytes]
    decode: Callable[[bytes], Any]


@dataclass(frozen=True)
class Stored:
    id: int
    kind: str
    computed_at: Any  # an aware datetime
    fingerprint: str
    rows: int
    seconds: float
    data: Any


KINDS: dict[str, Kind] = {}
_newest: dict[str, Stored] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def on_read() -> bool:
    return str(getattr(settings, "SNAPSHOTS_REFRESH", "on-read")) == "on-read"


def read(name: str) -> Stored:
    """The newest snapshot of a kind (computed now when there is none yet, or, refreshing on read,
    when the sector changed since)."""
    head = (
        Snapshot.objects.filter(kind=name)
        .order_by("-id")
        .values_list("id", "fingerprint", "computed_at")
        .first()
    )
    if head is None:
        return refresh(name)
    if on_read():
        fingerprint = sector_fingerprint()
        if head[1] != fingerprint:
            return refresh(name, fingerprint)
    known = _newest.get(name)
    if known is not None and (known.id, known.computed_at) == (head[0], head[2]):
        return known
    row = Snapshot.objects.get(pk=head[0])
    return _remember(row, KINDS[name].decode(bytes(row.data)))


def refresh(name: str, fingerprint: str | None = None) -> Stored:
    """Compute one kind from the database as it is now and store it (under `fingerprint`, when the
    caller has just taken it)."""
    kind = KINDS[name]
    fingerprint = fingerprint or sector_fingerprint()
    started = time.perf_counter()
    with contextlib.nullcontext() if columns.active() else columns.shared(kept_columns.sector_columns):
        data, rows = kind.compute()
    blob = kind.encode(data)
    with transaction.atomic():
        row = Snapshot.objects.create(
            kind=name,
            computed_at=timezone.now(),
            fingerprint=fingerprint,
            seconds=round(time.perf_counter() - started, 3),
            rows=rows,
            data=blob,
        )
        old = Snapshot.objects.filter(kind=name).order_by("-id").values_list("id", flat=True)[KEEP:]
        Snapshot.objects.filter(pk__in=list(old)).delete()
    return _remember(row, data)


def refresh_all(*, only_stale: bool = False) -> list[Stored]:
    """Every kind, in the order registered (a kind may read one registered before it); with
    `only_stale`, only kinds made from an older sector."""
    fingerprint = sector_fingerprint()
    done = []
    # the sector's answers read once for every kind, verified ones from the kept columns
    with columns.shared(kept_columns.sector_columns):
        for name in KINDS:
            newest = Snapshot.objects.filter(kind=name).order_by("-id").values_list("fingerprint", flat=True)
            if only_stale and newest.first() == fingerprint:
                continue
            done.append(refresh(name, fingerprint))
    if done:
        kept_columns.tidy()
    return done


def to_json(value: Any) -> bytes:
    """A snapshot's data as compressed compact JSON (for kinds that are not arrays)."""
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode())


def from_json(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob))


def _remember(row: Snapshot, data: Any) -> Stored:
    stored = Stored(row.pk, row.kind, row.computed_at, row.fingerprint, row.rows, row.seconds, data)
    _newest[row.kind] = stored
    return stored
