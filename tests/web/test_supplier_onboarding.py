"""A buyer's supplier list onboarded: every row matched, suggested (then confirmed or rejected) or
invited; applied once, all or nothing, as a job; then access asked of every matched supplier."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from commonground.accounts.models import Invitation, Membership, Organisation
from commonground.common.storage import evidence_storage
from commonground.core.identity import os_id_check_character
from commonground.facilities.models import Facility, SupplyLink
from commonground.jobs.models import Job
from commonground.sharing import onboarding
from commonground.sharing.models import Grant, SupplierInvitation, SupplierList, SupplierRow
from tests.web.conftest import client_for, member

OS_ID = "VN2026041HTP7Q" + os_id_check_character("VN2026041HTP7Q")
HEADER = "name,address,country,os_id,tax_code,contact_name,contact_email\n"


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def suppliers(cast: dict[str, Any]) -> dict[str, Facility]:
    """Three facilities of other groups, none yet a supplier of Bao; Bao's admin."""
    group = Organisation.objects.create(name="Hung Thinh Group", kind=Organisation.Kind.FACTORY_GROUP)
    made = {
        "hung_thinh": Facility.objects.create(
            owner=group,
            name="Công ty TNHH May Mặc Hưng Thịnh",
            address="Lô B2, KCN Tân Tạo, Quận Bình Tân",
            province="Thành phố Hồ Chí Minh",
            sector=Facility.Sector.GARMENT,
        ),
        "phu_an": Facility.objects.create(
            owner=group,
            name="Phu An Footwear JSC",
            address="Lô C7, KCN Nhơn Trạch 2",
            province="Tỉnh Đồng Nai",
            sector=Facility.Sector.FOOTWEAR,
            os_id=OS_ID,
        ),
        "minh_long": Facility.objects.create(
            owner=group,
            name="Dệt Minh Long",
            address="Đường số 5, KCN Phố Nối A",
            province="Tỉnh Hưng Yên",
            sector=Facility.Sector.TEXTILE,
        ),
    }
    member("bao", cast["buyer"], Membership.Role.ADMIN)
    return made


def list_text() -> str:
    return HEADER + (
        '"Hung Thinh Garment Co., Ltd","Lot B2, Tan Tao Industrial Park, Binh Tan, HCMC",Viet Nam,,,,\n'
        f"Phu An Shoes,Somewhere else,VN,{OS_ID},,,\n"
        "Det Minh Long,,Vietnam,,,,\n"  # no address: never automatic, a suggestion
        'Xưởng May Tân Phú,"12 Lũy Bán Bích, Tân Phú, TP.HCM",VN,,,Chị Lan,lan@tanphu.example\n'
        "\n"
        "Sao Mai Textile,Hải Dương,VN,,,,\n"
    )


def upload(client: Client, text: str, name: str = "suppliers.csv", encoding: str = "utf-8") -> Any:
    data = b"".join(_encoded(c, encoding) for c in text) if encoding == "cp1258" else text.encode(encoding)
    handle = io.BytesIO(data)
    handle.name = name
    return client.post("/suppliers/onboarding/", {"file": handle})


def _encoded(char: str, encoding: str) -> bytes:
    """Windows-1258 writes a letter with its tone mark as the letter and a combining mark ("ả")."""
    try:
        return char.encode(encoding)
    except UnicodeEncodeError:
        base, *marks = unicodedata.normalize("NFD", char)
        composed = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u031b\u0302\u0306"))
        return composed.encode(encoding) + "".join(m for m in marks if m not in "\u031b\u0302\u0306").encode(
            encoding
        )


def outcomes(supplier_list: SupplierList) -> dict[int, tuple[str, int | None]]:
    return {r.row: (r.outcome, r.facility_id) for r in supplier_list.rows.all()}


def test_each_row_is_matched_suggested_or_to_invite_and_nothing_changes_yet(
    suppliers: dict[str, Facility],
) -> None:
    client = client_for("bao")
    assert client.get("/suppliers/onboarding/").status_code == 200
    response = upload(client, list_text())
    made = SupplierList.objects.get()
    assert response.status_code == 302 and response.url == f"/suppliers/onboarding/{made.pk}/"
    assert evidence_storage().exists(made.stored)  # the upload is kept
    assert outcomes(made) == {
        1: ("matched", suppliers["hung_thinh"].pk),  # names and addresses after normalisation
        2: ("matched", suppliers["phu_an"].pk),  # its OS ID, whatever the name says
        3: ("suggested", suppliers["minh_long"].pk),
        4: ("invited", None),
        6: ("invited", None),  # a blank row keeps its number
    }
    assert SupplyLink.objects.filter(buyer__name="Bao Brand").count() == 1  # the cast's own link only
    assert not SupplierInvitation.objects.exists()
    page = client.get(response.url).content.decode()
    assert "will be invited at lan@tanphu.example" in page and "Apply the list" in page


