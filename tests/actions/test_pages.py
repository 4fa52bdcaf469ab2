"""The action-plan pages: from the results to a new action, the action's page, the plan."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from commonground.accounts.models import Membership
from commonground.actions.models import Action, ActionEvidence
from commonground.assessments.models import Assessment
from commonground.sharing.models import AccessLogEntry, Grant
from tests.actions.conftest import DRILLS, OVERTIME, grant, make_action
from tests.web.conftest import client_for, member


def _form(**overrides: Any) -> dict[str, Any]:
    return {
        "datapoint": [OVERTIME, DRILLS],
        "title": "Cap overtime and drill every shift",
        "root_cause_category": "planning",
        "root_cause": "orders accepted beyond line capacity",
        "due_date": "2099-09-30",
        "cost_estimate_vnd": "12000000",
        **overrides,
    }


def test_the_results_page_offers_an_action_per_finding_and_a_pick_form(
    cast: dict[str, Any], findings: Assessment
) -> None:
    page = client_for("alice", "en").get(f"/assessments/{findings.pk}/results/").content.decode()
    assert f'href="/assessments/{findings.pk}/actions/new?datapoint={OVERTIME}"' in page
    assert page.count('form="pick-findings"') == 2 and 'id="pick-findings"' in page
    viewer = client_for("bob", "en").get(f"/assessments/{findings.pk}/results/").content.decode()
    assert "pick-findings" not in viewer and "Create an action" not in viewer


def test_picked_findings_become_one_action(cast: dict[str, Any], findings: Assessment) -> None:
    client = client_for("alice", "en")
    form = client.get(f"/assessments/{findings.pk}/actions/new?datapoint={OVERTIME}&datapoint={DRILLS}")
    assert form.status_code == 200 and form.content.decode().count("checked") == 2
    response = client.post(f"/assessments/{findings.pk}/actions/new", _form())
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/actions/{action.pk}/"
    assert set(action.findings.values_list("datapoint", flat=True)) == {OVERTIME, DRILLS}
    assert (action.root_cause_category, action.cost_estimate_vnd, action.due_date) == (
        "planning",
        12_000_000,
        dt.date(2099, 9, 30),
    )


def test_bad_input_is_explained_beside_the_field_in_vietnamese(
    cast: dict[str, Any], findings: Assessment
) -> None:
    client = client_for("alice", "vi")
    response = client.post(
        f"/assessments/{findings.pk}/actions/new", _form(datapoint=[], title="", cost_estimate_vnd="-5")
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Action.objects.exists()
    assert "Hãy chọn ít nhất một phát hiện của bản đánh giá này." in page
    assert "Trường này là bắt buộc." in page  # the empty title, in Django's own Vietnamese


def test_the_action_page_edits_comments_and_attaches(
    cast: dict[str, Any], findings: Assessment, settings: Any
) -> None:
    action = make_action(cast, findings)
    client = client_for("alice", "en")
    assert client.post(f"/actions/{action.pk}/comment", {"text": "Shift plan drafted"}).status_code == 302
    upload = io.BytesIO(b"%PDF-1.4 time cards")
    upload.name = "time-cards.pdf"
    assert client.post(f"/actions/{action.pk}/evidence", {"file": upload, "note": "March"}).status_code == 302
    edited = client.post(f"/actions/{action.pk}/edit", {**_form(), "title": "Cap overtime at 40 h"})
    assert edited.status_code == 302
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Shift plan drafted" in page and "time-cards.pdf" in page and "Cap overtime at 40 h" in page
    evidence = ActionEvidence.objects.get()
    download = client.get(f"/action-evidence/{evidence.pk}/download")
    assert download["Content-Disposition"].startswith("attachment") and b"".join(
        download.streaming_content
    ) == (  # type: ignore[attr-defined]
        b"%PDF-1.4 time cards"
    )


def test_a_refused_file_is_explained(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    upload = io.BytesIO(b"MZ not a pdf")
    upload.name = "proof.pdf"
    response = client_for("alice", "vi").post(f"/actions/{action.pk}/evidence", {"file": upload})
    assert (
        response.status_code == 400
        and "nội dung tệp không khớp với tên tệp (proof.pdf)" in response.content.decode()
    )
    assert not ActionEvidence.objects.exists()


def test_status_buttons_follow_the_role(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    alice = client_for("alice", "en")
    assert alice.post(f"/actions/{action.pk}/status", {"status": "done"}).status_code == 302
    page = alice.get(f"/actions/{action.pk}/").content.decode()
    assert 'value="verified"' not in page and 'value="in_progress"' in page
    victor = client_for("victor", "en")
    assert "Confirm closure" in victor.get(f"/actions/{action.pk}/").content.decode()
    refused = alice.post(f"/actions/{action.pk}/status", {"status": "cancelled"})
    assert refused.status_code == 400 and "Say why: this change needs a reason." in refused.content.decode()
    assert victor.post(f"/actions/{action.pk}/status", {"status": "verified"}).status_code == 302
    assert Action.objects.get().status == "verified"


def test_the_plan_filters_by_status(cast: dict[str, Any], findings: Assessment) -> None:
    make_action(cast, findings, title="Cap overtime")
    done = make_action(cast, findings, DRILLS, title="Hold a fire drill")
    client = client_for("bob", "en")
    client_for("alice").post(f"/actions/{done.pk}/status", {"status": "done"})
    plan = client.get(f"/facilities/{cast['facility'].pk}/actions/").content.decode()
    assert "Cap overtime" in plan and "Hold a fire drill" in plan
    only_done = client.get(f"/facilities/{cast['facility'].pk}/actions/?status=done").content.decode()
    assert "Cap overtime" not in only_done and "Hold a fire drill" in only_done


def test_a_grantee_on_the_plan_reads_it_and_each_read_is_logged(
    cast: dict[str, Any], findings: Assessment
) -> None:
    member("bao", cast["buyer"], Membership.Role.VIEWER)
    grant(cast, Grant.Content.ACTION_PLAN)
    action = make_action(cast, findings)
    client = client_for("bao", "vi")
    plan = client.get(f"/facilities/{cast['facility'].pk}/actions/").content.decode()
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Cap overtime" in plan and "Cơ sở thấy việc bạn đọc trang này." in page
    assert f"/actions/{action.pk}/comment" not in page and f"/actions/{action.pk}/edit" not in page
    assert 'name="status"' not in page  # a viewer of the buyer only reads
    assert list(AccessLogEntry.objects.values_list("read__channel", flat=True)) == ["page", "page"]


def test_the_facility_page_links_to_the_plan_with_the_overdue_count(
    cast: dict[str, Any], findings: Assessment
) -> None:
    make_action(cast, findings, due_date=dt.date.today() - dt.timedelta(days=1))
    page = client_for("bob", "vi").get(f"/facilities/{cast['facility'].pk}/").content.decode()
    assert f'href="/facilities/{cast["facility"].pk}/actions/"' in page and "1 việc quá hạn" in page


def test_the_shared_page_links_to_the_plan_only_under_a_grant_on_it(
    cast: dict[str, Any], findings: Assessment
) -> None:
    member("bao", cast["buyer"], Membership.Role.VIEWER)
    results = grant(cast, Grant.Content.RESULTS)
    link = f'href="/facilities/{cast["facility"].pk}/actions/"'
    client = client_for("bao", "en")
    assert link not in client.get(f"/shared/{cast['facility'].pk}/").content.decode()
    results.content = Grant.Content.ACTION_PLAN
    results.save()
    assert link in client.get(f"/shared/{cast['facility'].pk}/").content.decode()


def test_the_verifier_reaches_the_actions_from_the_results(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings)
    page = client_for("victor", "en").get(f"/assessments/{findings.pk}/results/").content.decode()
    assert (
        f'href="/actions/{action.pk}/"' in page
        and f'href="/facilities/{cast["facility"].pk}/actions/"' in page
    )
    assert "pick-findings" not in page


def test_a_grantee_downloads_the_evidence_and_the_read_is_logged(
    cast: dict[str, Any], findings: Assessment
) -> None:
    from commonground.actions.evidence import attach_evidence

    member("bao", cast["buyer"], Membership.Role.EDITOR)
    grant(cast, Grant.Content.ACTION_PLAN)
    action = make_action(cast, findings)
    evidence = attach_evidence(
        action.pk, io.BytesIO(b"%PDF-1 x"), name="drill.pdf", size=8, user=cast["alice"]
    )
    response = client_for("bao", "en").get(f"/action-evidence/{evidence.pk}/download")
    assert b"".join(response.streaming_content) == b"%PDF-1 x"  # type: ignore[attr-defined]
    assert AccessLogEntry.objects.get().what == f"action {action.pk} evidence: drill.pdf"
