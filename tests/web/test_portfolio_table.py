"""The portfolio for hundreds of suppliers, on the seeded demo: a table sorted by any column, a search
by name without diacritics, provinces before and after the 2025 mergers, and access asked of many
suppliers at once, never twice while a request waits; the CSV in the reader's language."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from commonground.accounts.models import Organisation
from commonground.accounts.tokens import create_token
from commonground.core import provinces
from commonground.core.standing import ENOUGH, Standing
from commonground.facilities.models import Facility, SupplyLink
from commonground.sharing import services
from commonground.sharing.models import AccessLogEntry, AccessRead, Grant
from commonground.sharing.portfolio import SORTS, build_portfolio, sort_rows
from commonground.sharing.services import Skip
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.conftest import seeded_once
from tests.web.conftest import client_for, share_results
from tests.web.test_api import bearer

LABOUR = "vn-labour-code-2019"


def _seed() -> tuple[list[int], list[int]]:
    seed_demo(facilities=12)
    buyer = Organisation.objects.get(name="Lotus Apparel")
    suppliers = list(Facility.objects.filter(supply_links__buyer=buyer).order_by("pk"))
    sharing, others = suppliers[: len(suppliers) // 2], suppliers[len(suppliers) // 2 :]
    share_results(buyer, sharing)
    Grant.objects.filter(facility=sharing[0]).update(content="action_plan")
    _overdue_action(sharing[0])
    return [f.pk for f in sharing], [f.pk for f in others]


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[list[int], list[int]]]:
    """The demo seeded once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, _seed) as made:
        yield made


@pytest.fixture
def demo(_seeded: tuple[list[int], list[int]], db: None) -> dict[str, Any]:
    """Lotus Apparel, half its suppliers sharing results with it (the first its action plan too, with
    an overdue action), the other half not; read afresh for each test."""
    sharing = list(Facility.objects.filter(pk__in=_seeded[0]).order_by("pk"))
    others = list(Facility.objects.filter(pk__in=_seeded[1]).order_by("pk"))
    buyer = Organisation.objects.get(name="Lotus Apparel")
    return {"buyer": buyer, "sharing": sharing, "others": others, "user": User.objects.get(username="buyer")}


def _overdue_action(facility: Facility) -> None:
    from commonground.actions.models import Action, ActionFinding

    action = Action.objects.create(
        facility=facility, title="Cap overtime", root_cause_category="planning",
        due_date=dt.date(2020, 1, 31), status="open",
    )  # fmt: skip
    ActionFinding.objects.create(action=action, datapoint="working_time.overtime_hours_month_max")


def _future(days: int = 60) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _shown(html: str) -> list[int]:
    """The suppliers of a portfolio page, in the order of its table."""
    return [int(pk) for pk in re.findall(r'name="facility" value="(\d+)"', html)]


# ---- sorting ---------------------------------------------------------------------------------------


def _expected(row: Any, column: str) -> Any:
    """What each column sorts on, said independently of the code under test."""
    if column == "name":
        return provinces.fold(row.facility.name)
    if column == "province":
        return provinces.fold(provinces.label(row.facility.province, "en"))
    if column == "sector":
        return provinces.fold(row.facility.get_sector_display())
    if column == "zero_tolerance":
        return len(row.zero_tolerance)
    if column == "overdue":
        return row.overdue
    if column == "verified":
        return row.verified_on
    framework = column.removeprefix("framework:")
    rate, counts = row.rates.get(framework), row.standings.get(framework)
    if rate is None or counts is None or counts.decided < ENOUGH * counts.applicable:
        return None  # not enough answers: after every decided rate
    return rate, counts.decided / counts.applicable


@pytest.mark.parametrize("column", [*SORTS, "framework:vn-labour-code-2019", "framework:vn-osh-2015"])
def test_each_column_sorts_both_ways_with_blanks_last(demo: dict[str, Any], column: str) -> None:
    rows = build_portfolio(demo["user"]).suppliers
    client = client_for("buyer", "en", PASSWORD)
    for descending in (False, True):
        with translation.override("en"):  # the language the page is read in: province names
            ordered = sort_rows(rows, column, descending)
        values = [_expected(r, column) for r in ordered]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=descending), column
        assert all(v is None for v in values[len(present) :])
        html = client.get(f"/portfolio/?sort={'-' if descending else ''}{column}").content.decode()
        assert _shown(html) == [r.facility.pk for r in ordered]
        assert "▼" in html if descending else "▲" in html


