"""Invitations by link, password reset, and a buyer declaring the frameworks it requires."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.utils import timezone

from commonground.accounts import services
from commonground.accounts.models import BuyerCode, Invitation, Membership
from commonground.assessments.evaluations import frameworks_for
from commonground.assessments.services import create_assessment, evaluate_assessment, save_answer
from commonground.facilities.models import RequiredFramework
from tests.web.conftest import PASSWORD, client_for


@pytest.fixture
def admin(cast: dict[str, Any]) -> User:
    cast_org = cast["facility"].owner
    user = User.objects.create_user("ada", "ada@example.test", PASSWORD)
    Membership.objects.create(user=user, organisation=cast_org, role=Membership.Role.ADMIN)
    return user


def test_an_invitation_link_makes_a_member_once(cast: dict[str, Any], admin: User) -> None:
    org = cast["facility"].owner
    page = (
        client_for("ada")
        .post(
            f"/organisations/{org.pk}/", {"action": "invite", "email": "lan@example.test", "role": "editor"}
        )
        .content.decode()
    )
    link = re.search(r"/invitations/[\w-]+/", page)
    assert link is not None
    assert Invitation.objects.get().token_hash not in page  # the token is shown, only its hash is stored
    visitor = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert "Tham gia" in visitor.get(link.group(0)).content.decode()
    weak = visitor.post(link.group(0), {"username": "lan", "password": "short"})
    assert weak.status_code == 400 and not User.objects.filter(username="lan").exists()
    assert visitor.post(link.group(0), {"username": "lan", "password": PASSWORD}).status_code == 302
    assert Membership.objects.get(user__username="lan").role == "editor"
    assert Client().get(link.group(0)).status_code == 404  # used once


def test_only_administrators_manage_and_expired_links_fail(cast: dict[str, Any], admin: User) -> None:
    org = cast["facility"].owner
    for name in ("alice", "bob", "charlie"):
        assert client_for(name).get(f"/organisations/{org.pk}/").status_code == 404
    token = services.invite(org.pk, user=admin, email="x@example.test", role="viewer").token
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Http404):
        services.accept_invitation(token, username="x", password=PASSWORD)


def test_password_reset_by_email(cast: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Forgot your password?" in client.get("/accounts/login/").content.decode()
    assert client.post("/accounts/password-reset/", {"email": "alice@example.test"}).status_code == 302
    assert len(mail.outbox) == 1 and "reset" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    new = "another-long-password-2"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert Client().post("/accounts/login/", {"username": "alice", "password": new}).status_code == 302


def test_a_buyer_declares_the_frameworks_its_suppliers_answer(cast: dict[str, Any]) -> None:
    buyer = cast["buyer"]
    boss = User.objects.create_user("bao", "bao@example.test", PASSWORD)
    Membership.objects.create(user=boss, organisation=buyer, role=Membership.Role.ADMIN)
    page = client_for("bao").get(f"/organisations/{buyer.pk}/").content.decode()
    assert "Frameworks you require of your suppliers" in page and 'value="sa8000" checked' in page
    client_for("bao").post(
        f"/organisations/{buyer.pk}/",
        {"action": "frameworks", "framework": ["eti-base-code", "no-such-code"]},
    )
    assert list(RequiredFramework.objects.values_list("framework_id", flat=True)) == ["eti-base-code"]
    assert frameworks_for(cast["facility"])[-1] == "eti-base-code"


EXAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand" / "code.yaml").read_text(
    encoding="utf-8"
)


def test_a_buyer_uploads_its_own_code_and_suppliers_are_evaluated_against_it(cast: dict[str, Any]) -> None:
    buyer = cast["buyer"]
    boss = User.objects.create_user("bao", "bao@example.test", PASSWORD)
    Membership.objects.create(user=boss, organisation=buyer, role=Membership.Role.ADMIN)
    client = client_for("bao", "vi")
    broken = EXAMPLE.replace("working_time.overtime_hours_month_max", "working_time.overtime_month", 1)
    refused = client.post(
        f"/organisations/{buyer.pk}/",
        {"action": "code", "code": SimpleUploadedFile("code.yaml", broken.encode())},
    )
    assert refused.status_code == 400
    assert "không có điểm dữ liệu &#x27;working_time.overtime_month&#x27;" in refused.content.decode()
    assert not BuyerCode.objects.exists()
    saved = client.post(
        f"/organisations/{buyer.pk}/",
        {"action": "code", "code": SimpleUploadedFile("code.yaml", EXAMPLE.encode())},
    )
    assert saved.status_code == 302 and BuyerCode.objects.get().framework_id == "my-brand-code"
    assert "my-brand-code" in frameworks_for(cast["facility"])
    assessment = create_assessment(
        cast["facility"].pk, user=cast["alice"], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    save_answer(assessment.pk, "working_time.overtime_hours_month_max", 38, user=cast["alice"])
    finding = next(
        f
        for f in evaluate_assessment(assessment.pk, user=cast["alice"]).findings
        if f.datapoint == "working_time.overtime_hours_month_max"
    )
    assert "my-brand-code" in finding.frameworks


def test_passwords_are_hashed_with_argon2(db: None, settings: Any) -> None:
    from commonground.config import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS  # the project's own, not the tests' fast one
    user = User.objects.create_user("argon", "a@example.test", PASSWORD)
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD) and not user.check_password("wrong")


def _my_brand_book(tmp_path: Path, severity: str = "major") -> bytes:
    from openpyxl import load_workbook

    from commonground.core.framework_book import write_book
    from commonground.core.sources import parse_yaml

    path = tmp_path / "code.xlsx"
    write_book(parse_yaml(EXAMPLE, file="code.yaml"), path, "vi")
    wb = load_workbook(path)
    ws = wb["requirements"]
    keys = [c.value for c in ws[2]]
    ws.cell(3, keys.index("severity") + 1, severity)
    wb.save(path)
    return path.read_bytes()


def test_a_buyer_writes_its_code_in_excel(cast: dict[str, Any], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    buyer = cast["buyer"]
    boss = User.objects.create_user("bao", "bao@example.test", PASSWORD)
    Membership.objects.create(user=boss, organisation=buyer, role=Membership.Role.ADMIN)
    client = client_for("bao", "vi")
    page = client.get(f"/organisations/{buyer.pk}/").content.decode()
    assert "Sổ tính mẫu" in page and 'accept=".yaml,.yml,.xlsx"' in page
    template = client.get(f"/organisations/{buyer.pk}/code.xlsx")
    assert template.status_code == 200 and "code-template.xlsx" in template["Content-Disposition"]
    (tmp_path / "t.xlsx").write_bytes(template.content)
    own_id = load_workbook(tmp_path / "t.xlsx")["framework"]["C2"].value
    assert own_id != "example-buyer-code" and own_id.endswith("-code")  # the buyer's own, ready to upload
    refused = client.post(
        f"/organisations/{buyer.pk}/",
        {"action": "code", "code": SimpleUploadedFile("my code.xlsx", _my_brand_book(tmp_path, "awful"))},
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "my code.xlsx: requirements › E3 › severity" in html
    assert not BuyerCode.objects.exists()
    broken = client.post(
        f"/organisations/{buyer.pk}/",
        {"action": "code", "code": SimpleUploadedFile("hỏng.xlsx", b"PK\x03\x04 not a workbook")},
    )
    assert broken.status_code == 400 and "hỏng.xlsx" in broken.content.decode()
    saved = client.post(
        f"/organisations/{buyer.pk}/",
        {"action": "code", "code": SimpleUploadedFile("code.xlsx", _my_brand_book(tmp_path))},
    )
    assert saved.status_code == 302 and BuyerCode.objects.get().framework_id == "my-brand-code"
    assert "my-brand-code" in frameworks_for(cast["facility"])
    mine = client.get(f"/organisations/{buyer.pk}/code.xlsx?framework=my-brand-code")
    (tmp_path / "mine.xlsx").write_bytes(mine.content)
    assert load_workbook(tmp_path / "mine.xlsx")["framework"]["C2"].value == "my-brand-code"
    assert client.get(f"/organisations/{buyer.pk}/code.xlsx?framework=sa8000").status_code == 404
    as_given = client.post(
        f"/organisations/{buyer.pk}/",
        {"action": "code", "code": SimpleUploadedFile("template.xlsx", template.content)},
    )
    assert as_given.status_code == 302 and BuyerCode.objects.filter(framework_id=own_id).exists()


def test_only_a_buyers_admin_downloads_its_code_workbook(cast: dict[str, Any], admin: User) -> None:
    factory = cast["facility"].owner
    assert client_for("ada").get(f"/organisations/{factory.pk}/code.xlsx").status_code == 404
    assert client_for("ada").get(f"/organisations/{cast['buyer'].pk}/code.xlsx").status_code == 404
