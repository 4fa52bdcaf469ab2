"""Parameters give the value in force on the last day of the period."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from commonground.core.library import Library
from commonground.core.parameters import Parameter
from tests.conftest import day


def test_value_in_force_switches_on_the_effective_date(mini: Library) -> None:
    wage = mini.parameters["mini.min_wage"]
    assert wage.value_on(day("2024-06-30"), "1") is None
    assert wage.value_on(day("2024-07-01"), "1") == 4960000
    assert wage.value_on(day("2025-12-31"), "1") == 4960000
    assert wage.value_on(day("2026-01-01"), "1") == 5310000
    assert wage.value_on(day("2026-01-01"), "2") == 4730000
    assert wage.value_on(day("2026-01-01"), None) is None


def _param(values: list[dict[str, object]]) -> Parameter:
    return Parameter.model_validate({"id": "x.y", "label": {"en": "a", "vi": "b"}, "values": values})


def test_until_ends_a_row_early() -> None:
    p = _param(
        [
            {
                "from": "2022-01-01",
                "until": "2022-12-31",
                "source": "R17",
                "confidence": "confirmed",
                "value": 60,
            },
            {"from": "2024-01-01", "source": "x", "confidence": "confirmed", "value": 40},
        ]
    )
    assert p.value_on(day("2022-12-31")) == 60
    assert p.value_on(day("2023-06-30")) is None
    assert p.value_on(day("2024-01-01")) == 40


def test_rows_out_of_order_or_with_both_forms_are_refused() -> None:
    with pytest.raises(ValidationError):
        _param(
            [
                {"from": "2024-01-01", "source": "x", "confidence": "confirmed", "value": 1},
                {"from": "2023-01-01", "source": "x", "confidence": "confirmed", "value": 2},
            ]
        )
    with pytest.raises(ValidationError):
        _param(
            [
                {
                    "from": "2024-01-01",
                    "source": "x",
                    "confidence": "confirmed",
                    "value": 1,
                    "by_key": {"1": 2},
                }
            ]
        )


def test_a_keyed_parameter_may_go_without_a_key_answer_but_rows_do_not_mix() -> None:
    row = {"from": "2021-01-01", "source": "s", "confidence": "confirmed"}
    keyed = _param([{**row, "by_key": {"normal": 12, "heavy": 14}}])
    assert keyed.keyed and keyed.key is None and keyed.value_on(day("2025-01-01"), "heavy") == 14
    assert keyed.value_on(day("2025-01-01")) is None  # no key answer: only a named key reads it
    with pytest.raises(ValidationError, match="'by_key' all or none"):
        _param([{**row, "by_key": {"normal": 12}}, {**row, "from": "2022-01-01", "value": 12}])
    with pytest.raises(ValidationError, match="always when the parameter has a 'key'"):
        Parameter.model_validate(
            {
                "id": "x.y",
                "label": {"en": "a", "vi": "b"},
                "key": "site.sector",
                "values": [{**row, "value": 1}],
            }
        )