def _apply(client: Client, supplier_list: SupplierList, capture: Any, **decisions: str) -> Any:
    form = {f"row-{k.removeprefix('row')}": v for k, v in decisions.items()}
    with capture(execute=True):
        return client.post(f"/suppliers/onboarding/{supplier_list.pk}/apply", form)


def test_applying_links_confirmed_matches_invites_the_rest_and_twice_changes_nothing(
    suppliers: dict[str, Facility], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("bao")
    upload(client, list_text())
    made = SupplierList.objects.get()
    refused = _apply(client, made, django_capture_on_commit_callbacks)  # the suggestion undecided
    assert refused.status_code == 302 and not Job.objects.exists()
    applied = _apply(client, made, django_capture_on_commit_callbacks, row3="confirm")
    job = Job.objects.get(kind="supplier_onboarding")
    assert applied.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (
        job.state == Job.State.DONE and job.result_params["linked"] == 3 and job.result_params["invited"] == 2
    )
    linked = set(SupplyLink.objects.filter(buyer__name="Bao Brand").values_list("facility_id", flat=True))
    assert {f.pk for f in suppliers.values()} <= linked
    invited = SupplierInvitation.objects.get(contact_email="lan@tanphu.example")
    assert invited.invitation is not None and invited.invitation.role == "admin"
    assert invited.invitation.organisation.name == "Xưởng May Tân Phú"
    assert len(mail.outbox) == 1 and "lan@tanphu.example" in mail.outbox[0].to
    page = client.get(f"/suppliers/onboarding/{made.pk}/").content.decode()
    assert "Invitation emailed to lan@tanphu.example" in page and "Confirmed" in page

    counts = (SupplyLink.objects.count(), SupplierInvitation.objects.count(), Invitation.objects.count())
    again = upload(client, list_text())  # the same file: the same list, already applied
    assert again.url == f"/suppliers/onboarding/{made.pk}/" and SupplierList.objects.count() == 1
    assert onboarding.apply_supplier_list(made.pk, user=made.uploaded_by) == (0, 0)
    renamed = upload(client, list_text() + "\n", name="again.csv")  # another file, the same suppliers
    other = SupplierList.objects.exclude(pk=made.pk).get()
    assert renamed.status_code == 302
    _apply(client, other, django_capture_on_commit_callbacks, row3="reject")
    assert (SupplyLink.objects.count(), Invitation.objects.count()) == counts[::2]
    assert SupplierInvitation.objects.count() == counts[1] + 1  # "Det Minh Long", rejected, is invited
    assert len(mail.outbox) == 1


def test_access_is_asked_of_every_matched_supplier_in_one_request(
    suppliers: dict[str, Facility], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("bao")
    upload(client, list_text())
    made = SupplierList.objects.get()
    terms = {"scope": "both", "content": "results", "purpose": "due diligence"}
    terms["expires"] = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    early = client.post(f"/suppliers/onboarding/{made.pk}/ask", terms)
    assert early.status_code == 302 and not Grant.objects.exists()  # not applied yet
    _apply(client, made, django_capture_on_commit_callbacks, row3="confirm")
    asked = client.post(f"/suppliers/onboarding/{made.pk}/ask", terms, follow=True)
    page = asked.content.decode()
    assert "Your request is sent to 3 suppliers." in page
    assert page.count("Access requested, waiting") == 3
    assert set(Grant.objects.values_list("facility_id", flat=True)) == {f.pk for f in suppliers.values()}
    again = client.post(f"/suppliers/onboarding/{made.pk}/ask", terms, follow=True)
    assert "3 suppliers not asked" in again.content.decode() and Grant.objects.count() == 3


def test_an_invited_factory_that_joins_becomes_the_buyers_supplier_and_can_be_asked(
    suppliers: dict[str, Facility], django_capture_on_commit_callbacks: Any
) -> None:
    buyer = client_for("bao")
    upload(buyer, list_text())
    made = SupplierList.objects.get()
    _apply(buyer, made, django_capture_on_commit_callbacks, row3="confirm")
    link = next(w for w in mail.outbox[0].body.split() if "/invitations/" in w)
    lan = Client()
    accepted = lan.post(
        link[link.index("/invitations/") :], {"username": "lan.tanphu", "password": "a-long-pass-2026!"}
    )
    assert accepted.status_code == 302, accepted.content.decode()[:500]
    lan = client_for("lan.tanphu", password="a-long-pass-2026!")
    place = {
        "province": "Thành phố Hà Nội",
        "locality": "phường Hoàn Kiếm",
        "sector": "garment",
        "workers": "120",
    }
    added = lan.post("/facilities/new", {"name": "Xưởng May Tân Phú", **place})
    assert added.status_code == 302, added.content.decode()[-3000:]
    joined = Facility.objects.get(name="Xưởng May Tân Phú")
    invited = SupplierInvitation.objects.get(contact_email="lan@tanphu.example")
    assert invited.facility == joined and invited.joined_at is not None
    assert SupplyLink.objects.filter(buyer=invited.buyer, facility=joined).exists()
    lan.post("/facilities/new", {"name": "Xưởng Hai", **place})  # a second facility of the group: not linked
    assert not SupplyLink.objects.filter(facility__name="Xưởng Hai").exists()

    page = buyer.get(f"/suppliers/onboarding/{made.pk}/").content.decode()
    assert "Joined" in page and "Xưởng May Tân Phú" in page
    terms = {"scope": "both", "content": "results", "purpose": "due diligence"}
    terms["expires"] = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    asked = buyer.post(f"/suppliers/onboarding/{made.pk}/ask", terms, follow=True).content.decode()
    assert "Your request is sent to 4 suppliers." in asked and asked.count("Access requested, waiting") == 4
    assert Grant.objects.filter(facility=joined, grantee=invited.buyer).exists()
    vi = client_for("bao", "vi").get(f"/suppliers/onboarding/{made.pk}/").content.decode()
    assert "Đã tham gia" in vi
    rows = buyer.get(f"/api/supplier-lists/{made.pk}").json()["rows"]
    assert [r["joined_facility_id"] for r in rows if r["name"] == "Xưởng May Tân Phú"] == [joined.pk]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("nom,adresse\nA,B\n", "en", "suppliers.csv:1: the column 'name' is missing"),
        ("name,address,country\n", "en", "suppliers.csv: the file has no rows of data"),
        ("", "vi", "suppliers.csv: "),
        ("name,address,country\n,Hà Nội,VN\n", "en", "row 1: the column 'name' is empty"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_row_and_column(
    suppliers: dict[str, Facility], text: str, lang: str, expected: str
) -> None:
    response = upload(client_for("bao", lang), text)
    assert response.status_code == 422 and expected in html.unescape(response.content.decode())
    assert not SupplierList.objects.exists()


def test_a_list_in_windows_1258_reads_as_written(suppliers: dict[str, Facility]) -> None:
    upload(client_for("bao"), "name,address,country\nSao Mai,Hải Dương,VN\n", encoding="cp1258")
    assert SupplierRow.objects.get().address == "Hải Dương"


def test_a_file_of_another_kind_or_too_large_is_refused(
    suppliers: dict[str, Facility], monkeypatch: Any
) -> None:
    client = client_for("bao", "vi")
    response = upload(client, "x", name="list.pdf")
    assert response.status_code == 422 and "list.pdf: " in response.content.decode()
    monkeypatch.setattr(onboarding, "MAX_BYTES", 50)
    big = upload(client, "name,address,country\n" + "A,B,VN\n" * 10, name="big.csv")
    assert big.status_code == 422 and "big.csv: " in big.content.decode()
    assert not SupplierList.objects.exists()


def test_a_row_in_error_names_its_column_and_blocks_the_list(
    suppliers: dict[str, Facility], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("bao", "vi")
    upload(client, HEADER + "Sao Mai,Hải Dương,VN,VN2026041HTP7QA,0314409059,,not-an-email\n")
    made = SupplierList.objects.get()
    page = client.get(f"/suppliers/onboarding/{made.pk}/").content.decode()
    assert "suppliers.csv:1: os_id:" in page and "/apply" not in page
    applied = _apply(client, made, django_capture_on_commit_callbacks)
    assert applied.status_code == 302 and not Job.objects.exists()
    assert not SupplierInvitation.objects.exists() and made.rows.get().problem["column"] == "os_id"


def test_only_a_buyers_editors_may_onboard(suppliers: dict[str, Facility], cast: dict[str, Any]) -> None:
    client = client_for("bao")
    upload(client, list_text())
    made = SupplierList.objects.get()
    member("bea", cast["buyer"], Membership.Role.VIEWER)
    for outsider in ("alice", "charlie", "bea"):
        other = client_for(outsider)
        assert other.get("/suppliers/onboarding/").status_code == 404
        assert upload(other, list_text()).status_code == 404
        assert other.get(f"/suppliers/onboarding/{made.pk}/").status_code == 404
        assert other.post(f"/suppliers/onboarding/{made.pk}/apply").status_code == 404
        assert other.post(f"/suppliers/onboarding/{made.pk}/ask").status_code == 404
    assert SupplierList.objects.count() == 1 and not Job.objects.exists()


def test_the_pages_speak_vietnamese(suppliers: dict[str, Facility]) -> None:
    client = client_for("bao", "vi")
    assert "Thêm nhà cung cấp từ danh sách" in client.get("/suppliers/onboarding/").content.decode()
    response = upload(client, list_text())
    page = client.get(response.url).content.decode()
    assert "Đã khớp" in page and "Gợi ý" in page and "Áp dụng danh sách" in page


def test_the_api_does_the_same_through_the_same_services(
    suppliers: dict[str, Facility], cast: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    import json

    from django.contrib.auth.models import User

    from commonground.accounts.tokens import create_token
    from tests.web.test_api import bearer

    token = create_token(User.objects.get(username="bao"), name="sourcing", can_write=True)
    handle = io.BytesIO(list_text().encode())
    handle.name = "suppliers.csv"
    made = Client().post("/api/supplier-lists", {"file": handle}, **bearer(token, "vi"))
    assert made.status_code == 201, made.content
    body = made.json()
    assert [(r["row"], r["outcome"]) for r in body["rows"]] == [
        (1, "matched"), (2, "matched"), (3, "suggested"), (4, "invited"), (6, "invited"),
    ]  # fmt: skip
    url = f"/api/supplier-lists/{body['id']}"

    def post(path: str, data: dict[str, Any]) -> Any:
        return Client().post(
            url + path, json.dumps(data), content_type="application/json", **bearer(token, "vi")
        )

    assert post("/apply", {}).status_code == 422 and not Job.objects.exists()  # the suggestion undecided
    with django_capture_on_commit_callbacks(execute=True):
        applied = post("/apply", {"decisions": {"3": "confirm"}})
    assert applied.status_code == 202
    assert Job.objects.get(pk=applied.json()["job_id"]).state == Job.State.DONE
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=90)).isoformat()
    asked = post(
        "/grant-requests", {"scope": "both", "content": "results", "purpose": "x", "expires_at": expires}
    )
    assert asked.status_code == 200 and len(asked.json()["sent"]) == 3
    bad = io.BytesIO(b"nom,adresse\nA,B\n")
    bad.name = "bad.csv"
    refused = Client().post("/api/supplier-lists", {"file": bad}, **bearer(token, "vi"))
    assert refused.status_code == 422 and refused.json()["code"] == "file_refused"
    assert "bad.csv:1" in refused.json()["message"] and "thiếu cột 'name'" in refused.json()["message"]
    outsider = create_token(cast["alice"], name="x", can_write=True)
    assert Client().get(url, **bearer(outsider, "en")).status_code == 404


def test_a_long_list_is_matched_by_a_job_with_its_progress(
    suppliers: dict[str, Facility], monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(onboarding, "MATCH_NOW", 2)
    client = client_for("bao")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, list_text())
    job = Job.objects.get(kind="supplier_matching")
    made = SupplierList.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == job.total == 5
    assert job.result_url == f"/suppliers/onboarding/{made.pk}/"
    made.refresh_from_db()
    assert made.matched_at is not None and outcomes(made)[3] == ("suggested", suppliers["minh_long"].pk)
    assert "5" in client.get(f"/jobs/{job.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        again = upload(client, list_text())  # the same file: the same list, and the same job
    assert again.url == f"/suppliers/onboarding/{made.pk}/" and Job.objects.count() == 1


def test_a_list_still_being_matched_cannot_be_applied(
    suppliers: dict[str, Facility], monkeypatch: Any
) -> None:
    monkeypatch.setattr(onboarding, "MATCH_NOW", 2)
    client = client_for("bao")
    upload(client, list_text())  # the job is queued, not run (no commit in this test)
    made = SupplierList.objects.get()
    page = client.get(f"/suppliers/onboarding/{made.pk}/").content.decode()
    assert "This list is still being matched." in page and "/apply" not in page
    with pytest.raises(ValidationError):
        onboarding.apply_supplier_list(made.pk, user=made.uploaded_by)
    assert (
        not SupplyLink.objects.filter(buyer=made.buyer).exclude(facility__name="Song Hong Factory 1").exists()
    )


def test_an_xlsx_list_and_a_utf16_list_read_as_the_csv_does(
    suppliers: dict[str, Facility], tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in csv.reader(io.StringIO(list_text())):
        sheet.append(line)
    path = tmp_path / "nha-cung-cap.xlsx"
    book.save(path)
    client = client_for("bao")
    with path.open("rb") as handle:
        assert client.post("/suppliers/onboarding/", {"file": handle}).status_code == 302
    response = upload(client, list_text(), name="unicode.csv", encoding="utf-16")
    assert response.status_code == 302, html.unescape(response.content.decode())[-1500:]
    first, second = SupplierList.objects.order_by("pk")
    assert outcomes(first) == outcomes(second) and outcomes(first)[3][0] == "suggested"