@pytest.mark.parametrize("descending", [True, False])
def test_a_rate_on_few_answers_never_sorts_as_compliant(demo: dict[str, Any], descending: bool) -> None:
    """core.standing's rule: 60 % decided is not enough (the old rule's "half" was), whichever the
    direction the rate sorts after every decided one, and says so in the results pages' words."""
    rows = build_portfolio(demo["user"], framework="vn-labour-code-2019").suppliers
    thin, solid = rows[0], rows[1]
    thin.rates[LABOUR], thin.standings[LABOUR] = 1.0, Standing(60, 0, 40, 5)
    solid.rates[LABOUR], solid.standings[LABOUR] = 0.6, Standing(54, 36, 10, 0)
    thinner = rows[2]
    thinner.rates[LABOUR], thinner.standings[LABOUR] = 1.0, Standing(30, 0, 70, 0)
    ordered = sort_rows(rows, f"framework:{LABOUR}", descending)
    assert ordered.index(solid) < ordered.index(thin)
    # among the rates that are not decided enough, the more decided first when sorting best first
    assert (ordered.index(thin) < ordered.index(thinner)) is descending
    decided = [r for r in ordered if _expected(r, f"framework:{LABOUR}") is not None]
    assert ordered.index(thin) >= len(decided)
    assert thin.cells[0].thin and not solid.cells[0].thin
    assert thin.cells[0].bar == (60, 0, 40)  # met, not met, unknown of the applicable requirements
    with translation.override("vi"):
        assert thin.cells[0].text == "chưa đủ câu trả lời (60/100 yêu cầu có kết luận)"
    with translation.override("en"):
        assert thin.cells[0].text == "not enough answers (60 of 100 decided)"
        assert solid.cells[0].text == "60 %"


def test_the_page_and_the_csv_say_not_enough_answers_by_the_one_rule(demo: dict[str, Any]) -> None:
    rows = build_portfolio(demo["user"], framework=LABOUR).suppliers
    shown = {r.facility.pk: r.cells[0] for r in rows if r.cells and r.cells[0].standing is not None}
    assert shown and all(c.thin == (c.standing.verdict != "rate") for c in shown.values() if c.standing)
    client = client_for("buyer", "en", PASSWORD)
    html = client.get(f"/portfolio/?framework={LABOUR}").content.decode()
    assert "at least 80 % of the applicable requirements are decided" in html
    table = _csv(client.get(f"/portfolio.csv?framework={LABOUR}"))
    header = table[0]
    column = next(i for i, h in enumerate(header) if h.endswith("compliance (%)"))
    for line in table[1:]:
        assert line[column] == "" or line[column].isdigit() or line[column].startswith("not enough answers (")


def test_unknown_sorts_and_pages_are_no_error(demo: dict[str, Any]) -> None:
    client = client_for("buyer", "en", PASSWORD)
    for query in (
        "sort=framework:nonsense",
        "sort=-",
        "sort=%27;drop",
        "page=-1",
        "page=99999999999999999999",
    ):
        assert client.get(f"/portfolio/?{query}").status_code == 200
    long = client.get("/portfolio/?q=" + "x" * 5000)
    assert long.status_code == 200 and 'value="' + "x" * 100 + '"' in long.content.decode()


def test_the_table_has_a_column_per_framework_with_the_share_answered(demo: dict[str, Any]) -> None:
    html = client_for("buyer", "vi", PASSWORD).get("/portfolio/").content.decode()
    assert "Bộ luật Lao động" in html and "vn-labour-code-2019:" not in html
    assert "đã trả lời" in html and 'class="bar"' in html and "table-box" in html


# ---- search and provinces --------------------------------------------------------------------------


