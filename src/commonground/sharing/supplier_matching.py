"""Each row of a buyer's supplier list and what it is (decision 0032): matched to a facility of the
database, a suggestion a person confirms or rejects, a factory to invite, or in error — by
core/identity (identifiers first, then names and addresses, over its blocking)."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models import QuerySet

from commonground.core import identity
from commonground.core.errors import Problem
from commonground.facilities.models import Facility
from commonground.sharing.models import SupplierRow

Outcome = SupplierRow.Outcome


class _Against(NamedTuple):
    facilities: list[identity.Facility]
    ids: list[int]  # the database id of each, by position (a facility with a Vietnamese name: twice)


def _against(facilities: QuerySet[Facility] | None = None) -> _Against:
    """Every facility (or `facilities`) as core/identity compares it, read in one query (its blocking
    then pairs each row with the few facilities sharing a rare name word or an identifier); a merged
    facility never (decision 0040)."""
    found: list[identity.Facility] = []
    ids: list[int] = []
    columns = ("pk", "name", "name_vi", "address", "locality", "province", "os_id", "tax_code")
    rows = (Facility.objects.all() if facilities is None else facilities).filter(merged_into__isnull=True)
    for pk, name, name_vi, address, locality, province, os_id, tax_code in (
        rows.order_by("pk").values_list(*columns).iterator(chunk_size=2000)
    ):
        where = ", ".join(p for p in (address, locality, province) if p)
        for text in dict.fromkeys(n for n in (name, name_vi) if n):
            found.append(identity.Facility(len(found) + 1, text, where, "VN", os_id=os_id, tax_code=tax_code))
            ids.append(pk)
    return _Against(found, ids)


def likely_duplicates(facility: Facility, others: QuerySet[Facility]) -> dict[int, float]:
    """Facility id -> score (0–1) of those of `others` that core/identity finds to be the same
    factory as `facility`, automatically or in the middle band (the best score of each)."""
    mine, theirs = _against(Facility.objects.filter(pk=facility.pk)), _against(others)
    matching = identity.match_against(mine.facilities, theirs.facilities)
    found: dict[int, float] = {}
    for pair in [*matching.matches, *matching.suggestions]:
        pk = theirs.ids[pair.rows[1] - 1]
        found[pk] = max(found.get(pk, 0.0), pair.score)
    return found


def matched_rows(listed: list[tuple[identity.Facility, dict[str, str]]]) -> list[SupplierRow]:
    """Each row with its outcome: an error (an identifier or contact that is not one), matched
    automatically, the best suggestion of the middle band, or a factory to invite."""
    against = _against()
    matching = identity.match_against([f for f, _ in listed], against.facilities)
    best: dict[int, tuple[int, float, str]] = {}
    for pair in matching.matches:
        best[pair.rows[0]] = (against.ids[pair.rows[1] - 1], pair.score, Outcome.MATCHED)
    for pair in matching.suggestions:  # highest score first: the first of a row is its best
        best.setdefault(pair.rows[0], (against.ids[pair.rows[1] - 1], pair.score, Outcome.SUGGESTED))
    return [_row(facility, extra, best.get(facility.row)) for facility, extra in listed]


def _row(
    facility: identity.Facility, extra: dict[str, str], found: tuple[int, float, str] | None
) -> SupplierRow:
    row = SupplierRow(
        row=facility.row,
        **{k: str(getattr(facility, k))[:n] for k, n in LENGTHS.items()},
        contact_name=extra.get("contact_name", "")[:200],
        contact_email=extra.get("contact_email", "")[:254],
    )
    problem = _problem(facility, extra)
    if problem:
        row.outcome, row.problem = Outcome.ERROR, problem
    elif found is None:
        row.outcome = Outcome.INVITED
    else:
        row.facility_id, row.score, row.outcome = found
    return row


LENGTHS = {"name": 200, "address": 300, "country": 100, "os_id": 32, "tax_code": 20}


def _problem(facility: identity.Facility, extra: dict[str, str]) -> dict[str, Any]:
    """The first cell of the row that is not what its column says, as {code, column, params}."""
    if facility.os_id and identity.os_id(facility.os_id) is None:
        return {"code": "supplier_os_id_invalid", "column": "os_id", "params": {"value": facility.os_id}}
    if facility.tax_code and identity.tax_code(facility.tax_code) is None:
        return {
            "code": "supplier_tax_code_invalid",
            "column": "tax_code",
            "params": {"value": facility.tax_code},
        }
    email = extra.get("contact_email", "")
    if email and not _is_email(email):
        return {"code": "supplier_email_invalid", "column": "contact_email", "params": {"value": email}}
    return {}


def _is_email(text: str) -> bool:
    try:
        EmailValidator()(text)
    except ValidationError:
        return False
    return len(text) <= 254


def row_problem(row: SupplierRow, file: str) -> Problem:
    """A row in error as a problem a person reads: the file, the row, the column and the reason."""
    where = f"{row.problem.get('column', '')}"
    return Problem(row.problem["code"], file, row.row, where, dict(row.problem.get("params", {})))
