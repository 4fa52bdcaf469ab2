"""Locks are real (issue 12, point 4; decision 0013): every route that can change an assessment
respects its state. A submitted assessment takes no change from the factory until the verifier
returns it (then it does again); a verified one takes none from anyone, the verifier included.
A refused change leaves the database and the evidence folder exactly as they were, and says why:
the page in the reader's language, the API in its one JSON error shape (409 `locked`).

The routes are enumerated, not listed by hand: every page whose URL names an assessment or
evidence, every writing operation (POST, PUT, PATCH, DELETE) of the OpenAPI schema, every
management command and every `commonground` command. Each one is driven below or excluded with
its reason, so a new writing route fails this test until someone decides which it is."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import get_commands
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.html import escape

from commonground import cli
from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.accounts.tokens import create_token
from commonground.assessments import services, verification
from commonground.assessments.evidence import attach_evidence
from commonground.assessments.models import Answer, AnswerChange, Assessment, Evidence, VerificationRecord
from commonground.common.storage import evidence_storage
from commonground.config.api import api
from commonground.core.imports.template import write_template
from commonground.core.questionnaire import build_questionnaire
from tests.web.conftest import client_for

OVERTIME, DRILLS, WORKERS = (
    "working_time.overtime_hours_month_max",
    "fire_safety.evacuation_drills_year",
    "facility.workers_total",
)

# ---- the routes, each driven or excluded with its reason --------------------------------------------

Send = Callable[[Client, Assessment, dict[str, Any]], Any]


def _pdf(name: str = "late.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7 late", content_type="application/pdf")


def _apply_import(client: Client, a: Assessment, w: dict[str, Any]) -> Any:
    """An upload kept as the import page keeps it (our template, one answer), then applied."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.xlsx"
        write_template(build_questionnaire(library()), path, "vi", answers={OVERTIME: 61})
        with path.open("rb") as upload:
            stored = evidence_storage().save(f"imports/{a.pk}/answers.xlsx", File(upload))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job runs here (Huey's immediate mode)
        return client.post(f"/assessments/{a.pk}/import/apply", {"stored": stored, "name": "answers.xlsx"})


# Page routes (URL name -> the POST that tries to change the assessment).
PAGE_SENDS: dict[str, Send] = {
    "answer": lambda c, a, w: c.post(f"/assessments/{a.pk}/answer", {"datapoint": OVERTIME, "value": "61"}),
    "evidence_upload": lambda c, a, w: c.post(f"/assessments/{a.pk}/evidence", {"file": _pdf()}),
    "copy_forward": lambda c, a, w: c.post(f"/assessments/{a.pk}/copy-forward"),
    "submit": lambda c, a, w: c.post(f"/assessments/{a.pk}/submit", {"confirm": "1"}),
    "choose_verifier": lambda c, a, w: c.post(
        f"/assessments/{a.pk}/verifier", {"verifier": w["other_verifier"].pk}
    ),
    "assessment_delete": lambda c, a, w: c.post(f"/assessments/{a.pk}/delete"),
    "apply_import": _apply_import,
    "new_version": lambda c, a, w: c.post(f"/assessments/{a.pk}/new-version"),
    "verify": lambda c, a, w: c.post(
        f"/assessments/{a.pk}/verify", {"datapoint": DRILLS, "method": "observation", "corrected": "5"}
    ),
    "complete": lambda c, a, w: c.post(f"/assessments/{a.pk}/complete"),
    "verification_confirm": lambda c, a, w: c.post(
        f"/assessments/{a.pk}/verification/confirm", {"datapoint": [DRILLS], "method": "observation"}
    ),
    "verification_correct": lambda c, a, w: c.post(
        f"/assessments/{a.pk}/verification/correct",
        {"datapoint": DRILLS, "value": "5", "method": "observation"},
    ),
    "verification_complete": lambda c, a, w: c.post(f"/assessments/{a.pk}/verification/complete"),
    "verification_return": lambda c, a, w: c.post(
        f"/assessments/{a.pk}/verification/return", {"comment": "Attach the drill records"}
    ),
}

# Pages whose URL names an assessment or evidence but that change no assessment. Each is still
# POSTed to below (factory and verifier, on a verified assessment) and must change nothing.
PAGES_EXCLUDED = {
    "assessment": "the answer page: shows, never stores (its forms post to the routes above)",
    "import_answers": "an import's preview: keeps the upload aside, stores no answer (apply_import does)",
    "assessment_template": "a download: the questionnaire workbook, pre-filled",
    "assessment_xlsform": "a download: the offline form and its import profile",
    "results_xlsx": "a download: results and findings",
    "findings_csv": "a download: the findings",
    "report_pdf": "a download: the facility report (PDF)",
    "report_xlsx": "a download: the facility report (XLSX)",
    "state_form_xlsx": "a download: the labour-law self-inspection form, filled",
    "state_form_pdf": "a download: the labour-law self-inspection form, filled",
    "report_job": "starts a job that writes the facility report (a download); reads the assessment only",
    "state_form_job": "starts a job that writes the filled state form (a download); reads the assessment only",
    "results": "results, computed when asked",
    "framework_results": "one framework's results",
    "history": "the change history, read only",
    "verification": "the verifier's review page, read only (its forms post to the routes above)",
    "evidence_download": "a download",
    "shared_evidence": "a grantee's download",
    "assessment_new": "creates a new draft for a new period; never touches an existing assessment",
    "action_new": "a corrective action on the findings: the action plan, not the assessment's answers",
    "action_evidence": "a file on a corrective action, not on the assessment",
    "action_evidence_download": "a download",
}


def _api(method: str, url: str, body: Any = None) -> Send:
    def send(client: Client, a: Assessment, w: dict[str, Any]) -> Any:
        path = "/api" + url.format(a=a.pk, other_verifier=w["other_verifier"].pk)
        if method == "POST" and body == "file":
            return client.post(path, {"file": _pdf()})
        data = json.dumps(body or {})
        return client.generic(method, path, data, content_type="application/json")

    return send


# API writing operations ("METHOD path" as in the OpenAPI schema -> the request).
API_SENDS: dict[str, Send] = {
    "DELETE /api/assessments/{assessment_id}": _api("DELETE", "/assessments/{a}"),
    "PUT /api/assessments/{assessment_id}/answers/{datapoint}": _api(
        "PUT", f"/assessments/{{a}}/answers/{OVERTIME}", {"value": 61}
    ),
    "POST /api/assessments/{assessment_id}/evidence": _api("POST", "/assessments/{a}/evidence", "file"),
    "POST /api/assessments/{assessment_id}/verification/confirm": _api(
        "POST", "/assessments/{a}/verification/confirm", {"datapoints": [DRILLS], "method": "observation"}
    ),
    "POST /api/assessments/{assessment_id}/verification/correct": _api(
        "POST",
        "/assessments/{a}/verification/correct",
        {"datapoint": DRILLS, "value": 5, "method": "observation"},
    ),
    "POST /api/assessments/{assessment_id}/verification/complete": _api(
        "POST", "/assessments/{a}/verification/complete"
    ),
    "POST /api/assessments/{assessment_id}/verification/return": _api(
        "POST", "/assessments/{a}/verification/return", {"comment": "Attach the drill records"}
    ),
}

# Writing operations of the API that change no existing assessment's content.
API_EXCLUDED = {
    "POST /api/facilities/{facility_id}/assessments": "creates a new draft for a new period",
    "POST /api/assessments/{assessment_id}/report/jobs": "starts a job that writes the facility report: reads only",
    "POST /api/assessments/{assessment_id}/actions": "a corrective action: the plan, not the answers",
    "PATCH /api/actions/{action_id}": "a corrective action",
    "POST /api/actions/{action_id}/status": "a corrective action",
    "POST /api/actions/{action_id}/comments": "a corrective action",
    "POST /api/facilities/{facility_id}/trainings": "a training record of the facility",
    "POST /api/facilities/{facility_id}/grants": "a grant: who may read, not what was answered",
    "POST /api/grants/{grant_id}/decision": "a grant",
    "POST /api/grants/{grant_id}/revoke": "a grant",
    "POST /api/facilities/{facility_id}/grant-requests": "a grant request",
    "POST /api/grant-requests": "grant requests",
    "POST /api/supplier-lists": "a buyer's supplier list, matched: no assessment",
    "POST /api/supplier-lists/{list_id}/apply": "suppliers linked and factories invited: no assessment",
    "POST /api/supplier-lists/{list_id}/grant-requests": "grant requests",
    "POST /api/facilities/{facility_id}/merge": (
        "moves a duplicate record's assessments, their content unchanged, to the kept record of the "
        "same factory (decision 0040)"
    ),
}

# Commands: none loads an assessment file into the database or writes answers of an existing
# assessment (`commonground import` writes an assessment file; the web's import is apply_import).
COMMANDS_EXCLUDED = {
    "seed_demo": "writes only the demo's own rows (--reset erases the whole database first)",
    "restore": "fills an empty database only (decision 0017)",
    "backup": "reads",
    "verify_access_log": "reads",
    "send_action_digest": "e-mails due corrective actions",
    "api_token": "API tokens",
    "seal_access_log": "seals the access log's reads",
    "checkpoint_access_log": "signs the access log's head",
    "refresh_snapshots": "computes sector snapshots from the answers",
    "serve": "starts the web server and the job worker",
}
CLI_EXCLUDED = {
    "library-check": "reads library files, no database",
    "evaluate": "evaluates an assessment file and prints; no database",
    "questionnaire": "prints a questionnaire; no database",
    "crosswalk": "prints a crosswalk; no database",
    "demo": "evaluates the bundled samples; no database",
    "import": "reads a file and writes an assessment file; no database",
    "facilities": "matches facility lists and prints; no database",
    "xlsform": "writes an offline form and its import profile; no database",
    "report": "writes the facility report of an assessment file (PDF or XLSX); no database",
    "state-form": "fills a state form from an assessment file and writes it; no database",
}

FACTORY_ROUTES = {
    "answer",
    "evidence_upload",
    "copy_forward",
    "submit",
    "choose_verifier",
    "assessment_delete",
    "apply_import",
    "DELETE /api/assessments/{assessment_id}",
    "PUT /api/assessments/{assessment_id}/answers/{datapoint}",
    "POST /api/assessments/{assessment_id}/evidence",
}
VERIFIER_ROUTES = (set(PAGE_SENDS) | set(API_SENDS)) - FACTORY_ROUTES - {"new_version"}

# What the page says when a route is refused by the lock: (English words, when submitted / verified).
LOCKED_WORDS = {
    "submitted": "This assessment is with the verifier: it takes no change until the verifier returns it.",
    "verified": "This assessment is verified and locked: a change needs a new version.",
}
PAGE_WORDS = {
    "submit": "This assessment was already submitted.",
    "assessment_delete": "Only a draft can be deleted.",
    "new_version": "Only a verified assessment gets a new version.",
    "verify": "This answer cannot be verified now: choose a method, on a submitted assessment.",
}
VERIFICATION_WORDS = "Only a submitted assessment can be verified or returned."
PAGE_WORDS["complete"] = VERIFICATION_WORDS


def _words(route: str, state: str) -> str:
    if route == "choose_verifier" and state == "submitted":
        return "The invited verifier body is verifying this assessment now."
    if route.startswith("verification_"):
        return VERIFICATION_WORDS
    return PAGE_WORDS.get(route, LOCKED_WORDS.get(state, ""))


# ---- the enumeration ---------------------------------------------------------------------------------


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/"):
                continue  # the API is enumerated from its OpenAPI schema
            yield from _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, route


def page_routes() -> dict[str, str]:
    """Every named page whose URL names an assessment or evidence: name -> route."""
    found = dict(_patterns(get_resolver().url_patterns))
    return {name: route for name, route in found.items() if "assessment" in route or "evidence" in route}


def api_writes() -> set[str]:
    """Every writing operation of the API, as "METHOD /api/path"."""
    paths = api.get_openapi_schema()["paths"]
    return {
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }


def test_every_writing_route_is_driven_here_or_excluded_with_its_reason() -> None:
    pages = page_routes()
    assert set(pages) - set(PAGE_SENDS) - set(PAGES_EXCLUDED) == set(), "a new page: drive it or exclude it"
    assert set(PAGE_SENDS) | set(PAGES_EXCLUDED) <= set(pages), "a route listed here no longer exists"
    writes = api_writes()
    assert writes - set(API_SENDS) - set(API_EXCLUDED) == set(), "a new API write: drive it or exclude it"
    assert set(API_SENDS) <= writes, "a route listed here no longer exists"
    ours = {name for name, app in get_commands().items() if app.startswith("commonground")}
    assert ours == set(COMMANDS_EXCLUDED), "a new management command: may it change an assessment?"
    typer = {c.name or (c.callback.__name__ if c.callback else "") for c in cli.app.registered_commands}
    typer |= {g.name or "" for g in cli.app.registered_groups}
    assert {n.replace("_", "-") for n in typer} <= set(CLI_EXCLUDED) | {"library"}


# ---- the assessment in each state ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def world(cast: dict[str, Any], assessment: Assessment) -> dict[str, Any]:
    """Last year's verified assessment (something to copy forward) and a second verifier body."""
    earlier = Assessment.objects.create(
        facility=cast["facility"],
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        status=Assessment.Status.VERIFIED,
        created_by=cast["alice"],
    )
    Answer.objects.create(assessment=earlier, datapoint=WORKERS, value=790, updated_by=cast["alice"])
    other = Organisation.objects.create(name="Other Verify", kind=Organisation.Kind.VERIFIER_BODY)
    return {**cast, "other_verifier": other}


def in_state(world: dict[str, Any], assessment: Assessment, state: str) -> Assessment:
    """The assessment with two answers and a file, moved to `state` through the services."""
    alice, victor = world["alice"], world["victor"]
    services.save_answer(assessment.pk, OVERTIME, 44, user=alice)
    services.save_answer(assessment.pk, DRILLS, 2, user=alice)
    attach_evidence(
        assessment.pk,
        io.BytesIO(b"%PDF-1.7 drills"),
        name="drills.pdf",
        size=15,
        user=alice,
        datapoint=DRILLS,
    )
    if state != "draft":
        services.submit_assessment(assessment.pk, user=alice)
    if state == "returned":
        verification.return_assessment(assessment.pk, user=victor, comment="Attach the time cards")
    if state == "verified":
        verification.confirm_answers(assessment.pk, "all", user=victor, method="document_review")
        verification.complete_verification(assessment.pk, user=victor)
    assessment.refresh_from_db()
    assert assessment.status == state
    return assessment


def content(assessment_id: int, root: Path) -> dict[str, Any]:
    """Everything a change could touch: the row, its answers, history, records, evidence and files."""
    folder = root / str(assessment_id)
    return {
        "row": Assessment.objects.filter(pk=assessment_id)
        .values("status", "version", "verifier_id", "submitted_at", "verified_at", "returned_comment")
        .first(),
        "answers": sorted(
            Answer.objects.filter(assessment_id=assessment_id).values_list(
                "datapoint", "value", "verification", "reported_value", "method", "note", "updated_at"
            )
        ),
        "changes": AnswerChange.objects.filter(assessment_id=assessment_id).count(),
        "records": VerificationRecord.objects.filter(assessment_id=assessment_id).count(),
        "evidence": sorted(Evidence.objects.filter(assessment_id=assessment_id).values_list("pk", flat=True)),
        "files": sorted(p.name for p in folder.iterdir()) if folder.exists() else [],
    }


def _page_client(user: str) -> Client:
    return client_for(user, "vi")


def _api_client(user: Any) -> Client:
    token = create_token(user, name="locks", can_write=True)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="vi")


