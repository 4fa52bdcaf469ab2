"""Grants (request, decide, grant unasked, revoke) and the access log with its hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from commonground.accounts import access
from commonground.accounts.models import Organisation
from commonground.assessments.services import library
from commonground.facilities.models import Facility
from commonground.sharing.models import AccessLogEntry, Grant, LogHead

ENVIRONMENT_TOPICS = frozenset(
    {"env_management", "energy", "ghg", "water", "wastewater", "air", "waste", "chemicals", "env_practice"}
)
GENESIS = "0" * 64


def request_grant(
    facility_id: int,
    *,
    user: Any,
    grantee_id: int,
    scope: str,
    content: str,
    purpose: str,
    expires_at: dt.datetime,
) -> Grant:
    """An organisation the user edits for asks a facility for access."""
    grantee = access.organisations_of(user, write=True).filter(pk=grantee_id).first()
    if grantee is None:
        raise Http404
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise Http404
    return _new_grant(
        facility, grantee, user, scope=scope, content=content, purpose=purpose, expires_at=expires_at
    )


def _new_grant(facility: Facility, grantee: Organisation, user: Any, **terms: Any) -> Grant:
    if terms["scope"] not in Grant.Scope.values or terms["content"] not in Grant.Content.values:
        raise ValidationError("scope or content")
    if terms["expires_at"] <= timezone.now() or not str(terms["purpose"]).strip():
        raise ValidationError("expiry or purpose")
    return Grant.objects.create(facility=facility, grantee=grantee, requested_by=user, **terms)


def decide_grant(
    grant_id: int,
    *,
    user: Any,
    approve: bool,
    scope: str | None = None,
    content: str | None = None,
    expires_at: dt.datetime | None = None,
    sensitive: Iterable[str] = (),
) -> Grant:
    """The facility approves (possibly narrowed) or declines a request."""
    grant = _grant_to_manage(grant_id, user)
    if grant.status != Grant.Status.REQUESTED:
        raise ValidationError("only a request can be approved or declined")
    if approve:
        _narrow(grant, scope, content, expires_at)
        grant.sensitive_datapoints = sorted(set(sensitive) & _sensitive_ids())
    grant.status = Grant.Status.ACTIVE if approve else Grant.Status.DECLINED
    grant.decided_by, grant.decided_at = user, timezone.now()
    grant.save()
    return grant


def _narrow(grant: Grant, scope: str | None, content: str | None, expires_at: dt.datetime | None) -> None:
    """Only narrowing is allowed: a smaller scope, less content, an earlier expiry."""
    if scope and scope != grant.scope:
        if grant.scope != Grant.Scope.BOTH or scope not in (Grant.Scope.ENVIRONMENT, Grant.Scope.SOCIAL):
            raise ValidationError("scope can only be narrowed")
        grant.scope = scope
    if content and content != grant.content:
        if not (grant.content == Grant.Content.ANSWERS and content == Grant.Content.RESULTS):
            raise ValidationError("content can only be narrowed")
        grant.content = content
    if expires_at:
        if expires_at > grant.expires_at:
            raise ValidationError("expiry can only be brought forward")
        grant.expires_at = expires_at


def grant_unasked(
    facility_id: int,
    *,
    user: Any,
    grantee_id: int,
    scope: str,
    content: str,
    purpose: str,
    expires_at: dt.datetime,
    sensitive: Iterable[str] = (),
) -> Grant:
    facility = access.get_facility(facility_id, user, write=True)
    grantee = Organisation.objects.exclude(kind=Organisation.Kind.FACTORY_GROUP).filter(pk=grantee_id).first()
    if grantee is None:
        raise ValidationError(
            "grantee: no such buyer, verifier body, authority or civil-society organisation"
        )
    grant = _new_grant(
        facility, grantee, user, scope=scope, content=content, purpose=purpose, expires_at=expires_at
    )
    grant.status, grant.decided_by, grant.decided_at = Grant.Status.ACTIVE, user, timezone.now()
    grant.sensitive_datapoints = sorted(set(sensitive) & _sensitive_ids())
    grant.save()
    return grant


def _grant_to_manage(grant_id: int, user: Any) -> Grant:
    """A grant of a facility the user may edit; any other grant does not exist for them (404)."""
    grant = Grant.objects.filter(pk=grant_id).select_related("facility").first()
    if grant is None:
        raise Http404
    access.get_facility(grant.facility_id, user, write=True)
    return grant


def revoke_grant(grant_id: int, *, user: Any) -> Grant:
    grant = _grant_to_manage(grant_id, user)
    if grant.status not in (Grant.Status.ACTIVE, Grant.Status.REQUESTED):
        raise ValidationError("only an active grant or an open request can be revoked")
    grant.status, grant.revoked_at = Grant.Status.REVOKED, timezone.now()
    grant.save(update_fields=["status", "revoked_at"])
    return grant


def active_grant(
    organisation: Organisation, facility: Facility, *, now: dt.datetime | None = None
) -> Grant | None:
    """The grant in force now: active, not revoked, not expired (expiry needs no job to run)."""
    return (
        Grant.objects.filter(
            grantee=organisation,
            facility=facility,
            status=Grant.Status.ACTIVE,
            expires_at__gt=now or timezone.now(),
        )
        .order_by("-decided_at")
        .first()
    )


def active_grants(
    organisation: Organisation, facility_ids: Iterable[int], *, now: dt.datetime | None = None
) -> dict[int, Grant]:
    """`active_grant` for many facilities in one query: facility id -> the grant in force now.
    Never cached: a revocation or an expiry counts from the next call."""
    found: dict[int, Grant] = {}
    grants = Grant.objects.filter(
        grantee=organisation,
        facility_id__in=list(facility_ids),
        status=Grant.Status.ACTIVE,
        expires_at__gt=now or timezone.now(),
    )
    for grant in grants.order_by("-decided_at"):
        found.setdefault(grant.facility_id, grant)
    return found


def _sensitive_ids() -> set[str]:
    return {dp.id for dp in library().datapoints.values() if dp.sensitive}


def visible_datapoints(grant: Grant) -> set[str]:
    """The facts a grant shows: its scope's topics, never sensitive facts unless it names them."""
    allowed = set()
    for dp in library().datapoints.values():
        environmental = dp.topic in ENVIRONMENT_TOPICS
        in_scope = (
            grant.scope == Grant.Scope.BOTH or (grant.scope == Grant.Scope.ENVIRONMENT) == environmental
        )
        if in_scope and (not dp.sensitive or dp.id in grant.sensitive_datapoints):
            allowed.add(dp.id)
    return allowed


