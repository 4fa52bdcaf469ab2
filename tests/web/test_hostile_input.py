"""No input reaches a server error: every page form and every API operation, driven with the catalogue
of tests/hostile.py (over-length text, lone surrogates, bidi and zero-width characters, NUL, 1e400,
NaN, Infinity, ±2^64, deep nesting, malformed JSON, wrong content types, bodies at the size limit and
just over it).

The routes come from the URL resolver and the API's OpenAPI schema: a route that is neither in the
matrix below nor in an exclusion list (with its reason) fails `test_every_*_is_in_the_matrix`.
Each page route is opened by a role that reaches it; the forms are read from the page itself (so a
new field is fuzzed without touching this file), each field gets each hostile value once, the other
fields keep the page's own values. After a refusal nothing was written (row counts), and after each
route no text longer than its column and no infinite or NaN number is stored (SQLite stores both
silently, which is how PostgreSQL's 500 would otherwise escape a run on SQLite)."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from commonground.accounts.models import Membership, Organisation
from commonground.accounts.services import invite
from commonground.accounts.tokens import create_token
from commonground.actions import evidence as action_evidence
from commonground.actions.models import Action
from commonground.assessments import services
from commonground.assessments.evaluations import forget_evaluations
from commonground.assessments.evidence import attach_evidence
from commonground.assessments.models import Answer, Assessment
from commonground.config.api import api
from commonground.facilities.models import Facility, RequiredFramework, SupplyLink
from commonground.improvement.models import Training
from commonground.jobs.models import Job
from commonground.sharing.models import Grant
from commonground.sharing.onboarding import upload_supplier_list
from commonground.sharing.services import request_grant
from tests.hostile import CATALOGUE, DEEP_JSON, MALFORMED_JSON, PATH_IDS, Hostile, over_length
from tests.web.conftest import PASSWORD

LANG = "vi"
PDF = b"%PDF-1.4 hostile\n"


# ---- the world: every kind of object a route needs, built once for the module ------------------


@dataclass(frozen=True)
class World:
    ids: dict[str, Any]
    tokens: dict[str, str]


def _user(username: str, org: Organisation, role: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.test", PASSWORD)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def _build() -> World:
    kinds = Organisation.Kind
    group = Organisation.objects.create(name="Song Hong", kind=kinds.FACTORY_GROUP)
    buyer = Organisation.objects.create(name="Bao Brand", kind=kinds.BUYER)
    verifiers = Organisation.objects.create(name="Viet Verify", kind=kinds.VERIFIER_BODY)
    authority = Organisation.objects.create(name="DOLISA", kind=kinds.AUTHORITY, province="Thành phố Hà Nội")
    cso = Organisation.objects.create(name="Voices", kind=kinds.CSO, province="Thành phố Hà Nội")
    users = {
        "ada": _user("ada", group, "admin"),
        "alice": _user("alice", group, "editor"),
        "bao": _user("bao", buyer, "admin"),
        "victor": _user("victor", verifiers, "admin"),
        "ana": _user("ana", authority, "viewer"),
        "cleo": _user("cleo", cso, "viewer"),
    }
    alice = users["alice"]
    facility, other = (
        Facility.objects.create(
            owner=group,
            name=name,
            province="Thành phố Hà Nội",
            sector=Facility.Sector.GARMENT,
            minimum_wage_region="1",
            workers=800,
        )
        for name in ("Factory 1", "Factory 2")
    )
    for f in (facility, other):
        SupplyLink.objects.create(buyer=buyer, facility=f)
    RequiredFramework.objects.create(buyer=buyer, framework_id="sa8000")

    def assessment(f: Facility, year: int) -> Assessment:
        return Assessment.objects.create(
            facility=f,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            created_by=alice,
            verifier=verifiers,
        )

    draft = assessment(facility, 2026)
    for datapoint, value in (("facility.workers_total", 800), ("fire_safety.evacuation_drills_year", 0)):
        services.save_answer(draft.pk, datapoint, value, user=alice)
    submitted = assessment(other, 2026)
    services.save_answer(submitted.pk, "facility.workers_total", 300, user=alice)
    services.submit_assessment(submitted.pk, user=alice)
    verified = assessment(facility, 2025)
    services.save_answer(verified.pk, "facility.workers_total", 700, user=alice)
    Assessment.objects.filter(pk=verified.pk).update(status="verified", verified_at=timezone.now())
    Answer.objects.filter(assessment=verified).update(verification="confirmed", method="observation")

    evidence = attach_evidence(draft.pk, io.BytesIO(PDF), name="a.pdf", size=len(PDF), user=alice)
    shown = assessment(other, 2025)  # what the buyer's grant shows: the latest verified assessment
    services.save_answer(shown.pk, "facility.workers_total", 290, user=alice)
    shared_evidence = attach_evidence(
        shown.pk, io.BytesIO(PDF), name="b.pdf", size=len(PDF), user=alice, datapoint="facility.workers_total"
    )
    Assessment.objects.filter(pk=shown.pk).update(status="verified", verified_at=timezone.now())
    action = Action.objects.create(
        facility=facility, assessment=draft, created_by=alice, title="Drills", due_date=dt.date(2026, 9, 1)
    )
    proof = action_evidence.attach_evidence(
        action.pk, io.BytesIO(PDF), name="c.pdf", size=len(PDF), user=alice
    )
    Training.objects.create(
        facility=facility, topic="fire_safety", title="Drill", delivered_on=dt.date(2026, 3, 1), women=3
    )
    expires = timezone.now() + dt.timedelta(days=30)
    asked = request_grant(
        facility.pk,
        user=users["bao"],
        grantee_id=buyer.pk,
        scope="both",
        content="results",
        purpose="audit",
        expires_at=expires,
    )
    active = Grant.objects.create(
        facility=other,
        grantee=buyer,
        scope="both",
        content="answers",
        purpose="load",
        expires_at=expires,
        status="active",
    )
    invited = invite(group.pk, user=users["ada"], email="new.person@example.test", role="editor")
    tokens = {name: create_token(user, name="hostile", can_write=True) for name, user in users.items()}
    create_token(alice, name="to-revoke")
    job = Job.objects.create(kind="action_digest", started_by=alice, organisation=group)
    listed = b"name,address,country,contact_email\nFactory 1,,VN,\nNew Mill,Ha Noi,VN,mill@example.test\n"
    supplier_list = upload_supplier_list(
        io.BytesIO(listed), name="list.csv", size=len(listed), user=users["bao"]
    )
    ids = {
        "sl": supplier_list.pk,
        "job": job.pk,
        "group": group.pk,
        "buyer": buyer.pk,
        "f": facility.pk,
        "g": other.pk,
        "a": draft.pk,
        "s": submitted.pk,
        "v": verified.pk,
        "e": evidence.pk,
        "se": shared_evidence.pk,
        "act": action.pk,
        "ae": proof.pk,
        "grant": asked.pk,
        "active": active.pk,
        "invitation": invited.token,
        "uid": urlsafe_base64_encode(force_bytes(alice.pk)),
        "reset": default_token_generator.make_token(alice),
        "sol": "condensate_recovery",
    }
    return World(ids, tokens)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once in a transaction that each test's own transaction nests in (as Django's
    setUpTestData does), and rolled back at the end of the module."""
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EVIDENCE_ROOT=tempfile.mkdtemp(prefix="hostile-evidence-"),
    )
    overrides.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            forget_evaluations()
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            forget_evaluations()
            overrides.disable()