# ---- who may change what, when ------------------------------------------------------------------------


def expected(route: str, state: str, actor: str) -> str:
    """ "changes", "locked" or "not_found" (no write access at all: 404 before any word on the state)."""
    if route == "new_version":
        if actor == "verifier":
            return "not_found"
        return "changes" if state == "verified" else "locked"
    if route in FACTORY_ROUTES:
        if actor == "verifier":
            return "not_found"
        if route == "assessment_delete" or route.startswith("DELETE"):
            return "locked"  # only a draft is ever deleted
        return "changes" if state == "returned" else "locked"
    if actor == "factory":
        return "not_found"
    return "changes" if state == "submitted" else "locked"


def _cases() -> Iterator[Any]:
    for route in [*PAGE_SENDS, *API_SENDS]:
        verifier_route = route in VERIFIER_ROUTES
        owner = "verifier" if verifier_route else "factory"
        for state in ("submitted", "returned", "verified"):
            yield pytest.param(route, state, owner, id=f"{route}-{state}-{owner}")
        other = "factory" if verifier_route else "verifier"
        yield pytest.param(route, "verified", other, id=f"{route}-verified-{other}")
        if verifier_route:
            yield pytest.param(route, "submitted", "factory", id=f"{route}-submitted-factory")


@pytest.mark.parametrize(("route", "state", "actor"), list(_cases()))
def test_each_route_respects_the_state(
    world: dict[str, Any], assessment: Assessment, settings: Any, route: str, state: str, actor: str
) -> None:
    item = in_state(world, assessment, state)
    if route.endswith("complete") and state == "submitted":  # every answer reviewed: completion may go
        verification.confirm_answers(item.pk, "all", user=world["victor"], method="observation")
    user = world["alice"] if actor == "factory" else world["victor"]
    is_api = route in API_SENDS
    client = _api_client(user) if is_api else _page_client(user.username)
    before = content(item.pk, Path(settings.EVIDENCE_ROOT))
    send = API_SENDS[route] if is_api else PAGE_SENDS[route]
    response = send(client, item, world)
    after = content(item.pk, Path(settings.EVIDENCE_ROOT))
    outcome = expected(route, state, actor)
    assert response.status_code < 500
    if outcome == "changes":
        if route == "new_version":  # the verified assessment stays as it is; the change is a new draft
            assert after == before and Assessment.objects.filter(previous=item, status="draft").exists()
        else:
            assert after != before, f"{route} changed nothing in a {state} assessment"
        return
    assert after == before, f"{route} changed a {state} assessment"
    if outcome == "not_found":
        assert response.status_code == 404
        if is_api:
            assert response.json()["code"] == "not_found"
        return
    if is_api:
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["code"] == "locked" and body["message"] == "không thể thay đổi bản đánh giá này nữa"
        return
    _says(client, response, _words(route, state))


