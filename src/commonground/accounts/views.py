"""Organisation pages: members and invitations, a buyer's frameworks; accepting an invitation."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts import services, throttle
from commonground.accounts.library import library
from commonground.accounts.models import BuyerCode, Membership, Organisation, role_choices, role_label
from commonground.core import regions
from commonground.core.errors import CommonGroundError, Lang
from commonground.core.sources import MAX_FILE_BYTES, check_size
from commonground.core.spreadsheet import XLSX_TYPE
from commonground.facilities.models import RequiredFramework


@login_required
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = services.get_organisation_to_manage(organisation_id, request.user)
    lang: Lang = "vi" if request.LANGUAGE_CODE == "vi" else "en"
    action, problems = request.POST.get("action"), []
    if request.method == "POST" and action in ("frameworks", "code") and org.kind != Organisation.Kind.BUYER:
        raise Http404  # only a buyer requires frameworks or keeps a code: no such form here
    least = {"role": Membership.Role.VIEWER}  # an invitation gives the least role unless another is chosen
    context: dict[str, Any] = {"link": None, "emailed": False, "errors": {}, "typed": least}
    if request.method == "POST" and action == "invite":
        context.update(_invite(request, organisation_id))
    if request.method == "POST" and action == "province":
        try:
            services.set_province(organisation_id, request.POST.get("province", ""), user=request.user)
            messages.success(request, _("The province is saved."))
            return redirect("organisation", organisation_id)
        except ValidationError as exc:
            context["errors"] = {k: " ".join(v) for k, v in exc.message_dict.items()}
    if request.method == "POST" and action == "frameworks":
        services.set_required_frameworks(
            organisation_id, request.POST.getlist("framework"), user=request.user
        )
        messages.success(request, _("The frameworks you require are saved."))
        return redirect("organisation", organisation_id)
    if request.method == "POST" and action == "code":
        upload = request.FILES.get("code")
        try:
            if upload:  # read no more than the limit: the service refuses a longer file
                check_size(upload.size or 0, file="code.yaml")
            if upload:
                data = upload.read(MAX_FILE_BYTES + 1)
                name = upload.name or "code.yaml"
                framework_id = services.upload_code_file(organisation_id, data, name=name, user=request.user)
            else:
                framework_id = services.upload_code(
                    organisation_id, request.POST.get("text", ""), user=request.user
                )
            messages.success(
                request,
                _("Your code %(id)s is checked and saved; your suppliers now answer it.")
                % {"id": framework_id},
            )
            return redirect("organisation", organisation_id)
        except CommonGroundError as exc:
            problems = [p.render(lang) for p in exc.problems]
    required = set(RequiredFramework.objects.filter(buyer=org).values_list("framework_id", flat=True))
    frameworks = [(f.id, f.spec.name.get(lang), f.id in required) for f in library().frameworks.values()]
    context |= {
        "organisation": org,
        "roles": role_choices(org.kind),
        "problems": problems,
        "members": org.memberships.select_related("user", "organisation"),
        "is_buyer": org.kind == Organisation.Kind.BUYER,
        "has_province": org.kind in (Organisation.Kind.AUTHORITY, Organisation.Kind.CSO),
        "provinces": regions.provinces(timezone.localdate()),
        "frameworks": frameworks,
        "codes": BuyerCode.objects.filter(buyer=org).values_list("framework_id", flat=True),
    }
    refused = bool(problems or context["errors"])
    return render(request, "accounts/organisation.html", context, status=400 if refused else 200)


@login_required
def code_book(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """A buyer's code (`?framework=ID`), or the example code to start from, as an Excel workbook."""
    lang: Lang = "vi" if request.LANGUAGE_CODE == "vi" else "en"
    org = services.get_organisation_to_manage(organisation_id, request.user)
    if org.kind != Organisation.Kind.BUYER:
        raise Http404
    wanted = request.GET.get("framework", "")[:100] or None
    data, name = services.code_book(organisation_id, wanted, user=request.user, lang=lang)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _invite(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    """Invite by email: the link is shown and emailed; a refusal is shown beside its field."""
    typed = {"email": request.POST.get("email", "")[:300], "role": request.POST.get("role", "")}
    try:
        invited = services.invite(
            organisation_id, user=request.user, site=request.build_absolute_uri("/"), **typed
        )
    except ValidationError as exc:
        return {"errors": {k: " ".join(v) for k, v in exc.message_dict.items()}, "typed": typed}
    link = request.build_absolute_uri(reverse("accept_invitation", args=[invited.token]))
    email = typed["email"].strip()
    if invited.emailed:
        messages.success(request, _("The invitation is emailed to %(email)s.") % {"email": email})
    else:
        messages.warning(
            request,
            _("The email to %(email)s could not be sent: give the person this link yourself.")
            % {"email": email},
        )
    return {"link": link, "emailed": invited.emailed}


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.get_open_invitation(token)
    errors: dict[str, str] = {}
    typed = str(request.POST.get("username", ""))[: services.MAX_USERNAME + 1]
    if request.method == "POST":
        try:
            user = services.accept_invitation(
                token, username=request.POST.get("username", ""), password=request.POST.get("password", "")
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
    return render(
        request,
        "accounts/accept.html",
        {
            "invitation": invitation,
            "errors": errors,
            "typed": typed,
            "role": role_label(invitation.organisation.kind, invitation.role),
        },
        status=400 if errors else 200,
    )


class PasswordReset(auth_views.PasswordResetView):
    """Django's reset page, with its mails limited per address and per network (accounts.throttle).
    Every valid request counts, whether or not an account has the address: the page says the same."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        try:
            throttle.count("password_reset:address", form.cleaned_data["email"].strip().lower())
            throttle.count("password_reset:ip", get_client_ip_address(self.request) or "")
        except throttle.Throttled as exc:
            lang: Lang = "vi" if self.request.LANGUAGE_CODE == "vi" else "en"
            context = self.get_context_data(form=form, throttled=exc.message(lang))
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().form_valid(form)
