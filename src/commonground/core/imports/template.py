"""Our own Excel template: the questionnaire as a workbook a factory fills offline and imports back.

The first sheet holds the facility and the period; the second one row per data point (id, the
question in Vietnamese and English, unit, allowed values with a drop-down, help) and the answer
column "Trả lời / Answer". Headings are bilingual and fixed, so the shipped profile
`commonground-template` recognises the file whatever language it was written in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..catalogue import DataPoint
from ..errors import Lang
from ..excel_csv import safe_cell
from ..i18n import gettext, gettext_noop
from ..questionnaire import Questionnaire
from ..questionnaire_out import burden_text
from ..units import unit_word

FACILITY_SHEET = "Cơ sở - Facility"
QUESTIONS_SHEET = "Câu hỏi - Questions"
HEADINGS = (
    "Mã / ID",
    "Chủ đề / Topic",
    "Câu hỏi (tiếng Việt)",
    "Question (English)",
    "Đơn vị / Unit",
    "Giá trị cho phép / Allowed values",
    "Hướng dẫn / Help",
    "Trả lời / Answer",
)
ANSWER_COLUMN = "H"
FACILITY_ROWS = (
    ("Cơ sở / Facility", "B3"),
    ("Từ ngày / Period start (dd/mm/yyyy)", "B4"),
    ("Đến ngày / Period end (dd/mm/yyyy)", "B5"),
)
_WIDTHS = (34, 16, 50, 50, 12, 36, 60, 24)

_HOW = {
    "boolean": gettext_noop("Yes or No (N.A. when it does not apply)"),
    "integer": gettext_noop("A whole number"),
    "decimal": gettext_noop("A number, e.g. 87,5 or 5.200.000"),
    "date": gettext_noop("A date, dd/mm/yyyy"),
    "text": gettext_noop("Text"),
    "enum": gettext_noop("One of"),
    "multi-enum": gettext_noop("One or more, separated by |"),
}
_YES_NO = {"en": ("Yes", "No", "N.A."), "vi": ("Có", "Không", "N.A.")}
_INTRO = gettext_noop(
    "Fill the facility and the period here, then one answer per row on the sheet "
    "'Câu hỏi - Questions' (column 'Trả lời / Answer'). Leave a row blank when you do not know; write "
    "N.A. when it does not apply. Import the file back with: commonground import FILE -o answers.yaml"
)


def allowed(dp: DataPoint, lang: Lang) -> str:
    """What the answer may be, as the reader reads it."""
    how = gettext(_HOW[dp.type], lang)
    if dp.type == "boolean":
        return f"{how}: {', '.join(_YES_NO[lang])}"
    if dp.options:
        return how + ": " + "; ".join(f"{o.value} = {o.label.get(lang)}" for o in dp.options)
    return how


def _row(dp: DataPoint, lang: Lang) -> list[Any]:
    return [
        dp.id,
        dp.topic,
        dp.label.vi,
        dp.label.en,
        unit_word(dp.unit, lang) if dp.unit != "count" else "",
        allowed(dp, lang),
        dp.help.get(lang),
        None,
    ]


def write_template(
    q: Questionnaire,
    path: Path,
    lang: Lang,
    *,
    facility: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    answers: dict[str, Any] | None = None,
) -> None:
    """The workbook, pre-filled with the facility, the period and answers (stored JSON values, by
    data point) when they are given."""
    from openpyxl import Workbook

    wb = Workbook()
    _facility_sheet(wb.active, lang, facility, period)
    _questions_sheet(wb.create_sheet(QUESTIONS_SHEET), q, lang, answers or {})
    summary = wb.create_sheet(gettext("Burden", lang))
    summary.append([burden_text(q, lang)])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _facility_sheet(
    ws: Any, lang: Lang, facility: str | None, period: tuple[dt.date, dt.date] | None
) -> None:
    from openpyxl.styles import Font

    ws.title = FACILITY_SHEET
    ws["A1"] = "Common Ground — Bảng câu hỏi / Questionnaire"
    ws["A1"].font = Font(bold=True, size=14)
    values = (facility, *(period or (None, None)))
    for (label, cell), value in zip(FACILITY_ROWS, values, strict=True):
        ws[f"A{cell[1:]}"] = label
        ws[f"A{cell[1:]}"].font = Font(bold=True)
        ws[cell] = safe_cell(value)
        if isinstance(value, dt.date):
            ws[cell].number_format = "DD/MM/YYYY"
    ws["A7"] = gettext(_INTRO, lang)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 50


def cell_value(dp: DataPoint, value: Any, lang: Lang) -> Any:
    """A stored answer as the template's answer cell holds it, read back as the same value."""
    if value is None:
        return None
    if dp.type == "boolean":
        return _YES_NO[lang][0 if value else 1]
    if dp.type == "multi-enum":
        return " | ".join(str(v) for v in value)
    if dp.type == "date":
        return dt.date.fromisoformat(str(value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return safe_cell(value)


def _questions_sheet(ws: Any, q: Questionnaire, lang: Lang, answers: dict[str, Any]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append(list(HEADINGS))
    for question in q.questions:
        dp = question.datapoint
        row = [safe_cell(v) for v in _row(dp, lang)]
        row[-1] = cell_value(dp, answers.get(dp.id), lang)
        ws.append(row)
        if dp.type == "date" and row[-1] is not None:
            ws.cell(ws.max_row, len(row)).number_format = "DD/MM/YYYY"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    for k, width in enumerate(_WIDTHS):
        ws.column_dimensions[chr(ord("A") + k)].width = width
    fill = PatternFill("solid", fgColor="FFF2CC")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row[-1].fill = fill
    _drop_downs(ws, q, lang)


def _drop_downs(ws: Any, q: Questionnaire, lang: Lang) -> None:
    """One list validation per distinct list of allowed values, over the answer cells that use it."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists: dict[str, list[str]] = {}
    for number, question in enumerate(q.questions, start=2):
        dp = question.datapoint
        if dp.type == "boolean":
            choices = ",".join(_YES_NO[lang])
        elif dp.type == "enum":
            choices = ",".join([*dp.option_values, "N.A."])
        else:
            continue
        if len(choices) <= 250:  # Excel's limit for a list written in the rule
            lists.setdefault(choices, []).append(f"{ANSWER_COLUMN}{number}")
    for choices, cells in lists.items():
        rule = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        rule.error = gettext("Choose a value from the list.", lang)
        rule.showErrorMessage = True
        ws.add_data_validation(rule)
        for cell in cells:
            rule.add(cell)
