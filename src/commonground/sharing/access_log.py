"""The access log (decisions 0011 and 0023): reads written in the reader's own transaction with no
lock shared across requests; sealed afterwards into one hash chain by a single sealer; the chain's
head signed now and then as a checkpoint; every sealed read checked against the chain and every
checkpoint by `verify_access_log`.

The hash covers a canonical form of each read that every serialisation keeps: its time as whole
milliseconds since the epoch in UTC (the read's time is recorded to the millisecond, which is what
Django's JSON dump keeps), ids as integers and texts as JSON strings, in JSON with sorted keys and
ASCII escapes."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from commonground.accounts.models import Organisation
from commonground.facilities.models import Facility
from commonground.sharing.models import AccessLogEntry, AccessRead, Grant, LogCheckpoint

GENESIS = "0" * 64
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SEAL_BATCH = 500  # reads sealed in one transaction (a writer on SQLite waits for one batch at most)
SEALER_LOCK = 0x636F6D6D6F6E  # PostgreSQL advisory lock key: one sealer at a time ("common")
TOKEN_VERSION = "v1"
logger = logging.getLogger("commonground.access_log")

Entry = tuple[int, int | None, str]  # facility id, grant id, what


# ---- recording: no hash, no shared lock ----------------------------------------------------------


def to_millisecond(moment: dt.datetime) -> dt.datetime:
    """The moment as the log keeps it: whole milliseconds, which every serialisation writes exactly."""
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


def record_read(
    facility: Facility, *, user: Any, organisation: Organisation, what: str, channel: str, grant: Grant | None
) -> AccessRead | None:
    """Record one read of one facility."""
    reads = [(facility.pk, None if grant is None else grant.pk, what)]
    return record_reads(reads, user=user, organisation=organisation, channel=channel)


def record_reads(
    reads: Sequence[Entry], *, user: Any, organisation: Organisation, channel: str
) -> AccessRead | None:
    """Record one read by one person covering several facilities (facility id, grant id, what): the
    read and one INSERT for all its entries, in the caller's transaction; no hash and no lock shared
    with other requests (the sealer chains it later). Nothing is written when nothing was read."""
    if not reads:
        return None
    now = to_millisecond(timezone.now())
    read = AccessRead(reader_id=user.pk, organisation_id=organisation.pk, channel=channel, at=now)
    entries = [(facility_id, grant_id, what[:200]) for facility_id, grant_id, what in reads]
    with transaction.atomic():
        read.save()
        _insert_entries(read.pk, entries)
    return read


def _insert_entries(read_id: int, entries: Sequence[Entry], batch: int = 1000) -> None:
    """All entries in one statement: a portfolio view writes 2,000 of them, and building a model
    object for each (bulk_create) cost more than the database's own work. PostgreSQL takes them by
    COPY (1.2 ms of CPU for 2,000 entries, against 6.5 ms as three array parameters, which the
    client-side binding writes out element by element); other databases take multi-row VALUES,
    `batch` rows at a time."""
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ("read_id", "facility_id", "grant_id", "what"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for facility_id, grant_id, what in entries:
                    copy.write_row((read_id, facility_id, grant_id, what))
            return
        for start in range(0, len(entries), batch):
            rows = entries[start : start + batch]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            params = [
                v for facility_id, grant_id, what in rows for v in (read_id, facility_id, grant_id, what)
            ]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)


# ---- the canonical form and the chain ------------------------------------------------------------


def millis(moment: dt.datetime) -> int:
    """Whole milliseconds since 1970-01-01 UTC (any time zone gives the same number)."""
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def canonical(
    reader_id: int, organisation_id: int, channel: str, at: dt.datetime, entries: Iterable[Entry]
) -> bytes:
    """What a read's seal covers: who read, when, how, and every entry in a canonical order (so that
    it depends neither on the ids the database gave the entries nor on how the row was serialised)."""
    rows = sorted(entries, key=lambda e: (e[0], -1 if e[1] is None else e[1], e[2]))
    document = {
        "at_ms": millis(at),
        "channel": channel,
        "entries": [[f, g, w] for f, g, w in rows],
        "organisation": organisation_id,
        "reader": reader_id,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def link(previous: str, content: bytes) -> str:
    """The chain's hash after one more read: SHA-256 of the previous hash (hex) and the read's content."""
    return hashlib.sha256(previous.encode("ascii") + content).hexdigest()


# ---- sealing: one sealer, no contention with readers --------------------------------------------


def seal_access_log(*, now: dt.datetime | None = None) -> int:
    """Seal the reads not sealed yet (those recorded up to `now`, default all), oldest id first, a
    batch per transaction; how many were sealed. One sealer at a time: on PostgreSQL an advisory lock
    that only sealers take (a second sealer finds it taken and returns 0), on SQLite the database's
    one write lock. A read that commits after newer ones were sealed is sealed by the next run at the
    next position: the chain's order is the order of sealing, so a gap in the ids never stops it."""
    total = 0
    while True:
        with transaction.atomic():
            if not _sealer_lock():
                return total
            done = _seal_batch(now)
        total += done
        if done < SEAL_BATCH:
            return total