def test_search_by_name_ignores_case_and_diacritics(demo: dict[str, Any]) -> None:
    target = demo["sharing"][1]
    Facility.objects.filter(pk=target.pk).update(name="Song Hong Garment", name_vi="Công ty May Sông Hồng")
    for typed in ("song hong", "SÔNG HỒNG", "Sông H", "hong song", "may sông"):
        found = build_portfolio(demo["user"], search=typed).suppliers
        assert [r.facility.pk for r in found] == [target.pk], typed
    assert build_portfolio(demo["user"], search="song hongx").suppliers == []
    client = client_for("buyer", "en", PASSWORD)
    assert _shown(client.get("/portfolio/?q=song+hong").content.decode()) == [target.pk]
    assert _shown(client.get("/suppliers/?q=S%C3%B4ng+H%E1%BB%93ng").content.decode()) == [target.pk]


def test_a_search_logs_only_the_suppliers_it_shows_and_sorting_changes_nothing(demo: dict[str, Any]) -> None:
    target = demo["sharing"][1]
    Facility.objects.filter(pk=target.pk).update(name_vi="Công ty May Sông Hồng")
    client = client_for("buyer", "en", PASSWORD)
    client.get("/portfolio/?q=song+hong")
    assert list(AccessLogEntry.objects.values_list("facility_id", flat=True)) == [target.pk]
    logged = []
    for sort in ("name", "-verified", "framework:vn-osh-2015"):
        client.get(f"/portfolio/?sort={sort}")
        read = AccessRead.objects.order_by("-id").first()
        assert read is not None
        logged.append(sorted(read.entries.values_list("facility_id", flat=True)))
    assert logged[0] == logged[1] == logged[2] == sorted(f.pk for f in demo["sharing"])
    assert AccessRead.objects.count() == 4  # one read per view
    assert services.seal_access_log() == 4
    assert services.verify_log() == []


def test_provinces_are_found_by_their_names_before_and_after_the_2025_mergers(demo: dict[str, Any]) -> None:
    before, after, vung_tau, elsewhere = demo["sharing"][:4]
    for facility, recorded in (
        (before, "Tỉnh Bình Dương"),
        (after, "Thành phố Hồ Chí Minh"),
        (vung_tau, "Bà Rịa - Vũng Tàu"),
        (elsewhere, "Tỉnh Đồng Nai"),
    ):
        Facility.objects.filter(pk=facility.pk).update(province=recorded)
    ho_chi_minh = {
        f.pk
        for f in Facility.objects.filter(supply_links__buyer=demo["buyer"])
        if provinces.now_key(f.province) == "hochiminh" and f in demo["sharing"]
    }
    assert {before.pk, after.pk, vung_tau.pk} <= ho_chi_minh and elsewhere.pk not in ho_chi_minh
    client = client_for("buyer", "vi", PASSWORD)
    for chosen in ("binhduong", "hochiminh", "bariavungtau", "HCM", "Hồ Chí Minh", "TP.HCM", "Binh Duong"):
        assert {
            r.facility.pk for r in build_portfolio(demo["user"], province=chosen).suppliers
        } == ho_chi_minh
        assert set(_shown(client.get("/portfolio/", {"province": chosen}).content.decode())) == ho_chi_minh
    page = client.get("/portfolio/?province=binhduong").content.decode()
    assert '<option value="binhduong" selected>Bình Dương (thuộc Hồ Chí Minh từ 01/07/2025)</option>' in page
    assert "Bình Dương thuộc Hồ Chí Minh từ ngày 01/07/2025" in page
    english = client_for("buyer", "en", PASSWORD).get("/suppliers/?province=HCM").content.decode()
    assert '<option value="hochiminh" selected>Ho Chi Minh City</option>' in english
    assert {before.pk, after.pk, vung_tau.pk} <= set(_shown(english))
    assert elsewhere.pk not in _shown(english)
    assert '<td class="wide">Binh Duong</td>' in english  # recorded before the merger, named in English
    assert '<td class="wide">Ho Chi Minh City</td>' in english and "Thành phố Hồ Chí Minh" not in english


