"""Requests no view should see (a NUL character) and the error pages, in the reader's language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.test import Client

from commonground.accounts.models import Membership
from commonground.accounts.tokens import create_token
from commonground.assessments.models import Answer, Assessment
from commonground.sharing.models import AccessLogEntry
from tests.web.conftest import client_for, member


def test_a_nul_character_in_a_page_filter_is_a_400_page_in_the_readers_language(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    for lang, text in (("vi", "Yêu cầu bị từ chối"), ("en", "Request refused")):
        response = client_for("alice", lang).get(f"/facilities/{cast['facility'].pk}/?period=a%00b")
        assert response.status_code == 400
        assert text in response.content.decode()
    member("bao", cast["buyer"], Membership.Role.VIEWER)
    assert client_for("bao").get("/portfolio/?province=%00").status_code == 400
    assert not AccessLogEntry.objects.exists()  # refused before anything was read


def test_a_nul_character_in_a_form_stores_nothing(cast: dict[str, Any], assessment: Assessment) -> None:
    alice = client_for("alice", "vi")
    url = f"/assessments/{assessment.pk}/answer"
    form = {"datapoint": "facility.workers_total", "value": "12\x0034"}
    as_urlencoded = urlencode(form), "application/x-www-form-urlencoded"
    for response in (alice.post(url, form), alice.post(url, *as_urlencoded)):  # multipart, then urlencoded
        assert response.status_code == 400 and "Yêu cầu bị từ chối" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()
    assert alice.post(url, {"datapoint": "facility.workers_total", "value": "1234"}).status_code == 302


def test_a_nul_character_in_an_api_filter_is_the_usual_json_error(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    token = create_token(cast["alice"], name="x")
    for lang, start in (("vi", "yêu cầu không hợp lệ"), ("en", "invalid request")):
        response = Client().get(
            "/api/facilities?sector=a%00b", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=lang
        )
        assert response.status_code == 422
        assert response.json()["code"] == "invalid" and response.json()["message"].startswith(start)


def test_a_page_that_does_not_exist_says_so_in_the_readers_language(cast: dict[str, Any]) -> None:
    vi = client_for("alice", "vi").get("/facilities/999999/")
    assert vi.status_code == 404 and "Không tìm thấy trang" in vi.content.decode()
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    assert en.status_code == 404 and "Page not found" in en.content.decode()


def test_an_expired_form_says_so_and_stores_nothing(cast: dict[str, Any], assessment: Assessment) -> None:
    alice = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="vi")
    alice.force_login(cast["alice"])
    url = f"/assessments/{assessment.pk}/answer"
    response = alice.post(url, {"datapoint": "facility.workers_total", "value": "1234"})  # no CSRF token
    assert response.status_code == 403 and "Biểu mẫu đã hết hạn" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_the_server_error_page_needs_nothing_and_speaks_both_languages() -> None:
    page = render_to_string("500.html")  # rendered by Django without a request or a database
    assert "Lỗi máy chủ" in page and "Server error" in page and "{%" not in page