def restore_files() -> None:
    """The files of the world's evidence (a test that deletes an assessment removes them from disk,
    and the rollback brings back only the rows)."""
    from pathlib import Path

    from commonground.actions.models import ActionEvidence
    from commonground.assessments.models import Evidence

    root = Path(settings.EVIDENCE_ROOT)
    paths = [root / str(e.assessment_id) / e.stored_name for e in Evidence.objects.all()]
    paths += [root / "actions" / str(e.action_id) / e.stored_name for e in ActionEvidence.objects.all()]
    for path in paths:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(PDF)


# ---- what must hold after any request ------------------------------------------------------------

# sessions and the access log: a page that answers a refusal may still record who read it
_UNCOUNTED = {
    "django_session",
    "django_admin_log",
    "sharing_accessread",
    "sharing_accesslogentry",
    "sharing_loghead",
}


def _tables() -> list[str]:
    tables = [m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    return sorted(t for t in set(tables) if t not in _UNCOUNTED and not t.startswith("axes_"))


def rows() -> tuple[int, ...]:
    """How many rows each table holds, in one query."""
    q = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in _tables())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def assert_nothing_stored_out_of_bounds() -> None:
    """No text beyond its column's length, no lone surrogate, no infinite or NaN number."""
    from django.db.models.functions import Length

    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and field.max_length:
                annotated = model._default_manager.annotate(_n=Length(field.attname))
                too_long = annotated.filter(_n__gt=field.max_length)
                assert not too_long.exists(), (model.__name__, field.name, "longer than", field.max_length)
            if isinstance(field, models.FloatField):
                for value in model._default_manager.values_list(field.attname, flat=True):
                    assert value is None or math.isfinite(value), (model.__name__, field.name, value)
    for value in Answer.objects.values_list("value", flat=True):
        text = json.dumps(value)
        assert "Infinity" not in text and "NaN" not in text, value


PROBLEMS: list[Any] = []  # what went wrong in the current test (all of it is reported at its end)


def expect(condition: Any, *what: Any) -> bool:
    if not condition:
        PROBLEMS.append(what)
    return bool(condition)


def report() -> None:
    found = list(PROBLEMS)
    PROBLEMS.clear()
    assert not found, "\n".join(repr(p)[:600] for p in found)


def check_page(response: Any, what: Any) -> None:
    """No server error; a refusal is a page in the reader's language (or a small download/JSON)."""
    if not expect(response.status_code < 500, what, response.status_code, _text(response)[:300]):
        return
    kind = response.get("Content-Type", "")
    if response.status_code >= 400 and response.status_code != 405 and kind.startswith("text/html"):
        expect(f'lang="{LANG}"' in _text(response), what, response.status_code, _text(response)[:300])


def check_api(response: Any, what: Any) -> dict[str, Any] | None:
    """No server error; a refusal is the one JSON error shape with a message in Vietnamese."""
    if not expect(response.status_code < 500, what, response.status_code, _text(response)[:300]):
        return None
    if response.status_code < 400:
        return None
    if not expect(
        response.get("Content-Type", "").startswith("application/json"), what, _text(response)[:300]
    ):
        return None
    body = response.json()
    expect(isinstance(body.get("code"), str) and body["code"], what, body)
    expect(isinstance(body.get("message"), str) and body["message"], what, body)
    return dict(body)


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return bytes(response.content).decode("utf-8", "replace")


def _login(username: str | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=LANG)
    if username:
        client.force_login(User.objects.get(username=username))
    return client


# ---- the page matrix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    user: str | None  # who reaches it (None: anyone)
    get: str | None = None  # the page itself, when it answers a GET
    form_on: str | None = None  # the page that holds its forms
    borrow: str | None = None  # no page has its form: the form of this route, sent to `post_to`
    post_to: str | None = None
    fill: tuple[tuple[str, str], ...] = ()  # values the page leaves blank that its form needs
    # a form no page shows on a GET (it comes after a POST, as an import's preview): its fields, sent
    # to `post_to`
    form: tuple[tuple[str, str], ...] = ()


