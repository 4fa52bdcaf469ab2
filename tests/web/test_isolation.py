"""Isolation, proven: every role against every kind of object, on pages and on the API.

An unrelated organisation gets 404, never 403, so that existence is not revealed."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from commonground.accounts.models import Membership
from commonground.accounts.tokens import create_token
from commonground.assessments.evidence import attach_evidence
from commonground.jobs.services import enqueue
from commonground.sharing.onboarding import upload_supplier_list
from tests.web.conftest import PASSWORD

USERS = ("alice", "bob", "victor", "vera", "charlie", "bao")  # vera: a viewer of victor's verifier body
# url template -> who may open it (everyone else must get 404)
PAGES = {
    "/facilities/{f}/": {"alice", "bob"},
    "/facilities/{f}/edit": {"alice"},
    "/facilities/{f}/merge": set(),  # the group's administrators only (none in this cast)
    "/facilities/{f}/sharing/": {"alice", "bob"},
    "/facilities/{f}/access-log.csv": {"alice", "bob"},
    "/assessments/{a}/": {"alice", "bob", "victor", "vera"},
    "/assessments/{a}/results/": {"alice", "bob", "victor", "vera"},
    "/assessments/{a}/results/vn-labour-code-2019/": {"alice", "bob", "victor", "vera"},
    "/assessments/{a}/history/": {"alice", "bob", "victor", "vera"},
    "/assessments/{a}/verification/": {"victor", "vera"},  # the invited verifier body (vera reads only)
    "/assessments/{a}/delete": {"alice"},  # the confirm step: the facility's editors
    "/verification/": set(USERS),  # each their own worklist
    "/evidence/{e}/download": {"alice", "bob", "victor", "vera"},
    "/organisations/{o}/": set(),  # only the group's administrators (none in this cast)
    "/shared/{f}/": set(),  # only grantees with a grant in force
    "/shared/{f}/evidence/{e}": set(),  # and only when the grant shares answers and evidence
    "/suppliers/": {"bao"},  # a buyer's own lists only
    "/portfolio/": {"bao"},
    "/portfolio.csv": {"bao"},
    "/suppliers/onboarding/": {"bao"},  # a buyer's editors only
    "/suppliers/onboarding/{sl}/": {"bao"},
    "/account/tokens/": set(USERS),  # each their own tokens
    "/jobs/{j}/": {"alice"},  # who started it, and the admins of its organisation (none in this cast)
}
API = {
    "/api/facilities/{f}": {"alice", "bob"},
    "/api/facilities/{f}/assessments": {"alice", "bob"},
    "/api/assessments/{a}": {"alice", "bob", "victor", "vera"},
    "/api/assessments/{a}/answers": {"alice", "bob", "victor", "vera"},
    "/api/assessments/{a}/results": {"alice", "bob", "victor", "vera"},
    "/api/assessments/{a}/findings": {"alice", "bob", "victor", "vera"},
    "/api/facilities/{f}/grants": {"alice", "bob"},
    "/api/facilities/{f}/access-log": {"alice", "bob"},
    "/api/facilities/{f}/access-log/seal": {"alice", "bob"},
    "/api/assessments/{a}/evidence": {"alice", "bob", "victor", "vera"},
    "/api/verification/assessments": set(USERS),  # each their own worklist (empty but victor's)
    "/api/evidence/{e}/download": {"alice", "bob", "victor", "vera"},
    "/api/shared/{f}": set(),  # only grantees with a grant in force
    "/api/shared/{f}/evidence/{e}": set(),
    "/api/jobs/{j}": {"alice"},
    "/api/supplier-lists/{sl}": {"bao"},
}
# changes only the invited verifier body may ask for (it gets 409 here: the assessment is a draft)
VERIFY_POSTS = {
    "/api/assessments/{a}/verification/confirm": {"datapoints": "all", "method": "observation"},
    "/api/assessments/{a}/verification/correct": {
        "datapoint": "facility.workers_total",
        "value": 1,
        "method": "observation",
    },
    "/api/assessments/{a}/verification/complete": {},
    "/api/assessments/{a}/verification/return": {"comment": "please correct"},
}
VERIFY_PAGES = ("confirm", "correct", "complete", "return")


@pytest.fixture
def world(cast: dict[str, Any], assessment: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    from tests.web.conftest import member

    settings.EVIDENCE_ROOT = tmp_path
    bao = member("bao", cast["buyer"], Membership.Role.ADMIN)  # a buyer with no grant from this facility
    member("vera", cast["verifiers"], Membership.Role.VIEWER)  # reads what her body verifies
    evidence = attach_evidence(
        assessment.pk, io.BytesIO(b"%PDF-1 x"), name="a.pdf", size=8, user=cast["alice"]
    )
    job = enqueue("action_digest", user=cast["alice"], organisation=cast["facility"].owner)
    ids = {"f": cast["facility"].pk, "a": assessment.pk, "e": evidence.pk, "o": cast["facility"].owner_id}
    ids["j"] = job.pk
    listed = b"name,address,country\nSong Hong Factory 1,,VN\n"
    ids["sl"] = upload_supplier_list(io.BytesIO(listed), name="l.csv", size=len(listed), user=bao).pk
    return {"ids": ids, **cast}


@pytest.mark.parametrize("username", USERS)
def test_pages(world: dict[str, Any], username: str) -> None:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    for template, allowed in PAGES.items():
        url = template.format(**world["ids"])
        expected = 200 if username in allowed else 404
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined] # read a download to its end
        assert response.status_code == expected, (username, url)


@pytest.mark.parametrize("username", USERS)
def test_api(world: dict[str, Any], username: str) -> None:
    token = create_token(world[username] if username in world else _user(username), name="matrix")
    for template, allowed in API.items():
        url = template.format(**world["ids"])
        response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        expected = 200 if username in allowed else 404
        assert response.status_code == expected, (username, url)


def _user(username: str) -> Any:
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


@pytest.mark.parametrize("username", USERS)
def test_access_is_asked_only_by_a_buyer_of_the_facility(world: dict[str, Any], username: str) -> None:
    """The bulk request (page and API) exists for the buyer's editors only; anyone else gets 403
    (before any facility is looked at: the answer tells nothing about them) and nothing is written."""
    import datetime as dt

    from commonground.sharing.models import Grant

    until = dt.date.today() + dt.timedelta(days=30)
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    form = {"facility": [world["ids"]["f"]], "scope": "both", "content": "results", "purpose": "dd"}
    page = client.post("/suppliers/ask", {**form, "expires": until.isoformat()})
    token = create_token(world[username] if username in world else _user(username), name="m", can_write=True)
    body = {"facility_ids": [world["ids"]["f"]], "scope": "both", "content": "results", "purpose": "dd"}
    api = Client().post(
        "/api/grant-requests",
        json.dumps({**body, "expires_at": f"{until.isoformat()}T00:00:00Z"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    if username == "bao":
        assert page.status_code == 302 and api.status_code == 200
        assert api.json()["skipped"] == [{"facility_id": world["ids"]["f"], "reason": "pending"}]
        assert Grant.objects.filter(status="requested").count() == 1
    else:
        assert (page.status_code, api.status_code) == (403, 403), username
        assert api.json()["code"] == "not_a_buyer" and "Chỉ nhãn hàng mới" in page.content.decode()
        assert not Grant.objects.exists()


@pytest.mark.parametrize("username", USERS)
def test_only_the_invited_verifier_body_may_verify_and_only_editors_create_or_delete(
    world: dict[str, Any], username: str
) -> None:
    token = create_token(world[username] if username in world else _user(username), name="m", can_write=True)
    for template, body in VERIFY_POSTS.items():
        url = template.format(**world["ids"])
        response = Client().post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        expected = 409 if username == "victor" else 404
        assert response.status_code == expected, (username, url, response.content)
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    for step in VERIFY_PAGES:
        response = client.post(
            f"/assessments/{world['ids']['a']}/verification/{step}", {"method": "observation"}
        )
        assert (response.status_code == 404) is (username != "victor"), (username, step)
    create = f"/api/facilities/{world['ids']['f']}/assessments"
    same_period = {"period_start": "2026-01-01", "period_end": "2026-12-31"}  # alice: 422, it exists
    response = Client().post(
        create, same_period, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == (422 if username == "alice" else 404), (username, create)
    for refused in ("bob", "victor", "charlie", "bao"):
        if username == refused:
            url = f"/api/assessments/{world['ids']['a']}"
            assert Client().delete(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
            assert client.post(f"/assessments/{world['ids']['a']}/delete").status_code == 404


def test_a_viewer_of_the_verifier_body_reads_the_verification_page_without_its_buttons(
    world: dict[str, Any],
) -> None:
    """Her worklist links to the page (never a 404); she sees every answer and what is pending, and
    no form to confirm, correct, return or complete; her read is in the facility's access log."""
    from commonground.assessments import services
    from commonground.sharing.models import AccessLogEntry

    a = world["ids"]["a"]
    services.save_answer(a, "fire_safety.evacuation_drills_year", 2, user=world["alice"])
    services.submit_assessment(a, user=world["alice"])
    pages = {}
    for username in ("victor", "vera"):
        client = Client()
        client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        worklist = client.get("/verification/").content.decode()
        assert f'href="/assessments/{a}/verification/"' in worklist, username
        pages[username] = client.get(f"/assessments/{a}/verification/").content.decode()
    for form in ("confirm", "correct", "complete", "return"):
        assert f"/assessments/{a}/verification/{form}" in pages["victor"]
        assert f"/assessments/{a}/verification/{form}" not in pages["vera"]
    assert 'id="read-only"' in pages["vera"] and 'id="read-only"' not in pages["victor"]
    assert "fire_safety.evacuation_drills_year" in pages["vera"]  # every answer, pending ones listed
    assert AccessLogEntry.objects.filter(read__reader=_user("vera"), what__contains="verification").exists()
    vera = Client()
    vera.post("/accounts/login/", {"username": "vera", "password": PASSWORD})
    for step, form in (
        ("confirm", {"method": "x" * 5000}),
        ("correct", {"datapoint": "fire_safety.evacuation_drills_year", "value": "1e300", "method": "?"}),
        ("return", {"comment": ""}),
        ("complete", {}),
    ):
        assert vera.post(f"/assessments/{a}/verification/{step}", form).status_code == 404, step
    assert services.Answer.objects.get(assessment_id=a).verification == "pending"


@pytest.mark.parametrize("username", USERS)
def test_no_one_lists_or_revokes_another_persons_token(world: dict[str, Any], username: str) -> None:
    from django.contrib.auth.models import User

    from commonground.accounts.models import ApiToken

    owner = User.objects.create_user("tokenowner", password=PASSWORD)
    create_token(owner, name="owners-token", can_write=True)
    theirs = ApiToken.objects.get(name="owners-token")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world[username] if username in world else _user(username))
    assert "owners-token" not in client.get("/account/tokens/").content.decode()
    csrf = client.cookies["csrftoken"].value
    revoke = client.post(f"/account/tokens/{theirs.pk}/revoke", {"csrfmiddlewaretoken": csrf})
    assert revoke.status_code == 404 and ApiToken.objects.get(pk=theirs.pk).revoked_at is None
