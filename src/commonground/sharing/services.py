"""Grants (request, decide, grant unasked, revoke) and the access log with its hash chain."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.accounts import access, throttle
from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.core.i18n import gettext, gettext_noop
from commonground.facilities import access as facility_access
from commonground.facilities.models import Facility

# the access log's services (sharing/access_log.py), for every caller of this module
from commonground.sharing.access_log import SealStatus
from commonground.sharing.access_log import check_log as check_log
from commonground.sharing.access_log import record_read as record_read
from commonground.sharing.access_log import record_reads as record_reads
from commonground.sharing.access_log import seal_access_log as seal_access_log
from commonground.sharing.access_log import seal_status as seal_status
from commonground.sharing.access_log import take_checkpoint as take_checkpoint
from commonground.sharing.access_log import verify_log as verify_log
from commonground.sharing.models import AccessLogEntry, AccessRead, Grant

ENVIRONMENT_TOPICS = frozenset(
    {"env_management", "energy", "ghg", "water", "wastewater", "air", "waste", "chemicals", "env_practice"}
)
PURPOSE_LENGTH = 300  # Grant.purpose


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
    """A buyer organisation the user edits for asks one of its suppliers for access. Any other
    facility id, whether a facility has it or not, is not found (404): the answer never tells
    whether a facility exists. One action against the organisation's limit (accounts.throttle)."""
    grantee = _grantee(user, grantee_id)
    terms = {"scope": scope, "content": content, "purpose": purpose, "expires_at": expires_at}
    _check_terms(terms)
    throttle.count("grant_requests", str(grantee.pk))
    with transaction.atomic():
        _lock_requests_of(grantee)
        if not (0 < facility_id < 2**63 and grantee.supply_links.filter(facility_id=facility_id).exists()):
            raise Http404
        pending = pending_requests(grantee, [facility_id])
        if pending:
            raise RequestPending(pending[facility_id])
        return Grant.objects.create(facility_id=facility_id, grantee=grantee, requested_by=user, **terms)


class NotABuyer(PermissionDenied):
    """Access is asked by buyer organisations only, through their admins and editors."""

    def message(self, lang: str = "en") -> str:
        return gettext(NOT_A_BUYER, "vi" if lang == "vi" else "en")


NOT_A_BUYER = gettext_noop(
    "Only a buyer organisation asks suppliers for access, through its admins and editors."
)


class RequestPending(Exception):
    """The organisation's earlier request to this facility still waits for the facility's decision."""

    def __init__(self, since: dt.datetime) -> None:
        super().__init__(f"a request sent on {since:%Y-%m-%d} is still waiting")
        self.since = since


class Skip(models.TextChoices):
    """Why a facility of a bulk request was not asked."""

    PENDING = "pending", _("a request is already waiting for the supplier's decision")
    SHARED = "shared", _("the supplier already shares this with you")
    NOT_A_SUPPLIER = "not_a_supplier", _("not one of your suppliers")


@dataclass(frozen=True)
class AccessRequests:
    """What one bulk request did: the requests sent, each facility skipped with its reason, and the
    names of the skipped ones that are the buyer's suppliers (never those of other facilities)."""

    sent: list[Grant]
    skipped: list[tuple[int, Skip]]
    names: dict[int, str] = field(default_factory=dict)


MAX_REQUESTS = 5000  # facility ids in one bulk request


def request_access(
    user: Any,
    facility_ids: Iterable[int],
    *,
    scope: str,
    content: str,
    purpose: str,
    expires_at: dt.datetime,
    grantee_id: int | None = None,
) -> AccessRequests:
    """The user's buyer organisation (or `grantee_id`, a buyer it edits for) asks many of its suppliers
    for access at once, all or nothing in one transaction. Ids that are not its suppliers (unknown,
    someone else's), suppliers with a request still waiting and suppliers already sharing at least
    this much are skipped, each with its reason; bad terms write nothing (ValidationError)."""
    grantee = _grantee(user, grantee_id)
    ids = list(dict.fromkeys(facility_ids))
    if len(ids) > MAX_REQUESTS:
        raise ValidationError(f"at most {MAX_REQUESTS} suppliers at once")
    terms = {"scope": scope, "content": content, "purpose": purpose, "expires_at": expires_at}
    _check_terms(terms)
    throttle.count("grant_requests", str(grantee.pk))  # one action, however many suppliers
    with transaction.atomic():
        _lock_requests_of(grantee)
        reasons = _skipped(grantee, ids, scope, content)
        asked = [i for i in ids if i not in reasons]
        sent = Grant.objects.bulk_create(
            [Grant(facility_id=i, grantee=grantee, requested_by=user, **terms) for i in asked]
        )
    skipped = [(i, reasons[i]) for i in ids if i in reasons]
    suppliers = [i for i, reason in skipped if reason != Skip.NOT_A_SUPPLIER]
    names = dict(Facility.objects.filter(pk__in=suppliers).values_list("pk", "name")) if suppliers else {}
    return AccessRequests(sent, skipped, names)