PAGES: dict[str, tuple[Page, ...]] = {
    "healthz": (Page(None, "/healthz"),),
    "set_language": (Page("alice", None, "/"),),
    "login": (Page(None, "/accounts/login/", "/accounts/login/"),),
    "logout": (Page("alice", None, "/"),),
    "password_reset": (Page(None, "/accounts/password-reset/", "/accounts/password-reset/"),),
    "password_reset_done": (Page(None, "/accounts/password-reset/sent/"),),
    "password_reset_confirm": (
        Page(None, "/accounts/reset/{uid}/{reset}/", "/accounts/reset/{uid}/{reset}/"),
    ),
    "password_reset_complete": (Page(None, "/accounts/reset/done/"),),
    "api_tokens": (Page("alice", "/account/tokens/", "/account/tokens/"),),
    "revoke_api_token": (Page("alice", None, "/account/tokens/"),),
    "accept_invitation": (Page(None, "/invitations/{invitation}/", "/invitations/{invitation}/"),),
    "organisation": (
        Page("ada", "/organisations/{group}/", "/organisations/{group}/"),
        Page("bao", "/organisations/{buyer}/", "/organisations/{buyer}/"),
    ),
    "code_book": (Page("bao", "/organisations/{buyer}/code.xlsx"),),
    "grants": (Page("alice", "/facilities/{f}/sharing/"),),
    "access_log_export": (Page("alice", "/facilities/{f}/access-log.csv"),),
    "access_log_xlsx": (Page("alice", "/facilities/{f}/access-log.xlsx"),),
    "job": (Page("alice", "/jobs/{job}/"),),
    "job_download": (Page("alice", "/jobs/{job}/download"),),
    "give_grant": (Page("alice", None, "/facilities/{f}/sharing/"),),
    "decide_grant": (Page("alice", None, "/facilities/{f}/sharing/"),),
    "suppliers": (Page("bao", "/suppliers/", "/suppliers/"),),
    "portfolio": (Page("bao", "/portfolio/", "/portfolio/"),),
    "portfolio_export": (Page("bao", "/portfolio.csv"),),
    "portfolio_xlsx": (Page("bao", "/portfolio.xlsx"),),
    "ask_grant": (Page("bao", None, "/suppliers/", borrow="ask_grants", post_to="/suppliers/{f}/ask"),),
    "ask_grants": (Page("bao", None, "/suppliers/"),),
    "supplier_onboarding": (Page("bao", "/suppliers/onboarding/", "/suppliers/onboarding/"),),
    "supplier_list": (Page("bao", "/suppliers/onboarding/{sl}/", "/suppliers/onboarding/{sl}/"),),
    "apply_supplier_list": (Page("bao", None, "/suppliers/onboarding/{sl}/"),),
    "ask_supplier_list": (
        Page(
            "bao",
            post_to="/suppliers/onboarding/{sl}/ask",
            form=(("scope", "both"), ("content", "results"), ("purpose", "audit"), ("expires", "2030-01-01")),
        ),
    ),
    "shared_facility": (Page("bao", "/shared/{g}/"),),
    "shared_evidence": (Page("bao", "/shared/{g}/evidence/{se}"),),
    "aggregates": (Page("ana", "/aggregates/", "/aggregates/"),),
    "public_facilities": (Page(None, "/public/facilities/", "/public/facilities/"),),
    "open_data": (Page(None, "/open-data/labour-aggregates.csv"),),
    "open_data_xlsx": (Page(None, "/open-data/labour-aggregates.xlsx"),),
    "home": (Page("alice", "/"), Page("bao", "/"), Page("victor", "/"), Page("cleo", "/")),
    "action_plan": (Page("alice", "/facilities/{f}/actions/", "/facilities/{f}/actions/"),),
    "action_digest": (Page("alice", "/facilities/{f}/actions/due/"),),
    "plan_xlsx": (Page("alice", "/facilities/{f}/actions.xlsx"),),
    "plan_csv": (Page("alice", "/facilities/{f}/actions.csv"),),
    "action_new": (
        Page(
            "alice",
            "/assessments/{a}/actions/new",
            "/assessments/{a}/actions/new",
            fill=(("due_date", "2027-06-01"),),
        ),
    ),
    "action": (Page("alice", "/actions/{act}/"),),
    "action_edit": (Page("alice", None, "/actions/{act}/"),),
    "action_status": (Page("alice", None, "/actions/{act}/"),),
    "action_comment": (Page("alice", None, "/actions/{act}/"),),
    "action_evidence": (Page("alice", None, "/actions/{act}/"),),
    "action_evidence_download": (Page("alice", "/action-evidence/{ae}/download"),),
    "improvement": (Page("alice", "/facilities/{f}/improvement/"),),
    "trainings": (
        Page(
            "alice",
            "/facilities/{f}/trainings/",
            "/facilities/{f}/trainings/",
            fill=(("women", "3"), ("men", "2")),
        ),
    ),
    "adoption_new": (Page("alice", None, "/facilities/{f}/improvement/"),),
    "priorities": (Page("alice", "/facilities/{f}/priorities/"),),
    "benchmarks": (Page("alice", "/facilities/{f}/benchmarks/", "/facilities/{f}/benchmarks/"),),
    "solutions": (Page("alice", "/solutions/", "/solutions/"),),
    "solution": (Page("alice", "/solutions/{sol}/"),),
    "facility_new": (Page("ada", "/facilities/new", "/facilities/new"),),
    "facility": (Page("alice", "/facilities/{f}/", "/facilities/{f}/"),),
    "facility_edit": (Page("alice", "/facilities/{f}/edit", "/facilities/{f}/edit"),),
    # the two facilities have overlapping periods: every merge is refused, nothing moves
    "merge_facility": (
        Page("ada", "/facilities/{f}/merge", post_to="/facilities/{f}/merge", form=(("merged", "{g}"),)),
    ),
    "assessment_new": (
        Page("alice", None, "/facilities/{f}/", fill=(("start", "2024-01-01"), ("end", "2024-12-31"))),
    ),
    "assessment": (Page("alice", "/assessments/{a}/", "/assessments/{a}/"),),
    "import_answers": (Page("alice", "/assessments/{a}/import", "/assessments/{a}/import"),),
    "apply_import": (
        Page(
            "alice",
            post_to="/assessments/{a}/import/apply",
            form=(("stored", "imports/{a}/none.csv"), ("name", "answers.csv")),
        ),
    ),
    "assessment_template": (Page("alice", "/assessments/{a}/questionnaire.xlsx"),),
    "answer": (Page("alice", None, "/assessments/{a}/"),),
    "submit": (Page("alice", None, "/assessments/{a}/"),),
    "verify": (Page("victor", None, "/assessments/{s}/?topic=facility"),),
    "complete": (Page("victor", None, "/assessments/{s}/?topic=facility"),),
    "results": (Page("alice", "/assessments/{a}/results/", "/assessments/{a}/results/"),),
    "framework_results": (Page("alice", "/assessments/{a}/results/sa8000/"),),
    "results_xlsx": (Page("alice", "/assessments/{a}/results.xlsx"),),
    "findings_csv": (Page("alice", "/assessments/{a}/findings.csv"),),
    "report_pdf": (Page("alice", "/assessments/{a}/report.pdf"),),
    "report_xlsx": (Page("alice", "/assessments/{a}/report.xlsx"),),
    "state_form_xlsx": (Page("alice", "/assessments/{a}/forms/vn-labour-self-inspection.xlsx"),),
    "state_form_pdf": (Page("alice", "/assessments/{a}/forms/vn-labour-self-inspection.pdf"),),
    "report_job": (Page("alice", None, "/assessments/{a}/results/"),),
    "state_form_job": (Page("alice", None, "/assessments/{a}/results/"),),
    "assessment_xlsform": (Page("alice", "/assessments/{a}/xlsform.zip"),),
    "evidence_upload": (Page("alice", None, "/assessments/{a}/"),),
    "evidence_download": (Page("alice", "/evidence/{e}/download"),),
    "copy_forward": (Page("alice", None, "/assessments/{a}/"),),
    "new_version": (Page("alice", None, "/assessments/{v}/"),),
    "history": (Page("alice", "/assessments/{a}/history/"),),
    "choose_verifier": (Page("alice", None, "/assessments/{a}/"),),
    "assessment_delete": (Page("alice", "/assessments/{a}/delete", "/assessments/{a}/delete"),),
    "verification_worklist": (Page("victor", "/verification/", "/verification/"),),
    "verification": (Page("victor", "/assessments/{s}/verification/", "/assessments/{s}/verification/"),),
    "verification_confirm": (Page("victor", None, "/assessments/{s}/verification/"),),
    "verification_correct": (Page("victor", None, "/assessments/{s}/verification/"),),
    "verification_complete": (Page("victor", None, "/assessments/{s}/verification/"),),
    "verification_return": (Page("victor", None, "/assessments/{s}/verification/"),),
    "api:openapi-json": (Page(None, "/api/openapi.json"),),
    "api:openapi-view": (Page(None, "/api/docs"),),
}
# Routes with no form of their own on any page: the large bodies and hostile ids still go to them.
NO_FORM: set[str] = set()
# Excluded from the page matrix: the API's operations (URL names "api:…"), which test_api drives
# from the OpenAPI schema, where each one must be listed (test_every_api_operation_is_in_the_matrix).
EXCLUDED_PREFIX = "api:"
# Query parameters the pages read (a GET form on the page adds its own).
QUERY = ("page", "status", "topic", "left", "widen", "show", "sort", "reader", "log_page", "year", "period")


