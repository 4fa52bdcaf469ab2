"""Numbers in the reader's language: what a page shows reads back as the same value, in Vietnamese
(5.200.000, 87,5) and English (5,200,000, 87.5); text that is malformed there is refused with a
message that shows how to write it."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core import units
from commonground.core.catalogue import DataPoint, ValueProblem, normalise
from commonground.core.errors import Lang, Problem
from commonground.core.library import Library, cached_library
from commonground.core.numbers import (
    NumberProblem,
    format_number,
    money,
    parse_number,
    percent,
    readable,
    split_quantity,
)
from commonground.core.report import value_text

LANGS: tuple[Lang, ...] = ("vi", "en")


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (5_200_000, "5.200.000", "5,200,000"),
        (87.5, "87,5", "87.5"),
        (0.125, "0,125", "0.125"),
        (1234.5, "1.234,5", "1,234.5"),
        (-0.0, "0", "0"),
        (-12.25, "-12,25", "-12.25"),
        (10_000_000_000, "10.000.000.000", "10,000,000,000"),
        (1e300, "1e300", "1e300"),
        (1.5e20, "1,5e20", "1.5e20"),
        (2.5e-9, "2,5e-9", "2.5e-9"),
    ],
)
def test_a_number_is_shown_in_the_readers_convention(value: float, vi: str, en: str) -> None:
    assert format_number(value, "vi") == vi and format_number(value, "en") == en
    assert parse_number(vi, "vi") == value and parse_number(en, "en") == value


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("5.200.000", "vi", 5_200_000),
        ("5 200 000", "vi", 5_200_000),
        ("5\u00a0200\u202f000", "vi", 5_200_000),  # no-break and narrow no-break spaces
        ("5\u2009200\u2009000", "en", 5_200_000),  # thin spaces
        ("1,5", "vi", 1.5),
        ("87,5", "vi", 87.5),
        ("1.500", "vi", 1500),
        ("5,200,000", "en", 5_200_000),
        ("5 200 000.75", "en", 5_200_000.75),
        ("87.5", "en", 87.5),
        ("-0", "vi", 0.0),
        ("−3", "en", -3.0),  # the minus sign, U+2212
        ("+7", "en", 7.0),
        (" 44 ", "vi", 44.0),
        ("1,5e3", "vi", 1500.0),
        ("1e300", "en", 1e300),
    ],
)
def test_well_formed_text_is_read_in_the_active_language(text: str, lang: Lang, value: float) -> None:
    assert parse_number(text, lang) == value


def test_minus_zero_is_stored_as_zero() -> None:
    assert math.copysign(1, parse_number("-0", "vi")) == 1


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("1.5", "vi", "number_convention_or"),
        ("5,200,000", "vi", "number_convention"),
        ("0.500", "vi", "number_convention"),
        ("1,5", "en", "number_convention_or"),
        ("5.200.000", "en", "number_convention"),
        ("1.234,5", "en", "number_convention"),
        ("12.34.567", "vi", "number_malformed"),  # groups must be threes
        ("1.234 567", "vi", "number_malformed"),  # one way of grouping at a time
        ("1..2", "en", "number_malformed"),
        ("5,", "vi", "number_malformed"),
        ("\x00", "vi", "not_a_number"),
        ("nan", "en", "not_a_number"),
        ("inf", "vi", "not_a_number"),
        ("Infinity", "en", "not_a_number"),
        ("1e999999", "vi", "number_too_large"),
        ("1e9999", "en", "number_too_large"),
        ("1e400", "en", "number_too_large"),
        ("1e-400", "vi", "number_too_large"),
        ("١٢٣", "vi", "number_digits"),  # Arabic-Indic digits
        ("１２３", "en", "number_digits"),  # full-width digits
        ("1" * 10_000, "vi", "number_too_long"),
        (" " * 100_000, "en", "number_too_long"),
        ("", "vi", "number_empty"),
        ("   ", "en", "number_empty"),
    ],
)
def test_malformed_or_hostile_text_is_refused_with_a_message(text: str, lang: Lang, code: str) -> None:
    with pytest.raises(NumberProblem) as exc:
        parse_number(text, lang)
    assert exc.value.code == code
    for reader in LANGS:
        message = Problem(exc.value.code, params=exc.value.params).message(reader)
        assert 0 < len(message) < 400 and "\x00" not in message


def test_the_refusal_shows_how_to_write_it_in_the_active_language() -> None:
    with pytest.raises(NumberProblem) as exc:
        parse_number("1.5", "vi")
    vi = Problem(exc.value.code, params=exc.value.params).message("vi")
    assert vi == (
        "'1.5' không đúng cách viết số ở đây: hãy viết 1,5 (dấu phẩy ngăn phần thập phân) "
        "hoặc 1.500 nếu là hàng nghìn (dấu chấm hoặc khoảng trắng nhóm hàng nghìn)"
    )
    with pytest.raises(NumberProblem) as exc:
        parse_number("5,200,000", "vi")
    assert "hãy viết 5.200.000" in Problem(exc.value.code, params=exc.value.params).message("vi")
    with pytest.raises(NumberProblem) as exc:
        parse_number("1,5", "en")
    en = Problem(exc.value.code, params=exc.value.params).message("en")
    assert "write 1.5 (a point before the decimals) or 1,500 for thousands" in en


def test_1e300_is_refused_readably_with_the_range_in_the_readers_words(shipped: Library) -> None:
    hours = shipped.datapoints["working_time.overtime_hours_month_max"]
    with pytest.raises(ValueProblem) as exc:
        normalise(hours, "1e300", lang="vi")
    problem = Problem(exc.value.code, params=exc.value.params)
    assert (
        problem.message("vi")
        == f"1e300 nằm ngoài khoảng cho phép 0 – {format_number(hours.max or 0, 'vi')} giờ"
    )
    assert problem.message("en").startswith("1e300 is outside the allowed range 0 – ")
    assert problem.message("en").endswith(" h")
    wage = shipped.datapoints["wages.lowest_base_wage_month_vnd"]
    with pytest.raises(ValueProblem) as exc:
        normalise(wage, 1e300)
    assert Problem(exc.value.code, params=exc.value.params).message("vi") == (
        "1e300 nằm ngoài khoảng cho phép 0 – 500.000.000 đồng/tháng"
    )
    with pytest.raises(ValueProblem) as exc:
        normalise(wage, 10**400)  # a JSON integer no float holds
    assert len(Problem(exc.value.code, params=exc.value.params).message("en")) < 200


def test_readable_numbers_in_messages_never_run_to_hundreds_of_digits() -> None:
    assert readable(1e300, "vi") == "1e300" and readable(math.inf, "en") == "∞"
    assert readable(744.0, "vi") == "744" and readable(5_000_000.5, "vi") == "5.000.000,5"


def test_money_and_rates_read_as_people_write_them() -> None:
    assert money(5_200_000, "vi") == "5.200.000 đ" and money(5_200_000, "en") == "VND 5,200,000"
    assert money(5_200_000, "vi", per="/tháng") == "5.200.000 đ/tháng"
    assert percent(0.875, "vi") == "87,5 %" and percent(0.875, "en") == "87.5%"
    assert percent(0.89, "vi") == "89 %" and percent(None, "en") == "–"


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("44 giờ", "44", "giờ"),
        ("5.200.000 đ/tháng", "5.200.000", "đ/tháng"),
        ("VND 5,200,000", "5,200,000", "VND"),
        ("VND 5,200,000/month", "5,200,000", "VND/month"),
        ("VND 5,200,000 h", "VND 5,200,000 h", None),
        ("87,5 %", "87,5", "%"),
        ("87,5%", "87,5", "%"),
        ("1e300 phút", "1e300", "phút"),
        ("-3 h", "-3", "h"),
        ("44", "44", None),
        ("1,5.", "1,5.", None),
        ("nan", "nan", None),
    ],
)
def test_a_number_may_carry_its_unit(text: str, number: str, unit: str | None) -> None:
    assert split_quantity(text) == (number, unit)


@pytest.mark.parametrize(
    ("typed", "unit"),
    [
        ("giờ", "h"),
        ("Giờ", "h"),
        ("phút", "min"),
        ("ngày", "day"),
        ("tuần", "week"),
        ("tháng", "month"),
        ("năm", "year"),
        ("đồng", "VND"),
        ("đ", "VND"),
        ("VND", "VND"),
        ("VNĐ", "VND"),
        ("đ/tháng", "VND/month"),
        ("đồng/giờ", "VND/h"),
        ("tấn", "t"),
        ("kg", "kg"),
        ("m³", "m3"),
        ("m3", "m3"),
        ("m³/ngày", "m3/day"),
        ("kWh", "kWh"),
        ("kwh", "kWh"),
        ("lít", "L"),
        ("%", "percent"),
        ("xyz", None),
        ("giờ/", None),
    ],
)
def test_vietnamese_unit_words_name_the_units_of_the_catalogue(typed: str, unit: str | None) -> None:
    assert units.parse_unit_word(typed) == unit


def test_unit_words_are_shown_in_the_readers_language() -> None:
    assert units.unit_word("h", "vi") == "giờ" and units.unit_word("h", "en") == "h"
    assert (
        units.unit_word("VND/month", "vi") == "đồng/tháng"
        and units.unit_word("VND/month", "en") == "VND/month"
    )
    assert units.unit_word("m3/day", "vi") == "m³/ngày" and units.unit_word("day", "en", one=True) == "day"
    assert units.unit_word("count", "vi") == "" and units.unit_word(None, "en") == ""


def test_every_unit_of_the_catalogue_reads_back_from_its_words(shipped: Library) -> None:
    for unit in {dp.unit for dp in shipped.datapoints.values() if dp.unit}:
        for lang in LANGS:
            word = units.unit_word(unit, lang)
            if word:
                assert units.parse_unit_word(word) is not None, (unit, lang, word)
                assert units.compatible(units.parse_unit_word(word) or "", unit), (unit, lang, word)


def test_answers_convert_from_vietnamese_units(shipped: Library) -> None:
    hours = shipped.datapoints["working_time.overtime_hours_month_max"]
    assert normalise(hours, "2.640 phút", lang="vi") == 44.0
    assert normalise(hours, "44 giờ", lang="vi") == 44.0
    assert normalise(hours, "2640", "phút", lang="vi") == 44.0
    wage = shipped.datapoints["wages.lowest_base_wage_month_vnd"]
    assert normalise(wage, "5.200.000 đ/tháng", lang="vi") == 5_200_000
    assert normalise(wage, "VND 5,200,000", lang="en") == 5_200_000
    assert normalise(wage, "5.200.000 đ", lang="vi") == 5_200_000  # đồng: in the data point's own basis
    assert normalise(wage, "5.200.000", "đồng", lang="vi") == 5_200_000  # the same in the unit field
    assert normalise(wage, "5,200,000", "VND", lang="en") == 5_200_000
    with pytest.raises(ValueProblem) as exc:
        normalise(wage, "5.200.000 đ/giờ", lang="vi")
    assert exc.value.code == "unit_money_basis"
    with pytest.raises(ValueProblem) as exc:
        normalise(hours, "44 giờ", "phút", lang="vi")
    assert exc.value.code == "unit_twice"


# ---- the property: every numeric data point, both languages, edges and decimals ---------------

NUMERIC: list[DataPoint] = [dp for dp in cached_library().datapoints.values() if dp.numeric]


def _values(dp: DataPoint) -> st.SearchStrategy[float]:
    low = -1e12 if dp.min is None else dp.min
    high = 1e12 if dp.max is None else dp.max
    edges = st.sampled_from([low, high, (low + high) / 2])
    if dp.type == "integer":
        return st.one_of(edges.map(math.floor), st.integers(int(low), int(high)).map(float))
    decimals = st.floats(low, high, allow_nan=False, allow_infinity=False)
    rounded = st.tuples(decimals, st.integers(0, 4)).map(lambda pair: round(pair[0], pair[1]))
    return st.one_of(edges, decimals, rounded.filter(lambda x: low <= x <= high))


def test_the_catalogue_has_numeric_data_points_of_both_kinds() -> None:
    assert len(NUMERIC) > 200 and {dp.type for dp in NUMERIC} == {"integer", "decimal"}


@pytest.mark.parametrize("dp", NUMERIC, ids=lambda dp: dp.id)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_a_page_shows_reads_back_as_the_same_value(dp: DataPoint, data: st.DataObject) -> None:
    value = data.draw(_values(dp))
    for lang in LANGS:
        shown = format_number(value, lang)
        assert parse_number(shown, lang) == value, (shown, lang)
        assert normalise(dp, shown, lang=lang) == value, (shown, lang)
        assert normalise(dp, value_text(value, dp, lang), lang=lang) == value, (
            value_text(value, dp, lang),
            lang,
        )