def _says(client: Client, response: Any, english: str) -> None:
    """The page refused with its message in the reader's language (Vietnamese here)."""
    assert response.status_code == 302, response.status_code
    with translation.override("vi"):
        vietnamese = translation.gettext(english)
    assert vietnamese != english, f"no Vietnamese for {english!r}"
    page = client.get(response["Location"]).content.decode()
    assert escape(vietnamese) in page, vietnamese


def test_a_refused_file_is_not_shown_to_a_buyer_under_the_verified_version(
    world: dict[str, Any], assessment: Assessment, settings: Any
) -> None:
    """The reported defect: evidence added to a verified assessment (API 201, page 302) and seen by
    a buyer under the verified version. Both routes refuse, and the buyer's view has the one file."""
    from commonground.sharing import services as sharing
    from commonground.sharing.shared import read_shared
    from tests.web.conftest import member

    item = in_state(world, assessment, "verified")
    alice = world["alice"]
    late = {"file": _pdf(), "datapoint": DRILLS}
    assert _api_client(alice).post(f"/api/assessments/{item.pk}/evidence", late).status_code == 409
    late = {"file": _pdf(), "datapoint": DRILLS}
    assert _page_client("alice").post(f"/assessments/{item.pk}/evidence", late).status_code == 302
    sharing.grant_unasked(
        world["facility"].pk,
        user=alice,
        grantee_id=world["buyer"].pk,
        scope="both",
        content="answers",
        purpose="due diligence",
        expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
    )
    bao = member("bao", world["buyer"], "editor")
    view = read_shared(world["facility"].pk, user=bao, lang="en", channel="page")
    assert view.assessment is not None and view.assessment.pk == item.pk
    assert [e.original_name for e in view.evidence] == ["drills.pdf"]