def _sealer_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: this transaction began IMMEDIATE and holds the only write lock
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEALER_LOCK])
        row = cursor.fetchone()
    return bool(row and row[0])


def _seal_batch(now: dt.datetime | None) -> int:
    unsealed = AccessRead.objects.filter(position__isnull=True)
    if now is not None:
        unsealed = unsealed.filter(at__lte=now)
    reads = list(unsealed.order_by("id")[:SEAL_BATCH])
    if not reads:
        return 0
    position, previous = head()
    entries = _entries_by_read(AccessLogEntry.objects.filter(read_id__in=[r.pk for r in reads]), "read_id")
    own = next(entries, None)
    for read in reads:  # entries come in read id order, like the reads
        mine: list[Entry] = []
        while own is not None and own[0] <= read.pk:
            mine.extend(own[1])
            own = next(entries, None)
        position += 1
        previous = link(
            previous, canonical(read.reader_id, read.organisation_id, read.channel, read.at, mine)
        )
        read.position, read.hash = position, previous
    AccessRead.objects.bulk_update(reads, ["position", "hash"])
    return len(reads)


def _entries_by_read(entries: Any, key: str) -> Iterator[tuple[int, list[Entry]]]:
    """(read key, its entries), in the key's order, streamed."""
    rows = entries.order_by(key, "id").values_list(key, "facility_id", "grant_id", "what")
    for read_key, group in itertools.groupby(rows.iterator(chunk_size=5000), key=lambda r: r[0]):
        yield read_key, [(f, g, w) for _, f, g, w in group]


def head() -> tuple[int, str]:
    """How many reads are sealed, and the chain's hash after the last of them."""
    newest = (
        AccessRead.objects.filter(position__isnull=False)
        .order_by("-position")
        .values_list("position", "hash")
        .first()
    )
    if newest is None or newest[0] is None:
        return 0, GENESIS
    return newest[0], newest[1] or ""


# ---- checkpoints -------------------------------------------------------------------------------


def _key() -> bytes:
    """COMMONGROUND_LOG_KEY, or else a key derived from SECRET_KEY (never SECRET_KEY itself)."""
    configured: str = getattr(settings, "COMMONGROUND_LOG_KEY", "")
    if configured:
        return configured.encode()
    label = b"commonground access-log checkpoints"
    return hmac.new(settings.SECRET_KEY.encode(), label, hashlib.sha256).digest()


def sign(size: int, head_hash: str, at: dt.datetime) -> str:
    """HMAC-SHA256 of the checkpoint's canonical form."""
    document = {"at_ms": millis(at), "head": head_hash, "size": size}
    message = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("ascii")
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def take_checkpoint(*, now: dt.datetime | None = None) -> LogCheckpoint | None:
    """Sign the chain's head (its size and hash) at `now`; nothing while the log has no sealed read,
    and no new checkpoint while the head has not moved (the newest one still holds)."""
    size, head_hash = head()
    if size == 0:
        return None
    newest = LogCheckpoint.objects.order_by("-id").first()
    if newest is not None and (newest.size, newest.head) == (size, head_hash):
        return newest
    at = to_millisecond(now or timezone.now())
    checkpoint = LogCheckpoint.objects.create(
        size=size, head=head_hash, at=at, signature=sign(size, head_hash, at)
    )
    logger.info("access log checkpoint %s", token(checkpoint))  # a copy outside the database
    return checkpoint


class Copy(NamedTuple):
    """A checkpoint as written down outside the database (the facility's page shows it)."""

    size: int
    at: dt.datetime
    head: str
    signature: str


def token(checkpoint: LogCheckpoint | Copy) -> str:
    """One line that holds a checkpoint: `v1.<size>.<milliseconds>.<head>.<signature>`."""
    return (
        f"{TOKEN_VERSION}.{checkpoint.size}.{millis(checkpoint.at)}.{checkpoint.head}.{checkpoint.signature}"
    )


def parse_token(text: str) -> Copy:
    """The checkpoint a line holds (ValueError when it is not one)."""
    parts = text.strip().split(".")
    if len(parts) != 5 or parts[0] != TOKEN_VERSION or not parts[1].isdigit() or not parts[2].isdigit():
        raise ValueError(f"not a checkpoint: {text[:40]!r}")
    at = EPOCH + dt.timedelta(milliseconds=int(parts[2]))
    return Copy(int(parts[1]), at, parts[3], parts[4])


