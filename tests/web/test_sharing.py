"""Grants: request, narrow, decline, grant unasked, revoke, expire; the tamper-evident access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from commonground.accounts.models import Membership
from commonground.sharing import services
from commonground.sharing.models import AccessLogEntry, AccessRead, AppendOnly, Grant


@pytest.fixture
def buyer_user(cast: dict[str, Any]) -> Any:
    from tests.web.conftest import member

    return member("bao", cast["buyer"], Membership.Role.EDITOR)


def soon(days: int = 30) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _request(cast: dict[str, Any], buyer_user: Any, **overrides: Any) -> Grant:
    terms = {
        "scope": "both",
        "content": "answers",
        "purpose": "supplier due diligence 2026",
        "expires_at": soon(90),
    }
    return services.request_grant(
        cast["facility"].pk, user=buyer_user, grantee_id=cast["buyer"].pk, **{**terms, **overrides}
    )


def test_the_facility_approves_a_narrowed_request(cast: dict[str, Any], buyer_user: Any) -> None:
    grant = _request(cast, buyer_user)
    assert services.active_grant(cast["buyer"], cast["facility"]) is None  # a request is not consent
    services.decide_grant(
        grant.pk,
        user=cast["alice"],
        approve=True,
        scope="environment",
        content="results",
        expires_at=soon(10),
    )
    active = services.active_grant(cast["buyer"], cast["facility"])
    assert active is not None and (active.scope, active.content) == ("environment", "results")
    visible = services.visible_datapoints(active)
    assert "wastewater.cod_mg_l" in visible and "working_time.overtime_hours_month_max" not in visible


def test_narrowing_only_and_only_the_facility_decides(cast: dict[str, Any], buyer_user: Any) -> None:
    grant = _request(cast, buyer_user, scope="social", content="results")
    with pytest.raises(ValidationError):
        services.decide_grant(grant.pk, user=cast["alice"], approve=True, scope="both")
    with pytest.raises(ValidationError):
        services.decide_grant(grant.pk, user=cast["alice"], approve=True, expires_at=soon(365))
    for outsider in ("charlie", "bob", "victor"):
        with pytest.raises(Http404):
            services.decide_grant(grant.pk, user=cast[outsider], approve=True)
    services.decide_grant(grant.pk, user=cast["alice"], approve=False)
    assert Grant.objects.get().status == Grant.Status.DECLINED
    assert services.active_grant(cast["buyer"], cast["facility"]) is None


def test_bad_requests_are_refused(cast: dict[str, Any], buyer_user: Any) -> None:
    with pytest.raises(ValidationError):
        _request(cast, buyer_user, scope="everything")
    with pytest.raises(ValidationError):
        _request(cast, buyer_user, expires_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(Http404):  # alice cannot ask on behalf of a buyer she does not belong to
        services.request_grant(
            cast["facility"].pk,
            user=cast["alice"],
            grantee_id=cast["buyer"].pk,
            scope="both",
            content="results",
            purpose="x",
            expires_at=soon(),
        )


def test_revocation_and_expiry_stop_access_at_once(cast: dict[str, Any]) -> None:
    grant = services.grant_unasked(
        cast["facility"].pk,
        user=cast["alice"],
        grantee_id=cast["buyer"].pk,
        scope="social",
        content="answers",
        purpose="audit",
        expires_at=soon(1),
    )
    now = timezone.now()
    assert services.active_grant(cast["buyer"], cast["facility"], now=now) == grant
    assert services.active_grant(cast["buyer"], cast["facility"], now=now + dt.timedelta(days=2)) is None
    services.revoke_grant(grant.pk, user=cast["alice"])
    assert services.active_grant(cast["buyer"], cast["facility"], now=now) is None


def test_sensitive_facts_are_shared_only_when_named(cast: dict[str, Any]) -> None:
    plain = services.grant_unasked(
        cast["facility"].pk,
        user=cast["alice"],
        grantee_id=cast["buyer"].pk,
        scope="social",
        content="answers",
        purpose="audit",
        expires_at=soon(),
    )
    assert "grievance.case_details" not in services.visible_datapoints(plain)
    named = services.grant_unasked(
        cast["facility"].pk,
        user=cast["alice"],
        grantee_id=cast["buyer"].pk,
        scope="social",
        content="answers",
        purpose="case follow-up",
        expires_at=soon(),
        sensitive=["grievance.case_details", "not.a.fact"],
    )
    assert named.sensitive_datapoints == ["grievance.case_details"]
    assert "grievance.case_details" in services.visible_datapoints(named)
    # the list read (the portfolio's) gives the newest grant's terms with the facts it names
    terms = services.grant_terms_in_force(cast["buyer"])[cast["facility"].pk]
    assert (terms.pk, terms.sensitive_datapoints) == (named.pk, ["grievance.case_details"])
    named.status = Grant.Status.REVOKED
    named.save()
    terms = services.grant_terms_in_force(cast["buyer"])[cast["facility"].pk]
    assert (terms.pk, terms.sensitive_datapoints) == (plain.pk, [])


def test_the_access_log_is_append_only_and_tampering_is_detected(
    cast: dict[str, Any], buyer_user: Any
) -> None:
    grant = services.grant_unasked(
        cast["facility"].pk,
        user=cast["alice"],
        grantee_id=cast["buyer"].pk,
        scope="both",
        content="results",
        purpose="audit",
        expires_at=soon(),
    )
    for what in ("results 2026", "findings 2026", "export"):
        services.record_read(
            cast["facility"],
            user=buyer_user,
            organisation=cast["buyer"],
            what=what,
            channel="page",
            grant=grant,
        )
    assert services.seal_access_log() == 3
    assert services.verify_log() == []
    call_command("verify_access_log")
    assert [e.what for e in services.facility_log(cast["facility"].pk, user=cast["bob"])] == [
        "export",  # newest first
        "findings 2026",
        "results 2026",
    ]
    with pytest.raises(Http404):
        services.facility_log(cast["facility"].pk, user=cast["charlie"])
    entry = AccessLogEntry.objects.first()
    assert entry is not None
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    AccessLogEntry.objects.filter(pk=entry.pk).update(what="nothing to see")  # behind the application's back
    assert services.verify_log() == [entry.read_id]
    with pytest.raises(CommandError):
        call_command("verify_access_log")


def test_removing_the_newest_entries_is_detected(cast: dict[str, Any], buyer_user: Any) -> None:
    for what in ("a", "b"):
        services.record_read(
            cast["facility"],
            user=buyer_user,
            organisation=cast["buyer"],
            what=what,
            channel="api",
            grant=None,
        )
    services.seal_access_log()
    services.take_checkpoint()
    newest = AccessRead.objects.get(entries__what="b")
    AccessLogEntry.objects.filter(read=newest).delete()  # a queryset delete bypasses the model
    assert services.verify_log() == [newest.pk, 0]  # the seal covers its entries; the checkpoint fails too
    AccessRead.objects.filter(pk=newest.pk).delete()
    assert services.verify_log() == [0]  # the checkpoint counts a read that is gone
