"""The labour-law self-inspection form (issue 15, point 4): a library file checked like a
framework, filled from a sample assessment's answers (values in Vietnamese conventions, compliance
as Có / Không, the unanswered items listed), and written as sheets and escaped HTML."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from commonground.core.assessments import read_assessment
from commonground.core.engine import Engine
from commonground.core.errors import CommonGroundError
from commonground.core.library import cached_library, load_library
from commonground.core.spreadsheet import xlsx_bytes
from commonground.core.state_form_out import form_html, form_sheets
from commonground.core.state_forms import FilledForm, fill

SAMPLE = Path(__file__).resolve().parents[2] / "src/commonground/samples/01-garment-hcmc-2026.yaml"
FORM = "vn-labour-self-inspection"


def _filled(lang: str = "vi", **facility: str) -> FilledForm:
    lib = cached_library()
    form = lib.forms[FORM]
    ev = Engine(lib, list(form.frameworks)).evaluate(read_assessment(SAMPLE, lib))
    if "name" in facility:
        facility["name_vi"] = facility["name"]  # the sample has a Vietnamese name, read first
    return fill(form, ev, lib, lang, facility)  # type: ignore[arg-type]


def _items(filled: FilledForm) -> dict[str, object]:
    return {i.id: i for s in filled.sections for i in s.items}


def test_the_shipped_form_follows_the_circulars_thirteen_parts() -> None:
    form = cached_library().forms[FORM]
    assert "17/2018/TT-BLĐTBXH" in form.basis.vi
    assert [s.id for s in form.sections] == [str(n) for n in range(13)]  # general + Article 5's 12
    assert len(form.items()) > 80


def test_items_are_filled_from_the_answers_in_vietnamese() -> None:
    answers = read_assessment(SAMPLE, cached_library()).values
    items = _items(_filled("vi"))
    workers = items["0.10"]
    assert workers.value == int(answers["facility.workers_total"]) and isinstance(workers.value, int)
    assert items["0.10"].text == f"{int(answers['facility.workers_total']):,}".replace(",", ".")
    overtime = items["5.2"]
    assert overtime.value == answers["working_time.overtime_hours_month_max"] and overtime.unit == "giờ"
    assert items["5.4"].value == "Không" and items["5.4"].verdict == "Không đạt"  # 48 h in a month
    assert items["6.4"].value == "Có" and items["6.4"].verdict == "Đạt"
    assert items["0.8"].value == "01/01/2026 – 31/12/2026"
    assert items["6.1"].text.endswith("đ/tháng") and "." in items["6.1"].text


def test_unanswered_items_are_listed_with_the_data_they_need() -> None:
    filled = _filled("vi")
    unanswered = {i.id: i for _, i in filled.unanswered}
    assert "1.1" in unanswered and unanswered["1.1"].note.startswith("Chưa có điểm dữ liệu")
    assert unanswered["2.5"].missing == ("contracts.labour_register_kept",)
    label = cached_library().datapoints["contracts.labour_register_kept"].label.vi
    assert unanswered["2.5"].needed == label and unanswered["1.1"].needed == unanswered["1.1"].note
    assert "0.2" in unanswered and unanswered["0.2"].note == "Chưa có trong hồ sơ cơ sở"
    answered, total = filled.counts
    assert answered + len(unanswered) == total and 0 < answered < total


def test_the_profile_fills_the_enterprise_fields() -> None:
    items = _items(_filled("vi", address="12 Đường số 3, KCN Tân Bình", tax_code="0301234567"))
    assert items["0.2"].value == "12 Đường số 3, KCN Tân Bình" and items["0.3"].value == "0301234567"


def test_the_workbook_keeps_numbers_dates_and_text_and_runs_no_formula() -> None:
    filled = _filled("vi", name='=HYPERLINK("http://x","y")')
    book = load_workbook(io.BytesIO(xlsx_bytes(form_sheets(filled), "vi")))
    assert book.sheetnames == ["Phiếu tự kiểm tra", "Chưa có dữ liệu", "Thông tin phiếu"]
    rows = {r[0]: r for r in book["Phiếu tự kiểm tra"].iter_rows(min_row=2, values_only=True)}
    assert isinstance(rows["0.10"][2], int) and rows["5.2"][3] == "giờ"
    assert rows["0.1"][2].startswith("=HYPERLINK")
    assert book["Phiếu tự kiểm tra"]["C3"].data_type == "s"  # text, never a formula
    assert rows["1.1"][2] == "chưa có dữ liệu"
    missing = [r[0] for r in book["Chưa có dữ liệu"].iter_rows(min_row=2, values_only=True)]
    assert missing == [i.id for _, i in filled.unanswered]
    about = {r[0]: r[1] for r in book["Thông tin phiếu"].iter_rows(values_only=True)}
    assert about["Ngày lập"].year >= 2026 and "Thông tư" in about["Căn cứ pháp lý"]


def test_english_is_a_courtesy_with_the_same_items() -> None:
    vi, en = _filled("vi"), _filled("en")
    assert [i.id for s in vi.sections for i in s.items] == [i.id for s in en.sections for i in s.items]
    assert _items(en)["5.4"].value == "No" and en.name.startswith("Labour-law self-inspection")


def test_the_html_escapes_what_people_typed() -> None:
    html = form_html(_filled("vi", name="<script>alert(1)</script>"))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Các mục chưa có dữ liệu" in html
    assert "đ/tháng</td>" in html and "đ/tháng đồng" not in html  # the unit once


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("datapoint", "wages.nope"), "unknown data point 'wages.nope'"),
        (
            ("requirements", ["vn-labour-code-2019/pay.nope"]),
            "unknown requirement 'vn-labour-code-2019/pay.nope'",
        ),
        (("requirements", ["sa8000/x"]), "unknown framework 'sa8000'"),
    ],
)
def test_library_check_names_a_broken_item(tmp_path: Path, change: tuple[str, object], message: str) -> None:
    item = {"id": "1.1", "label": {"en": "x", "vi": "x"}, change[0]: change[1]}
    form = {
        "id": "my-form",
        "name": {"en": "x", "vi": "x"},
        "basis": {"en": "x", "vi": "x"},
        "caveat": {"en": "x", "vi": "x"},
        "frameworks": ["vn-labour-code-2019"],
        "sections": [{"id": "1", "title": {"en": "x", "vi": "x"}, "items": [item]}],
    }
    (tmp_path / "form.yaml").write_text(yaml.safe_dump({"form": form}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommonGroundError) as caught:
        load_library([tmp_path])
    text = caught.value.render("en")
    assert message in text and "form.yaml" in text and "form.sections[0].items[0]" in text