def framework_in_scope(framework: Any, visible: set[str], context: frozenset[str]) -> bool:
    """A framework is shown when every fact it judges (beyond the profile) is visible under the grant."""
    facts = {dp for r in framework.requirements for dp in r.rule_datapoints} - context
    return facts <= visible


def shared_facility(facility_id: int, *, user: Any) -> tuple[Facility, Grant, Organisation]:
    """The facility as seen by a grantee: only with a grant in force, else it does not exist (404)."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is not None:
        for organisation in access.organisations_of(user):
            grant = active_grant(organisation, facility)
            if grant is not None:
                return facility, grant, organisation
    raise Http404


# ---- the access log ----------------------------------------------------------------------------


def _digest(previous: str, entry: AccessLogEntry) -> str:
    payload = json.dumps(
        [
            previous,
            entry.facility_id,
            entry.reader_id,
            entry.organisation_id,
            entry.grant_id,
            entry.what,
            entry.channel,
            entry.at.isoformat(),
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record_read(
    facility: Facility, *, user: Any, organisation: Organisation, what: str, channel: str, grant: Grant | None
) -> AccessLogEntry:
    """Append one read to the log; the hash covers the previous entry (serialised by a row lock)."""
    return record_reads([(facility, grant, what)], user=user, organisation=organisation, channel=channel)[0]


def record_reads(
    reads: Sequence[tuple[Facility, Grant | None, str]],
    *,
    user: Any,
    organisation: Organisation,
    channel: str,
) -> list[AccessLogEntry]:
    """Append several reads (facility, grant, what) by one reader in one transaction under one lock,
    chained in order exactly as `verify_log` checks them."""
    if not reads:
        return []
    at = timezone.now()
    entries = [
        AccessLogEntry(
            facility_id=facility.pk,
            reader_id=user.pk,
            organisation_id=organisation.pk,
            grant_id=None if grant is None else grant.pk,
            what=what[:200],
            channel=channel,
            at=at,
        )
        for facility, grant, what in reads
    ]
    LogHead.objects.get_or_create(pk=1, defaults={"hash": GENESIS})
    with transaction.atomic():  # the lock is held for chaining and writing only
        head = LogHead.objects.select_for_update().get(pk=1)
        previous = head.hash
        for entry in entries:
            entry.previous_hash = previous
            entry.hash = previous = _digest(previous, entry)
        AccessLogEntry.objects.bulk_create(entries)  # ids in list order: the chain order
        head.hash = previous
        head.save(update_fields=["hash"])
    return entries


def verify_log() -> list[int]:
    """Ids of entries whose hash or link does not match (0: the newest entries were removed);
    empty when nobody tampered with the log."""
    broken, previous = [], GENESIS
    for entry in AccessLogEntry.objects.order_by("id").iterator():
        if entry.previous_hash != previous or entry.hash != _digest(previous, entry):
            broken.append(entry.pk)
        previous = entry.hash
    head = LogHead.objects.filter(pk=1).first()
    if head is not None and head.hash != previous:
        broken.append(0)
    return broken


def facility_log(facility_id: int, *, user: Any) -> Any:
    """The facility sees every read of its data."""
    facility = access.get_facility(facility_id, user)
    return AccessLogEntry.objects.filter(facility=facility).select_related("reader", "organisation", "grant")