def _lock_requests_of(grantee: Organisation) -> None:
    """One request of an organisation at a time (its row locked until the transaction ends), so
    that two clicks at once cannot both find no request waiting and both send one."""
    list(Organisation.objects.select_for_update().filter(pk=grantee.pk).values_list("pk", flat=True))


def _grantee(user: Any, grantee_id: int | None) -> Organisation:
    """The buyer that asks: `grantee_id` (an organisation the user edits for: 404 otherwise) or the
    user's first buyer. NotABuyer (403) for any other kind, a factory group naming itself included."""
    editable = access.organisations_of(user, write=True)
    if grantee_id is not None:
        grantee = editable.filter(pk=grantee_id).first() if 0 < grantee_id < 2**63 else None
        if grantee is None:
            raise Http404
    else:
        grantee = editable.filter(kind=Organisation.Kind.BUYER).order_by("pk").first()
    if grantee is None or grantee.kind != Organisation.Kind.BUYER:
        raise NotABuyer
    return grantee


def _skipped(grantee: Organisation, ids: list[int], scope: str, content: str) -> dict[int, Skip]:
    """Facility id -> why it is not asked (three queries, however many ids)."""
    valid = [i for i in ids if 0 < i < 2**63]  # larger ids cannot be in the database
    linked = set(grantee.supply_links.filter(facility_id__in=valid).values_list("facility_id", flat=True))
    reasons = {i: Skip.NOT_A_SUPPLIER for i in ids if i not in linked}
    for facility_id in pending_requests(grantee, linked):
        reasons[facility_id] = Skip.PENDING
    for facility_id, grant in grant_terms_in_force(grantee).items():
        if facility_id in linked and facility_id not in reasons and covers(grant, scope, content):
            reasons[facility_id] = Skip.SHARED
    return reasons


