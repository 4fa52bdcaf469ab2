"""A buyer's portfolio over the demo sector: only sharing suppliers, every read logged, export safe."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from commonground.accounts.models import Organisation
from commonground.facilities.models import Facility
from commonground.sharing.models import AccessLogEntry, Grant
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.conftest import seeded_once
from tests.web.conftest import client_for, share_results


def _seed() -> list[int]:
    seed_demo(facilities=12)
    buyer = Organisation.objects.get(name="Lotus Apparel")
    suppliers = list(Facility.objects.filter(supply_links__buyer=buyer).order_by("pk"))
    share_results(buyer, suppliers[: len(suppliers) // 2])
    return [f.pk for f in suppliers]


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The demo seeded once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, _seed) as made:
        yield made


@pytest.fixture
def shared_demo(_seeded: list[int], db: None, settings: Any) -> dict[str, Any]:
    """Lotus Apparel and its suppliers, the first half sharing results (read afresh for each test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    buyer = Organisation.objects.get(name="Lotus Apparel")
    suppliers = list(Facility.objects.filter(pk__in=_seeded).order_by("pk"))
    return {"buyer": buyer, "sharing": suppliers[: len(suppliers) // 2], "all": suppliers}


def test_only_sharing_suppliers_appear_and_each_read_is_logged(shared_demo: dict[str, Any]) -> None:
    page = client_for("buyer", "en", PASSWORD).get("/portfolio/")
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 300_000
    shown = [f for f in shared_demo["all"] if f.name in html]
    assert set(shown) == set(shared_demo["sharing"])
    assert "Most frequent findings across your suppliers" in html
    logged = set(AccessLogEntry.objects.values_list("facility_id", flat=True))
    assert logged == {f.pk for f in shared_demo["sharing"]}
    assert set(AccessLogEntry.objects.values_list("read__organisation_id", flat=True)) == {
        shared_demo["buyer"].pk
    }


def test_filters_and_export(shared_demo: dict[str, Any]) -> None:
    client = client_for("buyer", "vi", PASSWORD)
    one = shared_demo["sharing"][0]
    filtered = client.get(f"/portfolio/?sector={one.sector}&province={one.province}").content.decode()
    assert (one.name_vi or one.name) in filtered and "Danh mục nhà cung cấp" in filtered
    rows = _csv(client.get("/portfolio.csv"))
    assert rows[0][:5] == ["Cơ sở", "Tên tiếng Việt", "Tỉnh, thành phố", "Ngành", "Thẩm tra gần nhất"]
    assert any(h.startswith("Bộ luật Lao động") and h.endswith("tỷ lệ tuân thủ (%)") for h in rows[0])
    assert {r[0] for r in rows[1:]} == {f.name for f in shared_demo["sharing"]}
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def _csv(response: Any) -> list[list[str]]:
    """The rows of a CSV export, which starts with a byte-order mark (for Excel)."""
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_revoking_removes_the_supplier_at_once(shared_demo: dict[str, Any]) -> None:
    first = shared_demo["sharing"][0]
    Grant.objects.filter(facility=first).update(status="revoked", revoked_at=timezone.now())
    assert first.name not in client_for("buyer", "en", PASSWORD).get("/portfolio/").content.decode()


def test_people_without_a_buyer_organisation_get_404(shared_demo: dict[str, Any]) -> None:
    for username in ("factory.admin", "verifier", "cso"):
        assert client_for(username, "en", PASSWORD).get("/portfolio/").status_code == 404


def test_the_framework_filter_narrows_results_and_findings(shared_demo: dict[str, Any]) -> None:
    client = client_for("buyer", "en", PASSWORD)
    rows = _csv(client.get("/portfolio.csv?framework=vn-osh-2015"))
    osh = "Vietnam: Law on Occupational Safety and Hygiene 2015 and fire-safety duties"
    assert rows[0][5:] == [
        f"{osh}: compliance (%)",
        f"{osh}: answered (%)",
        "Zero-tolerance findings",
        "Overdue actions",
    ]
    everything = _csv(client.get("/portfolio.csv"))
    assert len(everything[0]) > len(rows[0])
    page = client.get("/portfolio/?framework=vn-osh-2015").content.decode()
    assert 'value="vn-osh-2015" selected' in page
    unknown = _csv(client.get("/portfolio.csv?framework=nonsense"))
    assert unknown[0] == everything[0]  # an unknown framework is no filter at all


def test_an_export_is_logged_as_an_export(shared_demo: dict[str, Any]) -> None:
    client_for("buyer", "en", PASSWORD).get("/portfolio.csv")
    assert set(AccessLogEntry.objects.values_list("read__channel", flat=True)) == {"export"}


def _overdue_action(facility: Facility, datapoint: str) -> None:
    from commonground.actions.models import Action, ActionFinding

    action = Action.objects.create(
        facility=facility, title="Cap overtime", root_cause_category="planning",
        due_date=dt.date(2020, 1, 31), status="open",
    )  # fmt: skip
    ActionFinding.objects.create(action=action, datapoint=datapoint)


def test_overdue_actions_show_only_where_the_grant_covers_the_plan_and_its_scope(
    shared_demo: dict[str, Any],
) -> None:
    plan, results_only = shared_demo["sharing"][:2]
    Grant.objects.filter(facility=plan).update(content="action_plan", scope="social")
    _overdue_action(plan, "working_time.overtime_hours_month_max")
    _overdue_action(plan, "wastewater.cod_mg_l")  # environment: outside the grant's scope
    _overdue_action(results_only, "working_time.overtime_hours_month_max")
    client = client_for("buyer", "en", PASSWORD)
    rows = {r[0]: r for r in _csv(client.get("/portfolio.csv"))}
    assert rows[plan.name][-1] == "1" and rows[results_only.name][-1] == "not shared"
    page = client.get("/portfolio/?show=overdue").content.decode()
    assert plan.name in page and results_only.name not in page
    assert f'href="/facilities/{plan.pk}/actions/?status=overdue">1</a>' in page


def test_the_supplier_list_is_paged_while_the_summary_covers_every_supplier(
    shared_demo: dict[str, Any], monkeypatch: Any
) -> None:
    from commonground.sharing import supplier_views as views

    monkeypatch.setattr(views, "PORTFOLIO_PAGE", 2)
    client = client_for("buyer", "en", PASSWORD)
    first = client.get("/portfolio/?sector=").content.decode()
    sharing = sorted(shared_demo["sharing"], key=lambda f: f.name)
    assert sharing[0].name in first and sharing[2].name not in first
    assert f"<strong>{len(sharing)}</strong> suppliers share with you" in first
    assert "page=2" in first and "sector=&amp;page=2" in first  # the filters stay on the next page
    second = client.get("/portfolio/?page=2").content.decode()
    assert sharing[2].name in second and sharing[0].name not in second
    assert AccessLogEntry.objects.filter(read__channel="page").count() == 2 * len(
        sharing
    )  # every supplier read
