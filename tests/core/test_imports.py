"""Import profiles and value transforms (core/imports): each transform, the encodings, and the
library check of a profile with mistakes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from commonground.core.assessments import build_assessment
from commonground.core.catalogue import ValueProblem
from commonground.core.errors import CommonGroundError
from commonground.core.imports import transforms
from commonground.core.imports.profile import Mapping
from commonground.core.imports.reading import decode, read_document
from commonground.core.library import Library, load_library


def _apply(
    lib: Library, dp: str, raw: object, transform: str = "auto", lang: str = "vi", **extra: object
) -> object:
    m = Mapping(key="k", datapoint=dp, transform=transform, **extra)  # type: ignore[arg-type]
    return transforms.apply(m, lib.datapoints[dp], raw, None, lang)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes", True),
        ("có", True),
        ("Không", False),
        ("no", False),
        (" CÓ ", True),
        ("N.A.", None),
        ("", None),
    ],
)
def test_yes_no_in_both_languages(shipped: Library, raw: str, expected: bool | None) -> None:
    assert _apply(shipped, "working_time.overtime_voluntary", raw, "yes_no") is expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("Yes", "yes"), ("Partial", "partial"), ("Một phần", "partial"), ("Không", "no")]
)
def test_yes_partial_no(shipped: Library, raw: str, expected: str) -> None:
    assert _apply(shipped, "chemicals.inventory_complete", raw, "yes_partial_no") == expected


def test_an_answer_the_transform_does_not_know_is_named(shipped: Library) -> None:
    with pytest.raises(ValueProblem) as exc:
        _apply(shipped, "chemicals.inventory_complete", "Maybe", "yes_partial_no")
    assert exc.value.code == "answer_unknown" and exc.value.params["value"] == "Maybe"


def test_fractions_and_percentages(shipped: Library) -> None:
    dp = "contracts.written_contracts_pct"
    assert _apply(shipped, dp, 0.875, "fraction") == 87.5
    assert _apply(shipped, dp, "0,875", "fraction", "vi") == 87.5
    assert _apply(shipped, dp, "87,5 %", "fraction", "vi") == 87.5  # written in per cent already
    assert _apply(shipped, dp, "87,5", "percent", "vi") == 87.5
    assert _apply(shipped, dp, 87.5, "percent") == 87.5
    with pytest.raises(ValueProblem) as exc:
        _apply(shipped, dp, 1.5, "percent")  # 1.5 % is fine …
        _apply(shipped, dp, 150, "percent")  # … 150 % is not
    assert exc.value.code == "out_of_range"


def test_vietnamese_numbers_and_money(shipped: Library) -> None:
    assert _apply(shipped, "facility.workers_total", "1.240", "number", "vi") == 1240
    assert _apply(shipped, "working_time.overtime_hours_month_max", "38,5", "number", "vi") == 38.5
    wage = "wages.lowest_base_wage_month_vnd"
    assert _apply(shipped, wage, "4.980.000 đ", "vnd", "vi") == 4_980_000
    assert _apply(shipped, wage, "VND 4,980,000", "vnd", "en") == 4_980_000
    assert _apply(shipped, wage, 4980000, "vnd") == 4_980_000
    with pytest.raises(ValueProblem) as exc:
        _apply(shipped, wage, "4,980,000", "vnd", "vi")  # the English way, read as Vietnamese
    assert exc.value.code == "number_convention"
    with pytest.raises(ValueProblem):
        _apply(shipped, wage, "4.980.000 USD", "vnd", "vi")


def test_dates_day_first(shipped: Library) -> None:
    dp = "fire_safety.last_drill_date"
    assert _apply(shipped, dp, "15/10/2026", "date_dmy") == dt.date(2026, 10, 15)
    assert _apply(shipped, dp, "5.3.2026", "date_dmy") == dt.date(2026, 3, 5)
    assert _apply(shipped, dp, dt.datetime(2026, 3, 5), "date_dmy") == dt.date(2026, 3, 5)
    with pytest.raises(ValueProblem) as exc:
        _apply(shipped, dp, "31/02/2026", "date_dmy")
    assert exc.value.code == "date_invalid_dmy"


def test_multi_selects_with_pipes_labels_and_marks(shipped: Library) -> None:
    dp = "grievance.channels"
    assert _apply(shipped, dp, "union | hotline|hr", "multi") == frozenset({"union", "hotline", "hr"})
    label = shipped.datapoints[dp].options[0].label.vi
    assert _apply(shipped, dp, label, "multi") == frozenset({shipped.datapoints[dp].options[0].value})
    marked = _apply(shipped, "facility.processes", "X", "mark_x", option="sewing")
    assert marked == frozenset({"sewing"})
    assert _apply(shipped, "facility.processes", "Không", "mark_x", option="sewing") == frozenset()


def test_units_convert_through_pint(shipped: Library) -> None:
    m = Mapping(key="k", datapoint="energy.electricity_kwh", transform="number")
    dp = shipped.datapoints["energy.electricity_kwh"]
    assert transforms.apply(m, dp, "1,850", "MWh", "en") == 1_850_000
    diesel = Mapping(key="k", datapoint="energy.diesel_l", transform="number")
    litres = transforms.apply(diesel, shipped.datapoints["energy.diesel_l"], 100, "gallon", "en")
    assert litres == pytest.approx(378.541, rel=1e-4)
    with pytest.raises(ValueProblem) as exc:
        transforms.apply(m, dp, 5, "kg", "en")
    assert exc.value.code == "unit_incompatible"


# ---- encodings ----------------------------------------------------------------------------------

TEXT = "RefID,Response\nsite-name,Công ty TNHH Dệt may Hưng Thịnh Phát\n"


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters precomposed where the code page has them, the
    five tone marks as combining characters after them."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tone = next(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return out


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # Excel's "Unicode text": with a byte-order mark
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (cp1258(TEXT), "cp1258"),
    ],
)
def test_legacy_encodings_are_detected(data: bytes, encoding: str) -> None:
    text, found = decode(data)
    assert found == encoding
    assert text == unicodedata.normalize("NFC", TEXT)


def test_a_file_that_is_neither_spreadsheet_nor_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommonGroundError) as exc:
        read_document(path)
    assert "save the file as .xlsx or .csv" in exc.value.render("en")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CommonGroundError) as exc:
        read_document(broken)
    assert exc.value.problems[0].code == "file_unreadable"


# ---- library check --------------------------------------------------------------------------------

BAD_PROFILE = """\
import:
  id: bad-profile
  name: {en: Bad, vi: Hỏng}
  description: {en: Bad, vi: Hỏng}
  layout: {format: csv, key: Key, answer: Answer}
  mappings:
    - {key: a, datapoint: working_time.overtime_hours_monthly}
    - {key: b, datapoint: working_time.overtime_hours_month_max, transform: guess}
    - {key: c, datapoint: working_time.overtime_hours_month_max, unit: kg}
    - {key: d, datapoint: working_time.overtime_voluntary, transform: number}
    - {key: e, datapoint: facility.processes, transform: mark_x, option: knitting_by_hand}
    - {key: f, datapoint: energy.electricity_kwh, unit: zorkmids}