def _url_names() -> set[str]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                yield namespace + p.name

    return set(walk(get_resolver().url_patterns, ""))


def test_every_url_pattern_is_in_the_matrix() -> None:
    names = _url_names()
    missing = {n for n in names if n not in PAGES and not n.startswith(EXCLUDED_PREFIX)}
    assert not missing, f"add these routes to PAGES: {sorted(missing)}"
    assert not set(PAGES) - names, f"no longer routes: {sorted(set(PAGES) - names)}"


class _Forms(HTMLParser):
    """The forms of a page: action, method, enctype and fields (name, type, value, maxlength)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get").lower(),
                    "enctype": a.get("enctype", ""),
                    "fields": [],
                }
            )
            return
        if not self.forms or ("name" not in a and tag != "option" and "formaction" not in a):
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                fields.append({"name": a["name"], "type": kind, "value": None, "alt": a.get("value", "on")})
                return
            fields.append(
                {
                    "name": a["name"],
                    "type": kind,
                    "value": a.get("value", ""),
                    "maxlength": a.get("maxlength"),
                }
            )
        if tag in ("button", "input") and a.get("formaction"):  # a second action for the same fields
            self.forms[-1].setdefault("formactions", []).append(a["formaction"])
        if tag == "button" and a.get("name"):
            fields.append({"name": a["name"], "type": "button", "value": a.get("value", "")})
        elif tag == "select":
            self._select = {"name": a["name"], "type": "select", "value": None}
            fields.append(self._select)
        elif tag == "option" and self._select is not None:  # the selected option, or the first real one
            if "selected" in a or not self._select["value"]:
                self._select["value"] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = {
                "name": a["name"],
                "type": "textarea",
                "value": "",
                "maxlength": a.get("maxlength"),
            }
            fields.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data


def forms_on(html: str, page_url: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    found = []
    for form in parser.forms:
        form["action"] = urlsplit(form["action"]).path or urlsplit(page_url).path
        found.append(form)
        found += [{**form, "action": urlsplit(action).path} for action in form.get("formactions", [])]
    return found


def _route_of(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


def _base(form: dict[str, Any]) -> list[tuple[str, str]]:
    """The form as the page fills it in; empty text gets a plausible value, unticked boxes stay off
    except the first of a group (a form that needs one chosen)."""
    pairs: list[tuple[str, str]] = []
    seen_boxes: set[str] = set()
    buttons = [f for f in form["fields"] if f["type"] in ("button", "submit") and f["name"]]
    for field in form["fields"]:
        name, kind, value = field["name"], field["type"], field["value"]
        if name == "csrfmiddlewaretoken" or kind in ("file", "button", "submit"):
            continue
        if value is None:  # an unticked box or radio
            if kind == "radio" and name not in {n for n, _ in pairs}:
                pairs.append((name, field["alt"]))
            elif kind == "checkbox" and name not in seen_boxes:
                seen_boxes.add(name)
                pairs.append((name, field["alt"]))
            continue
        if value == "" and kind not in ("hidden", "select"):
            value = {"date": "2026-06-01", "email": "x@example.test", "password": "a-long-password-2"}.get(
                kind, "1"
            )
        pairs.append((name, value))
    if buttons:  # the first named button, as a click sends it
        pairs.append((buttons[0]["name"], buttons[0]["value"]))
    return pairs


def _fuzzed_fields(form: dict[str, Any]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    fields = []
    for field in form["fields"]:
        if field["name"] in seen or field["name"] == "csrfmiddlewaretoken" or field["type"] == "file":
            continue
        seen.add(field["name"])
        fields.append(field)
    return fields


FORM_VALUES = tuple({v.form: v for v in reversed(CATALOGUE)}.values())[::-1]  # one per distinct encoding


def _values_for(field: dict[str, Any]) -> list[Hostile]:
    values = list(FORM_VALUES)
    if field.get("maxlength"):
        values.insert(0, over_length(int(field["maxlength"])))
    return values


def _post_form(
    client: Client, form: dict[str, Any], pairs: list[tuple[str, str]], raw: dict[str, str]
) -> Any:
    """Post a urlencoded form (or multipart with a small PDF when the form takes a file); `raw` holds
    percent-encoded values sent as they are (bytes that do not decode)."""
    files = [f["name"] for f in form["fields"] if f["type"] == "file"]
    if files:
        data: dict[str, Any] = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        for name, encoded in raw.items():
            data[name] = [_unquote_bytes(encoded)]
        for name in files:
            data[name] = io.BytesIO(PDF)
            data[name].name = "proof.pdf"
        return client.post(form["action"], data)
    body = urlencode(pairs) + "".join(f"&{quote(name)}={encoded}" for name, encoded in raw.items())
    return client.post(form["action"], body, content_type="application/x-www-form-urlencoded")


def _unquote_bytes(encoded: str) -> bytes:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(encoded)


def _large_bodies(client: Client, path: str, what: str, *, api_route: bool, method: str = "POST") -> int:
    """A body exactly at DATA_UPLOAD_MAX_MEMORY_SIZE, then one byte over it: never a server error;
    over it, 413 (the API's JSON error, or a page in the reader's language)."""
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    made = 0
    for size, over in ((limit, False), (limit + 1, True)):
        if api_route:
            head, tail = '{"x": "', '"}'
            body = head + "a" * (size - len(head) - len(tail)) + tail
            response = client.generic(method, path, body, content_type="application/json")
            answer = check_api(response, (what, size))
        else:
            body = "x=" + "a" * (size - 2)
            response = client.generic("POST", path, body, content_type="application/x-www-form-urlencoded")
            check_page(response, (what, size))
            answer = None
        made += 1
        if over and response.status_code != 405 and what not in READ_NO_BODY:
            expect(response.status_code == 413, what, size, response.status_code)
            if answer is not None:
                expect(answer["code"] == "too_large", what, answer)
    return made


def _ids_in(url: str) -> list[tuple[int, int]]:
    """The spans of the ids in a path (digits between slashes)."""
    return [m.span(1) for m in re.finditer(r"/(\d+)(?=/|$)", urlsplit(url).path)]


def _hostile_ids(client: Client, url: str, method: str, what: Any) -> int:
    made = 0
    for start, end in _ids_in(url):
        for bad in PATH_IDS:
            target = url[:start] + bad + url[end:]
            response = client.get(target) if method == "get" else client.post(target, {"x": "1"})
            check_page(response, (what, target))
            if bad != "0":  # 0 names nothing either, but a view may read it as "none given"
                expect(response.status_code in (302, 400, 404, 405), what, target, response.status_code)
            made += 1
    return made


COUNTS: dict[str, int] = {"requests": 0}
BASE_REFUSED: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    print(
        f"\nhostile matrix: {COUNTS['requests']} requests; forms refused as filled in: {sorted(BASE_REFUSED)}"
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages(world: World, db: None, name: str) -> None:
    restore_files()
    made = 0
    for page in PAGES[name]:
        ids = world.ids
        client = _login(page.user)
        what = (name, page.user)
        if page.get:
            url = page.get.format(**ids)
            response = client.get(url)
            check_page(response, (what, url))
            expect(response.status_code in (200, 302), what, url, response.status_code)
            names = set(QUERY)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                for form in forms_on(_text(response), url):
                    if form["method"] == "get":
                        names |= {f["name"] for f in form["fields"] if f["name"]}
            for value in CATALOGUE:
                query = "&".join(f"{quote(n)}={value.form}" for n in sorted(names))
                check_page(client.get(f"{url}?{query}"), (what, url, value.name))
                made += 1
            made += _hostile_ids(client, url, "get", what)
        forms: list[dict[str, Any]] = []
        if page.form_on:
            on = page.form_on.format(**ids)
            response = client.get(on, follow=True)
            assert response.status_code == 200, (what, on, response.status_code)
            final = response.redirect_chain[-1][0] if response.redirect_chain else on
            found = [f for f in forms_on(_text(response), final) if f["method"] == "post"]
            forms = [f for f in found if _route_of(f["action"]) == (page.borrow or name)]
            if page.borrow and page.post_to:
                forms = [{**f, "action": page.post_to.format(**ids)} for f in forms]
            kinds: dict[str, int] = {}
            chosen = []
            forms.sort(key=lambda f: -len(f["fields"]))  # the fullest first (an answered question)
            for form in forms:  # the forms of one action differ by their fields (an answer's kind)
                key = (
                    form["action"]
                    + "|"
                    + ",".join(sorted(f"{x['name']}:{x['type']}" for x in form["fields"]))
                )
                if key not in kinds and sum(1 for k in kinds if k.startswith(form["action"] + "|")) < 4:
                    kinds[key] = 1
                    chosen.append(form)
            forms = chosen
            if name not in NO_FORM and not page.get:  # a route that only takes a form has one on its page
                expect(forms, what, on, sorted({(f["action"], _route_of(f["action"])) for f in found}))
        if page.form and page.post_to:
            fields = [
                {"name": n, "type": "text", "value": v.format(**ids), "maxlength": None} for n, v in page.form
            ]
            forms = [
                {"action": page.post_to.format(**ids), "method": "post", "enctype": "", "fields": fields}
            ]
        for form in forms:
            made += _fuzz_form(client, form, what, dict(page.fill))
            made += _hostile_ids(client, form["action"], "post", what)
        target = forms[0]["action"] if forms else (page.get or "").format(**ids)
        if target:  # once per route: its form's action, or the page itself
            made += _large_bodies(client, target, name, api_route=False)
    assert_nothing_stored_out_of_bounds()
    COUNTS["requests"] += made
    report()


def _fuzz_form(client: Client, form: dict[str, Any], what: Any, fill: dict[str, str]) -> int:
    base = [(n, fill.get(n, v)) for n, v in _base(form)]
    made = 0
    for field in _fuzzed_fields(form):
        for value in _values_for(field):
            pairs = [(n, v) for n, v in base if n != field["name"]]
            before = rows()
            response = _post_form(client, form, pairs, {field["name"]: value.form})
            check_page(response, (what, form["action"], field["name"], value.name))
            if response.status_code >= 400:
                expect(rows() == before, "half-written", what, form["action"], field["name"], value.name)
            made += 1
            if _route_of(urlsplit(form["action"]).path) == "logout" or not _still_logged_in(client):
                return made
    # last, the form as the page fills it in: when the page itself refuses it, the values above were
    # refused for that reason too (listed in BASE_REFUSED, reported with the counts)
    response = _post_form(client, form, base, {})
    if response.status_code >= 400 or 'role="alert"' in _text(response):
        BASE_REFUSED.add(f"{_route_of(form['action'])} ({response.status_code})")
    return made + 1


def _still_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ---- the API matrix ------------------------------------------------------------------------------


def _operations() -> dict[str, dict[str, Any]]:
    schema = api.get_openapi_schema()
    found = {}
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            found[f"{method.upper()} {path}"] = op
    return found


# operation -> (who calls it, a body that the operation accepts; None: it takes none)
API: dict[str, tuple[str, Any]] = {
    "GET /api/facilities": ("alice", None),
    "GET /api/facilities/{facility_id}": ("alice", None),
    "POST /api/facilities/{facility_id}/merge": ("ada", {"merged_id": "{g}"}),
    "GET /api/facilities/{facility_id}/assessments": ("alice", None),
    "POST /api/facilities/{facility_id}/assessments": (
        "alice",
        {"period_start": "2027-01-01", "period_end": "2027-12-31"},
    ),
    "DELETE /api/assessments/{assessment_id}": ("alice", None),
    "GET /api/assessments/{assessment_id}": ("alice", None),
    "GET /api/assessments/{assessment_id}/answers": ("alice", None),
    "PUT /api/assessments/{assessment_id}/answers/{datapoint}": (
        "alice",
        {"value": 12, "unit": None, "reason": "typo"},
    ),
    "GET /api/assessments/{assessment_id}/results": ("alice", None),
    "GET /api/assessments/{assessment_id}/findings": ("alice", None),
    "GET /api/assessments/{assessment_id}/report": ("alice", None),
    "POST /api/assessments/{assessment_id}/report/jobs": ("alice", None),
    "GET /api/assessments/{assessment_id}/evidence": ("alice", None),
    "POST /api/assessments/{assessment_id}/evidence": ("alice", "multipart"),
    "GET /api/evidence/{evidence_id}/download": ("alice", None),
    "GET /api/verification/assessments": ("victor", None),
    "POST /api/assessments/{assessment_id}/verification/confirm": (
        "victor",
        {"datapoints": ["facility.workers_total"], "method": "observation", "note": "seen"},
    ),
    "POST /api/assessments/{assessment_id}/verification/correct": (
        "victor",
        {"datapoint": "facility.workers_total", "value": 310, "method": "observation", "note": "count"},
    ),
    "POST /api/assessments/{assessment_id}/verification/complete": ("victor", None),
    "POST /api/assessments/{assessment_id}/verification/return": ("victor", {"comment": "please check"}),
    "GET /api/facilities/{facility_id}/grants": ("alice", None),
    "POST /api/facilities/{facility_id}/grants": (
        "alice",
        {
            "grantee_id": "{buyer}",
            "scope": "both",
            "content": "results",
            "purpose": "audit",
            "expires_at": "2027-01-01T00:00:00Z",
        },
    ),
    "POST /api/grants/{grant_id}/decision": ("alice", {"approve": True}),
    "POST /api/grants/{grant_id}/revoke": ("alice", None),
    "GET /api/facilities/{facility_id}/access-log": ("alice", None),
    "GET /api/facilities/{facility_id}/access-log/seal": ("alice", None),
    "GET /api/jobs/{job_id}": ("alice", None),
    "GET /api/jobs/{job_id}/file": ("alice", None),
    "POST /api/facilities/{facility_id}/grant-requests": (
        "bao",
        {
            "grantee_id": "{buyer}",
            "scope": "both",
            "content": "results",
            "purpose": "audit",
            "expires_at": "2027-01-01T00:00:00Z",
        },
    ),
    "POST /api/grant-requests": (
        "bao",
        {
            "facility_ids": ["{g}"],
            "scope": "both",
            "content": "answers",
            "purpose": "audit",
            "expires_at": "2027-01-01T00:00:00Z",
        },
    ),
    "GET /api/grants": ("bao", None),
    "POST /api/supplier-lists": ("bao", "multipart"),
    "GET /api/supplier-lists/{list_id}": ("bao", None),
    "POST /api/supplier-lists/{list_id}/apply": ("bao", {"decisions": {"1": "confirm"}}),
    "POST /api/supplier-lists/{list_id}/grant-requests": (
        "bao",
        {"scope": "both", "content": "results", "purpose": "audit", "expires_at": "2027-01-01T00:00:00Z"},
    ),
    "GET /api/shared": ("bao", None),
    "GET /api/shared/{facility_id}": ("bao", None),
    "GET /api/shared/{facility_id}/evidence/{evidence_id}": ("bao", None),
    "GET /api/facilities/{facility_id}/actions": ("alice", None),
    "GET /api/actions/{action_id}": ("alice", None),
    "PATCH /api/actions/{action_id}": (
        "alice",
        {"title": "Drills", "description": "monthly", "due_date": "2027-10-01", "cost_estimate_vnd": 1000},
    ),
    "POST /api/assessments/{assessment_id}/actions": (
        "alice",
        {"datapoints": ["fire_safety.evacuation_drills_year"], "title": "Drills", "due_date": "2027-10-01"},
    ),
    "POST /api/actions/{action_id}/status": ("alice", {"status": "in_progress", "reason": "started"}),
    "GET /api/actions/{action_id}/comments": ("alice", None),
    "POST /api/actions/{action_id}/comments": ("alice", {"text": "started"}),
    "GET /api/facilities/{facility_id}/priorities": ("alice", None),
    "GET /api/facilities/{facility_id}/levels": ("alice", None),
    "GET /api/facilities/{facility_id}/benchmarks": ("alice", None),
    "GET /api/solutions/{solution_id}/insights": ("alice", None),
    "GET /api/facilities/{facility_id}/trainings": ("alice", None),
    "POST /api/facilities/{facility_id}/trainings": (
        "alice",
        {"topic": "fire_safety", "title": "Drill", "delivered_on": "2026-03-01", "women": 3, "men": 2},
    ),
}
# path parameter -> the world's object it names, per operation's user
PATH_PARAMS = {
    "job_id": "job",
    "facility_id": "f",
    "assessment_id": "a",
    "evidence_id": "e",
    "grant_id": "grant",
    "action_id": "act",
    "datapoint": "fire_safety.evacuation_drills_year",
    "solution_id": "sol",
    "list_id": "sl",
}
# the operations whose path names another object than PATH_PARAMS says
PATH_OVERRIDES = {
    "verification": {"assessment_id": "s"},
    "/api/shared/": {"facility_id": "g", "evidence_id": "se"},
}


def test_every_api_operation_is_in_the_matrix() -> None:
    operations = set(_operations())
    assert not operations - set(API), f"add these operations to API: {sorted(operations - set(API))}"
    assert not set(API) - operations, f"no longer operations: {sorted(set(API) - operations)}"


def _path(operation: str, ids: dict[str, Any], bad: dict[str, str] | None = None) -> str:
    """The operation's path naming the world's objects (or, for the names in `bad`, those values)."""
    path = operation.split(" ", 1)[1]
    names = dict(PATH_PARAMS)
    for marker, override in PATH_OVERRIDES.items():
        if marker in path:
            names.update(override)

    def fill(m: re.Match[str]) -> str:
        if bad and m.group(1) in bad:
            return bad[m.group(1)]
        key = names[m.group(1)]
        return str(ids.get(key, key))

    return re.sub(r"\{(\w+)\}", fill, path)


def _leaves(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The paths to the leaves of a body (a list's first item stands for the list)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*at, key))
    elif isinstance(value, list) and value:
        yield from _leaves(value[0], (*at, 0))
    else:
        yield at


def _replaced(body: Any, at: tuple[Any, ...], marker: str) -> Any:
    if not at:
        return marker
    copy = json.loads(json.dumps(body))
    holder = copy
    for step in at[:-1]:
        holder = holder[step]
    holder[at[-1]] = marker
    return copy


def _filled(body: Any, ids: dict[str, Any]) -> Any:
    if isinstance(body, dict):
        return {k: _filled(v, ids) for k, v in body.items()}
    if isinstance(body, list):
        return [_filled(v, ids) for v in body]
    if isinstance(body, str) and re.fullmatch(r"\{\w+\}", body):
        return ids[body[1:-1]]
    return body


# operations that read no body: a large one is ignored, not refused
READ_NO_BODY = {
    "POST /api/assessments/{assessment_id}/verification/complete",
    "POST /api/grants/{grant_id}/revoke",
    "POST /api/assessments/{assessment_id}/evidence",  # multipart: its file is not held in memory
    "POST /api/supplier-lists",  # multipart too
    "POST /api/assessments/{assessment_id}/report/jobs",  # its parameters are in the query
}
REFUSED_TOKENS = {"lone_surrogate", "undecodable", "1e400", "nan", "infinity"}


@pytest.mark.parametrize("operation", sorted(API))
def test_api(world: World, db: None, operation: str) -> None:
    restore_files()
    user, template = API[operation]
    method = operation.split(" ", 1)[0]
    op = _operations()[operation]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[user]}", HTTP_ACCEPT_LANGUAGE=LANG)
    path = _path(operation, world.ids)
    made = 0

    def call(target: str, body: str | bytes | None = None, content_type: str = "application/json") -> Any:
        nonlocal made
        made += 1
        if body is None:
            return client.generic(method, target)
        return client.generic(method, target, body, content_type=content_type)

    body = _filled(template, world.ids) if isinstance(template, dict) else None
    # the body's fields, each with each value
    for at in _leaves(body) if body is not None else ():
        for value in CATALOGUE:
            raw = json.dumps(_replaced(body, at, "__HOSTILE__")).replace('"__HOSTILE__"', value.json)
            before = rows()
            response = call(path, raw)
            answer = check_api(response, (operation, at, value.name))
            if answer is not None:
                expect(rows() == before, "half-written", operation, at, value.name)
            if value.name in REFUSED_TOKENS:
                expect(response.status_code >= 400, operation, at, value.name, response.status_code)
                if answer and answer["code"] == "invalid" and response.status_code == 422:  # named
                    expect(answer.get("field") == str(at[0]), operation, at, value.name, answer)
    if template == "multipart":  # the form's text fields, each with each value, beside a small PDF
        form = {
            "action": path,
            "fields": [{"name": "datapoint", "type": "text"}, {"name": "file", "type": "file"}],
        }
        for value in FORM_VALUES:
            before = rows()
            response = _post_form(client, form, [], {"datapoint": value.form})
            made += 1
            if check_api(response, (operation, "datapoint", value.name)) is not None:
                expect(rows() == before, "half-written", operation, "datapoint", value.name)
    # the query's parameters, each with each value
    query_names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
    for name in query_names:
        for value in CATALOGUE:
            check_api(call(f"{path}?{name}={value.form}", _body_text(body)), (operation, name, value.name))
    # the path's parameters
    for param in (p for p in op.get("parameters", []) if p["in"] == "path"):
        for bad in PATH_IDS if param["schema"].get("type") == "integer" else [v.form for v in CATALOGUE]:
            target = _path(operation, world.ids, {param["name"]: bad})
            check_api(call(target, _body_text(body)), (operation, param["name"], bad))
    # the body as a whole: malformed, nested too deep, of the wrong type, at the size limit and over
    if method in ("POST", "PUT", "PATCH"):
        for raw_body, kind in (
            (MALFORMED_JSON, "application/json"),
            (DEEP_JSON, "application/json"),
            ('{"a": ' * 5_000 + "1" + "}" * 5_000, "application/json"),
            (_body_text(body) or "{}", "text/plain"),
            (
                b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
                "multipart/form-data; boundary=b",
            ),
        ):
            before = rows()
            response = call(path, raw_body, kind)
            answer = check_api(response, (operation, "body", kind, str(raw_body)[:20]))
            if answer is not None:
                expect(rows() == before, "half-written", operation, kind)
        made += _large_bodies(client, path, operation, api_route=True, method=method)
    COUNTS["requests"] += made
    assert_nothing_stored_out_of_bounds()
    report()


def _body_text(body: Any) -> str | None:
    return None if body is None else json.dumps(body)


def test_bidi_and_zero_width_characters_are_kept_and_shown_escaped(world: World, db: None) -> None:
    """Legal text: stored as typed, given back as typed by the API, and shown on the page with its
    markup escaped (the characters themselves are the reader's to see)."""
    title = "Di\u202edrills\u200b <b>now</b>"
    act = world.ids["act"]
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['alice']}")
    response = api_client.patch(f"/api/actions/{act}", {"title": title}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Action.objects.get(pk=act).title == title
    assert api_client.get(f"/api/actions/{act}").json()["title"] == title
    page = _text(_login("alice").get(f"/actions/{act}/"))
    assert "Di\u202edrills\u200b &lt;b&gt;now&lt;/b&gt;" in page and "<b>now</b>" not in page


@pytest.mark.parametrize("action", ["invite", "province", "frameworks", "code", "", "x" * 300])
def test_each_organisation_form_sent_to_each_kind_of_organisation(
    world: World, db: None, action: str
) -> None:
    """The organisation page's forms differ by kind (a buyer's frameworks and code, an authority's
    province); any of them sent to another kind is refused without a server error."""
    for username, org in (("ada", "group"), ("bao", "buyer")):
        before = rows()
        response = _login(username).post(
            f"/organisations/{world.ids[org]}/", {"action": action, "framework": ["sa8000"], "text": "id: x"}
        )
        check_page(response, (username, action))
        if response.status_code >= 400:
            expect(rows() == before, "half-written", username, action)
    report()
