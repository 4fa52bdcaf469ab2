"""The workflow: the facility works on its action, the verifier or a buyer under a grant confirms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from commonground.accounts.models import Membership
from commonground.actions import services
from commonground.actions.errors import ActionRefused
from commonground.actions.models import Adoption
from commonground.assessments.models import Assessment
from commonground.sharing.models import AccessLogEntry, Grant
from tests.actions.conftest import grant, make_action
from tests.web.conftest import member


def test_the_facility_works_and_the_verifier_confirms(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    services.change_status(action.pk, "in_progress", user=cast["alice"])
    services.change_status(action.pk, "done", user=cast["alice"])
    with pytest.raises(ActionRefused) as refused:
        services.change_status(action.pk, "verified", user=cast["alice"])
    assert set(refused.value.errors) == {"status"}
    action = services.change_status(action.pk, "verified", user=cast["victor"])
    assert action.status == "verified" and action.verified_by == cast["victor"]
    assert action.verified_by_org == cast["verifiers"] and action.done_at is not None
    steps = list(
        action.events.filter(kind="status").values_list("from_status", "to_status", "actor__username")
    )
    assert steps == [
        ("open", "in_progress", "alice"),
        ("in_progress", "done", "alice"),
        ("done", "verified", "victor"),
    ]


def test_the_verifier_sends_back_with_a_reason(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    services.change_status(action.pk, "done", user=cast["alice"])
    with pytest.raises(ActionRefused):
        services.change_status(action.pk, "in_progress", user=cast["victor"])
    action = services.change_status(action.pk, "in_progress", user=cast["victor"], reason="no time records")
    assert action.status == "in_progress"
    assert action.events.last() is not None and action.events.last().note == "no time records"  # type: ignore[union-attr]


def test_cancelling_keeps_the_reason(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    with pytest.raises(ActionRefused):
        services.change_status(action.pk, "cancelled", user=cast["alice"])
    action = services.change_status(action.pk, "cancelled", user=cast["alice"], reason="merged into another")
    assert (action.status, action.cancel_reason) == ("cancelled", "merged into another")
    action = services.change_status(action.pk, "open", user=cast["alice"], reason="needed after all")
    assert (action.status, action.cancel_reason) == ("open", "")


def test_a_buyer_holding_a_grant_on_the_plan_confirms_closure(
    cast: dict[str, Any], findings: Assessment
) -> None:
    buyer = member("bao", cast["buyer"], Membership.Role.EDITOR)
    grant(cast, Grant.Content.ACTION_PLAN)
    action = make_action(cast, findings)
    services.change_status(action.pk, "done", user=cast["alice"])
    action = services.change_status(action.pk, "verified", user=buyer)
    assert action.verified_by_org == cast["buyer"]


def test_a_buyer_with_another_grant_cannot_see_the_action(cast: dict[str, Any], findings: Assessment) -> None:
    buyer = member("bao", cast["buyer"], Membership.Role.EDITOR)
    grant(cast, Grant.Content.ANSWERS)
    action = make_action(cast, findings)
    services.change_status(action.pk, "done", user=cast["alice"])
    with pytest.raises(Http404):
        services.change_status(action.pk, "verified", user=buyer)
    with pytest.raises(Http404):
        services.get_action(action.pk, user=buyer)


def test_a_grantee_read_is_logged(cast: dict[str, Any], findings: Assessment) -> None:
    buyer = member("bao", cast["buyer"], Membership.Role.VIEWER)
    the_grant = grant(cast, Grant.Content.ACTION_PLAN)
    action = make_action(cast, findings)
    assert [a.pk for a in services.list_actions(cast["facility"].pk, user=buyer)] == [action.pk]
    services.get_action(action.pk, user=buyer, channel="api")
    log = list(AccessLogEntry.objects.values_list("what", "read__channel", "grant"))
    assert log == [
        ("action plan", "page", the_grant.pk),
        (f"action {action.pk}: Cap overtime", "api", the_grant.pk),
    ]
    with pytest.raises(Http404):  # a viewer of the buyer reads, but does not confirm
        services.change_status(action.pk, "verified", user=buyer)


def test_a_grant_with_a_narrower_scope_hides_actions_outside_it(
    cast: dict[str, Any], findings: Assessment
) -> None:
    buyer = member("bao", cast["buyer"], Membership.Role.VIEWER)
    narrow = grant(cast, Grant.Content.ACTION_PLAN)
    narrow.scope = Grant.Scope.ENVIRONMENT
    narrow.save()
    action = make_action(cast, findings)
    assert services.list_actions(cast["facility"].pk, user=buyer) == []
    with pytest.raises(Http404):
        services.get_action(action.pk, user=buyer)


def test_a_done_action_with_a_solution_records_the_adoption_once(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings, solution_id="digital_time_keeping")
    services.change_status(action.pk, "done", user=cast["alice"])
    services.change_status(action.pk, "verified", user=cast["victor"])
    adoption = Adoption.objects.get()
    assert (adoption.facility, adoption.solution_id, adoption.action) == (
        cast["facility"],
        "digital_time_keeping",
        action,
    )
    assert adoption.adopted_on == timezone.localdate() and adoption.recorded_by == cast["alice"]


def test_an_action_without_a_solution_records_no_adoption(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    services.change_status(action.pk, "done", user=cast["alice"])
    assert not Adoption.objects.exists()


def test_a_facility_records_an_adoption_directly(cast: dict[str, Any]) -> None:
    adoption = services.record_adoption(
        cast["facility"].pk,
        "rooftop_solar",
        user=cast["alice"],
        adopted_on=dt.date(2025, 3, 1),
        note="500 kWp",
    )
    assert (adoption.action, adoption.note) == (None, "500 kWp")
    with pytest.raises(Http404):
        services.record_adoption(
            cast["facility"].pk, "rooftop_solar", user=cast["bob"], adopted_on=dt.date(2025, 3, 1)
        )


def test_the_verifier_bodys_reads_are_logged_too(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    services.get_action(action.pk, user=cast["victor"])
    services.get_action(action.pk, user=cast["alice"])  # the facility's own read is not
    entry = AccessLogEntry.objects.get()
    assert (entry.organisation, entry.grant, entry.reader) == (cast["verifiers"], None, cast["victor"])
