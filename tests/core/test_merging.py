"""What refuses a merge of two records of the same factory (decision 0040), without Django."""

from __future__ import annotations

import datetime as dt

from commonground.core import identity
from commonground.core.merging import merged_identifier, overlapping

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
H1_2026 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
H2_2026 = (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
Y2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_periods_sharing_a_day_overlap_and_adjacent_ones_do_not() -> None:
    assert overlapping([Y2025, H1_2026], [H2_2026]) == []
    assert overlapping([Y2025], [Y2026, H2_2026]) == []
    assert overlapping([Y2026], [H1_2026, H2_2026]) == [(Y2026, H1_2026), (Y2026, H2_2026)]
    last_day = (dt.date(2025, 12, 31), dt.date(2026, 3, 31))
    assert overlapping([Y2025], [last_day]) == [(Y2025, last_day)]


def test_versions_of_one_period_are_named_once() -> None:
    assert overlapping([Y2026, Y2026], [Y2026, Y2026]) == [(Y2026, Y2026)]


def test_the_kept_record_takes_an_identifier_only_where_it_has_none() -> None:
    assert merged_identifier("", "0100109106", identity.tax_code).value == "0100109106"
    assert merged_identifier("0100109106", "", identity.tax_code).value == "0100109106"
    assert merged_identifier("", "", identity.tax_code).value == ""


def test_the_same_identifier_written_differently_is_no_conflict() -> None:
    assert not merged_identifier("0314409058-002", "0314409058002", identity.tax_code).conflict
    assert not merged_identifier("vn 2019 123 abcd ef", "VN2019123ABCDEF", identity.os_id).conflict


def test_two_different_identifiers_conflict() -> None:
    found = merged_identifier("0100109106", "0314409058", identity.tax_code)
    assert found.conflict and found.value == "0100109106"
