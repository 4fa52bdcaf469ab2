"""A buyer's code upload refuses the YAML alias bomb and an over-size file with a short message;
an invitation refuses a username with markup, control characters or too many characters."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commonground.accounts import services
from commonground.accounts.models import BuyerCode, Membership
from tests.bounds_cases import alias_bomb, oversize
from tests.web.conftest import PASSWORD, client_for, member

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand" / "code.yaml"


@pytest.fixture
def buyer_admin(cast: dict[str, Any]) -> Client:
    member("bao", cast["buyer"], Membership.Role.ADMIN)
    return client_for("bao", "vi")


def _upload(client: Client, cast: dict[str, Any], text: str) -> Any:
    return client.post(
        f"/organisations/{cast['buyer'].pk}/",
        {"action": "code", "code": SimpleUploadedFile("code.yaml", text.encode())},
    )


def test_the_alias_bomb_is_refused_quickly_and_briefly(cast: dict[str, Any], buyer_admin: Client) -> None:
    started = time.perf_counter()
    refused = _upload(buyer_admin, cast, alias_bomb())
    assert time.perf_counter() - started < 30  # a guard only; the bench measures it
    page = refused.content.decode()
    assert refused.status_code == 400 and "không chấp nhận neo (&amp;) và bí danh (*)" in page
    assert len(page) < 200_000 and page.count("lol") == 0
    english = client_for("bao", "en")
    assert (
        "anchors (&amp;) and aliases (*) are not accepted"
        in _upload(english, cast, alias_bomb()).content.decode()
    )
    assert not BuyerCode.objects.exists()


def test_an_oversize_code_is_refused(cast: dict[str, Any], buyer_admin: Client) -> None:
    refused = _upload(buyer_admin, cast, oversize())
    assert refused.status_code == 400 and "nhiều hơn mức 1000000 byte" in refused.content.decode()
    assert not BuyerCode.objects.exists()


def test_a_normal_code_still_loads(cast: dict[str, Any], buyer_admin: Client) -> None:
    saved = _upload(buyer_admin, cast, EXAMPLE.read_text(encoding="utf-8"))
    assert saved.status_code == 302 and BuyerCode.objects.get().framework_id == "my-brand-code"


def _link(cast: dict[str, Any]) -> str:
    member("ada", cast["facility"].owner, Membership.Role.ADMIN)
    invited = services.invite(
        cast["facility"].owner.pk,
        user=User.objects.get(username="ada"),
        email="lan@example.test",
        role="editor",
    )
    return f"/invitations/{invited.token}/"


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("<script>alert(1)</script>", "only: no spaces or other signs"),
        ("lan\u202eadmin", "only: no spaces or other signs"),
        ("lan nguyen", "only: no spaces or other signs"),
        ("x" * 151, "at most 150 characters"),
        ("   ", "this one is taken or empty"),
    ],
)
def test_a_hostile_username_is_refused_beside_its_field(
    cast: dict[str, Any], username: str, expected: str
) -> None:
    link = _link(cast)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(link, {"username": username, "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 400 and expected in page
    assert re.search(r'id="err_username"[^>]*>[^<]*' + re.escape(expected), page)
    assert "<script>alert" not in page
    assert User.objects.filter(username__startswith="lan").count() == 0


def test_the_service_refuses_nul_and_surrogates_in_a_username(cast: dict[str, Any]) -> None:
    token = _link(cast).split("/")[2]
    for username in ("lan\x00", "lan\ud800", "lan\u200b", "la\nn"):
        with pytest.raises(ValidationError) as refused:
            services.accept_invitation(token, username=username, password=PASSWORD)
        assert list(refused.value.message_dict) == ["username"]
    assert not User.objects.filter(username__startswith="lan").exists()


def test_a_good_username_joins_and_a_weak_password_is_refused_beside_its_field(cast: dict[str, Any]) -> None:
    link = _link(cast)
    weak = Client(HTTP_ACCEPT_LANGUAGE="vi").post(link, {"username": "Lê_Lan", "password": "123"})
    assert weak.status_code == 400 and 'id="err_password"' in weak.content.decode()
    assert 'value="Lê_Lan"' in weak.content.decode()
    both = (
        Client(HTTP_ACCEPT_LANGUAGE="vi").post(link, {"username": "<b>", "password": "123"}).content.decode()
    )
    assert "chỉ được dùng chữ cái, chữ số" in both and 'id="err_password"' in both
    assert Client().post(link, {"username": "Lê_Lan", "password": PASSWORD}).status_code == 302
    assert User.objects.filter(username="Lê_Lan").exists()


def test_a_code_that_defines_its_own_facts_is_refused_saying_where_they_go(
    cast: dict[str, Any], buyer_admin: Client
) -> None:
    facts = "topic: {id: x_mybrand, name: {en: Own, vi: Riêng}}\ndatapoints: []\n"
    refused = _upload(buyer_admin, cast, facts)
    page = refused.content.decode()
    assert refused.status_code == 400 and "không thể định nghĩa điểm dữ liệu hay tham số" in page
    assert "x_&lt;tổ-chức&gt;" in page
    english = _upload(client_for("bao", "en"), cast, facts).content.decode()
    assert "it cannot define data points or parameters" in english
    assert not BuyerCode.objects.exists()
