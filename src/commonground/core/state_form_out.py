"""A filled state form (core/state_forms) as spreadsheet sheets and as printable A4 HTML (for the
PDF). Numbers stay numbers and dates dates in the sheets (core/spreadsheet writes them, never a
formula); the HTML escapes every value, since names and answers are text people typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from .errors import Lang, fail
from .i18n import gettext, gettext_noop
from .spreadsheet import Sheet, xlsx_bytes
from .state_forms import NO_DATA, FilledForm, FilledItem, date_text

FORM_SHEET = gettext_noop("Self-inspection form")
UNANSWERED_SHEET = gettext_noop("Unanswered")
ABOUT_SHEET = gettext_noop("About this form")
H_NO = gettext_noop("No.")
H_CONTENT = gettext_noop("Content")
H_ANSWER = gettext_noop("Answer")
H_UNIT = gettext_noop("Unit")
H_CONCLUSION = gettext_noop("Conclusion")
H_FACTS = gettext_noop("Facts behind the answer")
H_BASIS = gettext_noop("Legal basis")
H_DATAPOINTS = gettext_noop("Data point")
H_NOTE = gettext_noop("Note")
H_SECTION = gettext_noop("Section")
H_NEEDED = gettext_noop("Data needed")
H_FORM = gettext_noop("Form")
H_FACILITY = gettext_noop("Facility")
H_PERIOD = gettext_noop("Period")
H_PREPARED = gettext_noop("Prepared on")
H_ANSWERED = gettext_noop("Items answered")
H_CAUTION = gettext_noop("Caution")
UNANSWERED_TITLE = gettext_noop("Unanswered items")
FILLED_BY = gettext_noop(
    "Filled by Common Ground from the assessment's answers; {answered} of {total} items answered."
)
SIGN_EMPLOYER = gettext_noop("Employer's representative (sign, full name, seal)")
SIGN_WORKERS = gettext_noop("Workers' representative organisation")
REPUBLIC = gettext_noop("SOCIALIST REPUBLIC OF VIET NAM")
MOTTO = gettext_noop("Independence - Freedom - Happiness")


def _h(lang: Lang, *messages: str) -> list[str]:
    return [gettext(m, lang) for m in messages]


def form_sheets(form: FilledForm, today: dt.date | None = None) -> list[Sheet]:
    """The form (a row per item, a row per section heading), the unanswered items, and what the
    form is and what was not confirmed about it."""
    lang = form.lang
    header = _h(lang, H_NO, H_CONTENT, H_ANSWER, H_UNIT, H_CONCLUSION, H_FACTS, H_BASIS, H_DATAPOINTS, H_NOTE)
    rows: list[list[object]] = []
    for section in form.sections:
        rows.append([section.id, section.title.upper(), None, None, None, None, None, None, None])
        rows.extend(_row(item, lang) for item in section.items)
    missing = [[i.id, i.label, s.title, i.needed, ", ".join(i.missing) or None] for s, i in form.unanswered]
    answered, total = form.counts
    about: list[list[Any]] = [
        [gettext(H_BASIS, lang), form.basis],
        [gettext(H_FACILITY, lang), form.facility],
        [gettext(H_PERIOD, lang), f"{date_text(form.start, lang)} – {date_text(form.end, lang)}"],
        [gettext(H_PREPARED, lang), today or dt.date.today()],
        [gettext(H_ANSWERED, lang), f"{answered}/{total}"],
        [gettext(H_CAUTION, lang), form.caveat],
    ]
    return [
        Sheet(gettext(FORM_SHEET, lang), header, rows),
        Sheet(
            gettext(UNANSWERED_SHEET, lang),
            _h(lang, H_NO, H_CONTENT, H_SECTION, H_NEEDED, H_DATAPOINTS),
            missing,
        ),
        Sheet(gettext(ABOUT_SHEET, lang), [gettext(H_FORM, lang), form.name], about),
    ]


def _row(item: FilledItem, lang: Lang) -> list[object]:
    answer = item.value if item.answered else gettext(NO_DATA, lang)
    return [
        item.id, item.label, answer, item.unit or None, item.verdict or None, item.facts or None,
        item.basis or None, ", ".join(item.sources) or None, item.note or None,
    ]  # fmt: skip


# ---- printable HTML -------------------------------------------------------------------------------

_STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 9pt; color: #111; }
.head { display: flex; justify-content: space-between; font-size: 8.5pt; }
.head div { width: 48%; text-align: center; }
h1 { font-size: 13pt; text-align: center; margin: 10pt 0 2pt; text-transform: uppercase; }
p.basis, p.meta { text-align: center; margin: 0 0 4pt; font-style: italic; }
table { width: 100%; border-collapse: collapse; margin-top: 6pt; table-layout: fixed; }
th, td { border: 0.6pt solid #555; padding: 2.5pt 4pt; vertical-align: top; text-align: left; }
th { background: #eee; }
tr.section td { background: #f3f3f3; font-weight: bold; }
tr { page-break-inside: avoid; }
.no { width: 8%; }
th.answer { width: 22%; }
th.verdict { width: 13%; }
th.needed { width: 40%; }
td { overflow-wrap: break-word; }
td.answer { font-weight: bold; }
td.missing { color: #8a1c1c; font-weight: normal; font-style: italic; }
.facts { display: block; font-size: 7.5pt; color: #444; font-weight: normal; }
.caveat { border: 0.6pt solid #999; padding: 4pt; margin-top: 8pt; font-size: 8pt; }
.sign { display: flex; justify-content: space-between; margin-top: 18pt; page-break-inside: avoid; }
.sign div { width: 45%; text-align: center; font-weight: bold; height: 60pt; }
@media screen { body { max-width: 190mm; margin: 1em auto; } }
"""


