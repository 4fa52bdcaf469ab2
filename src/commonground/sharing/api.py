"""Grants, the access log and what grantees may read, in the API: the same services as the pages.

A facility's people manage its grants and read its log; a grantee reads a facility's shared results
(and answers and evidence, when the grant says so), every read logged on the channel "api"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import translation
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from commonground.assessments.evidence import as_attachment
from commonground.common.language import api_lang
from commonground.core.errors import CommonGroundError
from commonground.facilities import access as facility_access
from commonground.sharing import merges, onboarding, services, supplier_matching
from commonground.sharing.access_log import token
from commonground.sharing.shared import grants_received, read_shared, shared_download, shared_facilities

router = Router(tags=["sharing"])


class GrantOut(Schema):
    id: int
    facility_id: int
    grantee_id: int
    scope: str
    content: str
    purpose: str
    sensitive_datapoints: list[str]
    status: str
    expires_at: dt.datetime


class GrantTermsIn(Schema):
    grantee_id: int
    scope: str
    content: str
    purpose: str
    expires_at: dt.datetime


class GiveIn(GrantTermsIn):
    sensitive_datapoints: list[str] = []


class DecisionIn(Schema):
    approve: bool
    scope: str | None = None  # narrowing only: a smaller scope, less content, an earlier expiry
    content: str | None = None
    expires_at: dt.datetime | None = None
    sensitive_datapoints: list[str] = []


class LogOut(Schema):
    at: dt.datetime
    facility_id: int  # the facility read: this one, or one merged into it (decision 0040)
    reader_id: int
    organisation_id: int
    grant_id: int | None
    what: str
    channel: str
    description: str
    sealed: bool  # sealed into the hash chain yet (the sealer runs every few seconds)

    @staticmethod
    def resolve_sealed(entry: Any) -> bool:
        return bool(entry.read.sealed)

    @staticmethod
    def resolve_reader_id(entry: Any) -> int:
        return int(entry.read.reader_id)

    @staticmethod
    def resolve_organisation_id(entry: Any) -> int:
        return int(entry.read.organisation_id)

    @staticmethod
    def resolve_description(entry: Any, context: dict[str, Any]) -> str:
        """`what` and the channel in the requested language (Accept-Language), as the facility's page
        shows them; `what` itself stays as it was recorded."""
        with translation.override(api_lang(context["request"])):
            return f"{entry.what_label} ({entry.channel_label})"


class SharedFacilityOut(Schema):
    facility_id: int
    name: str
    name_vi: str
    province: str
    sector: str
    grant: GrantOut


class EvidenceRef(Schema):
    id: int
    datapoint: str
    original_name: str
    size: int


class SharedResultsOut(Schema):
    facility_id: int
    grant: GrantOut
    assessment_id: int | None
    period_start: dt.date | None
    period_end: dt.date | None
    status: str | None
    frameworks: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    answers: list[dict[str, Any]]
    evidence: list[EvidenceRef]


# ---- the facility's side --------------------------------------------------------------------


@router.get("/facilities/{facility_id}/grants", response=list[GrantOut])
@paginate
def list_grants(request: HttpRequest, facility_id: int):  # type: ignore[no-untyped-def]
    return facility_access.get_facility(facility_id, request.user).grants.all()


@router.post("/facilities/{facility_id}/grants", response={201: GrantOut})
def give_grant(request: HttpRequest, facility_id: int, payload: GiveIn):  # type: ignore[no-untyped-def]
    """The facility shares without being asked."""
    terms = payload.dict(exclude={"sensitive_datapoints"})
    grant = services.grant_unasked(
        facility_id, user=request.user, sensitive=payload.sensitive_datapoints, **terms
    )
    return Status(201, grant)


@router.post("/grants/{grant_id}/decision", response=GrantOut)
def decide_grant(request: HttpRequest, grant_id: int, payload: DecisionIn):  # type: ignore[no-untyped-def]
    return services.decide_grant(
        grant_id,
        user=request.user,
        approve=payload.approve,
        scope=payload.scope,
        content=payload.content,
        expires_at=payload.expires_at,
        sensitive=payload.sensitive_datapoints,
    )


@router.post("/grants/{grant_id}/revoke", response=GrantOut)
def revoke_grant(request: HttpRequest, grant_id: int):  # type: ignore[no-untyped-def]
    return services.revoke_grant(grant_id, user=request.user)


@router.get("/facilities/{facility_id}/access-log", response=list[LogOut])
@paginate
def list_access_log(  # type: ignore[no-untyped-def]
    request: HttpRequest, facility_id: int, channel: str | None = None, organisation_id: int | None = None
):
    """Every read of the facility's data by another organisation, newest first."""
    return services.facility_log(
        facility_id, user=request.user, organisation_id=organisation_id, channel=channel
    )


class CheckpointOut(Schema):
    size: int
    head: str
    at: dt.datetime
    signature: str
    token: str  # the line `verify_access_log --checkpoint` takes

    @staticmethod
    def resolve_token(checkpoint: Any) -> str:
        return token(checkpoint)


