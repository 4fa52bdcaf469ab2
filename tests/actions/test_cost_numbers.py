"""The action's cost estimate is read and shown as the reader writes numbers (5.000.000 / 5,000,000):
what the page shows saves back unchanged, and a malformed or hostile cost gets a word beside the field."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from commonground.actions.models import Action
from commonground.assessments.models import Assessment
from tests.actions.conftest import OVERTIME, make_action
from tests.web.conftest import client_for

_FIELD = re.compile(r'<input type="text" name="cost_estimate_vnd"[^>]*>')


def _shown_form(page: str) -> dict[str, str]:
    """Every text and date input's shown value and every select's chosen option, as the browser sends."""
    values = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="(?:text|date)" name="([a-z_]+)" value="([^"]*)"', page)
    }
    for name, body in re.findall(r'<select name="([a-z_]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen.group(1) if chosen else ""
    return values


@pytest.mark.parametrize(("lang", "shown"), [("vi", "5.000.000"), ("en", "5,000,000")])
def test_the_shown_cost_saves_back_unchanged(
    cast: dict[str, Any], findings: Assessment, lang: str, shown: str
) -> None:
    action = make_action(cast, findings, OVERTIME, cost_estimate_vnd=5_000_000)
    client = client_for("alice", lang)
    page = client.get(f"/actions/{action.pk}/").content.decode()
    field = _FIELD.search(page)
    assert field is not None and f'value="{shown}"' in field.group(0)
    form = _shown_form(page)
    assert form["cost_estimate_vnd"] == shown
    response = client.post(f"/actions/{action.pk}/edit", {**form, "title": "Cap overtime"})
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert action.cost_estimate_vnd == 5_000_000


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [
        ("vi", "5.000.000", 5_000_000),
        ("vi", "5 000 000", 5_000_000),
        ("en", "5,000,000", 5_000_000),
        ("en", "", None),
    ],
)
def test_the_cost_is_read_as_the_reader_writes_it(
    cast: dict[str, Any], findings: Assessment, lang: str, typed: str, stored: int | None
) -> None:
    action = make_action(cast, findings, OVERTIME, cost_estimate_vnd=1)
    client = client_for("alice", lang)
    form = _shown_form(client.get(f"/actions/{action.pk}/").content.decode())
    response = client.post(f"/actions/{action.pk}/edit", {**form, "cost_estimate_vnd": typed})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.cost_estimate_vnd == stored


@pytest.mark.parametrize(
    ("lang", "typed", "words"),
    [
        ("vi", "5,000,000", "5.000.000"),
        ("en", "5.000.000", "5,000,000"),
        ("en", "1,5", "1.5"),
        ("en", "-5", "-5"),
        ("en", "1e300", "1e300"),
        ("vi", "x" * 10_000, "64"),
        ("en", "2.5", "whole number"),
        ("en", "5\x00", ""),
    ],
)
def test_a_malformed_cost_is_refused_beside_the_field(
    cast: dict[str, Any], findings: Assessment, lang: str, typed: str, words: str
) -> None:
    action = make_action(cast, findings, OVERTIME, cost_estimate_vnd=7)
    client = client_for("alice", lang)
    form = _shown_form(client.get(f"/actions/{action.pk}/").content.decode())
    response = client.post(f"/actions/{action.pk}/edit", {**form, "cost_estimate_vnd": typed})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    if "\x00" not in typed:
        field = page[page.index('id="id_cost_estimate_vnd"') :]
        assert words in field[: field.index("</p>")] and len(field[: field.index("</p>")]) < 800
    assert Action.objects.get(pk=action.pk).cost_estimate_vnd == 7
