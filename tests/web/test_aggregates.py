"""Safe aggregates over the demo sector: groups under k withheld, the open-data CSV agrees."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from commonground.facilities.demo import seed_demo
from commonground.sharing.aggregates import law_aggregates, to_csv


@pytest.fixture
def demo(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(facilities=30)


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
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert {r["k"] for r in rows} == {"5"}
    for row in rows:
        assert row["facilities"] == "suppressed" or int(row["facilities"]) >= 5
    response = Client().get("/open-data/labour-aggregates.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == to_csv(law_aggregates())


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
