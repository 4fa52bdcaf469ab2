"""The one NinjaAPI: OpenAPI 3 at /api/openapi.json, docs served locally at /api/docs.

Every endpoint calls the same services and the same access helper as the pages; errors are JSON
with a stable code and a message in the language asked for (Accept-Language: vi or en).
"""

from __future__ import annotations

import json
import logging
import math
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaInvalid
from ninja.parser import Parser
from ninja.security import django_auth

from commonground.accounts.throttle import Throttled
from commonground.accounts.tokens import ReadOnlyToken, TokenAuth
from commonground.actions.api import router as actions_router
from commonground.assessments.api import router as assessments_router
from commonground.assessments.evidence import EvidenceRefused
from commonground.assessments.services import AnswerRefused, Locked, PeriodRefused
from commonground.assessments.verification import StillPending, VerificationRefused
from commonground.assessments.verification_api import router as verification_router
from commonground.common.language import api_lang
from commonground.core.i18n import gettext, gettext_noop
from commonground.facilities.api import router as facilities_router
from commonground.improvement.api import router as improvement_router
from commonground.jobs.api import router as jobs_router
from commonground.sharing.api import router as sharing_router
from commonground.sharing.services import NotABuyer, RequestPending

logger = logging.getLogger("commonground.api")

MAX_DEPTH = 32  # no body of this API nests deeper than a few levels
INT_RANGE = 2**63  # the database's integers: a JSON number beyond them names nothing and fits nowhere

# Why a JSON body is refused before its schema is read, in English; their Vietnamese is in the catalogue.
BODY_PROBLEMS = {
    "surrogate": gettext_noop("text that is not valid Unicode (a lone surrogate)"),
    "not_finite": gettext_noop("a number that is not finite (NaN, Infinity or beyond 1e308)"),
    "out_of_range": gettext_noop("a whole number beyond the 64-bit range"),
    "too_deep": gettext_noop("nested too deeply"),
    "not_json": gettext_noop("this operation reads a JSON body (Content-Type: application/json)"),
}


class BodyRefused(Exception):
    """A JSON body that no schema should see: `where` is the path of the value (a.b.0), `problem`
    a key of BODY_PROBLEMS."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


class CheckedJson(Parser):
    """The one JSON reader of the API. Python's json reads more than JSON (NaN, Infinity, 1e400 as
    inf, lone surrogates from escapes, integers of any size) and recurses on nesting; each of these
    would reach the database or a computation and fail there. They are refused here, for every
    endpoint at once, naming the value's place; ninja answers a parse failure with 400."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body)
        except RecursionError:
            raise BodyRefused("", "too_deep") from None
        check_json(data)
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        """A query's (or a form's) values as ninja reads them; a whole number beyond 64 bits is
        refused here, whichever parameter holds it (an id or a filter the database would compare)."""
        for key in data:
            for value in data.getlist(key):
                if (
                    isinstance(value, str)
                    and _WHOLE.fullmatch(value)
                    and not -INT_RANGE <= int(value) < INT_RANGE
                ):
                    raise BodyRefused(key, "out_of_range")
        return super().parse_querydict(data, list_fields, request)


def check_json(data: Any) -> None:
    """Raise BodyRefused for the first value no endpoint may take (iterative: any depth is safe)."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, at = stack.pop()
        if len(at) > MAX_DEPTH:
            raise BodyRefused(".".join(at[:3]) + "…", "too_deep")
        if isinstance(value, dict):
            for key, item in value.items():
                if _has_surrogate(key):
                    raise BodyRefused(".".join(at), "surrogate")
                stack.append((item, (*at, key)))
        elif isinstance(value, list):
            stack.extend((item, (*at, str(i))) for i, item in enumerate(value))
        elif isinstance(value, str) and _has_surrogate(value):
            raise BodyRefused(".".join(at), "surrogate")
        elif isinstance(value, float) and not math.isfinite(value):
            raise BodyRefused(".".join(at), "not_finite")
        elif isinstance(value, int) and not isinstance(value, bool) and not -INT_RANGE <= value < INT_RANGE:
            raise BodyRefused(".".join(at), "out_of_range")


_WHOLE = re.compile(r"\s*[+-]?[0-9]+\s*")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


api = NinjaAPI(
    title="Common Ground API",
    version="1",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    parser=CheckedJson(),
)
api.add_router("/", facilities_router)
api.add_router("/", assessments_router)
api.add_router("/", verification_router)
api.add_router("/", sharing_router)
api.add_router("/", actions_router)
api.add_router("/", improvement_router)
api.add_router("/", jobs_router)

# The API's messages, in English; their Vietnamese is in the catalogue (decision 0014).
TEXTS = {
    "not_found": gettext_noop("not found"),
    "unauthorized": gettext_noop("a valid token or session is needed (read-only tokens cannot change data)"),
    "read_only": gettext_noop("this token is read-only: it cannot change data"),
    "too_large": gettext_noop("the request body is too large"),
    "server_error": gettext_noop("something went wrong on the server; the error is logged"),
    "locked": gettext_noop("this assessment can no longer be changed"),
    "invalid": gettext_noop("invalid request: {detail}"),
    "pending": gettext_noop("{n} answers are neither confirmed nor corrected yet"),
    "request_pending": gettext_noop("a request sent on {since} is still waiting for the facility's decision"),
}
# Each message in each language, read from the catalogue once.
MESSAGES = {code: {lang: gettext(text, lang) for lang in ("en", "vi")} for code, text in TEXTS.items()}


def error(request: HttpRequest, code: str, status: int, **params: str) -> HttpResponse:
    message = MESSAGES[code][api_lang(request)].format(**params)
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, "not_found", 404)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, "unauthorized", 401)


@api.exception_handler(ReadOnlyToken)
def _read_only(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, "read_only", 403)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, "too_large", 413)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A request Django refuses to read (too many fields, a malformed header): 400, same shape."""
    return error(request, "invalid", 400, detail=type(exc).__name__)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen: logged with its traceback, answered in the one error shape."""
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return error(request, "server_error", 500)


@api.exception_handler(Locked)
def _locked(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, "locked", 409)


@api.exception_handler(AnswerRefused)
def _refused(request: HttpRequest, exc: AnswerRefused) -> HttpResponse:
    body = {
        "code": exc.problem.code,
        "message": exc.problem.message(api_lang(request)),
        "field": exc.problem.where,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(SchemaInvalid)
def _schema_invalid(request: HttpRequest, exc: SchemaInvalid) -> HttpResponse:
    """A body or query that does not fit the endpoint's schema: the same error shape as the rest."""
    first: dict[str, Any] = dict(exc.errors[0]) if exc.errors else {}
    parts = [str(p) for p in first.get("loc", ())[1:]]
    parts = parts[1:] if parts[:1] == ["payload"] else parts  # the body's own field names
    where = ".".join(parts)[:100]
    detail = f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))
    body = {"code": "invalid", "message": MESSAGES["invalid"][api_lang(request)].format(detail=detail)}
    return api.create_response(request, {**body, "field": parts[0][:100] if parts else ""}, status=422)