# ---- verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogCheck:
    """What `verify_access_log` found: reads whose seal does not match (an entry changed, added,
    removed or moved; a read changed, removed or moved in the chain), checkpoints that the chain does
    not reach or match or whose signature fails (their id; copies from outside by their text), and
    how many reads are sealed and how many wait for the sealer (those no check can vouch for)."""

    broken: list[int] = field(default_factory=list)
    checkpoints: list[int] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    sealed: int = 0
    unsealed: int = 0
    missing: int = 0  # sealed reads a checkpoint counts that the chain no longer has
    unsigned: int = 0  # of the failing checkpoints, those whose signature fails (forged, or another key)

    @property
    def intact(self) -> bool:
        return not (self.broken or self.checkpoints or self.copies)


def check_log(copies: Sequence[str] = ()) -> LogCheck:
    """Walk the chain from the first sealed read to the last, recompute every seal, and compare the
    chain with every stored checkpoint and every copy given (lines from `token`)."""
    stored = list(LogCheckpoint.objects.order_by("id"))
    outside = [(text, parse_token(text)) for text in copies]
    sizes = {c.size for c in stored} | {c.size for _, c in outside}
    broken, heads, size = _walk_chain(sizes)
    bad = [c.pk for c in stored if not _holds(c, heads)]
    bad_copies = [text for text, c in outside if not _holds(c, heads)]
    unsealed = AccessRead.objects.filter(position__isnull=True).count()
    missing = max([0, *(c.size - size for c in stored), *(c.size - size for _, c in outside)])
    unsigned = sum(not _signed(c) for c in stored) + sum(not _signed(c) for _, c in outside)
    return LogCheck(broken, bad, bad_copies, size, unsealed, missing, unsigned)


def _holds(checkpoint: LogCheckpoint | Copy, heads: dict[int, str]) -> bool:
    """Signed with the log's key, and the chain recomputed from its contents has that head at that size."""
    return _signed(checkpoint) and heads.get(checkpoint.size) == checkpoint.head


def _signed(checkpoint: LogCheckpoint | Copy) -> bool:
    return hmac.compare_digest(checkpoint.signature, sign(checkpoint.size, checkpoint.head, checkpoint.at))


def _walk_chain(sizes: set[int]) -> tuple[list[int], dict[int, str], int]:
    """Reads whose seal fails (each checked against the stored hash before it, so one edit names one
    read), the chain recomputed from the contents alone at the wanted sizes, and the chain's length."""
    broken: list[int] = []
    heads = {0: GENESIS} if 0 in sizes else {}
    stored_previous = computed = GENESIS
    expected = 1
    reads = AccessRead.objects.filter(position__isnull=False).order_by("position")
    rows = reads.values_list("pk", "position", "hash", "reader_id", "organisation_id", "channel", "at")
    entries = _entries_by_read(AccessLogEntry.objects.filter(read__position__isnull=False), "read__position")
    own = next(entries, None)
    size = 0
    for pk, sealed_at, stored, reader_id, organisation_id, channel, at in rows.iterator(chunk_size=2000):
        position = int(sealed_at or 0)  # never empty here (filtered)
        mine: list[Entry] = []
        while own is not None and own[0] <= position:
            mine.extend(own[1])
            own = next(entries, None)
        content = canonical(reader_id, organisation_id, channel, at, mine)
        if position != expected or stored != link(stored_previous, content):
            broken.append(pk)
        computed = link(computed, content)
        if position in sizes:
            heads[position] = computed
        stored_previous, expected, size = stored or "", position + 1, position
    return broken, heads, size


def verify_log() -> list[int]:
    """Ids of reads whose seal does not match, then 0 when a checkpoint does not hold (the newest
    reads removed, or the chain rewritten); empty when nobody tampered with the sealed log."""
    found = check_log()
    return found.broken + ([0] if found.checkpoints else [])


# ---- what the facility is shown ----------------------------------------------------------------


@dataclass(frozen=True)
class SealStatus:
    """Every read recorded before `sealed_up_to` is sealed; `unsealed` still wait for the sealer."""

    sealed_up_to: dt.datetime | None
    unsealed: int
    checkpoint: LogCheckpoint | None

    @property
    def token(self) -> str:
        return "" if self.checkpoint is None else token(self.checkpoint)


def seal_status() -> SealStatus:
    """How far the log is sealed and its newest checkpoint (three small queries, whatever its size)."""
    waiting = AccessRead.objects.filter(position__isnull=True).aggregate(oldest=Min("at"), count=Count("id"))
    up_to = waiting["oldest"]
    if up_to is None:  # all sealed: up to the newest read
        newest = AccessRead.objects.filter(position__isnull=False).order_by("-position")
        up_to = newest.values_list("at", flat=True).first()
    return SealStatus(up_to, waiting["count"], LogCheckpoint.objects.order_by("-id").first())
