"""Creating an action from the findings of an assessment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from commonground.actions import services
from commonground.actions.errors import ActionRefused
from commonground.actions.models import ActionEvent
from commonground.assessments.models import Assessment
from tests.actions.conftest import DRILLS, OVERTIME, make_action


def test_one_action_addresses_several_findings_with_their_frameworks_and_buyers(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(
        cast, findings, OVERTIME, DRILLS, owner_id=cast["alice"].pk, cost_estimate_vnd=5_000_000
    )
    rows = {f.datapoint: f for f in action.findings.all()}
    assert set(rows) == {OVERTIME, DRILLS}
    assert rows[OVERTIME].frameworks == ["vn-labour-code-2019", "sa8000"]
    assert rows[OVERTIME].buyers == ["Bao Brand"] and rows[OVERTIME].legal
    assert rows[OVERTIME].value == 60 and rows[OVERTIME].severity == "critical"
    assert "vn-osh-2015/fire.drills" in rows[DRILLS].requirements
    assert (action.status, action.owner, action.cost_estimate_vnd) == ("open", cast["alice"], 5_000_000)
    assert list(action.events.values_list("kind", "actor__username")) == [(ActionEvent.Kind.CREATED, "alice")]


def test_a_data_point_without_a_finding_is_refused(cast: dict[str, Any], findings: Assessment) -> None:
    with pytest.raises(ActionRefused) as refused:
        make_action(cast, findings, "wages.lowest_base_wage_month_vnd")
    assert set(refused.value.errors) == {"findings"}
    assert not findings.actions.exists()


def test_every_bad_field_is_named(cast: dict[str, Any], findings: Assessment) -> None:
    with pytest.raises(ActionRefused) as refused:
        make_action(
            cast,
            findings,
            title="  ",
            owner_id=cast["charlie"].pk,
            cost_estimate_vnd=-1,
            root_cause_category="bad luck",
            due_date="tomorrow",
        )
    assert set(refused.value.errors) == {
        "title",
        "owner_id",
        "cost_estimate_vnd",
        "root_cause_category",
        "due_date",
    }


@pytest.mark.parametrize("username", ["bob", "victor", "charlie"])
def test_only_the_facilitys_editors_create_actions(
    cast: dict[str, Any], findings: Assessment, username: str
) -> None:
    with pytest.raises(Http404):
        services.create_action(
            findings.pk, [OVERTIME], user=cast[username], title="x", due_date=dt.date(2027, 1, 1)
        )


def test_editing_records_old_and_new_values(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings, due_date=dt.date(2099, 9, 1))
    services.update_action(
        action.pk, user=cast["alice"], due_date=dt.date(2099, 10, 1), root_cause="no shift planning"
    )
    event = action.events.get(kind=ActionEvent.Kind.EDITED)
    assert event.changes == {
        "due_date": ["2099-09-01", "2099-10-01"],
        "root_cause": ["", "no shift planning"],
    }
    with pytest.raises(Http404):
        services.update_action(action.pk, user=cast["bob"], title="changed by a viewer")


def test_a_solution_must_be_in_the_catalogue(cast: dict[str, Any], findings: Assessment) -> None:
    with pytest.raises(ActionRefused) as refused:
        make_action(cast, findings, solution_id="magic_wand")
    assert set(refused.value.errors) == {"solution_id"}
    assert (
        make_action(cast, findings, solution_id="digital_time_keeping").solution_id == "digital_time_keeping"
    )


def test_the_form_suggests_the_catalogues_solutions_for_the_findings_first(
    cast: dict[str, Any], findings: Assessment
) -> None:
    from tests.web.conftest import client_for

    page = client_for("alice", "en").get(f"/assessments/{findings.pk}/actions/new?datapoint={OVERTIME}")
    html = page.content.decode()
    suggested = html.split('<optgroup label="For these findings">')[1].split("</optgroup>")[0]
    assert 'value="digital_time_keeping"' in suggested and 'value="rooftop_solar"' not in suggested
    assert 'value="rooftop_solar"' in html.split('<optgroup label="Other solutions">')[1]
