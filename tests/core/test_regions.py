"""Minimum-wage region of a place on a date, from the shipped locality table (Decrees 128/2025, 293/2025)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from commonground.core.regions import (
    CSV_PATH,
    AmbiguousLocalityError,
    RegionMatch,
    localities,
    periods,
    provinces,
    region_for,
)

H2_2025 = dt.date(2025, 7, 1)
Y2026 = dt.date(2026, 1, 1)
HCMC = "Thành phố Hồ Chí Minh"


def _region(province: str, locality: str | None, on: dt.date = Y2026) -> str:
    match = region_for(province, locality, on)
    assert match is not None
    return match.region


# ---- the table ----------------------------------------------------------------------------------


def test_table_holds_two_periods_of_34_provinces_with_the_counts_of_the_research_note() -> None:
    assert periods() == [H2_2025, Y2026]
    assert len(provinces(Y2026)) == 34
    assert len(provinces(H2_2025)) == 34
    assert sum(len(localities(p, Y2026)) for p in provinces(Y2026)) == 1642
    assert sum(len(localities(p, H2_2025)) for p in provinces(H2_2025)) == 1258


def test_every_listed_row_finds_itself_with_its_own_region() -> None:
    roman = {"I": "1", "II": "2", "III": "3", "IV": "4"}
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if "còn lại" not in row["locality_vi"]]
    assert len(rows) == 1642 + 1258
    for row in rows:
        match = region_for(
            row["province_vi"], row["locality_vi"], dt.date.fromisoformat(row["effective_from"])
        )
        assert match is not None
        assert (match.locality, match.region) == (row["locality_vi"], roman[row["region"]])


# ---- 2026 (Decree 293/2025) ------------------------------------------------------------------------


def test_listed_hanoi_ward_is_region_1_with_its_source() -> None:
    match = region_for("Thành phố Hà Nội", "phường Hoàn Kiếm", Y2026)
    assert match == RegionMatch(
        region="1",
        province="Thành phố Hà Nội",
        locality="phường Hoàn Kiếm",
        effective_from=Y2026,
        source_url="https://github.com/linczenora/hinova-luong-2026/blob/main/app.py",
        confidence="secondary",
    )


@pytest.mark.parametrize("commune", ["Ba Vì", "xã Phúc Thọ", "Mỹ Đức", "xa Dan Phuong"])
def test_unlisted_hanoi_commune_takes_the_remaining_units_region_2(commune: str) -> None:
    match = region_for("Hà Nội", commune, Y2026)
    assert match is not None
    assert (match.region, match.locality) == ("2", None)


def test_no_locality_gives_the_remaining_units_row() -> None:
    match = region_for("Hà Nội", None, Y2026)
    assert match is not None
    assert (match.region, match.locality) == ("2", None)
    assert _region("Hà Nội", "   ") == "2"


def test_hcmc_listed_ward_region_1_listed_commune_region_2_rest_region_3() -> None:
    assert _region(HCMC, "phường Sài Gòn") == "1"
    assert _region(HCMC, "xã Cần Giờ") == "2"
    match = region_for(HCMC, "xã Xuyên Mộc", Y2026)
    assert match is not None
    assert (match.region, match.locality, match.confidence) == ("3", None, "uncertain")


def test_dong_nai_listed_communes_and_wards() -> None:
    assert _region("Tỉnh Đồng Nai", "xã Trảng Bom") == "1"
    assert _region("Tỉnh Đồng Nai", "phường Hố Nai") == "1"
    assert _region("Tỉnh Đồng Nai", "phường Đồng Xoài") == "2"
    assert _region("Tỉnh Đồng Nai", "phường Bình Long") == "3"
    assert _region("Tỉnh Đồng Nai", "xã Bù Đăng") == "4"  # not listed: remaining units


# ---- how people type names --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Thành phố Hồ Chí Minh",
        "tp hồ chí minh",
        "TP. Hồ Chí Minh",
        "Thanh pho Ho Chi Minh",
        "  HỒ   CHÍ  MINH ",
        "Ho Chi Minh City",
        "TP. HCM",
        "TPHCM",
        "HCMC",
        "Sài Gòn",
    ],
)
def test_province_spellings(typed: str) -> None:
    match = region_for(typed, "phường Sài Gòn", Y2026)
    assert match is not None
    assert match.province == HCMC


@pytest.mark.parametrize("typed", ["Tỉnh Đồng Nai", "dong nai", "Dong Nai province", "ĐỒNG NAI"])
def test_province_prefix_and_suffix_are_optional(typed: str) -> None:
    assert _region(typed, "Trang Bom") == "1"


@pytest.mark.parametrize(
    "typed", ["phường Sài Gòn", "Sài Gòn", "sai gon", "Phuong Sai Gon", "P. Sài Gòn", "  SÀI   GÒN  "]
)
def test_locality_spellings(typed: str) -> None:
    match = region_for("TP HCM", typed, Y2026)
    assert match is not None
    assert match.locality == "phường Sài Gòn"


def test_tone_mark_position_does_not_matter() -> None:
    # The table prints "phường Yên Hoà" (old-style tone placement); people also type "Hòa". The
    # with-diacritics lookup misses and the diacritic-free one finds it.
    match = region_for("Hà Nội", "Yên Hòa", Y2026)
    assert match is not None
    assert match.locality == "phường Yên Hoà"


def test_name_starting_like_a_unit_type_is_not_cut() -> None:
    # "Phương Liệt" starts with the folded form of "phường".
    match = region_for("Hà Nội", "Phuong Liet", Y2026)
    assert match is not None
    assert match.locality == "phường Phương Liệt"


def test_diacritics_and_unit_type_tell_apart_names_that_fold_to_the_same_letters() -> None:
    # Thanh Hóa: phường Đông Tiến is region II, xã Đồng Tiến region III.
    assert _region("Thanh Hóa", "Đông Tiến") == "2"
    assert _region("Thanh Hóa", "Đồng Tiến") == "3"
    assert _region("Thanh Hoa", "phuong dong tien") == "2"
    assert _region("Thanh Hoa", "xa dong tien") == "3"
    # HCMC: xã Thanh An is region I, xã Thạnh An region II.
    assert _region(HCMC, "Thạnh An") == "2"
    assert _region(HCMC, "xã Thanh An") == "1"


def test_ascii_name_matching_units_in_different_regions_is_ambiguous() -> None:
    with pytest.raises(AmbiguousLocalityError) as info:
        region_for("Thanh Hoa", "dong tien", Y2026)
    assert sorted(info.value.candidates) == ["phường Đông Tiến", "xã Đồng Tiến"]
    with pytest.raises(AmbiguousLocalityError):
        region_for("HCM", "Thanh An", Y2026)


def test_ascii_name_matching_units_in_the_same_region_is_not_ambiguous() -> None:
    # Hải Phòng lists both xã Cẩm Giang and xã Cẩm Giàng, both region I in 2026.
    assert _region("Hai Phong", "Cam Giang") == "1"


def test_misspelt_locality_is_not_guessed() -> None:
    match = region_for("Hà Nội", "Hoan Kiem Lake", Y2026)
    assert match is not None
    assert (match.region, match.locality) == ("2", None)


# ---- unknown places and dates -----------------------------------------------------------------


@pytest.mark.parametrize("province", ["Bình Dương", "Atlantis", "", "Hà"])
def test_unknown_province_is_none(province: str) -> None:
    assert region_for(province, "phường Sài Gòn", Y2026) is None
    assert localities(province, Y2026) == []


def test_date_before_the_first_period_is_none() -> None:
    assert region_for("Hà Nội", "phường Hoàn Kiếm", dt.date(2025, 6, 30)) is None
    assert provinces(dt.date(2025, 6, 30)) == []
    assert localities("Hà Nội", dt.date(2025, 6, 30)) == []


# ---- the switch from Decree 128/2025 to Decree 293/2025 --------------------------------------------


@pytest.mark.parametrize(
    ("province", "locality", "h2_2025", "y2026"),
    [
        (HCMC, "xã Long Hải", "3", "2"),  # HCMC proposal III → II
        ("Hải Phòng", "xã Nam Sách", "2", "1"),  # Hải Dương districts upgraded
        ("Nghệ An", "phường Hoàng Mai", "3", "2"),
        ("Khánh Hòa", "phường Phan Rang", "3", "2"),
    ],
)
def test_region_switches_on_1_january_2026(province: str, locality: str, h2_2025: str, y2026: str) -> None:
    before = region_for(province, locality, dt.date(2025, 12, 31))
    after = region_for(province, locality, Y2026)
    assert before is not None
    assert after is not None
    assert (before.region, before.effective_from) == (h2_2025, H2_2025)
    assert (after.region, after.effective_from) == (y2026, Y2026)


def test_2025_hanoi_lists_region_2_communes_and_defaults_to_region_1() -> None:
    # The H2-2025 parse names Hà Nội's region II communes and puts the remaining units in region I.
    match = region_for("Hà Nội", "Ba Vì", H2_2025)
    assert match is not None
    assert (match.region, match.locality) == ("2", "Ba Vì")
    assert _region("Hà Nội", "phường Hoàn Kiếm", H2_2025) == "1"


def test_a_datetime_is_taken_as_its_date() -> None:
    match = region_for(HCMC, "xã Long Hải", dt.datetime(2026, 1, 1, 8, 30))
    assert match is not None
    assert match.region == "2"


def test_localities_lists_named_units_in_decree_order_without_the_remaining_row() -> None:
    names = localities("TP HCM", Y2026)
    assert len(names) == 158
    assert names[0].startswith("phường ")
    assert "phường Sài Gòn" in names
    assert not any("còn lại" in n for n in names)
