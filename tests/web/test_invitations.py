"""Invitations are sent by email, to an address that is one; roles and provinces read right."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from commonground.accounts import services
from commonground.accounts.models import Invitation, Membership, Organisation
from tests.web.conftest import PASSWORD, client_for, member


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def admin(cast: dict[str, Any]) -> User:
    return member("ada", cast["facility"].owner, Membership.Role.ADMIN)


def _invite(org: Organisation, lang: str = "en", **fields: str) -> Any:
    return client_for("ada", lang).post(f"/organisations/{org.pk}/", {"action": "invite", **fields})


def test_an_invitation_is_emailed_in_vietnamese_then_english(cast: dict[str, Any], admin: User) -> None:
    org = cast["facility"].owner
    response = _invite(org, email="  lan@example.test ", role="editor")
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["lan@example.test"]
    assert "Lời mời tham gia" in sent.subject and "Invitation to join" in sent.subject
    assert sent.subject.index("Lời mời") < sent.subject.index("Invitation")
    body = sent.body
    assert "mời bạn tham gia" in body and "invites you to join" in body
    assert body.index("mời bạn tham gia") < body.index("invites you to join")
    assert "vai trò Biên tập" in body and "as Editor" in body
    link = re.search(r"https?://\S+/invitations/[\w-]+/", body)
    assert link is not None and link.group(0) in response.content.decode()
    path = link.group(0).split("testserver", 1)[1]
    assert (
        "Bạn tham gia với vai trò Biên tập." in Client(HTTP_ACCEPT_LANGUAGE="vi").get(path).content.decode()
    )
    assert Client().post(path, {"username": "lan", "password": PASSWORD}).status_code == 302
    assert Membership.objects.get(user__username="lan").organisation == org


def test_the_invitation_form_offers_the_least_role_first(cast: dict[str, Any], admin: User) -> None:
    page = client_for("ada").get(f"/organisations/{cast['facility'].owner.pk}/").content.decode()
    chosen = re.findall(r'<option value="(\w+)" selected>', page)
    assert chosen == ["viewer"], chosen
    refused = _invite(cast["facility"].owner, email="not-an-address", role="editor").content.decode()
    assert re.findall(r'<option value="(\w+)" selected>', refused) == ["editor"]  # as typed


@pytest.mark.parametrize(
    "email",
    [
        "not-an-address",
        "lan@",
        "@example.test",
        "lan@example",
        "lan example@example.test",
        "<script>alert(1)</script>@example.test",
        "a" * 250 + "@example.test",
        "",
        "lan@example.test\nBcc: everyone@example.test",
    ],
)
def test_a_non_address_is_refused_beside_the_field(cast: dict[str, Any], admin: User, email: str) -> None:
    org = cast["facility"].owner
    for lang, words in (("en", "Enter an email address"), ("vi", "Hãy nhập một địa chỉ email")):
        response = _invite(org, lang, email=email, role="viewer")
        page = response.content.decode()
        assert response.status_code == 400
        assert f'<p class="error" id="email-error" role="alert">{words}' in page
        assert "<script>alert" not in page
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_wrong_role_is_refused_and_the_address_kept(cast: dict[str, Any], admin: User) -> None:
    response = _invite(cast["facility"].owner, email="lan@example.test", role="owner")
    page = response.content.decode()
    assert response.status_code == 400 and "Choose a role for the person you invite." in page
    assert 'value="lan@example.test"' in page
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_service_refuses_what_the_page_refuses(cast: dict[str, Any], admin: User) -> None:
    org = cast["facility"].owner
    with pytest.raises(ValidationError) as refused:
        services.invite(org.pk, user=admin, email="x" * 10_000, role="x\x00")
    assert set(refused.value.message_dict) == {"email", "role"}


def test_a_verifier_is_called_a_verifier(cast: dict[str, Any]) -> None:
    lead = member("vera", cast["verifiers"], Membership.Role.ADMIN)
    page = client_for("vera", "en").get(f"/organisations/{cast['verifiers'].pk}/").content.decode()
    assert "<td>victor</td><td>Verifier</td>" in page and "Editor" not in page
    assert '<option value="editor">Verifier</option>' in page
    vi = client_for("vera", "vi").get(f"/organisations/{cast['verifiers'].pk}/").content.decode()
    assert "<td>victor</td><td>Thẩm tra viên</td>" in vi
    home = client_for("victor", "en").get("/").content.decode()
    assert "Verifier body, Verifier" in home
    assert lead.memberships.get().role_label == "Administrator"


@pytest.fixture
def authority(db: None) -> Organisation:
    org = Organisation.objects.create(name="Labour office", kind=Organisation.Kind.AUTHORITY)
    member("ada", org, Membership.Role.ADMIN)
    return org


def test_an_authority_chooses_its_province(authority: Organisation) -> None:
    client = client_for("ada", "vi")
    page = client.get(f"/organisations/{authority.pk}/").content.decode()
    assert '<option value="Thành phố Hồ Chí Minh">' in page
    saved = client.post(
        f"/organisations/{authority.pk}/", {"action": "province", "province": "Thành phố Hồ Chí Minh"}
    )
    assert saved.status_code == 302
    authority.refresh_from_db()
    assert authority.province == "Thành phố Hồ Chí Minh"


@pytest.mark.parametrize(
    "province", ["Hogwarts", "x" * 5000, "Thành phố Hồ Chí Minh\x00", "<b>Hà Nội</b>", "1e300", "HCM"]
)
def test_a_province_not_in_the_list_is_refused(authority: Organisation, province: str) -> None:
    authority.province = "Tỉnh Đồng Nai"
    authority.save()
    for lang, words in (("en", "Choose a province from the list."), ("vi", "Hãy chọn một tỉnh, thành phố")):
        response = client_for("ada", lang).post(
            f"/organisations/{authority.pk}/", {"action": "province", "province": province}
        )
        assert response.status_code == 400
        assert words in response.content.decode() or "\x00" in province
    authority.refresh_from_db()
    assert authority.province == "Tỉnh Đồng Nai"


def test_only_an_administrator_sets_the_province(authority: Organisation) -> None:
    member("olga", authority, Membership.Role.VIEWER)
    response = client_for("olga").post(
        f"/organisations/{authority.pk}/", {"action": "province", "province": "Tỉnh Đồng Nai"}
    )
    assert response.status_code == 404
    authority.refresh_from_db()
    assert authority.province == ""


def _email_settings(**env: str) -> list[str]:
    code = (
        "from commonground.config import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_PASSWORD)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "SECRET_KEY": "test", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_email_goes_to_the_console_until_a_host_is_set(tmp_path: Path) -> None:
    assert _email_settings()[0] == "django.core.mail.backends.console.EmailBackend"
    secret = tmp_path / "password"
    secret.write_text("s3cret\n", encoding="utf-8")
    smtp = _email_settings(
        EMAIL_HOST="smtp.example.test", EMAIL_PORT="2525", EMAIL_HOST_PASSWORD_FILE=str(secret)
    )
    assert smtp == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.test",
        "2525",
        "True",
        "s3cret",
    ]


def test_when_the_mail_server_fails_the_link_is_still_given(
    cast: dict[str, Any], admin: User, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = _invite(cast["facility"].owner, "vi", email="lan@example.test", role="viewer")
    page = response.content.decode()
    assert response.status_code == 200 and "không gửi được" in page
    assert re.search(r"/invitations/[\w-]+/", page) and Invitation.objects.count() == 1
