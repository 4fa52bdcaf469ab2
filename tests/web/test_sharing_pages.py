"""Sharing through the pages: request, approve, see what is shared (logged), revoke; 404 otherwise."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from commonground.accounts.models import Membership
from commonground.assessments import services as assessment_services
from commonground.assessments.models import Assessment
from commonground.sharing.models import AccessLogEntry, Grant
from tests.web.conftest import client_for


@pytest.fixture
def bao(cast: dict[str, Any]) -> Client:
    from tests.web.conftest import member

    member("bao", cast["buyer"], Membership.Role.EDITOR)
    return client_for("bao")


def test_request_approve_read_logged_then_revoke(
    cast: dict[str, Any], assessment: Assessment, bao: Client
) -> None:
    facility = cast["facility"]
    for dp, value in (
        ("facility.sector", "garment"),
        ("working_time.overtime_hours_month_max", 48),
        ("wastewater.cod_mg_l", 160),
        ("grievance.case_details", "Ms X, harassment by line chief"),
    ):
        assessment_services.save_answer(assessment.pk, dp, value, user=cast["alice"])
    assert bao.get(f"/shared/{facility.pk}/").status_code == 404  # nothing shared yet
    page = bao.get("/suppliers/").content.decode()
    assert "Request access" in page and facility.name in page
    until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    bao.post(
        f"/suppliers/{facility.pk}/ask",
        {
            "grantee": cast["buyer"].pk,
            "scope": "both",
            "content": "answers",
            "purpose": "due diligence",
            "expires": until,
        },
    )
    grant = Grant.objects.get()
    alice = client_for("alice", "vi")
    assert "Đã yêu cầu" in alice.get(f"/facilities/{facility.pk}/sharing/").content.decode()
    alice.post(f"/grants/{grant.pk}/decide", {"action": "approve", "scope": "social", "content": "answers"})
    shared = bao.get(f"/shared/{facility.pk}/").content.decode()
    assert "Most overtime in one month" in shared  # social facts are shared
    assert "COD" not in shared  # environment was narrowed away
    assert "Ms X" not in shared  # sensitive grievance details never, unless named
    entry = AccessLogEntry.objects.get()
    assert (entry.reader.username, entry.organisation, entry.grant, entry.channel) == (
        "bao",
        cast["buyer"],
        grant,
        "page",
    )
    log = alice.get(f"/facilities/{facility.pk}/sharing/").content.decode()
    assert "bao" in log and "Bao Brand" in log
    assert f"kết quả {entry.what.removeprefix('results ')}" in log and "(trang web)" in log  # in Vietnamese
    alice.post(f"/grants/{grant.pk}/decide", {"action": "revoke"})
    assert bao.get(f"/shared/{facility.pk}/").status_code == 404  # at once
    assert AccessLogEntry.objects.count() == 1


def test_outsiders_get_404_and_only_editors_decide(cast: dict[str, Any], bao: Client) -> None:
    facility = cast["facility"]
    charlie = client_for("charlie")
    assert charlie.get(f"/facilities/{facility.pk}/sharing/").status_code == 404
    assert charlie.get(f"/shared/{facility.pk}/").status_code == 404
    until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    bao.post(
        f"/suppliers/{facility.pk}/ask",
        {
            "grantee": cast["buyer"].pk,
            "scope": "both",
            "content": "results",
            "purpose": "due diligence",
            "expires": until,
        },
    )
    grant = Grant.objects.get()
    assert charlie.post(f"/grants/{grant.pk}/decide", {"action": "approve"}).status_code == 404
    assert client_for("bob").post(f"/grants/{grant.pk}/decide", {"action": "approve"}).status_code == 404
    assert Grant.objects.get().status == Grant.Status.REQUESTED
    assert (
        client_for("alice").post(f"/grants/{grant.pk + 99}/decide", {"action": "approve"}).status_code == 404
    )


def test_bad_grant_forms_get_a_message_not_an_error(cast: dict[str, Any], bao: Client) -> None:
    facility = cast["facility"]
    response = bao.post(
        f"/suppliers/{facility.pk}/ask",
        {
            "grantee": cast["buyer"].pk,
            "scope": "both",
            "content": "results",
            "purpose": "",
            "expires": "soon",
        },
        follow=True,
    )
    assert "Give a scope" in response.content.decode() and not Grant.objects.exists()
    alice = client_for("alice")
    response = alice.post(f"/facilities/{facility.pk}/sharing/give", {"grantee": "x"}, follow=True)
    assert response.status_code == 200 and not Grant.objects.exists()


def test_the_facility_pages_through_its_log_filters_it_and_exports_it(
    cast: dict[str, Any], bao: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonground.accounts.models import Organisation
    from commonground.sharing import services, views
    from tests.web.conftest import member

    monkeypatch.setattr(views, "LOG_PAGE", 2)
    facility, bao_user = cast["facility"], cast["buyer"].memberships.get().user
    other = Organisation.objects.create(name="=Other Brand", kind=Organisation.Kind.BUYER)
    olga = member("olga", other, Membership.Role.VIEWER)
    for what in ("results 2024", "results 2025", "portfolio: results 2025"):
        services.record_read(
            facility, user=bao_user, organisation=cast["buyer"], what=what, channel="page", grant=None
        )
    services.record_read(
        facility, user=olga, organisation=other, what="evidence a.pdf", channel="api", grant=None
    )
    alice = client_for("alice", "vi")
    url = f"/facilities/{facility.pk}/sharing/"
    first = alice.get(url).content.decode()
    assert "bằng chứng a.pdf" in first and "danh mục nhà cung cấp: kết quả 2025" in first  # newest first
    assert "kết quả 2024" not in first and "log_page=2" in first and "Trang 1 / 2" in first
    assert "kết quả 2024" in alice.get(url + "?log_page=2").content.decode()
    only_bao = alice.get(f"{url}?reader={cast['buyer'].pk}").content.decode()
    assert "bằng chứng a.pdf" not in only_bao and f"reader={cast['buyer'].pk}&amp;log_page=2" in only_bao
    export = alice.get(f"/facilities/{facility.pk}/access-log.csv")
    assert export["Content-Disposition"] == f'attachment; filename="access-log-{facility.pk}.csv"'
    text = b"".join(export.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Thời điểm (UTC)",
        "Người đọc",
        "Tổ chức",
        "Bản ghi gốc (đã niêm phong)",
        "Nội dung được đọc",
        "Kênh",
        "Cơ sở được đọc",
        "Số quyền truy cập",
        "Vị trí trong chuỗi đã niêm phong",
    ]  # in the reader's language
    assert len(rows) == 5  # every line, not one page
    assert rows[1][1:6] == [
        "olga",
        "'=Other Brand",
        "evidence a.pdf",
        "bằng chứng a.pdf",
        "API",
    ]  # no formula
    only = alice.get(f"/facilities/{facility.pk}/access-log.csv?reader={other.pk}")
    assert len(b"".join(only.streaming_content).splitlines()) == 2  # type: ignore[attr-defined]
    assert not AccessLogEntry.objects.filter(
        read__reader=cast["alice"]
    ).exists()  # its own reads are not logged