def test_the_province_list_holds_the_63_former_and_34_current_provinces() -> None:
    known = provinces.provinces()
    assert len({p.now for p in known.values()}) == 34
    assert len([p for p in known.values() if p.key != "thuathienhue"]) == 63
    assert all(known[p.now].now == p.now for p in known.values())  # a province now is not merged again
    assert provinces.now_key("Tỉnh Hà Giang") == "tuyenquang" and provinces.now_key("Long An") == "tayninh"
    assert provinces.now_key("Nowhere") == "nowhere"


# ---- access asked of many ------------------------------------------------------------------------


def _terms(**overrides: Any) -> dict[str, Any]:
    terms = {"scope": "both", "content": "results", "purpose": "due diligence", "expires_at": _future()}
    return {**terms, **overrides}


def test_many_suppliers_are_asked_at_once_and_never_twice(demo: dict[str, Any]) -> None:
    others, sharing = demo["others"], demo["sharing"]
    foreign = Facility.objects.exclude(supply_links__buyer=demo["buyer"]).first()
    assert foreign is not None
    ids = [f.pk for f in others]
    hostile = [0, -5, 2**70, foreign.pk]
    done = services.request_access(demo["user"], [*ids, ids[0], sharing[1].pk, *hostile], **_terms())
    assert sorted(g.facility_id for g in done.sent) == sorted(ids)
    assert all(g.status == Grant.Status.REQUESTED and g.requested_by == demo["user"] for g in done.sent)
    assert dict(done.skipped) == {sharing[1].pk: Skip.SHARED, **dict.fromkeys(hostile, Skip.NOT_A_SUPPLIER)}
    assert done.names == {sharing[1].pk: sharing[1].name}  # never the name of someone else's facility
    again = services.request_access(demo["user"], ids, **_terms(content="answers"))
    assert again.sent == [] and dict(again.skipped) == dict.fromkeys(ids, Skip.PENDING)
    more = services.request_access(demo["user"], [sharing[1].pk], **_terms(content="answers"))
    assert [g.facility_id for g in more.sent] == [sharing[1].pk]  # more than it shares: asked
    assert Grant.objects.filter(status=Grant.Status.REQUESTED).count() == len(ids) + 1