class SealOut(Schema):
    sealed_up_to: dt.datetime | None  # every read before this moment is sealed
    unsealed: int
    checkpoint: CheckpointOut | None


@router.get("/facilities/{facility_id}/access-log/seal", response=SealOut)
def access_log_seal(request: HttpRequest, facility_id: int):  # type: ignore[no-untyped-def]
    """How far the whole log is sealed, and its newest signed checkpoint (decision 0023)."""
    return services.log_seal(facility_id, user=request.user)


# ---- the grantee's side ---------------------------------------------------------------------


class ErrorOut(Schema):
    code: str
    message: str


@router.post(
    "/facilities/{facility_id}/grant-requests",
    response={201: GrantOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
)
def request_grant(request: HttpRequest, facility_id: int, payload: GrantTermsIn):  # type: ignore[no-untyped-def]
    """A buyer organisation the user edits for (`grantee_id`; anyone else 403 `not_a_buyer`) asks
    one of its suppliers for access: 201 with the request; 409 `request_pending` while its earlier
    request there still waits. Any id that is not one of its suppliers, whether a facility has it
    or not, gets the same 404 `not_found`. Over the organisation's limit: 429 `throttled` with
    `Retry-After` (decision 0022)."""
    return Status(201, services.request_grant(facility_id, user=request.user, **payload.dict()))


class ManyRequestsIn(Schema):
    facility_ids: list[int]
    scope: str
    content: str
    purpose: str
    expires_at: dt.datetime
    grantee_id: int | None = None


class SkippedOut(Schema):
    facility_id: int
    reason: str


class ManyRequestsOut(Schema):
    sent: list[GrantOut]
    skipped: list[SkippedOut]


@router.post("/grant-requests", response={200: ManyRequestsOut, 403: ErrorOut, 429: ErrorOut})
def request_access(request: HttpRequest, payload: ManyRequestsIn) -> dict[str, Any]:
    """Access asked of many suppliers at once, all or nothing: the requests sent, and each supplier
    skipped with its reason (`pending`, `shared`, `not_a_supplier`). Buyers only (403
    `not_a_buyer`); one action against the organisation's limit however many ids (429 `throttled`)."""
    done = services.request_access(request.user, **payload.dict())
    return {
        "sent": done.sent,
        "skipped": [{"facility_id": i, "reason": str(reason.value)} for i, reason in done.skipped],
    }


@router.get("/grants", response=list[GrantOut])
@paginate
def list_grants_received(request: HttpRequest, status: str | None = None):  # type: ignore[no-untyped-def]
    """Grants asked for by, or given to, the user's organisations."""
    grants = grants_received(request.user).order_by("-id")
    return grants.filter(status=status) if status else grants


@router.get("/shared", response=list[SharedFacilityOut])
@paginate
def list_shared(request: HttpRequest):  # type: ignore[no-untyped-def]
    return [
        {
            "facility_id": f.pk,
            "name": f.name,
            "name_vi": f.name_vi,
            "province": f.province,
            "sector": f.sector,
            "grant": grant,
        }
        for f, grant in shared_facilities(request.user)
    ]


@router.get("/shared/{facility_id}", response=SharedResultsOut)
def get_shared(request: HttpRequest, facility_id: int) -> dict[str, Any]:
    """The latest results the grant shows (answers and evidence too when it shares them); logged."""
    view = read_shared(facility_id, user=request.user, lang=api_lang(request), channel="api")
    shown = view.assessment
    return {
        "facility_id": view.facility.pk,
        "grant": view.grant,
        "assessment_id": shown.pk if shown else None,
        "period_start": shown.period_start if shown else None,
        "period_end": shown.period_end if shown else None,
        "status": shown.status if shown else None,
        "frameworks": [{"id": f["id"], "name": f["name"], **f["summary"].as_dict()} for f in view.frameworks],
        "findings": view.findings,
        "answers": view.answers,
        "evidence": view.evidence,
    }


@router.get("/shared/{facility_id}/evidence/{evidence_id}")
def download_shared_evidence(request: HttpRequest, facility_id: int, evidence_id: int) -> FileResponse:
    return as_attachment(shared_download(facility_id, evidence_id, user=request.user, channel="api"))


# ---- supplier onboarding (issue 14): a buyer's list matched, applied, then access asked ----------------


class SupplierRowOut(Schema):
    row: int  # from 1, the first data row of the file
    name: str
    outcome: str  # matched, suggested, confirmed, rejected, invited, error
    facility_id: int | None  # matched or confirmed: the facility; suggested or rejected: the one suggested
    score: float | None
    invited: bool  # an invitation to the factory stands (after applying)
    joined_facility_id: int | None  # invited: the facility the factory added once it joined (now a supplier)
    column: str  # error: the column in error
    message: str  # error: file, row, column and reason, in the reader's language

    @staticmethod
    def resolve_invited(row: Any) -> bool:
        return row.invitation_id is not None

    @staticmethod
    def resolve_joined_facility_id(row: Any) -> int | None:
        return row.invitation.facility_id if row.invitation_id is not None else None

    @staticmethod
    def resolve_column(row: Any) -> str:
        return str(row.problem.get("column", ""))

    @staticmethod
    def resolve_message(row: Any, context: Any) -> str:
        if not row.problem:
            return ""
        request = context["request"]
        return supplier_matching.row_problem(row, row.supplier_list.name).render(api_lang(request))


class SupplierListOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    applied_at: dt.datetime | None
    rows: list[SupplierRowOut]

    @staticmethod
    def resolve_rows(supplier_list: Any) -> list[Any]:
        return list(supplier_list.rows.select_related("supplier_list", "invitation"))


class DecisionsIn(Schema):
    decisions: dict[int, str] = {}  # the row's number -> "confirm" or "reject", for every suggestion


class JobOut(Schema):
    job_id: int


class ListTermsIn(Schema):
    scope: str
    content: str
    purpose: str
    expires_at: dt.datetime


@router.post("/supplier-lists", response={201: SupplierListOut, 404: ErrorOut, 422: ErrorOut})
def upload_supplier_list(request: HttpRequest, file: File[UploadedFile]):  # type: ignore[no-untyped-def]
    """A buyer's supplier list (CSV or XLSX, the Open Supply Hub columns, optionally contact_name and
    contact_email), kept and matched: each row matched, suggested, to invite, or in error. Nothing is
    linked or invited yet. The same file again gives back the same list. A file that cannot be read:
    422 `file_refused`, the file, row and column named. Buyers' editors only (anyone else 404)."""
    try:
        made = onboarding.upload_supplier_list(
            file, name=(file.name or "file")[:100], size=file.size or 0, user=request.user
        )
    except CommonGroundError as exc:
        message = "; ".join(p.render(api_lang(request)) for p in exc.problems)
        return Status(422, {"code": "file_refused", "message": message})
    return Status(201, made)


@router.get("/supplier-lists/{list_id}", response={200: SupplierListOut, 404: ErrorOut})
def get_supplier_list(request: HttpRequest, list_id: int) -> Any:
    """A supplier list and what became of each row."""
    return onboarding.get_supplier_list(list_id, request.user)


@router.post("/supplier-lists/{list_id}/apply", response={202: JobOut, 404: ErrorOut, 422: ErrorOut})
def apply_supplier_list(request: HttpRequest, list_id: int, payload: DecisionsIn):  # type: ignore[no-untyped-def]
    """Each suggestion confirmed or rejected (`decisions`, by row number), then the list applied in one
    transaction by a background job (`GET /api/jobs/{job_id}` follows it): matched and confirmed
    facilities become the buyer's suppliers, the other factories are invited. 422 `invalid` when a
    suggestion is undecided, a row is in error, or the list is applied already."""
    supplier_list = onboarding.decide_suggestions(list_id, payload.decisions, user=request.user)
    return Status(202, {"job_id": onboarding.start_applying(supplier_list, user=request.user).pk})


@router.post(
    "/supplier-lists/{list_id}/grant-requests",
    response={200: ManyRequestsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def request_access_for_list(request: HttpRequest, list_id: int, payload: ListTermsIn) -> dict[str, Any]:
    """Access asked of every supplier the applied list matched, in one request (as
    `POST /api/grant-requests`: the same skips, one action against the limit)."""
    done = onboarding.request_access_for_list(list_id, user=request.user, **payload.dict())
    return {
        "sent": done.sent,
        "skipped": [{"facility_id": i, "reason": str(reason.value)} for i, reason in done.skipped],
    }


# ---- merging a duplicate record (decision 0040) ----------------------------------------------


class MergeIn(Schema):
    merged_id: int


class MergeOut(Schema):
    kept_id: int
    merged_id: int
    moved: dict[str, int]  # per kind of row: assessments, supply_links, grants, actions, adoptions, trainings
    took: dict[str, str]  # identifiers the kept facility took: os_id, tax_code


@router.post("/facilities/{facility_id}/merge", response={200: MergeOut, 404: ErrorOut, 409: ErrorOut})
def merge_facility(request: HttpRequest, facility_id: int, payload: MergeIn):  # type: ignore[no-untyped-def]
    """Merge the duplicate record `merged_id` into this facility, all or nothing: the administrators
    of the group owning both only (anyone else 404 `not_found`, or 409 `other_owner` when they see
    the other record but do not administer its group). 409 with `code` `periods`, `identifier`,
    `merged` or `same` when it cannot be done; nothing changed. Afterwards every address with the
    merged id answers 308 to the same address with the kept id."""
    try:
        done = merges.merge_facilities(facility_id, payload.merged_id, user=request.user)
    except merges.MergeRefused as exc:
        return Status(409, {"code": exc.code, "message": exc.message(api_lang(request))})
    return {"kept_id": done.kept.pk, "merged_id": done.merged.pk, "moved": done.moves, "took": done.takes}
