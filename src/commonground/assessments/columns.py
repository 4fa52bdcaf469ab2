"""A sector's answers straight into columns, for the sector snapshots (decision 0024).

`answer_columns` gives what `Columns.from_assessments(lib, core_assessments_of(assessments))` gives,
without a Python object per answer: at a country's size (100,000 assessments, about 40 million
answers) that path took minutes. On PostgreSQL the answers of numbers, yes/no and single choices are
encoded by the database (a number, 1/0, the option's position) and streamed out with a binary COPY
of fixed-size records that numpy reads as they are; the few data points of other types (dates,
several choices, text) are read as values and encoded by the same `normalise` and `encode` as the
object path. Elsewhere (SQLite) the object path is used.

Inside `shared()` (one refresh of every snapshot) the columns read are kept and reused for any later
request whose assessments they cover, so the sector is read once per refresh, not once per kind; a
`source` given to it reads them instead (the snapshots keep verified assessments' columns in the
database, decision 0034), and `per_row` shares what is computed row by row from them (the metrics of
the verified rows and of the panel) the same way. `catalogue_version` names what the encoding depends
on: a column kept under another catalogue is never read.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from django.db import connection, transaction

from commonground.accounts.library import library
from commonground.assessments.evaluations import CHUNK, core_assessments_of
from commonground.assessments.models import Answer, Assessment
from commonground.core.catalogue import normalise
from commonground.core.columnar import Columns, empty_column, encode
from commonground.core.library import Library

FAST = {"decimal": "n", "integer": "n", "boolean": "b", "enum": "e"}  # encoded by the database
# One record of PostgreSQL's binary COPY with three non-null fields: int2 field count, then each
# field's int4 length and value (int4 row, int2 data point, float8 value), big-endian.
RECORD = np.dtype(
    [
        ("fields", ">i2"),
        ("l1", ">i4"),
        ("row", ">i4"),
        ("l2", ">i4"),
        ("dp", ">i2"),
        ("l3", ">i4"),
        ("v", ">f8"),
    ]
)
HEADER = 19  # signature (11 bytes), flags (4), header extension length (4, always 0 here)
TRAILER = 2  # int2 -1

_SQL = """
copy (
    select row_no, dp_no, v from (
        select p.row_no::int4 as row_no, d.dp_no::int2 as dp_no,
            case d.kind
                when 'e' then o.code::float8
                when 'b' then case when a.value = 'true'::jsonb then 1.0
                                   when a.value = 'false'::jsonb then 0.0 end
                else case when jsonb_typeof(a.value) = 'number' then (a.value)::float8 end
            end as v
        from assessments_answer a
        join unnest(%(ids)s::bigint[]) with ordinality as p(id, row_no) on p.id = a.assessment_id
        join unnest(%(dps)s::text[], %(kinds)s::text[]) with ordinality as d(name, kind, dp_no)
            on d.name = a.datapoint
        left join unnest(%(option_dps)s::text[], %(options)s::text[], %(codes)s::int4[])
            as o(name, option, code) on o.name = a.datapoint and o.option = a.value #>> '{}'
    ) found
    where v is not null
) to stdout (format binary)
"""

Source = Callable[[Sequence[Assessment]], Columns]
Arrays = dict[str, np.ndarray]
FORMAT = "1"  # the encoding's own version (core.columnar.encode and this module's reading of it)


class _Shared:
    """What one refresh has read and computed: the columns of each assessment read (by id), and
    per name the arrays computed row by row from them; `once` keeps any other value by name."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.rows: dict[int, int] = {}
        self.columns: Columns | None = None
        self.per_row: dict[str, tuple[dict[int, int], Arrays]] = {}
        self.values: dict[str, Any] = {}


_memo: _Shared | None = None


@contextlib.contextmanager
def shared(source: Source | None = None) -> Iterator[None]:
    """Keep the columns read inside this block for any later request (one refresh): each
    assessment's answers are read once, through `source` when given."""
    global _memo
    _memo = _Shared(source or read_columns)
    try:
        yield
    finally:
        _memo = None


def active() -> bool:
    """Inside `shared()`."""
    return _memo is not None


