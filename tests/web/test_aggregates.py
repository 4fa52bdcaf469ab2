"""Safe aggregates over the demo sector: groups under k withheld, the open-data CSV agrees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from commonground.sharing.aggregates import law_aggregates, to_csv
from commonground.web.demo.facilities import seed_demo
from tests.conftest import seeded_once


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The demo seeded once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, lambda: seed_demo(facilities=30)) as made:
        yield made


@pytest.fixture
def demo(_seeded: Any, db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_no_published_group_is_under_k_and_small_groups_are_withheld(demo: None, settings: Any) -> None:
    settings.AGGREGATE_K = 5
    table = law_aggregates()
    published = [c for c in table.cells if c.published]
    assert published and all(c.facilities >= 5 for c in published)
    assert any(not c.published for c in table.cells)
    total = next(c for c in table.cells if c.key == (None, None, 2024))
    assert (
        total.published and 0 <= total.values["overtime.month"] <= 1
    )  # the share of facilities over 40 h/month


def test_the_csv_carries_the_same_figures_and_no_suppressed_count(demo: None) -> None:
    table = law_aggregates()
    text = to_csv(table)
    assert text.startswith(
        "\ufeffprovince,sector,year,facilities,indicator,value,change_since_previous_year,k,"
    )
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert {r["k"] for r in rows} == {"5"}
    for row in rows:
        assert row["facilities"] == "suppressed" or int(row["facilities"]) >= 5
    response = Client().get("/open-data/labour-aggregates.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == to_csv(law_aggregates())


def test_the_open_data_csv_keeps_its_codes_and_gains_labels_in_both_languages(demo: None) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(law_aggregates()).removeprefix("\ufeff"))))
    whole = next(
        r for r in rows if (r["province"], r["sector"], r["indicator"]) == ("(all)", "(all)", "overall")
    )
    assert (whole["province_label_vi"], whole["province_label_en"]) == ("(tất cả)", "(all)")
    assert whole["indicator_label_vi"].startswith("Tỷ lệ yêu cầu") and whole["indicator_label_en"].startswith(
        "Share"
    )
    by_sector = next(r for r in rows if r["sector"] == "garment")
    assert (by_sector["sector_label_vi"], by_sector["sector_label_en"]) == ("May mặc", "Garment")
    hcm = next((r for r in rows if r["province"] == "Thành phố Hồ Chí Minh"), None)
    assert hcm is None or hcm["province_label_en"] == "Ho Chi Minh City"
    level = next(r for r in rows if r["indicator"] == "level.energy_ghg")
    assert (
        level["indicator_label_vi"].startswith("Cấp độ đạt được: ")
        and "Level reached" in level["indicator_label_en"]
    )


def test_the_public_page_needs_no_login_and_speaks_vietnamese(demo: None) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="vi").get("/aggregates/?year=2024")
    assert page.status_code == 200 and len(page.content) < 300_000
    assert "Chỉ số ngành" in page.content.decode()


def test_raising_k_withholds_more(demo: None, settings: Any) -> None:
    settings.AGGREGATE_K = 5
    five = sum(c.published for c in law_aggregates().cells)
    settings.AGGREGATE_K = 12
    twelve = law_aggregates()
    assert sum(c.published for c in twelve.cells) < five
    assert all(c.facilities >= 12 for c in twelve.cells if c.published)


def test_levels_and_the_overall_rate_are_aggregated_per_group(demo: None) -> None:
    table = law_aggregates()
    assert set(table.sections) == {"ems", "energy_ghg", "water", "wastewater", "air", "waste", "chemicals"}
    for cell in (c for c in table.cells if c.published):
        levels = [cell.values[f"level.{s}"] for s in table.sections]
        assert all(0 <= v <= 3 for v in levels)
        rates = [v for r, v in cell.values.items() if r in table.requirements]
        assert 0 <= cell.values["overall"] <= 1 and min(rates) <= cell.values["overall"] <= max(rates)


def test_a_trend_is_the_change_between_two_published_years_and_nothing_else(demo: None) -> None:
    table = law_aggregates()
    trends = 0
    for cell in table.cells:
        earlier = table.previous(cell)
        change = table.change(cell, "overall")
        if earlier is None:
            assert change is None
            continue
        assert cell.published and earlier.published and earlier.key[2] == cell.key[2] - 1
        assert change == round(cell.values["overall"] - earlier.values["overall"], 4)
        trends += 1
    assert trends >= 2  # the whole sector, at least, is published in consecutive years
    rows = list(csv.DictReader(io.StringIO(to_csv(table).removeprefix("\ufeff"))))
    total = next(c for c in table.cells if c.key[:2] == (None, None) and table.previous(c) is not None)
    sector = next(
        r
        for r in rows
        if (r["province"], r["sector"], r["year"], r["indicator"])
        == ("(all)", "(all)", str(total.key[2]), "overall")
    )
    assert float(sector["change_since_previous_year"]) == table.change(total, "overall")
    assert any(r["indicator"] == "level.energy_ghg" for r in rows)


def test_the_page_shows_trends_and_levels(demo: None) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/aggregates/?year=2024").content.decode()
    assert "Change since the previous year" in html and "Energy and greenhouse gases" in html
    assert "points" in html
