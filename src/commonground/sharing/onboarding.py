"""Supplier onboarding for buyers (issue 14, point 6): a buyer uploads its supplier list; each row is
matched to a facility of the database (core/identity: identifiers first, then names and addresses,
over its blocking), suggested for a person to confirm or reject, or becomes an invitation to the
factory to join; the list is applied in one transaction (a job with its progress); then access is
asked of every matched supplier at once (`services.request_access`, its throttle counting one).

The upload is kept in the file storage, as an import's is; the same file twice is the same list, and
applying a list twice changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tempfile
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath
from typing import IO, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from commonground.accounts import access
from commonground.accounts.models import Invitation, Membership, Organisation
from commonground.common.storage import evidence_storage
from commonground.core import identity, provinces
from commonground.core.errors import CommonGroundError, fail
from commonground.core.identity.reading import MAX_BYTES
from commonground.facilities.models import Facility, SupplyLink
from commonground.sharing import services
from commonground.sharing.models import SupplierInvitation, SupplierList, SupplierRow
from commonground.sharing.supplier_matching import LENGTHS, matched_rows, row_problem

SUFFIXES = (".xlsx", ".csv")
CONTACT = ("contact_name", "contact_email")
MATCH_NOW = 300  # rows matched while the buyer waits; a longer list is matched by a job
MATCHING = gettext_noop("Matching the {n} rows of {file}")
MATCHED = gettext_noop(
    "The {n} rows of {file} are matched: confirm or reject the suggestions, then apply the list."
)
APPLYING = gettext_noop("Adding the suppliers of {file}")
DONE = gettext_noop("{linked} suppliers added and {invited} factories invited from {file}.")
Outcome = SupplierRow.Outcome
ROW_IN_ERROR = "Nothing is applied while a row is in error: correct the file and upload it again."


def get_buyer(user: Any) -> Organisation:
    """The buyer organisation the user edits for; 404 for anyone else (as a buyer's supplier lists)."""
    buyer = access.organisations_of(user, write=True).filter(kind=Organisation.Kind.BUYER).order_by("pk")
    found = buyer.first()
    if found is None:
        raise Http404
    return found


def get_supplier_list(list_id: int, user: Any) -> SupplierList:
    """A list of a buyer the user edits for; 404 for anyone else."""
    buyers = access.organisations_of(user, write=True).filter(kind=Organisation.Kind.BUYER)
    found = SupplierList.objects.filter(pk=list_id, buyer__in=buyers).first() if 0 < list_id < 2**63 else None
    if found is None:
        raise Http404
    return found


def list_supplier_lists(user: Any) -> list[SupplierList]:
    return list(SupplierList.objects.filter(buyer=get_buyer(user))[:20])


# ---- upload and match ------------------------------------------------------------------------------


def upload_supplier_list(upload: IO[bytes], *, name: str, size: int, user: Any) -> SupplierList:
    """Keep the upload, read it and match each row; nothing is linked or invited yet. The same file
    again gives back the list it made. A file that cannot be read: CommonGroundError naming it."""
    buyer = get_buyer(user)
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise fail("import_format", file=name, suffix=suffix or "?")
    if size > MAX_BYTES:
        raise fail("list_too_large", file=name, size=size, max=MAX_BYTES)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise fail("list_too_large", file=name, size=len(data), max=MAX_BYTES)
    digest = hashlib.sha256(data).hexdigest()
    known = SupplierList.objects.filter(buyer=buyer, digest=digest).first()
    if known is not None:
        return known
    stored = str(
        evidence_storage().save(f"supplier-lists/{buyer.pk}/{uuid.uuid4().hex}{suffix}", ContentFile(data))
    )
    listed = _read(data, name, suffix)
    if len(listed) > MATCH_NOW:
        made = _record(buyer, None, name=name, stored=stored, digest=digest, user=user)
        start_matching(made, user=user)
        return made
    return _record(buyer, matched_rows(listed), name=name, stored=stored, digest=digest, user=user)


def _read(data: bytes, name: str, suffix: str) -> list[tuple[identity.Facility, dict[str, str]]]:
    """The rows of the upload; problems name the file as the buyer knows it."""
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / f"list{suffix}"
        local.write_bytes(data)
        try:
            return identity.read_list(local, CONTACT)
        except CommonGroundError as exc:
            problems = [dataclasses.replace(p, file=name) if p.file else p for p in exc.problems]
            raise CommonGroundError(problems) from None


def _record(buyer: Organisation, rows: list[SupplierRow] | None, **fields: Any) -> SupplierList:
    """The list and its matched rows (None: a job matches them later)."""
    try:
        with transaction.atomic():
            made = SupplierList.objects.create(
                buyer=buyer,
                name=fields["name"],
                stored=fields["stored"],
                digest=fields["digest"],
                uploaded_by=fields["user"],
                matched_at=timezone.now() if rows is not None else None,
            )
            for row in rows or []:
                row.supplier_list = made
            SupplierRow.objects.bulk_create(rows or [])
    except IntegrityError:  # the same file uploaded at the same moment: the other list stands
        evidence_storage().delete(fields["stored"])
        return SupplierList.objects.get(buyer=buyer, digest=fields["digest"])
    return made


def start_matching(supplier_list: SupplierList, *, user: Any) -> Any:
    """The job that matches a long list (once, however often it is asked for)."""
    from commonground.jobs.services import enqueue

    key = f"supplier_match:{supplier_list.pk}"
    return enqueue(
        "supplier_matching", user=user, organisation=supplier_list.buyer, key=key, list_id=supplier_list.pk
    )


def matching_job(job: Any, *, list_id: int) -> Any:
    """The background job: the kept upload read again and matched, its rows recorded in one
    transaction, with progress."""
    from commonground.jobs.services import Result, report

    supplier_list = get_supplier_list(list_id, job.started_by)
    name, done = supplier_list.name, {"file": supplier_list.name}
    url = reverse("supplier_list", args=[list_id])
    if supplier_list.matched_at is not None:
        return Result(MATCHED, {"n": supplier_list.rows.count(), **done}, url=url)
    with evidence_storage().open(supplier_list.stored) as source:
        listed = _read(source.read(), name, PurePath(supplier_list.stored).suffix)
    report(job, 0, len(listed), MATCHING, n=len(listed), **done)
    rows = matched_rows(listed)
    with transaction.atomic():
        locked = SupplierList.objects.select_for_update().get(pk=list_id)
        if locked.matched_at is None:
            for row in rows:
                row.supplier_list = locked
            for start in range(0, len(rows), 500):
                SupplierRow.objects.bulk_create(rows[start : start + 500])
                report(job, min(start + 500, len(rows)), len(rows), MATCHING, n=len(listed), **done)
            locked.matched_at = timezone.now()
            locked.save(update_fields=["matched_at"])
    return Result(MATCHED, {"n": len(rows), **done}, url=url)


# ---- the suggestions decided, then applied -----------------------------------------------------------


def decide_suggestions(list_id: int, decisions: Mapping[int, str], *, user: Any) -> SupplierList:
    """A person confirms or rejects each suggestion (`decisions`: the row's number in the file ->
    "confirm" or "reject");
    ValidationError when one is left undecided or the list is applied already."""
    supplier_list = get_supplier_list(list_id, user)
    with transaction.atomic():
        locked = SupplierList.objects.select_for_update().get(pk=supplier_list.pk)
        if locked.applied_at is not None:
            raise ValidationError(gettext("This list is applied already."), code="applied")
        if locked.matched_at is None:
            raise ValidationError(gettext("This list is still being matched."), code="matching")
        if locked.rows.filter(outcome=Outcome.ERROR).exists():
            raise ValidationError(gettext(ROW_IN_ERROR), code="row_in_error")
        waiting = locked.rows.filter(outcome__in=(Outcome.SUGGESTED, Outcome.CONFIRMED, Outcome.REJECTED))
        for row in waiting:
            choice = decisions.get(row.row)
            if choice not in ("confirm", "reject"):
                raise ValidationError(gettext("Confirm or reject each suggestion."), code="undecided")
            row.outcome = Outcome.CONFIRMED if choice == "confirm" else Outcome.REJECTED
            row.save(update_fields=["outcome"])
    return locked


class Applied(NamedTuple):
    linked: int  # suppliers newly linked to the buyer
    invited: int  # factories newly invited


def apply_supplier_list(list_id: int, *, user: Any, job: Any = None) -> Applied:
    """Link every matched or confirmed facility to the buyer and invite every other factory, in one
    transaction; a list with a row in error or a suggestion undecided changes nothing
    (CommonGroundError, ValidationError). Applying it again changes nothing."""
    supplier_list = get_supplier_list(list_id, user)
    with transaction.atomic():
        # one list of a buyer applied at a time: two lists naming one new factory invite it once
        list(Organisation.objects.select_for_update().filter(pk=supplier_list.buyer_id).values_list("pk"))
        locked = SupplierList.objects.select_for_update().get(pk=supplier_list.pk)
        if locked.applied_at is not None:
            return Applied(0, 0)
        if locked.matched_at is None:
            raise ValidationError(gettext("This list is still being matched."), code="matching")
        rows = list(locked.rows.all())
        _check_ready(locked, rows)
        linked = _link(locked.buyer, rows)
        invited = _invite(
            locked, [r for r in rows if r.outcome in (Outcome.INVITED, Outcome.REJECTED)], user, job
        )
        locked.applied_at = timezone.now()
        locked.save(update_fields=["applied_at"])
    return Applied(linked, invited)


def _check_ready(supplier_list: SupplierList, rows: list[SupplierRow]) -> None:
    errors = [row_problem(r, supplier_list.name) for r in rows if r.outcome == Outcome.ERROR]
    if errors:
        raise CommonGroundError(errors[:20])
    if any(r.outcome == Outcome.SUGGESTED for r in rows):
        raise ValidationError(gettext("Confirm or reject each suggestion."), code="undecided")


def matched_facilities(rows: Iterable[SupplierRow]) -> list[int]:
    found = (r.facility_id for r in rows if r.outcome in (Outcome.MATCHED, Outcome.CONFIRMED))
    return list(dict.fromkeys(f for f in found if f is not None))


def supplier_facilities(rows: Iterable[SupplierRow]) -> list[int]:
    """The list's suppliers now in the database: the matched and confirmed facilities, and the
    facility each invited factory added once it joined."""
    rows = list(rows)
    joined = (r.invitation.facility_id for r in rows if r.invitation is not None)
    return list(dict.fromkeys([*matched_facilities(rows), *(f for f in joined if f is not None)]))


def link_joined_factory(facility: Facility) -> int:
    """A factory group created by a buyer's invitation adds its first facility: that facility becomes
    the supplier of every buyer whose list invited the group (as a matched row would have), and the
    invitation records it, so the list shows it and access can be asked of it. Later facilities of
    the group are not linked (the invitation named one factory). Returns the buyers linked."""
    waiting = list(
        SupplierInvitation.objects.select_for_update()
        .filter(invitation__organisation_id=facility.owner_id, facility__isnull=True)
        .order_by("pk")
    )
    for invited in waiting:
        SupplyLink.objects.get_or_create(buyer_id=invited.buyer_id, facility=facility)
        invited.facility, invited.joined_at = facility, timezone.now()
    SupplierInvitation.objects.bulk_update(waiting, ["facility", "joined_at"])
    return len(waiting)


def _link(buyer: Organisation, rows: list[SupplierRow]) -> int:
    ids = matched_facilities(rows)
    known = set(
        SupplyLink.objects.filter(buyer=buyer, facility_id__in=ids).values_list("facility_id", flat=True)
    )
    new = [SupplyLink(buyer=buyer, facility_id=i) for i in ids if i not in known]
    SupplyLink.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def invitation_key(row: SupplierRow) -> str:
    """The factory as compared: its OS ID, else its tax code, else its name and address folded."""
    if identity.os_id(row.os_id):
        return f"os:{identity.os_id(row.os_id)}"
    if identity.tax_code(row.tax_code):
        return f"mst:{identity.tax_code(row.tax_code)}"
    text = "|".join(provinces.fold(v) for v in (row.name, row.address, row.country))
    return "name:" + hashlib.sha256(text.encode()).hexdigest()[:59]


def _invite(supplier_list: SupplierList, rows: list[SupplierRow], user: Any, job: Any) -> int:
    from commonground.jobs.services import report

    buyer, made = supplier_list.buyer, 0
    known = {i.key: i for i in SupplierInvitation.objects.filter(buyer=buyer)}
    for done, row in enumerate(rows, start=1):
        key = invitation_key(row)
        if key not in known:
            known[key] = _new_invitation(buyer, row, key, user)
            made += 1
        row.invitation = known[key]
        if job is not None and (done % 100 == 0 or done == len(rows)):
            report(job, done, len(rows), APPLYING, file=supplier_list.name)
    SupplierRow.objects.bulk_update(rows, ["invitation"])
    return made


def _new_invitation(buyer: Organisation, row: SupplierRow, key: str, user: Any) -> SupplierInvitation:
    invitation = SupplierInvitation(
        buyer=buyer,
        key=key,
        invited_by=user,
        contact_name=row.contact_name,
        contact_email=row.contact_email,
        **{k: getattr(row, k) for k in LENGTHS},
    )
    if row.contact_email:
        invitation.invitation = _invite_contact(row, user)
    invitation.save()
    return invitation


def _invite_contact(row: SupplierRow, user: Any) -> Invitation:
    """The contact is invited by link to administer a new factory group named as the list names the
    factory (the existing invitations: accept, choose a username, then add the facility); the email
    leaves once the transaction commits."""
    from commonground.accounts.services import INVITATION_DAYS, send_invitation

    group = Organisation.objects.create(name=row.name[:200], kind=Organisation.Kind.FACTORY_GROUP)
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=group,
        email=row.contact_email,
        role=Membership.Role.ADMIN,
        token_hash=token_hash,
        invited_by=user,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    link = str(settings.SITE_URL).rstrip("/") + reverse("accept_invitation", args=[token])
    transaction.on_commit(lambda: send_invitation(invitation, link))
    return invitation


def start_applying(supplier_list: SupplierList, *, user: Any) -> Any:
    """The job that applies a decided list (once, however often it is asked for): its page follows it."""
    from commonground.jobs.services import enqueue

    key = f"supplier_list:{supplier_list.pk}"
    return enqueue(
        "supplier_onboarding", user=user, organisation=supplier_list.buyer, key=key, list_id=supplier_list.pk
    )


def onboarding_job(job: Any, *, list_id: int) -> Any:
    """The background job: apply the list as the person who started it."""
    from commonground.jobs.services import Result

    supplier_list = get_supplier_list(list_id, job.started_by)
    done = apply_supplier_list(list_id, user=job.started_by, job=job)
    params = {"linked": done.linked, "invited": done.invited, "file": supplier_list.name}
    return Result(DONE, params, url=reverse("supplier_list", args=[list_id]))


# ---- access asked of every matched supplier ----------------------------------------------------------


def request_access_for_list(
    list_id: int, *, user: Any, scope: str, content: str, purpose: str, expires_at: dt.datetime
) -> services.AccessRequests:
    """Access asked of every supplier the applied list matched, in one request (the bulk service: its
    checks, its skips and its throttle, which counts this once). Before the list is applied: nothing
    is asked (ValidationError)."""
    supplier_list = get_supplier_list(list_id, user)
    if supplier_list.applied_at is None:
        raise ValidationError(gettext("Add the suppliers of this list first."), code="not_applied")
    ids = supplier_facilities(supplier_list.rows.select_related("invitation"))
    return services.request_access(
        user,
        ids,
        scope=scope,
        content=content,
        purpose=purpose,
        expires_at=expires_at,
        grantee_id=supplier_list.buyer_id,
    )