def catalogue_version(lib: Library) -> str:
    """What an assessment's encoded columns depend on: each data point's id, type, unit, bounds and
    options (in order), and the encoding's format. A buyer's code adds frameworks, not data points,
    so it leaves this as it is; a change to the shipped catalogue changes it."""
    parts = [FORMAT]
    for dp_id in sorted(lib.datapoints):
        dp = lib.datapoints[dp_id]
        parts.append(repr((dp.id, dp.type, dp.unit, dp.min, dp.max, dp.option_values)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def answer_columns(assessments: Sequence[Assessment]) -> Columns:
    """The answers of many assessments as columns, one row per assessment in the order given."""
    memo = _memo
    if memo is None:
        return read_columns(assessments)
    missing = [a for a in assessments if a.pk not in memo.rows]
    if missing or memo.columns is None:
        more = memo.source(missing)
        memo.columns = more if memo.columns is None else _concat(memo.columns, more)
        memo.rows |= {a.pk: len(memo.rows) + n for n, a in enumerate(missing)}
    return _take(memo.columns, np.array([memo.rows[a.pk] for a in assessments], dtype=np.int64))


def per_row(
    name: str, assessments: Sequence[Assessment], compute: Callable[[Sequence[Assessment]], Arrays]
) -> Arrays:
    """`compute(assessments)` (arrays of one row per assessment, in order), sharing within one refresh
    the rows already computed under `name`: only assessments not computed yet are computed."""
    memo = _memo
    if memo is None or not assessments:
        return compute(assessments)
    rows, kept = memo.per_row.get(name, ({}, {}))
    missing = [a for a in assessments if a.pk not in rows]
    if missing:
        more = compute(missing)
        kept = {k: np.concatenate([kept[k], v]) if rows else v for k, v in more.items()}
        rows = rows | {a.pk: len(rows) + n for n, a in enumerate(missing)}
        memo.per_row[name] = (rows, kept)
    taken = np.array([rows[a.pk] for a in assessments], dtype=np.int64)
    return {k: v[taken] for k, v in kept.items()}


def once(name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, once per refresh under `name` (every time outside one)."""
    memo = _memo
    if memo is None:
        return compute()
    if name not in memo.values:
        memo.values[name] = compute()
    return memo.values[name]


def read_columns(assessments: Sequence[Assessment]) -> Columns:
    """The answers of these assessments read from the database now (no kept columns)."""
    return _columns(assessments)


def _columns(assessments: Sequence[Assessment]) -> Columns:
    lib = library()
    if connection.vendor != "postgresql":
        return Columns.from_assessments(lib, core_assessments_of(assessments))
    ends = np.array([a.period_end.toordinal() for a in assessments], dtype=np.int64)
    cols = _read(lib, [a.pk for a in assessments], ends)
    cols.start = np.array([a.period_start.toordinal() for a in assessments], dtype=np.int64)
    return cols


def take(cols: Columns, rows: np.ndarray) -> Columns:
    """The rows `rows` of `cols`, in that order."""
    return _take(cols, rows)


def _take(cols: Columns, rows: np.ndarray) -> Columns:
    start = None if cols.start is None else cols.start[rows]
    return Columns(cols.library, cols.end[rows], {dp: v[rows] for dp, v in cols.values.items()}, start)


def _concat(first: Columns, second: Columns) -> Columns:
    both = Columns(first.library, np.concatenate([first.end, second.end]))
    if first.start is not None and second.start is not None:
        both.start = np.concatenate([first.start, second.start])
    for dp in first.values.keys() | second.values.keys():
        both.values[dp] = np.concatenate([first.column(dp), second.column(dp)])
    return both


def _read(lib: Library, ids: list[int], ends: np.ndarray) -> Columns:
    cols = Columns(lib, ends)
    if not ids:
        return cols
    fast = [dp for dp in lib.datapoints.values() if dp.type in FAST]
    options = [
        (dp.id, value, code)
        for dp in fast
        if dp.type == "enum"
        for code, value in enumerate(dp.option_values)
    ]
    params: dict[str, Any] = {
        "ids": ids,
        "dps": [dp.id for dp in fast],
        "kinds": [FAST[dp.type] for dp in fast],
        "option_dps": [o[0] for o in options],
        "options": [o[1] for o in options],
        "codes": [o[2] for o in options],
    }
    data = bytearray()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("set local work_mem = '256MB'")  # the joins' hash tables in memory, not in batches
        with c.cursor.copy(_SQL, params) as copy:
            for block in copy:
                data += block
    found = np.frombuffer(memoryview(data)[HEADER : len(data) - TRAILER], dtype=RECORD)
    rows = found["row"].astype(np.int64) - 1
    dp_no = found["dp"].astype(np.int64) - 1
    values = found["v"].astype(np.float64)
    order = np.argsort(dp_no, kind="stable")
    starts = np.searchsorted(dp_no[order], np.arange(len(fast) + 1))
    for k, dp in enumerate(fast):
        taken = order[starts[k] : starts[k + 1]]
        if len(taken):
            column = empty_column(dp, len(ids))
            column[rows[taken]] = values[taken].astype(column.dtype)
            cols.values[dp.id] = column
    _read_others(lib, ids, cols)
    return cols


def _read_others(lib: Library, ids: list[int], cols: Columns) -> None:
    """Dates, several choices and text: few data points, encoded as the object path does."""
    others = [dp for dp, d in lib.datapoints.items() if d.type not in FAST]
    row = {i: n for n, i in enumerate(ids)}
    for start in range(0, len(ids), CHUNK):
        answers = Answer.objects.filter(
            assessment__in=ids[start : start + CHUNK], datapoint__in=others
        ).values_list("assessment_id", "datapoint", "value")
        for assessment_id, dp_id, value in answers:
            dp = lib.datapoints[dp_id]
            if dp_id not in cols.values:
                cols.values[dp_id] = empty_column(dp, len(ids))
            cols.values[dp_id][row[assessment_id]] = encode(dp, normalise(dp, value))