"""


def test_library_check_names_each_mistake_of_a_profile_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_PROFILE, encoding="utf-8")
    with pytest.raises(CommonGroundError) as exc:
        load_library([tmp_path])
    text = exc.value.render("en")
    assert (
        ":7: import.mappings[0].datapoint: unknown data point 'working_time.overtime_hours_monthly'" in text
    )
    assert ":8: import.mappings[1].transform: 'guess' is not one of: auto, yes_no" in text
    assert ":9: import.mappings[2].unit: the unit 'kg' cannot be converted to 'h'" in text
    assert (
        ":10: import.mappings[3].transform: the transform 'number' cannot fill the boolean data point" in text
    )
    assert ":11: import.mappings[4].option: 'knitting_by_hand' is not an option" in text
    assert ":12: import.mappings[5].unit: unknown unit 'zorkmids'" in text
    vi = exc.value.render("vi")
    assert "điểm dữ liệu" in vi and "không đọc" not in vi


def test_every_shipped_profile_fills_known_data_points(shipped: Library) -> None:
    assert set(shipped.imports) == {
        "commonground-template",
        "slcp-style-workbook",
        "higg-style-fem-csv",
        "brand-audit-sheet",
    }
    for profile in shipped.imports.values():
        assert all(dp in shipped.datapoints for dp in profile.filled())
        assert profile.keys_are_datapoints or profile.unmapped  # each says what it leaves out


# ---- the assessment file's source per answer ------------------------------------------------------


def test_an_answer_may_say_where_it_came_from(shipped: Library) -> None:
    source = {"file": "a.xlsx", "sheet": "Data", "row": 12}
    raw = {
        "facility": {"name": "F"},
        "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "values": {"working_time.overtime_hours_month_max": {"value": 44, "unit": "h", "source": source}},
    }
    assessment = build_assessment(raw, shipped)
    assert assessment.values["working_time.overtime_hours_month_max"] == 44
    assert assessment.provenance["working_time.overtime_hours_month_max"] == source
    for bad in ({"file": 3}, {"file": "a", "row": 0}, {"file": "a", "cell": "B2"}, "a.xlsx"):
        raw["values"] = {"working_time.overtime_hours_month_max": {"value": 44, "source": bad}}
        with pytest.raises(CommonGroundError) as exc:
            build_assessment(raw, shipped, file="x.yaml")
        assert "source" in exc.value.render("en")
    raw["values"] = {"working_time.overtime_hours_month_max": {"value": 44, "note": "hi"}}
    with pytest.raises(CommonGroundError) as exc:
        build_assessment(raw, shipped)
    assert "unknown field 'note'" in exc.value.render("en")


def test_rows_keep_their_numbers_when_the_first_column_is_empty(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws["B2"], ws["C4"], ws["A6"] = "second", 0.5, "sixth"
    ws["C4"].number_format = "0%"
    path = tmp_path / "gaps.xlsx"
    wb.save(path)
    table = read_document(path).tables["S"]
    assert table.cell(2, 1) == "second" and table.cell(4, 2) == 50 and table.cell(6, 0) == "sixth"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("long.csv", b"RefID,Response\nx," + b"9" * 200_000 + b"\n"),  # a field over the csv limit
        ("nul.csv", b"RefID,Response\nx,\x00\x00\n"),
        ("fake.xlsx", b"PK\x03\x04 not really a workbook"),
        ("empty.xlsx", b""),
    ],
)
def test_a_hostile_file_gets_a_message_not_a_traceback(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        read_document(path)
    except CommonGroundError as exc:
        assert exc.problems[0].code in ("file_unreadable", "import_encoding")
