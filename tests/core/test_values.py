"""Answers are checked and converted against their data point."""

from __future__ import annotations

import datetime as dt

import pytest

from commonground.core import units
from commonground.core.catalogue import ValueProblem, normalise
from commonground.core.library import Library


def test_compatible_units_convert_and_incompatible_are_refused(mini: Library) -> None:
    dp = mini.datapoints["work.ot_month"]
    assert normalise(dp, 2460, "min") == 41.0
    assert normalise(dp, "41", None) == 41.0
    with pytest.raises(ValueProblem) as exc:
        normalise(dp, 41, "kg")
    assert exc.value.code == "unit_incompatible"
    with pytest.raises(ValueProblem) as exc:
        normalise(dp, 41, "bananas")
    assert exc.value.code == "unknown_unit"


def test_energy_and_emissions_units() -> None:
    assert units.convert(3600, "MJ", "GJ") == pytest.approx(3.6)
    assert units.convert(1, "TOE", "GJ") == pytest.approx(41.868)
    assert units.convert(2500, "kgCO2e", "tCO2e") == pytest.approx(2.5)
    assert units.convert(1, "kWh", "GJ") == pytest.approx(0.0036)
    assert not units.compatible("VND/month", "h")
    assert not units.compatible("mg/L", "mg/Nm3")


def test_numbers_accept_thousand_separators_and_check_range(mini: Library) -> None:
    wage = mini.datapoints["work.wage"]
    assert normalise(wage, "4,960,000") == 4960000.0
    with pytest.raises(ValueProblem) as exc:
        normalise(mini.datapoints["work.ot_month"], 401)
    assert exc.value.code == "out_of_range"
    with pytest.raises(ValueProblem) as exc:
        normalise(wage, "a lot")
    assert exc.value.code == "wrong_type"
    with pytest.raises(ValueProblem):
        normalise(wage, True)
    with pytest.raises(ValueProblem):
        normalise(wage, float("nan"))


def test_booleans_accept_vietnamese_and_english_words(mini: Library) -> None:
    dp = mini.datapoints["work.notified"]
    assert normalise(dp, "có") is True
    assert normalise(dp, "Không") is False
    assert normalise(dp, "yes") is True
    with pytest.raises(ValueProblem):
        normalise(dp, "maybe")
    with pytest.raises(ValueProblem) as exc:
        normalise(dp, True, "h")
    assert exc.value.code == "unit_not_allowed"


def test_options_dates_and_text(mini: Library) -> None:
    assert normalise(mini.datapoints["site.minimum_wage_region"], 1) == "1"
    with pytest.raises(ValueProblem) as exc:
        normalise(mini.datapoints["site.sector"], "shipbuilding")
    assert exc.value.code == "option_unknown"
    processes = mini.datapoints["site.processes"]
    assert normalise(processes, "sewing, dyeing") == frozenset({"sewing", "dyeing"})
    assert normalise(processes, ["sewing"]) == frozenset({"sewing"})
    with pytest.raises(ValueProblem):
        normalise(processes, 3)
    date_dp = mini.datapoints["work.audit_date"]
    assert normalise(date_dp, "2025-03-01") == dt.date(2025, 3, 1)
    assert normalise(date_dp, dt.datetime(2025, 3, 1, 10)) == dt.date(2025, 3, 1)
    with pytest.raises(ValueProblem) as exc:
        normalise(date_dp, "1 March")
    assert exc.value.code == "date_invalid"
    assert normalise(mini.datapoints["work.note"], 12) == "12"
    with pytest.raises(ValueProblem):
        normalise(mini.datapoints["work.note"], ["a"])
