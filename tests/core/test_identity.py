"""Facility identity: identifiers with their check characters, Vietnamese normalisation, scoring,
blocking and grouping (decision 0027)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from commonground.core.demo import SAMPLES
from commonground.core.identity import (
    AUTOMATIC,
    SUGGESTED,
    Facility,
    match_against,
    match_within,
    os_id,
    os_id_check_character,
    shown_tax_code,
    tax_code,
    with_check_digit,
)
from commonground.core.identity.normalise import country_key, name_key, place
from commonground.core.identity.scoring import keys, score


def facility(row: int, name: str, address: str = "", **more: str) -> Facility:
    return Facility(row=row, name=name, address=address, country=more.pop("country", "VN"), **more)


def alike(a: Facility, b: Facility) -> float:
    return score(keys(a), keys(b))


# --- identifiers ---------------------------------------------------------------------------------


def test_the_os_id_check_character_follows_open_supply_hub() -> None:
    # ord("I") + ord("N") + 2+0+1+9+0+6+7 + X(29)+1+K(19)+8+7 = 240; 240 mod 32 = 16 → "G"
    assert os_id_check_character("IN2019067X1K87") == "G"
    assert os_id("IN2019067X1K87G") == "IN2019067X1K87G"


def test_an_os_id_is_read_with_hyphens_spaces_and_lower_case() -> None:
    assert os_id("vn-2026041-htp7q-j") == "VN2026041HTP7QJ"
    assert os_id(" VN2026041HTP7QJ ") == "VN2026041HTP7QJ"


@pytest.mark.parametrize(
    "raw",
    ["VN2026041HTP7QK", "VN2026041HTP7Q", "VN2026041HTP7QJJ", "V12026041HTP7QJ", "VN2026041HTPLQJ", ""],
)
def test_an_os_id_with_a_wrong_check_character_length_or_letter_is_refused(raw: str) -> None:
    assert os_id(raw) is None


def test_the_shipped_samples_os_ids_pass_the_check_character() -> None:
    found = []
    for path in sorted(Path(SAMPLES).glob("*.yaml")):
        value = yaml.safe_load(path.read_text(encoding="utf-8"))["facility"].get("os_id")
        if value:
            found.append(value)
            assert os_id(value) == value, path.name
    assert len(found) >= 3


def test_a_tax_code_of_ten_or_thirteen_digits_is_checked() -> None:
    assert tax_code("0100233488") == "0100233488"
    assert tax_code("0314409058-002") == "0314409058002"
    assert tax_code("0314409058 002") == "0314409058002"


@pytest.mark.parametrize("raw", ["0100233480", "12345", "01002334881", "0314409058-000", "abcdefghij", ""])
def test_a_tax_code_with_a_wrong_check_digit_or_length_is_refused(raw: str) -> None:
    assert tax_code(raw) is None


# --- normalisation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Công ty TNHH May Mặc Hòa Thọ", "Hoa Tho Garment Co., Ltd"),
        ("Tổng Công ty Cổ phần May Việt Tiến", "VIET TIEN GARMENT CORPORATION"),
        ("CTCP Dệt May Thành Công", "Thanh Cong Textile Garment JSC"),
        ("Công ty Cổ phần Đầu tư và Thương mại TNG", "TNG Investment and Trading Joint Stock Company"),
    ],
)
def test_legal_forms_language_and_diacritics_do_not_change_a_name(a: str, b: str) -> None:
    assert sorted(name_key(a).split()) == sorted(name_key(b).split())


def test_a_name_of_legal_words_only_is_kept_as_it_is() -> None:
    assert name_key("Công ty TNHH") == "cong ty tnhh"


@pytest.mark.parametrize(
    ("address", "province"),
    [
        ("Lô A1, KCN Tân Tạo, P. Tân Tạo A, Q. Bình Tân, TP.HCM", "hochiminh"),
        ("Khu công nghiệp VSIP, Thuận An, Bình Dương", "hochiminh"),  # merged into HCMC in 2025
        ("Bien Hoa 2 Industrial Zone, Dong Nai Province, Vietnam", "dongnai"),
        ("105 Nguyễn Đức Thuận, TP. Nam Định, Nam Định", "ninhbinh"),
        ("36 Ông Ích Đường, Cẩm Lệ, Đà Nẵng", "danang"),
        ("somewhere without a province", None),
    ],
)
def test_the_province_is_the_one_it_is_part_of_since_the_mergers(address: str, province: str | None) -> None:
    assert place(address).province == province


def test_address_abbreviations_and_english_read_alike() -> None:
    vi = place("Lô A1, Khu công nghiệp Tân Tạo, Phường Tân Tạo A, Quận Bình Tân, TP. Hồ Chí Minh")
    en = place("Lot A1, Tan Tao Industrial Park, Tan Tao A Ward, Binh Tan District, HCMC")
    assert sorted(vi.address.split()) == sorted(en.address.split())
    assert vi.zone and en.zone


def test_viet_nam_in_any_spelling_is_one_country() -> None:
    assert {country_key(c) for c in ("Việt Nam", "Vietnam", "VN", "viet nam")} == {"vn"}


# --- scoring -------------------------------------------------------------------------------------

HOA_THO = facility(
    1, "Tổng Công ty Cổ phần Dệt May Hòa Thọ", "36 Ông Ích Đường, Phường Hòa Thọ Đông, Quận Cẩm Lệ, Đà Nẵng"
)


def test_the_same_facility_written_differently_scores_above_the_automatic_threshold() -> None:
    english = facility(2, "HOA THO TEXTILE GARMENT JSC", "36 Ong Ich Duong, Cam Le District, Da Nang City")
    assert alike(HOA_THO, english) >= AUTOMATIC


def test_old_and_new_province_names_do_not_separate_a_facility() -> None:
    before = facility(
        1,
        "Công ty TNHH Triumph International Việt Nam",
        "Số 10 Đường số 6, KCN Việt Nam - Singapore, Thuận An, Bình Dương",
    )
    after = facility(
        2,
        "Triumph International Vietnam Co., Ltd",
        "No. 10 Street 6, KCN Viet Nam - Singapore, Thuan An, Thành phố Hồ Chí Minh",
    )
    assert alike(before, after) >= AUTOMATIC


def test_different_provinces_or_countries_never_match() -> None:
    elsewhere = facility(2, HOA_THO.name, "36 Ông Ích Đường, Hà Nội")
    abroad = facility(3, HOA_THO.name, HOA_THO.address, country="Cambodia")
    assert alike(HOA_THO, elsewhere) == 0.0
    assert alike(HOA_THO, abroad) == 0.0


def test_a_neighbour_whose_name_differs_by_one_word_is_not_matched_automatically() -> None:
    a = facility(1, "Công ty TNHH Hyosung Đồng Nai", "KCN Nhơn Trạch 5, Huyện Nhơn Trạch, Đồng Nai")
    b = facility(2, "Công ty TNHH Hyosung Đồng An", "KCN Nhơn Trạch 5, Huyện Nhơn Trạch, Đồng Nai")
    assert alike(a, b) < AUTOMATIC


def test_a_second_plant_in_another_zone_is_at_most_a_suggestion() -> None:
    a = facility(1, "Công ty TNHH Pou Chen Việt Nam", "KCN Nhơn Trạch 3, Huyện Nhơn Trạch, Đồng Nai")
    b = facility(2, "Công ty TNHH Pou Chen Việt Nam", "KCN Biên Hòa 2, Thành phố Biên Hòa, Đồng Nai")
    assert alike(a, b) < AUTOMATIC


def test_different_lot_numbers_keep_a_pair_below_the_automatic_threshold() -> None:
    a = facility(1, "Công ty TNHH May ABC", "Lô A1, KCN Tân Tạo, Bình Tân, TP.HCM")
    b = facility(2, "Công ty TNHH May ABC", "Lô C7, KCN Tân Tạo, Bình Tân, TP.HCM")
    assert alike(a, b) < AUTOMATIC


def test_the_same_valid_identifier_decides_and_different_tax_codes_separate() -> None:
    a = facility(1, "X", "Hà Nội", tax_code="0100233488")
    assert alike(a, facility(2, "Entirely else", "Cà Mau", tax_code="0100233488")) == 1.0
    assert alike(a, facility(3, "X", "Hà Nội", tax_code="0314409058")) == 0.0
    assert alike(facility(4, "A", os_id="VN2026041HTP7QJ"), facility(5, "B", os_id="vn2026041htp7qj")) == 1.0


def test_an_invalid_identifier_is_ignored_rather_than_trusted() -> None:
    a = facility(1, "Công ty A", "Hà Nội", tax_code="0100233480")
    b = facility(2, "Công ty Z", "Cà Mau", tax_code="0100233480")
    assert alike(a, b) == 0.0  # different provinces; the shared but invalid code proves nothing


def test_two_different_valid_os_ids_cap_the_score_below_automatic() -> None:
    a = facility(1, HOA_THO.name, HOA_THO.address, os_id="VN2026041HTP7QJ")
    b = facility(2, HOA_THO.name, HOA_THO.address, os_id="IN2019067X1K87G")
    assert SUGGESTED <= alike(a, b) < AUTOMATIC


# --- grouping and matching -----------------------------------------------------------------------


def test_groups_join_rows_transitively_and_leave_lone_rows_out() -> None:
    rows = [
        HOA_THO,
        facility(2, "Hoa Tho Textile Garment Corporation", "36 Ong Ich Duong, Cam Le, Da Nang"),
        facility(3, "Cty Cổ phần May Việt Tiến", "07 Lê Minh Xuân, P.7, Q. Tân Bình, TP.HCM"),
        facility(4, "TCT CP Dệt May Hòa Thọ", "36 Ông Ích Đường, Q. Cẩm Lệ, TP. Đà Nẵng"),
        facility(6, "Viet Tien Garment JSC", "7 Le Minh Xuan, Ward 7, Tan Binh, HCMC"),
        facility(7, "Công ty TNHH Giày Lạc Tỷ", "Củ Chi, TP.HCM"),
    ]
    result = match_within(rows)
    assert result.groups == [[1, 2, 4], [3, 6]]
    assert all(7 not in s.rows for s in result.suggestions)


def test_suggestions_are_the_middle_band_highest_first() -> None:
    rows = [
        facility(1, "Công ty TNHH Hyosung Đồng Nai", "KCN Nhơn Trạch 5, Nhơn Trạch, Đồng Nai"),
        facility(2, "Công ty TNHH Hyosung Đồng An", "KCN Nhơn Trạch 5, Nhơn Trạch, Đồng Nai"),
        facility(3, "Công ty TNHH May ABC", "Lô A1, KCN Tân Tạo, Bình Tân, TP.HCM"),
        facility(4, "Công ty TNHH May ABC", "Lô C7, KCN Tân Tạo, Bình Tân, TP.HCM"),
    ]
    result = match_within(rows)
    assert result.groups == []
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(SUGGESTED <= s < AUTOMATIC for s in scores)
    assert {s.rows for s in result.suggestions} >= {(1, 2), (3, 4)}


def test_matching_against_another_list_gives_each_row_its_best_match() -> None:
    mine = [
        facility(1, "HOA THO TEXTILE GARMENT JSC", "36 Ong Ich Duong, Cam Le, Da Nang"),
        facility(2, "Công ty TNHH Không Có Đâu", "Cà Mau"),
        facility(3, "X", "Hà Nội", tax_code="0100233488"),
    ]
    theirs = [
        facility(1, "Công ty TNHH Giày Lạc Tỷ", "Củ Chi, TP.HCM"),
        HOA_THO.__class__(**{**HOA_THO.__dict__, "row": 2}),
        facility(3, "Tổng Công ty May 10", "Long Biên, Hà Nội", tax_code="0100233488"),
    ]
    result = match_against(mine, theirs)
    assert [(m.rows, m.score >= AUTOMATIC) for m in result.matches] == [((1, 2), True), ((3, 3), True)]


def test_blocking_still_finds_a_name_written_together() -> None:
    rows = [
        facility(1, "Công ty TNHH Tae Kwang Vina Industrial", "KCN Biên Hòa 2, Đồng Nai"),
        facility(2, "Taekwang Vina Industrial Co., Ltd", "Bien Hoa 2 Industrial Zone, Dong Nai Province"),
    ]
    assert match_within(rows).groups == [[1, 2]]


def test_a_check_digit_is_appended_to_make_a_valid_tax_code() -> None:
    for digits in ("0100233480", "0314409050", "9999999999", "1234567890"):
        made = with_check_digit(digits)
        assert len(made) == 10 and tax_code(made) == made and made[:8] == digits[:8]
    assert shown_tax_code("0314409058002") == "0314409058-002"
    assert shown_tax_code("0100233488") == "0100233488"
