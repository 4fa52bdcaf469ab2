"""People and organisations: invitations by link, roles, the frameworks a buyer requires."""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from commonground.accounts.access import organisations_of
from commonground.accounts.models import BuyerCode, Invitation, Membership, Organisation, role_label
from commonground.core import regions
from commonground.core.errors import CommonGroundError, Lang, Problem
from commonground.core.framework_book import as_yaml, read_book, write_book
from commonground.core.library import SHIPPED, load_library
from commonground.core.sources import load_document, parse_yaml
from commonground.facilities.models import RequiredFramework

logger = logging.getLogger(__name__)
INVITATION_DAYS = 14
MAX_EMAIL = 254  # the longest address SMTP carries


def get_organisation_to_manage(organisation_id: int, user: Any) -> Organisation:
    """Only an organisation's administrators manage its people and settings."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Organisation.objects.get(
            pk=organisation_id, memberships__user=user, memberships__role=Membership.Role.ADMIN
        )
    except Organisation.DoesNotExist:
        raise Http404 from None


class Invited(NamedTuple):
    token: str  # shown once to the person who invites; only its hash is stored
    emailed: bool  # False when the mail server refused or could not be reached


def invite(organisation_id: int, *, user: Any, email: str, role: str, site: str = "") -> Invited:
    """Create an invitation and email its link to the invitee (Vietnamese first, English below);
    ValidationError naming each field in error. The invitation stands even when the email fails:
    the page then says so and shows the link to pass on."""
    organisation = get_organisation_to_manage(organisation_id, user)
    email = _checked_invitation(email, role)
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=user,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    link = (site or str(settings.SITE_URL)).rstrip("/") + reverse("accept_invitation", args=[token])
    return Invited(token, send_invitation(invitation, link))


def _checked_invitation(email: str, role: str) -> str:
    errors: dict[str, str] = {}
    email = str(email or "").strip()
    try:
        if len(email) > MAX_EMAIL:
            raise ValidationError("too long")
        EmailValidator()(email)
    except ValidationError:
        errors["email"] = gettext("Enter an email address, like name@example.com.")
    if role not in Membership.Role.values:
        errors["role"] = gettext("Choose a role for the person you invite.")
    if errors:
        raise ValidationError(errors)
    return email


def send_invitation(invitation: Invitation, link: str) -> bool:
    """One email in both languages, Vietnamese first (the invitee's language is not known yet);
    False when it could not be sent."""
    context = {"invitation": invitation, "link": link, "days": INVITATION_DAYS}
    parts = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            org = invitation.organisation
            context["org"] = org.name_vi if lang == "vi" and org.name_vi else org.name
            context["role"] = role_label(org.kind, invitation.role)
            subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
            parts[lang] = (subject, render_to_string("accounts/email/invitation.txt", context).strip())
    subject = " / ".join(parts[lang][0] for lang in ("vi", "en"))
    body = "\n\n----------\n\n".join(parts[lang][1] for lang in ("vi", "en"))
    try:
        send_mail(subject, body, None, [invitation.email])
    except (OSError, smtplib.SMTPException):
        logger.warning("invitation %s: the email could not be sent", invitation.pk, exc_info=True)
        return False
    return True


def set_province(organisation_id: int, province: str, *, user: Any) -> Organisation:
    """The province an authority or civil-society organisation works in ("" for none): its home
    page shows that province's sector indicators. One of the provinces in force today."""
    organisation = get_organisation_to_manage(organisation_id, user)
    province = str(province or "").strip()
    if province and province not in regions.provinces(timezone.localdate()):
        raise ValidationError({"province": gettext("Choose a province from the list.")})
    organisation.province = province
    organisation.save(update_fields=["province"])
    return organisation


def get_open_invitation(token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("organisation").get(
            token_hash=Invitation.hash_of(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
    except Invitation.DoesNotExist:
        raise Http404 from None


def accept_invitation(token: str, *, username: str, password: str) -> User:
    """A new account joins the organisation with the invited role; the link then stops working."""
    invitation = get_open_invitation(token)
    errors: dict[str, list[str]] = {}
    try:
        username = _checked_username(username)
    except ValidationError as exc:
        errors |= exc.message_dict
    try:
        validate_password(password)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:  # each field's refusal at once, shown beside it
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=invitation.email, password=password)
        Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


MAX_USERNAME = 150  # Django's User.username
_USERNAME = re.compile(r"[\w.@+-]+")  # Django's UnicodeUsernameValidator: no markup, no controls


def _checked_username(username: str) -> str:
    """A new username: letters, digits and @ . + - _ only (no markup, spaces or control
    characters), at most MAX_USERNAME characters, not taken; ValidationError on `username`."""
    username = str(username or "").strip()
    taken = gettext("Choose another username: this one is taken or empty.")
    if len(username) > MAX_USERNAME:
        message = gettext("A username has at most %(max)d characters.") % {"max": MAX_USERNAME}
    elif not username:
        message = taken
    elif not _USERNAME.fullmatch(username):  # before the database sees it (PostgreSQL refuses NUL)
        message = gettext("A username may use letters, digits and @ . + - _ only: no spaces or other signs.")
    elif User.objects.filter(username=username).exists():
        message = taken
    else:
        return username
    raise ValidationError({"username": message})


def set_required_frameworks(buyer_id: int, framework_ids: Iterable[str], *, user: Any) -> list[str]:
    """The frameworks a buyer requires of its suppliers (ids from the library)."""
    buyer = get_organisation_to_manage(buyer_id, user)
    if buyer.kind != Organisation.Kind.BUYER:
        raise ValidationError("not a buyer")
    from commonground.accounts.library import library

    known = library().frameworks
    wanted = list(dict.fromkeys(f for f in framework_ids if f in known))
    with transaction.atomic():
        RequiredFramework.objects.filter(buyer=buyer).exclude(framework_id__in=wanted).delete()
        for framework_id in wanted:
            RequiredFramework.objects.get_or_create(buyer=buyer, framework_id=framework_id)
    return wanted


def upload_code(buyer_id: int, text: str, *, user: Any) -> str:
    """Check a buyer's code against the library and keep it; its suppliers then answer it.

    Raises CommonGroundError (every problem, with its line) and stores nothing when it does not fit.
    """
    buyer = get_organisation_to_manage(buyer_id, user)
    framework_id = _framework_id(text)
    others = [
        (f"{c.framework_id}.yaml", c.text) for c in BuyerCode.objects.exclude(framework_id=framework_id)
    ]
    taken = BuyerCode.objects.filter(framework_id=framework_id).exclude(buyer=buyer).exists()
    if taken:
        raise CommonGroundError(
            [Problem("duplicate_id", "code.yaml", None, "id", {"id": framework_id, "first": "another buyer"})]
        )
    load_library(documents=[*others, ("code.yaml", text)], namespaced=True)
    with transaction.atomic():
        BuyerCode.objects.update_or_create(
            framework_id=framework_id, defaults={"buyer": buyer, "text": text, "uploaded_by": user}
        )
        RequiredFramework.objects.get_or_create(buyer=buyer, framework_id=framework_id)
    return framework_id


def upload_code_file(buyer_id: int, data: bytes, *, name: str, user: Any) -> str:
    """A buyer's code uploaded as a file: a library YAML file, or a workbook in the shape
    `commonground library export` writes (read back as YAML first, its problems named by sheet and
    row). Nothing is stored unless the whole code fits."""
    if not name.lower().endswith(".xlsx"):
        return upload_code(buyer_id, data.decode("utf-8", errors="replace"), user=user)
    get_organisation_to_manage(buyer_id, user)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "code.xlsx"
        path.write_bytes(data)
        book = read_book(path, name=PurePath(name).name[:100])
    try:
        return upload_code(buyer_id, as_yaml(book.raw), user=user)
    except CommonGroundError as exc:
        raise CommonGroundError(book.placed(exc.problems)) from None


def code_book(buyer_id: int, framework_id: str | None, *, user: Any, lang: Lang) -> tuple[bytes, str]:
    """A buyer's own code as a workbook to edit in Excel, or, without `framework_id`, the example
    buyer code to start from; and a file name for it."""
    buyer = get_organisation_to_manage(buyer_id, user)
    if framework_id:
        code = BuyerCode.objects.filter(buyer=buyer, framework_id=framework_id).first()
        if code is None:
            raise Http404
        raw, stem = parse_yaml(code.text, file="code.yaml"), code.framework_id
    else:
        raw, stem = _code_template(buyer), "code-template"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "code.xlsx"
        write_book(raw, path, lang)
        return path.read_bytes(), f"{stem}.xlsx"


def _code_template(buyer: Organisation) -> dict[str, Any]:
    """The example buyer code made the buyer's own: its id, name and publisher, ready to edit and
    upload as it is."""
    raw = dict(load_document(SHIPPED / "frameworks" / "example-buyer-code.yaml", trusted=True))
    name = buyer.name.replace("đ", "d").replace("Đ", "D")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    raw["id"] = f"{stem or 'buyer'}-code"[:60]
    raw["name"] = {
        "en": f"{buyer.name} supplier code of conduct",
        "vi": f"Bộ quy tắc ứng xử nhà cung cấp của {buyer.name}",
    }
    raw["source"] = {"publisher": buyer.name, "title": raw["name"]["en"]}
    return raw


def _framework_id(text: str) -> str:
    data = parse_yaml(text, file="code.yaml")
    if isinstance(data, dict) and ({"datapoints", "parameters"} & set(data)):
        line = getattr(data, "line", None)
        raise CommonGroundError([Problem("code_defines_facts", "code.yaml", line, "", {})])
    if not isinstance(data, dict) or "requirements" not in data or not isinstance(data.get("id"), str):
        raise CommonGroundError(
            [
                Problem(
                    "field_missing",
                    "code.yaml",
                    getattr(data, "line", None),
                    "",
                    {"field": "id, requirements"},
                )
            ]
        )
    return str(data["id"])


def organisations_to_manage(user: Any) -> Any:
    return organisations_of(user).filter(memberships__user=user, memberships__role=Membership.Role.ADMIN)