@pytest.mark.parametrize(
    "bad",
    [
        {"purpose": ""},
        {"purpose": "x" * 301},
        {"purpose": "a\x00b"},
        {"expires_at": timezone.now() - dt.timedelta(days=1)},
        {"scope": "everything"},
        {"content": 5},
    ],
)
def test_bad_terms_write_nothing(demo: dict[str, Any], bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.request_access(demo["user"], [f.pk for f in demo["others"]], **_terms(**bad))
    assert not Grant.objects.filter(status=Grant.Status.REQUESTED).exists()


def test_too_many_ids_and_people_without_a_buyer_are_refused(demo: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.request_access(demo["user"], range(1, services.MAX_REQUESTS + 2), **_terms())
    with pytest.raises(services.NotABuyer):  # 403: only a buyer asks for access
        services.request_access(
            User.objects.get(username="factory.admin"), [demo["others"][0].pk], **_terms()
        )
    assert not Grant.objects.filter(status=Grant.Status.REQUESTED).exists()


def _ask(client: Client, facilities: list[Any], **fields: Any) -> Any:
    until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    form = {"facility": facilities, "scope": "both", "content": "results", "purpose": "due diligence"}
    return client.post("/suppliers/ask", {**form, "expires": until, **fields}, follow=True)


def test_the_suppliers_page_asks_many_and_shows_what_waits(demo: dict[str, Any]) -> None:
    client = client_for("buyer", "vi", PASSWORD)
    ids = [f.pk for f in demo["others"]]
    page = _ask(client, ids).content.decode()
    assert f"Đã gửi yêu cầu của bạn tới {len(ids)} nhà cung cấp." in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert page.count(f"Đã gửi yêu cầu ngày {today}, đang chờ") == len(ids)
    for pk in ids:
        assert f'name="facility" value="{pk}" disabled' in page
    again = _ask(client, ids[:2]).content.decode()
    assert (
        "2 nhà cung cấp không được gửi yêu cầu: đã có một yêu cầu đang chờ nhà cung cấp quyết định" in again
    )
    english = _ask(client_for("buyer", "en", PASSWORD), [demo["sharing"][1].pk]).content.decode()
    assert "1 supplier not asked: the supplier already shares this with you" in english
    assert Grant.objects.filter(status=Grant.Status.REQUESTED).count() == len(ids)


def test_all_suppliers_listed_by_the_filters_are_asked_with_one_click(demo: dict[str, Any]) -> None:
    target, shares = demo["others"][0], demo["sharing"][1]
    Facility.objects.filter(pk=target.pk).update(province="Tỉnh Bình Dương")
    Facility.objects.filter(pk=shares.pk).update(province="Thành phố Hồ Chí Minh")
    linked = Facility.objects.filter(supply_links__buyer=demo["buyer"])
    listed = {f.pk for f in linked if provinces.now_key(f.province) == "hochiminh"}
    covered = {f.pk for f in demo["sharing"][1:]}  # they share their results already
    assert target.pk in listed and shares.pk in listed
    client = client_for("buyer", "en", PASSWORD)
    _ask(client, [], all="1", province="binhduong")
    asked = set(Grant.objects.filter(status="requested").values_list("facility_id", flat=True))
    assert asked == listed - covered


@pytest.mark.parametrize(
    "fields",
    [
        {"facility": ["abc"]},
        {"facility": ["9" * 40]},
        {"facility": []},
        {"purpose": "x" * 10_000},
        {"purpose": ""},
        {"expires": "99999-01-01"},
        {"expires": "soon"},
        {"scope": "x" * 5000},
        {"grantee": "9" * 30},
    ],
)
def test_hostile_bulk_forms_get_a_message_and_write_nothing(
    demo: dict[str, Any], fields: dict[str, Any]
) -> None:
    client = client_for("buyer", "en", PASSWORD)
    response = _ask(client, [demo["others"][0].pk], **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tick at least one supplier" in html or "Give a scope" in html
    assert not Grant.objects.filter(status=Grant.Status.REQUESTED).exists()


def test_a_huge_id_is_refused_with_a_message(demo: dict[str, Any]) -> None:
    html = _ask(client_for("buyer", "en", PASSWORD), ["9" * 19]).content.decode()  # beyond 64 bits
    assert "Tick at least one supplier" in html  # no form of ours sends it (decision 0021)
    assert not Grant.objects.exists() or not Grant.objects.filter(status="requested").exists()


def test_the_portfolio_asks_its_ticked_suppliers_and_shows_the_request_waiting(demo: dict[str, Any]) -> None:
    client = client_for("buyer", "en", PASSWORD)
    one = demo["sharing"][2]
    page = _ask(client, [one.pk], content="answers", next="portfolio", back="sort=-name").content.decode()
    assert "Supplier portfolio" in page and "Your request is sent to 1 supplier." in page
    assert f'name="facility" value="{one.pk}" disabled' in page and "waiting" in page


def test_the_api_refuses_a_second_request_while_one_waits(demo: dict[str, Any]) -> None:
    token = create_token(demo["user"], name="sourcing", can_write=True)
    facility = demo["others"][0].pk
    body = {"grantee_id": demo["buyer"].pk, **_terms(expires_at=_future().isoformat())}
    url = f"/api/facilities/{facility}/grant-requests"
    post = Client().post
    first = post(url, json.dumps(body), content_type="application/json", **bearer(token))
    assert first.status_code == 201 and first.json()["status"] == "requested"
    second = post(url, json.dumps(body), content_type="application/json", **bearer(token, "vi"))
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert second.status_code == 409
    assert second.json() == {
        "code": "request_pending",
        "message": f"yêu cầu gửi ngày {today} vẫn đang chờ cơ sở quyết định",
    }
    assert Grant.objects.filter(facility_id=facility, status="requested").count() == 1


def test_the_api_asks_many_at_once(demo: dict[str, Any]) -> None:
    token = create_token(demo["user"], name="sourcing", can_write=True)
    ids = [f.pk for f in demo["others"]]
    body = {"facility_ids": [*ids, 0], **_terms(expires_at=_future().isoformat())}
    post = Client().post
    done = post("/api/grant-requests", json.dumps(body), content_type="application/json", **bearer(token))
    assert done.status_code == 200
    assert sorted(g["facility_id"] for g in done.json()["sent"]) == sorted(ids)
    assert done.json()["skipped"] == [{"facility_id": 0, "reason": "not_a_supplier"}]
    huge = {**body, "facility_ids": [ids[0], 2**70]}  # beyond 64 bits: refused whole (decision 0021)
    refused = post("/api/grant-requests", json.dumps(huge), content_type="application/json", **bearer(token))
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"
    for bad in ({**body, "facility_ids": ["x"]}, {**body, "purpose": ""}, {**body, "facility_ids": "1"}):
        refused = post(
            "/api/grant-requests", json.dumps(bad), content_type="application/json", **bearer(token)
        )
        assert refused.status_code == 422
    too_many = {**body, "facility_ids": list(range(1, services.MAX_REQUESTS + 2))}
    refused = post(
        "/api/grant-requests", json.dumps(too_many), content_type="application/json", **bearer(token)
    )
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"


# ---- the CSV and the cost of a page ---------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_speaks_the_readers_language_and_runs_no_formula(demo: dict[str, Any]) -> None:
    tricky = demo["sharing"][1]
    Facility.objects.filter(pk=tricky.pk).update(name='=HYPERLINK("http://x")', name_vi=" -1+2")
    vi = _csv(client_for("buyer", "vi", PASSWORD).get("/portfolio.csv"))
    en = _csv(client_for("buyer", "en", PASSWORD).get("/portfolio.csv"))
    assert vi[0][:4] == ["Cơ sở", "Tên tiếng Việt", "Tỉnh, thành phố", "Ngành"]
    assert en[0][:4] == ["Facility", "Name in Vietnamese", "Province", "Sector"]
    assert "Bộ luật Lao động 2019 và các văn bản hướng dẫn: tỷ lệ tuân thủ (%)" in vi[0]
    codes = {"vn-labour-code-2019", "garment", "footwear", "textile", "leather", "zero_tolerance"}
    assert not codes & {cell for row in vi + en for cell in row}
    assert {r[3] for r in vi[1:]} <= {"May mặc", "Giày dép", "Dệt", "Da", "Khác"}
    row = next(r for r in en[1:] if "HYPERLINK" in r[0])
    assert row[0] == '\'=HYPERLINK("http://x")' and row[1] == "' -1+2"
    dates = [r[4] for r in vi[1:] if r[4]]
    assert dates and all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in dates)


def test_the_supplier_list_costs_the_same_for_more_suppliers(demo: dict[str, Any]) -> None:
    client = client_for("buyer", "en", PASSWORD)
    client.get("/suppliers/")
    with CaptureQueriesContext(connection) as few:
        client.get("/suppliers/")
    owner = demo["sharing"][0].owner
    for n in range(30):
        more = Facility.objects.create(
            owner=owner, name=f"More {n}", province="Tỉnh Bình Dương", sector="leather"
        )
        SupplyLink.objects.create(buyer=demo["buyer"], facility=more)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/suppliers/").content.decode()
    assert len(_shown(html)) == len(demo["sharing"]) + len(demo["others"]) + 30 and len(many) == len(few)


def test_a_buyers_viewer_sees_the_lists_without_the_request_form(demo: dict[str, Any]) -> None:
    from commonground.accounts.models import Membership
    from tests.web.conftest import member

    member("lotus.viewer", demo["buyer"], Membership.Role.VIEWER)
    client = client_for("lotus.viewer", "en")
    for url in ("/suppliers/", "/portfolio/"):
        html = client.get(url).content.decode()
        assert demo["sharing"][1].name in html and 'name="facility"' not in html
        assert "Request access for the suppliers ticked" not in html
    assert _ask(client, [demo["others"][0].pk]).status_code == 403  # only a buyer's editors ask
    assert not Grant.objects.filter(status=Grant.Status.REQUESTED).exists()