def form_html(form: FilledForm, today: dt.date | None = None) -> str:
    """The form as one printable A4 page set: heading, the items with their answers, the items
    left unanswered, the caution, and room for the signatures."""
    lang = form.lang
    words = (H_NO, H_CONTENT, H_ANSWER, H_CONCLUSION, UNANSWERED_TITLE, H_NEEDED, H_CAUTION)
    t = {m: escape(gettext(m, lang)) for m in (*words, SIGN_EMPLOYER, SIGN_WORKERS)}
    answered, total = form.counts
    day = today or dt.date.today()
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(form.name)}</title><style>{_STYLE}</style></head><body>",
        f'<div class="head"><div><b>{escape(form.facility)}</b></div>',
        f"<div><b>{escape(gettext(REPUBLIC, lang))}</b><br>{escape(gettext(MOTTO, lang))}</div></div>",
        f"<h1>{escape(form.name)}</h1>",
        f'<p class="basis">{escape(form.basis)}</p>',
        f'<p class="meta">{escape(gettext(H_PERIOD, lang))}: {date_text(form.start, lang)} – '
        f"{date_text(form.end, lang)} · {escape(gettext(H_PREPARED, lang))}: {date_text(day, lang)}</p>",
        f'<p class="meta">{escape(gettext(FILLED_BY, lang).format(answered=answered, total=total))}</p>',
        f'<table><thead><tr><th class="no">{t[H_NO]}</th><th>{t[H_CONTENT]}</th>'
        f'<th class="answer">{t[H_ANSWER]}</th><th class="verdict">{t[H_CONCLUSION]}</th></tr>',
        "</thead><tbody>",
    ]
    for section in form.sections:
        parts.append(_tr(section.id, section.title, cls="section", span=3))
        parts.extend(_html_row(item, lang) for item in section.items)
    parts.append("</tbody></table>")
    if form.unanswered:
        parts.append(f'<h2>{t[UNANSWERED_TITLE]}</h2><table><thead><tr><th class="no">{t[H_NO]}</th>')
        parts.append(f'<th>{t[H_CONTENT]}</th><th class="needed">{t[H_NEEDED]}</th></tr></thead><tbody>')
        parts.extend(_tr(i.id, i.label, i.needed) for _, i in form.unanswered)
        parts.append("</tbody></table>")
    parts.append(f'<p class="caveat"><b>{t[H_CAUTION]}:</b> {escape(form.caveat)}</p>')
    parts.append(f'<div class="sign"><div>{t[SIGN_WORKERS]}</div><div>{t[SIGN_EMPLOYER]}</div></div>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_row(item: FilledItem, lang: Lang) -> str:
    if item.answered:
        answer, cls = escape(item.text), "answer"  # the text carries its unit
    else:
        answer, cls = escape(gettext(NO_DATA, lang)), "answer missing"
    facts = f'<span class="facts">{escape(item.facts)}</span>' if item.facts else ""
    return (
        f'<tr><td class="no">{escape(item.id)}</td><td>{escape(item.label)}{facts}</td>'
        f'<td class="{cls}">{answer}</td><td class="verdict">{escape(item.verdict)}</td></tr>'
    )


def _tr(number: str, *cells: str, cls: str = "", span: int = 1) -> str:
    """A row: the item's number, then its cells (every value escaped)."""
    tds = "".join(
        f'<td colspan="{span}">{escape(c)}</td>' if span > 1 else f"<td>{escape(c)}</td>" for c in cells
    )
    return f'<tr class="{cls}"><td class="no">{escape(number)}</td>{tds}</tr>'


def write_form_file(form: FilledForm, output: Path, to_pdf: Callable[[str], bytes]) -> None:
    """The filled form written as its file's suffix says: .xlsx, .html, or .pdf (`to_pdf` renders
    the HTML: the project's renderer, commonground.common.pdf, outside core)."""
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".pdf", ".html"):
        raise fail(
            "choice_option", option="--output", value=str(output), choices="OUT.xlsx, OUT.pdf, OUT.html"
        )
    if suffix == ".xlsx":
        data = xlsx_bytes(form_sheets(form), form.lang)
    else:
        html = form_html(form)
        data = to_pdf(html) if suffix == ".pdf" else html.encode("utf-8")
    temporary = output.with_name(output.name + ".part")
    temporary.write_bytes(data)
    temporary.replace(output)
