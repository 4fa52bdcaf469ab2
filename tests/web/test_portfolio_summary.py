"""The portfolio page fills the rows it shows (decision 0035): the results of every supplier are kept
as one summary in the shared cache under what they depend on, a page shows the same rows as a
portfolio computed afresh, logs every supplier it summarises (decision 0011), and costs the same
number of queries however many suppliers the buyer has."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.accounts.models import Organisation
from commonground.assessments.models import Assessment
from commonground.facilities.models import Facility
from commonground.sharing.models import AccessLogEntry, AccessRead
from commonground.sharing.portfolio import SupplierRow, portfolio_summary, sort_key, sort_rows
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.web.conftest import client_for, share_results

PAGE = 3


@pytest.fixture
def demo(db: None, monkeypatch: Any) -> dict[str, Any]:
    from commonground.sharing import supplier_views

    monkeypatch.setattr(supplier_views, "PORTFOLIO_PAGE", PAGE)
    seed_demo(facilities=16)
    buyer = Organisation.objects.get(name="Lotus Apparel")
    suppliers = list(Facility.objects.filter(supply_links__buyer=buyer).order_by("pk"))
    return {"buyer": buyer, "suppliers": suppliers, "user": User.objects.get(username="buyer")}


def _shown(row: SupplierRow) -> tuple[Any, ...]:
    return (
        row.facility,
        row.grant,
        row.assessment,
        row.rates,
        row.standings,
        row.zero_tolerance,
        row.overdue,
    )


def _table(html: str) -> str:
    """The page without what changes from one response to the next (the form's token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("sort", ["name", "-verified", "framework:vn-labour-code-2019", "-zero_tolerance"])
def test_a_page_shows_what_a_fresh_portfolio_shows_for_its_rows(demo: dict[str, Any], sort: str) -> None:
    share_results(demo["buyer"], demo["suppliers"])
    client = client_for("buyer", "en", PASSWORD)
    cache.clear()
    cold = client.get(f"/portfolio/?sort={sort}&page=2")
    warm = client.get(f"/portfolio/?sort={sort}&page=2")  # from the kept summary
    assert _table(cold.content.decode()) == _table(warm.content.decode())
    cache.clear()
    fresh = portfolio_summary(demo["user"])
    rows = sort_rows(fresh.suppliers, *sort_key(sort, fresh.frameworks))[PAGE : 2 * PAGE]
    assert [_shown(r) for r in warm.context["page"].object_list] == [_shown(r) for r in rows]
    assert warm.context["portfolio"].top_findings == fresh.top_findings
    assert [_shown(r) for r in warm.context["portfolio"].suppliers] == [_shown(r) for r in fresh.suppliers]
    html = warm.content.decode()
    assert f"<strong>{len(demo['suppliers'])}</strong> suppliers share with you" in html
    assert all(r.facility.name in html for r in rows)
    read = AccessRead.objects.order_by("-id").first()
    assert read is not None  # the view logs every supplier its counts summarise (decision 0011)
    assert sorted(read.entries.values_list("facility_id", flat=True)) == sorted(
        r.facility.pk for r in fresh.suppliers if r.assessment is not None
    )


def test_the_summary_follows_a_change_of_the_latest_verified_assessment(demo: dict[str, Any]) -> None:
    share_results(demo["buyer"], demo["suppliers"])
    before = portfolio_summary(demo["user"])
    changed = next(
        r
        for r in before.suppliers
        if r.assessment is not None
        and Assessment.objects.filter(facility_id=r.facility.pk, status="verified").count() > 1
    )
    assert changed.assessment is not None
    # the latest verification withdrawn (the database can; the application never does): the earlier one counts
    Assessment.objects.filter(pk=changed.assessment.pk).update(status="returned")
    after = portfolio_summary(demo["user"])
    cache.clear()
    fresh = portfolio_summary(demo["user"])
    assert [_shown(r) for r in after.suppliers] == [_shown(r) for r in fresh.suppliers]
    row = next(r for r in after.suppliers if r.facility.pk == changed.facility.pk)
    assert row.assessment is not None and row.assessment.pk != changed.assessment.pk
    assert after.top_findings == fresh.top_findings


def _queries(client: Any, url: str) -> tuple[int, int]:
    """Queries of a view with nothing kept, then of the same view again."""
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold.captured_queries), len(warm.captured_queries)


def test_a_page_costs_the_same_queries_for_many_suppliers_as_for_few(demo: dict[str, Any]) -> None:
    few, more = demo["suppliers"][:PAGE], demo["suppliers"][PAGE:]
    assert len(more) >= 2 * PAGE
    client = client_for("buyer", "en", PASSWORD)
    share_results(demo["buyer"], few)
    client.get("/portfolio/")  # the session, the library: read once into this process
    counts = [_queries(client, "/portfolio/"), _queries(client, "/portfolio/?page=1&sort=-verified")]
    share_results(demo["buyer"], more)
    assert [_queries(client, "/portfolio/"), _queries(client, "/portfolio/?page=1&sort=-verified")] == counts
    assert counts[0][1] < counts[0][0]  # the kept summary saves the outcomes' reads
    entries = AccessLogEntry.objects.filter(read=AccessRead.objects.order_by("-id").first())
    summarised = portfolio_summary(demo["user"]).suppliers
    assert entries.count() == sum(r.assessment is not None for r in summarised) > PAGE  # all, in one append


def test_the_kept_rows_follow_everything_they_show(demo: dict[str, Any]) -> None:
    """The rendered rows are kept under a key of everything they show (decision 0035, "Later"): the
    same view is served from the kept fragment; a renamed supplier or a revoked grant changes the key
    and the page at once, in either language."""
    from django.core.cache.utils import make_template_fragment_key

    from commonground.sharing.models import Grant

    share_results(demo["buyer"], demo["suppliers"])
    client = client_for("buyer", "en", PASSWORD)
    first = client.get("/portfolio/")
    key = make_template_fragment_key("portfolio_rows", [first.context["rows_key"]])
    shown = first.context["page"].object_list[0].facility
    assert shown.name in cache.get(key)  # the rows as rendered, kept
    assert client.get("/portfolio/").context["rows_key"] == first.context["rows_key"]
    Facility.objects.filter(pk=shown.pk).update(name="A Renamed Garment Co.")
    renamed = client.get("/portfolio/")
    assert renamed.context["rows_key"] != first.context["rows_key"]
    assert "A Renamed Garment Co." in renamed.content.decode()
    vi = client_for("buyer", "vi", PASSWORD).get("/portfolio/")
    assert vi.context["rows_key"] != renamed.context["rows_key"]
    assert "đã trả lời" in vi.content.decode() and "đã trả lời" not in renamed.content.decode()
    Grant.objects.filter(facility_id=shown.pk, grantee=demo["buyer"]).update(status=Grant.Status.REVOKED)
    revoked = client.get("/portfolio/").content.decode()
    assert "A Renamed Garment Co." not in revoked