@api.exception_handler(BodyRefused)
def _body_refused(request: HttpRequest, exc: BodyRefused) -> HttpResponse:
    return _refused_value(request, exc)


def _refused_value(request: HttpRequest, exc: BodyRefused) -> HttpResponse:
    lang = api_lang(request)
    problem = gettext(BODY_PROBLEMS[exc.problem], lang)
    detail = f"{exc.where}: {problem}" if exc.where else problem
    body = {"code": "invalid", "message": MESSAGES["invalid"][lang].format(detail=detail)}
    return api.create_response(request, {**body, "field": exc.where.split(".")[0][:100]}, status=422)


@api.exception_handler(RawPostDataException)
def _not_json(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A form (multipart or urlencoded) sent where the operation reads a JSON body: 415."""
    detail = gettext(BODY_PROBLEMS["not_json"], api_lang(request))
    return error(request, "invalid", 415, detail=detail)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals (a body that is not JSON: 400) in the same error shape; a body refused
    by CheckedJson is 422, naming the value's place as a schema error does."""
    cause = exc.__cause__
    if isinstance(cause, BodyRefused):
        return _refused_value(request, cause)
    if isinstance(cause, RequestDataTooBig):
        return error(request, "too_large", 413)
    return error(request, "invalid", exc.status_code, detail=str(exc.message)[:200])


@api.exception_handler(StillPending)
def _pending(request: HttpRequest, exc: StillPending) -> HttpResponse:
    message = MESSAGES["pending"][api_lang(request)].format(n=len(exc.datapoints))
    body = {"code": "pending", "message": message, "pending": exc.datapoints}
    return api.create_response(request, body, status=409)


@api.exception_handler(RequestPending)
def _request_pending(request: HttpRequest, exc: RequestPending) -> HttpResponse:
    """The organisation asked this facility already and the facility has not decided yet."""
    day = timezone.localtime(exc.since).strftime("%d/%m/%Y" if api_lang(request) == "vi" else "%Y-%m-%d")
    return error(request, "request_pending", 409, since=day)


@api.exception_handler(VerificationRefused)
def _verification_refused(request: HttpRequest, exc: VerificationRefused) -> HttpResponse:
    body = {"code": exc.code, "message": exc.explain(api_lang(request)), "field": exc.field}
    return api.create_response(request, body, status=422)


@api.exception_handler(PeriodRefused)
def _period_refused(request: HttpRequest, exc: PeriodRefused) -> HttpResponse:
    body = {"code": exc.code, "message": exc.explain(api_lang(request)), "field": exc.field}
    return api.create_response(request, body, status=422)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error(request, "invalid", 422, detail="; ".join(exc.messages))


@api.exception_handler(EvidenceRefused)
def _evidence_refused(request: HttpRequest, exc: EvidenceRefused) -> HttpResponse:
    field = "datapoint" if exc.code == "datapoint_unknown" else "file"
    body = {"code": exc.code, "message": exc.message(api_lang(request)), "field": field}
    return api.create_response(request, body, status=422)


@api.exception_handler(DataError)
def _data_refused(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot store or compare (PostgreSQL refuses NUL characters in text)."""
    return error(request, "invalid", 422, detail=str(exc).splitlines()[0])


@api.exception_handler(NotABuyer)
def _not_a_buyer(request: HttpRequest, exc: NotABuyer) -> HttpResponse:
    body = {"code": "not_a_buyer", "message": exc.message(api_lang(request))}
    return api.create_response(request, body, status=403)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """Over an abuse limit (accounts.throttle): 429, and when to try again."""
    body = {"code": "throttled", "message": exc.message(api_lang(request))}
    response = api.create_response(request, body, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