def test_excluded_pages_change_nothing_when_posted_to(
    world: dict[str, Any], assessment: Assessment, settings: Any
) -> None:
    """A POST to any excluded page, by the factory or the verifier, leaves a verified assessment as it was."""
    item = in_state(world, assessment, "verified")
    evidence = Evidence.objects.get(assessment=item)
    values = {
        "assessment_id": item.pk,
        "evidence_id": evidence.pk,
        "facility_id": world["facility"].pk,
        "framework_id": "sa8000",
    }
    before = content(item.pk, Path(settings.EVIDENCE_ROOT))
    clients = [_page_client("alice"), _page_client("victor")]
    tried = 0
    for name, route in page_routes().items():
        if name not in PAGES_EXCLUDED or "action_id" in route:
            continue  # routes of a corrective action name no assessment
        url = "/" + route
        for key, value in values.items():
            url = url.replace(f"<int:{key}>", str(value)).replace(f"<str:{key}>", str(value))
        for client in clients:
            response = client.post(url, {"datapoint": OVERTIME, "value": "99", "file": _pdf()})
            assert response.status_code < 500, (url, response.status_code)
            if response.streaming:  # a download: read to its end, which closes its file
                b"".join(response.streaming_content)
            tried += 1
    assert tried >= 16
    assert content(item.pk, Path(settings.EVIDENCE_ROOT)) == before
