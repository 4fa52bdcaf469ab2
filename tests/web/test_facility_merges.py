"""Two records of the same factory merged (issue 14 point 5, decision 0040): everything moves to the
kept facility in one transaction, the merged id keeps working as an alias, the access log of both is
kept as it was and still verifies, and nothing counts the factory twice."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.apps import apps
from django.http import Http404
from django.test import Client
from django.utils import timezone

from commonground.accounts.models import Membership, Organisation
from commonground.accounts.tokens import create_token
from commonground.actions.models import Action, Adoption
from commonground.assessments.models import Answer, Assessment
from commonground.core.identity import os_id_check_character
from commonground.facilities.access import get_facility
from commonground.facilities.models import Facility, SupplyLink
from commonground.improvement.models import Training
from commonground.sharing import merges
from commonground.sharing.access_log import record_read, seal_access_log, verify_log
from commonground.sharing.aggregates import latest_verified_by_year
from commonground.sharing.models import AccessLogEntry, Grant, SupplierInvitation
from commonground.snapshots.fingerprint import sector_fingerprint
from tests.web.conftest import client_for, member

OS_ID = "VN2019123ABCDE" + os_id_check_character("VN2019123ABCDE")
EXPIRES = dt.timedelta(days=30)


def _assessment(facility: Facility, start: str, end: str, **fields: Any) -> Assessment:
    return Assessment.objects.create(
        facility=facility,
        period_start=dt.date.fromisoformat(start),
        period_end=dt.date.fromisoformat(end),
        **fields,
    )


def _grant(facility: Facility, grantee: Organisation, status: str) -> Grant:
    return Grant.objects.create(
        facility=facility,
        grantee=grantee,
        scope="both",
        content="results",
        purpose="audit",
        expires_at=timezone.now() + EXPIRES,
        status=status,
    )


@pytest.fixture
def twins(cast: dict[str, Any]) -> dict[str, Any]:
    """The group added Song Hong Factory 1 twice: the second record holds last year's verified
    assessment, its buyers, grants, a logged read, an action, an adoption and a training."""
    kept = cast["facility"]
    group = kept.owner
    Facility.objects.filter(pk=kept.pk).update(address="Lô A2, KCN Quang Minh, Mê Linh")
    twin = Facility.objects.create(
        owner=group,
        name="Cong ty TNHH Song Hong Factory 1",
        address="Lo A2 KCN Quang Minh, Me Linh",
        province=kept.province,
        sector="garment",
        os_id=OS_ID,
    )
    ada = member("ada", group, Membership.Role.ADMIN)
    buyer, other_buyer = cast["buyer"], Organisation.objects.create(name="Cam Co", kind="buyer")
    SupplyLink.objects.create(buyer=buyer, facility=twin)  # the buyer links both records
    SupplyLink.objects.create(buyer=other_buyer, facility=twin)
    _assessment(kept, "2026-01-01", "2026-12-31", created_by=cast["alice"])
    verified = _assessment(twin, "2025-01-01", "2025-12-31", status="verified", verified_at=timezone.now())
    Answer.objects.create(assessment=verified, datapoint="facility.workers_total", value=640)
    shared = _grant(twin, buyer, "active")
    waiting_here, waiting_there = (
        _grant(kept, other_buyer, "requested"),
        _grant(twin, other_buyer, "requested"),
    )
    bao = member("bao", buyer, Membership.Role.ADMIN)
    record_read(twin, user=bao, organisation=buyer, what="results 2025", channel="page", grant=shared)
    action = Action.objects.create(
        facility=twin, assessment=verified, title="Drills", due_date=dt.date(2026, 9, 1)
    )
    Adoption.objects.create(facility=twin, solution_id="condensate_recovery", adopted_on=dt.date(2026, 2, 1))
    Training.objects.create(
        facility=twin, topic="fire_safety", title="Drill", delivered_on=dt.date(2026, 3, 1)
    )
    invitation = SupplierInvitation.objects.create(buyer=buyer, key="k", name="Song Hong", facility=twin)
    return {
        **cast,
        "kept": kept,
        "twin": twin,
        "ada": ada,
        "bao": bao,
        "other_buyer": other_buyer,
        "verified": verified,
        "shared": shared,
        "waiting_here": waiting_here,
        "waiting_there": waiting_there,
        "action": action,
        "invitation": invitation,
    }


def test_the_group_admin_merges_from_the_facility_page_and_everything_moves(twins: dict[str, Any]) -> None:
    kept, twin = twins["kept"], twins["twin"]
    ada = client_for("ada")
    page = ada.get(f"/facilities/{kept.pk}/").content.decode()
    assert f"/facilities/{kept.pk}/merge" in page
    preview = ada.get(f"/facilities/{kept.pk}/merge?merged={twin.pk}").content.decode()
    assert "Cong ty TNHH Song Hong Factory 1" in preview and OS_ID in preview and 'id="merge-plan"' in preview
    chooser = ada.get(f"/facilities/{kept.pk}/merge", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert (
        "Cong ty TNHH Song Hong Factory 1" in chooser and "có thể là cùng một nhà máy" in chooser
    )  # the matcher's
    before = sector_fingerprint()
    response = ada.post(f"/facilities/{kept.pk}/merge", {"merged": twin.pk})
    assert response.status_code == 302 and response["Location"] == f"/facilities/{kept.pk}/"
    twin.refresh_from_db()
    kept.refresh_from_db()
    assert twin.merged_into_id == kept.pk and twin.merged_by == twins["ada"] and twin.merged_at is not None
    assert kept.os_id == OS_ID  # the kept record had none
    assert set(Assessment.objects.filter(facility=kept).values_list("period_start__year", flat=True)) == {
        2025,
        2026,
    }
    assert not Assessment.objects.filter(facility=twin).exists()
    assert sorted(SupplyLink.objects.filter(facility=kept).values_list("buyer__name", flat=True)) == [
        "Bao Brand",
        "Cam Co",
    ]  # the buyer that linked both records once
    assert not SupplyLink.objects.filter(facility=twin).exists()
    assert Grant.objects.get(pk=twins["shared"].pk).facility_id == kept.pk
    assert not Grant.objects.filter(pk=twins["waiting_there"].pk).exists()  # the same request twice
    assert Grant.objects.get(pk=twins["waiting_here"].pk).facility_id == kept.pk
    for model in (Action, Adoption, Training):
        assert (
            model.objects.filter(facility=kept).count() == 1
            and not model.objects.filter(facility=twin).exists()
        )
    assert SupplierInvitation.objects.get(pk=twins["invitation"].pk).facility_id == kept.pk
    assert kept.workers == 640  # its profile follows the latest period of both records
    assert sector_fingerprint() != before  # the sector snapshots are refreshed
    after = ada.get(f"/facilities/{kept.pk}/").content.decode()
    assert "Cong ty TNHH Song Hong Factory 1" in after and 'id="merged-records"' in after


def test_old_addresses_redirect_to_the_kept_facility_for_those_who_may_reach_it(
    twins: dict[str, Any],
) -> None:
    kept, twin = twins["kept"], twins["twin"]
    merges.merge_facilities(kept.pk, twin.pk, user=twins["ada"])
    alice = client_for("alice")
    for old, new in (
        (f"/facilities/{twin.pk}/", f"/facilities/{kept.pk}/"),
        (f"/facilities/{twin.pk}/edit", f"/facilities/{kept.pk}/edit"),
        (f"/facilities/{twin.pk}/sharing/?reader=3", f"/facilities/{kept.pk}/sharing/?reader=3"),
        (f"/facilities/{twin.pk}/access-log.xlsx", f"/facilities/{kept.pk}/access-log.xlsx"),
        (f"/facilities/{twin.pk}/actions/", f"/facilities/{kept.pk}/actions/"),
    ):
        response = alice.get(old)
        assert (response.status_code, response["Location"]) == (302, new), old
    ada = client_for("ada")
    moved = ada.get(f"/facilities/{twin.pk}/merge?merged=7")
    assert (moved.status_code, moved["Location"]) == (302, f"/facilities/{kept.pk}/merge?merged=7")
    sent = alice.post(f"/facilities/{twin.pk}/edit", {"name": "x"})
    assert sent.status_code == 307  # a form sent to the old address is sent again, not lost
    bao = client_for("bao")  # the buyer, under the grant that moved
    assert bao.get(f"/shared/{twin.pk}/")["Location"] == f"/shared/{kept.pk}/"
    token = create_token(twins["alice"], name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get(f"/api/facilities/{twin.pk}/access-log?limit=5")
    assert (
        response.status_code == 308
        and response["Location"] == f"/api/facilities/{kept.pk}/access-log?limit=5"
    )
    assert api.get(response["Location"]).status_code == 200
    assert client_for("charlie").get(f"/facilities/{twin.pk}/").status_code == 404  # no alias for outsiders
    assert get_facility(twin.pk, twins["alice"], follow=True) == kept
    with pytest.raises(Http404):  # not followed unless asked: a merged facility is nobody's to edit
        get_facility(twin.pk, twins["alice"], write=True)


def test_the_access_log_of_both_is_kept_as_it_was_and_still_verifies(twins: dict[str, Any]) -> None:
    kept, twin = twins["kept"], twins["twin"]
    seal_access_log()
    entry = AccessLogEntry.objects.get(facility=twin)
    merges.merge_facilities(kept.pk, twin.pk, user=twins["ada"])
    assert AccessLogEntry.objects.get(pk=entry.pk).facility_id == twin.pk  # never moved
    record_read(
        kept, user=twins["bao"], organisation=twins["buyer"], what="results 2026", channel="api", grant=None
    )
    seal_access_log()
    assert verify_log() == []
    token = create_token(twins["alice"], name="t")
    listed = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(f"/api/facilities/{kept.pk}/access-log").json()
    assert [(e["facility_id"], e["what"]) for e in listed["items"]] == [
        (kept.pk, "results 2026"),
        (twin.pk, "results 2025"),
    ]
    page = client_for("alice").get(f"/facilities/{kept.pk}/sharing/").content.decode()
    assert f"read from facility {twin.pk}, merged into this one" in page
    export = client_for("alice", "vi").get(f"/facilities/{kept.pk}/access-log.csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "Cơ sở được đọc" in text and f",{twin.pk}," in text


def test_overlapping_periods_refuse_the_merge_naming_them_and_nothing_changes(twins: dict[str, Any]) -> None:
    kept, twin = twins["kept"], twins["twin"]
    _assessment(twin, "2026-07-01", "2027-06-30")
    before = _state()
    with pytest.raises(merges.MergeRefused) as refused:
        merges.merge_facilities(kept.pk, twin.pk, user=twins["ada"])
    assert refused.value.code == "periods"
    assert "(1 Jan 2026–31 Dec 2026 / 1 Jul 2026–30 Jun 2027)" in refused.value.message("en")
    assert "(01/01/2026–31/12/2026 / 01/07/2026–30/06/2027)" in refused.value.message("vi")
    page = client_for("ada", "vi").post(f"/facilities/{kept.pk}/merge", {"merged": twin.pk})
    assert page.status_code == 400 and "kỳ chồng lấn" in page.content.decode()
    token = create_token(twins["ada"], name="t", can_write=True)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="vi")
    answer = api.post(
        f"/api/facilities/{kept.pk}/merge", {"merged_id": twin.pk}, content_type="application/json"
    )
    assert answer.status_code == 409 and answer.json()["code"] == "periods"
    assert _state() == before


def _state() -> list[Any]:
    return [
        sorted(Assessment.objects.values_list("pk", "facility_id")),
        sorted(SupplyLink.objects.values_list("pk", "facility_id")),
        sorted(Grant.objects.values_list("pk", "facility_id")),
        sorted(Action.objects.values_list("pk", "facility_id")),
        sorted(Facility.objects.values_list("pk", "merged_into_id", "os_id", "tax_code")),
    ]


def test_a_merged_facility_is_not_merged_again_and_a_merge_into_it_reaches_the_kept_one(
    twins: dict[str, Any],
) -> None:
    kept, twin = twins["kept"], twins["twin"]
    third = Facility.objects.create(
        owner=kept.owner, name="Song Hong 1 (old)", province="x", sector="garment"
    )
    merges.merge_facilities(kept.pk, twin.pk, user=twins["ada"])
    with pytest.raises(merges.MergeRefused) as refused:
        merges.merge_facilities(third.pk, twin.pk, user=twins["ada"])
    assert refused.value.code == "merged" and f"facility {kept.pk}" in refused.value.message("en")
    done = merges.merge_facilities(twin.pk, third.pk, user=twins["ada"])  # into the alias: its final facility
    assert done.kept == kept and Facility.objects.get(pk=third.pk).merged_into_id == kept.pk
    with pytest.raises(merges.MergeRefused):
        merges.merge_facilities(kept.pk, kept.pk, user=twins["ada"])


def test_conflicting_identifiers_refuse_the_merge(twins: dict[str, Any]) -> None:
    kept, twin = twins["kept"], twins["twin"]
    Facility.objects.filter(pk=kept.pk).update(tax_code="0100109106")
    Facility.objects.filter(pk=twin.pk).update(tax_code="0314409058")
    with pytest.raises(merges.MergeRefused) as refused:
        merges.merge_facilities(kept.pk, twin.pk, user=twins["ada"])
    assert refused.value.code == "identifier" and "0314409058" in refused.value.message("vi")
    assert Facility.objects.get(pk=twin.pk).merged_into_id is None


def test_only_the_administrators_of_both_groups_merge(twins: dict[str, Any]) -> None:
    kept, twin = twins["kept"], twins["twin"]
    for username in ("alice", "bob", "charlie", "bao"):  # an editor, a viewer, outsiders
        client = client_for(username)
        assert client.get(f"/facilities/{kept.pk}/merge").status_code == 404, username
        assert client.post(f"/facilities/{kept.pk}/merge", {"merged": twin.pk}).status_code == 404, username
    assert "/merge" not in client_for("alice").get(f"/facilities/{kept.pk}/").content.decode()
    other_group = Organisation.objects.create(name="Red River Group", kind="factory_group")
    theirs = Facility.objects.create(owner=other_group, name="Song Hong 1", province="x", sector="garment")
    with pytest.raises(Http404):  # a facility the admin cannot see: missing
        merges.merge_facilities(kept.pk, theirs.pk, user=twins["ada"])
    Membership.objects.create(user=twins["ada"], organisation=other_group, role=Membership.Role.VIEWER)
    with pytest.raises(merges.MergeRefused) as refused:
        merges.merge_facilities(kept.pk, theirs.pk, user=twins["ada"])
    assert (
        refused.value.code == "other_owner"
        and "ask an administrator of Red River Group" in refused.value.message()
    )
    Membership.objects.filter(user=twins["ada"], organisation=other_group).update(role=Membership.Role.ADMIN)
    assert merges.merge_facilities(kept.pk, theirs.pk, user=twins["ada"]).merged == theirs


def test_the_api_merges_and_answers_what_moved(twins: dict[str, Any]) -> None:
    kept, twin = twins["kept"], twins["twin"]
    token = create_token(twins["ada"], name="t", can_write=True)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json.dumps({"merged_id": twin.pk})
    answer = api.post(f"/api/facilities/{kept.pk}/merge", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "kept_id": kept.pk,
        "merged_id": twin.pk,
        "moved": {
            "assessments": 1,
            "supply_links": 1,
            "grants": 1,
            "actions": 1,
            "adoptions": 1,
            "trainings": 1,
        },
        "took": {"os_id": OS_ID},
    }
    again = api.post(f"/api/facilities/{kept.pk}/merge", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "merged"
    editor = create_token(twins["alice"], name="e", can_write=True)
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {editor}").post(
        f"/api/facilities/{kept.pk}/merge", body, content_type="application/json"
    )
    assert refused.status_code == 404


def test_lists_and_aggregates_count_the_factory_once(twins: dict[str, Any]) -> None:
    kept, twin = twins["kept"], twins["twin"]
    _assessment(kept, "2025-01-01", "2025-03-31", status="verified", verified_at=timezone.now())
    Assessment.objects.filter(pk=twins["verified"].pk).update(period_start=dt.date(2025, 4, 1))
    assert len([a for a in latest_verified_by_year(2025) if a.facility_id in (kept.pk, twin.pk)]) == 2
    merges.merge_facilities(kept.pk, twin.pk, user=twins["ada"])
    assert [a.facility_id for a in latest_verified_by_year(2025)] == [kept.pk]
    token = create_token(twins["alice"], name="t")
    listed = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/facilities").json()
    assert [f["id"] for f in listed["items"]] == [kept.pk]
    assert SupplyLink.objects.filter(buyer=twins["buyer"]).count() == 1
    assert client_for("bao").get("/suppliers/").content.decode().count("Song Hong Factory") == 1


# every foreign key to a facility, and what a merge does with it
HANDLED = {
    "assessments.Assessment.facility": "moved",
    "facilities.SupplyLink.facility": "moved, one per buyer",
    "sharing.Grant.facility": "moved; a request waiting at both kept once",
    "sharing.AccessLogEntry.facility": "kept as logged (append-only, hash-chained); shown with the kept facility",
    "sharing.SupplierInvitation.facility": "moved",
    "sharing.SupplierRow.facility": "moved",
    "actions.Action.facility": "moved (actions.receivers)",
    "actions.Adoption.facility": "moved (actions.receivers)",
    "improvement.Training.facility": "moved (improvement.receivers)",
    "facilities.Facility.merged_into": "the alias itself",
}


def test_every_foreign_key_to_a_facility_is_handled_by_the_merge() -> None:
    found = {
        f"{rel.related_model._meta.app_label}.{rel.related_model.__name__}.{rel.field.name}"
        for rel in apps.get_model("facilities", "Facility")._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and rel.is_relation  # reverse sides, "+" ones too
    }
    assert found == set(HANDLED), "a new foreign key to Facility: decide what a merge does with it"
