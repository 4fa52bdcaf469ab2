"""The questionnaire as JSON, text and an Excel workbook (what factory staff work in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Lang
from .excel_csv import safe_cell as safe_cell  # re-exported: the questionnaire and older imports
from .i18n import gettext, gettext_noop
from .questionnaire import Question, Questionnaire

# The columns' headers, in English; translated where the sheet is written.
_HEAD: tuple[str, ...] = (
    "Data point id",
    "Topic",
    "Question",
    "Question ({language})",
    "Type",
    "Unit",
    "Options",
    "How to answer",
    "Verified by",
    "Frameworks",
    "Requirements",
    "Answer",
)

_BURDEN = gettext_noop(
    "{frameworks} frameworks contain {requirements} requirements ({manual} decided by a verifier); "
    "you answer {asked} data points instead of {without} questions asked framework by framework "
    "({saved} saved)."
)


def _head(lang: Lang) -> list[str]:
    other = gettext("Vietnamese" if lang == "en" else "English", lang)
    return [gettext(h, lang).format(language=other) for h in _HEAD]


def burden_text(q: Questionnaire, lang: Lang) -> str:
    b = q.burden
    return gettext(_BURDEN, lang).format(
        frameworks=b.frameworks,
        requirements=b.requirements,
        manual=b.manual,
        asked=b.datapoints_asked,
        without=b.questions_without,
        saved=b.questions_saved,
    )


def _options(question: Question, lang: Lang) -> str:
    return "; ".join(f"{o.value} = {o.label.get(lang)}" for o in question.datapoint.options)


def as_dict(q: Questionnaire, lang: Lang) -> dict[str, Any]:
    b = q.burden
    return {
        "frameworks": [f.id for f in q.frameworks],
        "burden": {
            "requirements": b.requirements,
            "decided_by_rules": b.decided_by_rules,
            "manual": b.manual,
            "datapoints_asked": b.datapoints_asked,
            "questions_without": b.questions_without,
            "questions_saved": b.questions_saved,
        },
        "questions": [
            {
                "datapoint": qn.datapoint.id,
                "topic": qn.datapoint.topic,
                "label": qn.datapoint.label.get(lang),
                "help": qn.datapoint.help.get(lang),
                "type": qn.datapoint.type,
                "unit": qn.datapoint.unit,
                "options": list(qn.datapoint.option_values),
                "verification": list(qn.datapoint.verification),
                "frameworks": list(qn.frameworks),
                "requirements": [r.key for r in qn.requirements],
            }
            for qn in q.questions
        ],
    }


def as_text(q: Questionnaire, lang: Lang) -> str:
    lines = [burden_text(q, lang), ""]
    topic = None
    for qn in q.questions:
        dp = qn.datapoint
        if dp.topic != topic:
            topic = dp.topic
            lines.append(f"[{topic}]")
        unit = f" ({dp.unit})" if dp.unit else ""
        lines.append(
            f"  {dp.id}{unit}: {dp.label.get(lang)} — {len(qn.requirements)} × {', '.join(qn.frameworks)}"
        )
    return "\n".join(lines)


def _row(qn: Question, lang: Lang) -> list[Any]:
    dp = qn.datapoint
    other: Lang = "en" if lang == "vi" else "vi"
    return [
        dp.id,
        dp.topic,
        dp.label.get(lang),
        dp.label.get(other),
        dp.type,
        dp.unit or "",
        _options(qn, lang),
        dp.help.get(lang),
        ", ".join(dp.verification),
        ", ".join(qn.frameworks),
        ", ".join(r.key for r in qn.requirements),
        "",
    ]


def write_xlsx(q: Questionnaire, path: Path, lang: Lang) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = gettext("Questionnaire", lang)
    ws.append(_head(lang))
    for qn in q.questions:
        ws.append([safe_cell(v) for v in _row(qn, lang)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    for column, width in zip("ABCDEFGHIJKL", (34, 16, 50, 40, 11, 11, 30, 60, 28, 30, 40, 20), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    summary = wb.create_sheet(gettext("Burden", lang))
    summary.append([burden_text(q, lang)])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