def pending_requests(grantee: Organisation, facility_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """Facility id -> when the organisation's request still waiting there was sent (the oldest)."""
    rows = Grant.objects.filter(
        grantee=grantee, status=Grant.Status.REQUESTED, facility_id__in=list(facility_ids)
    ).order_by("-created_at")
    return dict(rows.values_list("facility_id", "created_at"))


def covers(grant: GrantTerms | Grant, scope: str, content: str) -> bool:
    """A grant in force already shows what a request with this scope and content asks for."""
    scope_ok = grant.scope in (scope, Grant.Scope.BOTH)
    content_ok = grant.content == content or (
        grant.content == Grant.Content.ANSWERS and content == Grant.Content.RESULTS
    )
    return scope_ok and content_ok


def _new_grant(facility: Facility, grantee: Organisation, user: Any, **terms: Any) -> Grant:
    _check_terms(terms)
    return Grant.objects.create(facility=facility, grantee=grantee, requested_by=user, **terms)


def _check_terms(terms: dict[str, Any]) -> None:
    if terms["scope"] not in Grant.Scope.values or terms["content"] not in Grant.Content.values:
        raise ValidationError("scope or content")
    purpose = str(terms["purpose"])
    if terms["expires_at"] <= timezone.now() or not purpose.strip():
        raise ValidationError("expiry or purpose")
    if len(purpose) > PURPOSE_LENGTH or "\x00" in purpose:
        raise ValidationError("purpose: at most 300 characters, no NUL")


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
    facility = facility_access.get_facility(facility_id, user, write=True)
    grantee = Organisation.objects.exclude(kind=Organisation.Kind.FACTORY_GROUP).filter(pk=grantee_id).first()
    if grantee is None:  # the facility's own group, or any factory group, is never a grantee
        raise ValidationError(GRANTEE_REFUSED, code="grantee")
    grant = _new_grant(
        facility, grantee, user, scope=scope, content=content, purpose=purpose, expires_at=expires_at
    )
    grant.status, grant.decided_by, grant.decided_at = Grant.Status.ACTIVE, user, timezone.now()
    grant.sensitive_datapoints = sorted(set(sensitive) & _sensitive_ids())
    grant.save()
    return grant


GRANTEE_REFUSED = _(
    "Share with a buyer, a verifier body, an authority or a civil-society organisation: "
    "never with a factory group, the facility's own included."
)


def _grant_to_manage(grant_id: int, user: Any) -> Grant:
    """A grant of a facility the user may edit; any other grant does not exist for them (404)."""
    grant = Grant.objects.filter(pk=grant_id).select_related("facility").first()
    if grant is None:
        raise Http404
    facility_access.get_facility(grant.facility_id, user, write=True)
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


def _in_force(organisation: Organisation, now: dt.datetime | None) -> QuerySet[Grant]:
    """The organisation's grants in force now, the most recently decided first."""
    return Grant.objects.filter(
        grantee=organisation, status=Grant.Status.ACTIVE, expires_at__gt=now or timezone.now()
    ).order_by("-decided_at")


def active_grants(
    organisation: Organisation, facility_ids: Iterable[int], *, now: dt.datetime | None = None
) -> dict[int, Grant]:
    """`active_grant` for many facilities in one query: facility id -> the grant in force now.
    Never cached: a revocation or an expiry counts from the next call."""
    found: dict[int, Grant] = {}
    for grant in _in_force(organisation, now).filter(facility_id__in=list(facility_ids)):
        found.setdefault(grant.facility_id, grant)
    return found


def in_force_until(organisation: Organisation, *, now: dt.datetime | None = None) -> dict[int, Grant]:
    """Facility id -> the organisation's grant in force now (its content and expiry), in one query."""
    found: dict[int, Grant] = {}
    for grant in _in_force(organisation, now).only("facility_id", "scope", "content", "expires_at"):
        found.setdefault(grant.facility_id, grant)
    return found


class GrantTerms(NamedTuple):
    """What a list of many facilities needs of each grant in force (read as values, not models)."""

    pk: int
    facility_id: int
    scope: str
    content: str
    sensitive_datapoints: list[str]


def grant_terms_in_force(
    organisation: Organisation, *, now: dt.datetime | None = None
) -> dict[int, GrantTerms]:
    """Facility id -> the terms of the organisation's grant in force now, for every facility sharing
    with it, in one query. Never cached: a revocation or an expiry counts from the next call."""
    found: dict[int, GrantTerms] = {}
    # the sensitive facts named read as text, decoded only when a grant names some: most name none,
    # and decoding 2,000 empty lists cost 4 ms of a portfolio view
    named = Cast("sensitive_datapoints", models.TextField())
    rows = _in_force(organisation, now).values_list("pk", "facility_id", "scope", "content", named)
    for pk, facility_id, scope, content, text in rows:
        if facility_id not in found:
            sensitive = json.loads(text) if text and text != "[]" else []
            found[facility_id] = GrantTerms(pk, facility_id, scope, content, sensitive)
    return found


def _sensitive_ids() -> set[str]:
    return {dp.id for dp in library().datapoints.values() if dp.sensitive}


class Terms(Protocol):
    """A grant's terms that decide what it shows: a `Grant` or `GrantTerms`."""

    @property
    def scope(self) -> str: ...

    @property
    def sensitive_datapoints(self) -> list[str]: ...


def visible_datapoints(grant: Terms) -> set[str]:
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


# ---- the access log (sharing/access_log.py) ----------------------------------------------------


def facility_log(
    facility_id: int, *, user: Any, organisation_id: int | None = None, channel: str | None = None
) -> QuerySet[AccessLogEntry]:
    """The facility sees every read of its data, newest first; optionally only one organisation's
    reads, or one channel's."""
    facility = facility_access.get_facility(facility_id, user)
    # with the reads of every facility merged into it, as they were logged (decision 0040)
    ids = [facility.pk, *facility_access.alias_ids(facility.pk)]
    entries = AccessLogEntry.objects.filter(facility__in=ids)
    if organisation_id is not None:
        entries = entries.filter(read__organisation_id=organisation_id)
    if channel:
        entries = entries.filter(read__channel=channel)
    return entries.select_related("read__reader", "read__organisation", "grant").order_by("-id")


def log_seal(facility_id: int, *, user: Any) -> SealStatus:
    """How far the log is sealed, for the facility's people (the same for every facility)."""
    facility_access.get_facility(facility_id, user)
    return seal_status()


def log_readers(facility_id: int, *, user: Any) -> QuerySet[Organisation]:
    """The organisations that have read the facility's data (for a filter of its log)."""
    facility = facility_access.get_facility(facility_id, user)
    ids = [facility.pk, *facility_access.alias_ids(facility.pk)]
    read = AccessRead.objects.filter(entries__facility__in=ids).values("organisation_id")
    return Organisation.objects.filter(pk__in=read).order_by("name")
