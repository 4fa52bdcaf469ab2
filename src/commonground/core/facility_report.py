"""The facility report (issue 15, point 1): one assessment as a document to attach, in Vietnamese or
English — the facility and period, coverage and compliance per framework, levels per section, the
findings (one per fact), the binding targets and, where the web app has them, the action plan, trend
charts and the verification.

`build_report` makes the sections an evaluation can give (what an assessment file supplies, for
`commonground report`); the web app adds the others (improvement.report). `report_html` writes the
document as HTML for `common.pdf.html_to_pdf`; every word goes through core.i18n, every number and
date through core.numbers, and every text from the data is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from .errors import Lang
from .i18n import gettext, gettext_noop
from .numbers import date_text, number, percent
from .report import framework_names, party_word, rating_view, severity_word, target_words, value_text
from .spreadsheet import Sheet
from .standing import standing
from .text import text_in

if TYPE_CHECKING:
    from .engine import Evaluation
    from .library import Library

WORDS: dict[str, str] = {
    "title": gettext_noop("Facility report"),
    "period": gettext_noop("Period"),
    "made": gettext_noop("Made on %(day)s by Common Ground"),
    "from_file": gettext_noop("From the assessment file %(file)s"),
    "coverage": gettext_noop("Coverage and compliance per framework"),
    "coverage_note": gettext_noop(
        "Each figure counts the framework's requirements: met, not met, unknown (an answer is missing) "
        "and not applicable. A rate is shown only when at least %(enough)s of the applicable "
        "requirements are decided."
    ),
    "framework": gettext_noop("Framework"),
    "met": gettext_noop("Met"),
    "not_met": gettext_noop("Not met"),
    "unknown": gettext_noop("Unknown"),
    "not_applicable": gettext_noop("Not applicable"),
    "compliance": gettext_noop("Compliance (%)"),
    "answered": gettext_noop("Answered (%)"),
    "score": gettext_noop("Score"),
    "not_enough": gettext_noop("not enough answers (%(decided)s of %(applicable)s decided)"),
    "levels": gettext_noop("Levels by section"),
    "section": gettext_noop("Section"),
    "level_reached": gettext_noop("Level achieved"),
    "level_n": gettext_noop("Level %(level)s of %(top)s"),
    "level_none": gettext_noop("Level 1 not reached yet"),
    "level_na": gettext_noop("n/a"),
    "findings": gettext_noop("Findings: one per fact"),
    "no_findings": gettext_noop("No finding on the facts answered so far."),
    "who": gettext_noop("Who must act"),
    "buyers": gettext_noop("Buyers concerned"),
    "frameworks": gettext_noop("Frameworks"),
    "targets": gettext_noop("Binding targets"),
    "targets_note": gettext_noop(
        "The strictest threshold among the frameworks, for each fact answered; the frameworks by their "
        "number in the table of coverage and compliance."
    ),
    "no_targets": gettext_noop("No binding target for the facts answered."),
    "actions": gettext_noop("The action plan"),
    "no_actions": gettext_noop("No corrective action recorded yet."),
    "action_title": gettext_noop("Title"),
    "status": gettext_noop("Status"),
    "owner": gettext_noop("Owner"),
    "due": gettext_noop("Due date"),
    "overdue": gettext_noop("Overdue"),
    "trends": gettext_noop("Trends across periods"),
    "no_trends": gettext_noop("Only one period so far: no trend yet."),
    "verification": gettext_noop("Verification"),
    "verifier": gettext_noop("Verifier body"),
    "verified_on": gettext_noop("Verified on %(day)s"),
    "verified_people": gettext_noop("Answers checked by"),
    "answers_checked": gettext_noop(
        "Answers confirmed: %(confirmed)s · corrected by the verifier: %(corrected)s · not verified yet: "
        "%(pending)s"
    ),
    "no_verifier": gettext_noop("No verifier body invited: the answers are the factory's own."),
    "file_sections": gettext_noop(
        "Made from an assessment file: the action plan, the trends and the verification are in the "
        "web app's report."
    ),
    "not_shared": gettext_noop("Not shared with you."),
    "page": gettext_noop("Page"),
    "address": gettext_noop("Address"),
}


def word(key: str, lang: Lang) -> str:
    return gettext(WORDS[key], lang)


@dataclass(frozen=True)
class FrameworkLine:
    name: str
    met: int
    not_met: int
    unknown: int
    not_applicable: int
    compliance: str  # the rate, or how many requirements are decided when too few are to show one
    answered: str
    score: str | None
    compliance_value: float | None  # 0-100, for a spreadsheet (None: no honest rate)


@dataclass(frozen=True)
class LevelLine:
    framework: str
    section: str
    reached: str
    score: str | None
    achieved: int | None  # None: not applicable


@dataclass(frozen=True)
class FindingLine:
    datapoint: str
    label: str
    value: str
    severity: str  # the code, for the badge's colour
    severity_word: str
    frameworks: tuple[str, ...]
    buyers: tuple[str, ...]
    accountable: tuple[str, ...]
    requirements: tuple[tuple[str, str], ...]  # (title, legal basis or clause)


@dataclass(frozen=True)
class TargetLine:
    label: str
    operator: str
    value: str
    frameworks: tuple[str, ...]


@dataclass(frozen=True)
class ActionLine:
    title: str
    status: str
    owner: str
    due: str
    overdue: bool
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str  # inline SVG drawn by the app's chart library (its text escaped there)


@dataclass(frozen=True)
class VerificationLine:
    status: str
    verifier: str  # the verifier body ("" when none was invited)
    verified_on: str  # "" while not verified
    people: tuple[str, ...]
    confirmed: int
    corrected: int
    pending: int


@dataclass(frozen=True)
class FacilityReport:
    lang: Lang
    facility: str
    period: str
    made_on: str
    frameworks: tuple[FrameworkLine, ...]
    levels: tuple[LevelLine, ...]
    findings: tuple[FindingLine, ...]
    targets: tuple[TargetLine, ...]
    address: str = ""
    source_file: str = ""  # the assessment file it was made from (the command line)
    # the web app's sections; None: not in this report (a file), () and the like: none yet
    actions: tuple[ActionLine, ...] | None = None
    charts: tuple[Chart, ...] | None = None
    verification: VerificationLine | None = None
    hidden: tuple[str, ...] = field(default=())  # sections the reader may not see ("actions", "trends")
    ratings: tuple[tuple[str, str, str], ...] = ()  # (framework, sentence, sections and grades) where rated


def period_text(start: dt.date, end: dt.date, lang: Lang) -> str:
    return f"{date_text(start, lang)} – {date_text(end, lang)}"


def _levels(ev: Evaluation, lang: Lang) -> list[LevelLine]:
    out = []
    for fr in ev.frameworks:
        names = {s.id: s.name.get(lang) for s in fr.framework.spec.sections}
        for s in fr.summary.sections:
            applicable = any(state != "not_applicable" for state in s.levels.values())
            if not applicable:
                reached = word("level_na", lang)
            elif s.achieved == 0:
                reached = word("level_none", lang)
            else:
                reached = word("level_n", lang) % {"level": s.achieved, "top": max(s.levels)}
            out.append(
                LevelLine(
                    framework=fr.framework.spec.name.get(lang),
                    section=names.get(s.section, s.section),
                    reached=reached,
                    score=None if s.score is None else number(s.score, lang),
                    achieved=s.achieved if applicable else None,
                )
            )
    return out


def _framework_line(counts: Mapping[str, int], name: str, score: float | None, lang: Lang) -> FrameworkLine:
    s = standing(counts)
    honest = s.verdict == "rate"
    compliance = (
        percent(s.rate, lang)
        if honest
        else word("not_enough", lang) % {"decided": s.decided, "applicable": s.applicable}
    )
    return FrameworkLine(
        name=name,
        met=counts.get("met", 0),
        not_met=counts.get("not_met", 0),
        unknown=counts.get("unknown", 0),
        not_applicable=counts.get("not_applicable", 0),
        compliance=compliance,
        answered=percent(s.decided_share, lang),
        score=None if score is None else number(score, lang),
        compliance_value=None if not honest or s.rate is None else round(100 * s.rate, 1),
    )


def build_report(
    ev: Evaluation,
    lib: Library,
    lang: Lang,
    *,
    facility: str,
    buyers: Mapping[str, Sequence[str]] | None = None,
    address: str = "",
    source_file: str = "",
    today: dt.date | None = None,
) -> FacilityReport:
    """The sections an evaluation gives: coverage and compliance, levels, findings, binding targets
    (the latter only for facts answered, as the results page shows them)."""
    buyers = buyers or {}
    answered = set(ev.assessment.values)
    findings = [
        FindingLine(
            datapoint=f.datapoint,
            label=lib.datapoints[f.datapoint].label.get(lang),
            value=value_text(f.value, lib.datapoints[f.datapoint], lang),
            severity=f.severity,
            severity_word=severity_word(f.severity, lang),
            frameworks=tuple(framework_names(f.frameworks, lib, lang)),
            buyers=tuple(sorted({b for fw in f.frameworks for b in buyers.get(fw, [])})),
            accountable=tuple(party_word(p, lang) for p in f.accountable),
            requirements=tuple(
                (r.spec.title.get(lang), text_in(r.spec.citation, lang)) for r in f.requirements
            ),
        )
        for f in ev.findings
    ]
    targets = [
        TargetLine(
            lib.datapoints[t.datapoint].label.get(lang),
            *target_words(t, lib.datapoints[t.datapoint], lang),
            frameworks=tuple(framework_names(t.frameworks, lib, lang)),
        )
        for t in ev.targets
        if t.datapoint in answered
    ]
    frameworks = [
        _framework_line(fr.summary.counts, fr.framework.spec.name.get(lang), fr.summary.score, lang)
        for fr in ev.frameworks
    ]
    ratings = []
    for fr in ev.frameworks:
        rating = rating_view(fr, lang)
        if rating is not None:
            grades = " · ".join(f"{name} {grade}" for name, grade in rating["sections"])
            ratings.append((fr.framework.spec.name.get(lang), rating["sentence"], grades))
    return FacilityReport(
        ratings=tuple(ratings),
        lang=lang,
        facility=facility,
        period=period_text(ev.assessment.start, ev.assessment.end, lang),
        made_on=date_text(today or dt.date.today(), lang),
        frameworks=tuple(frameworks),
        levels=tuple(_levels(ev, lang)),
        findings=tuple(findings),
        targets=tuple(targets),
        address=address,
        source_file=source_file,
    )


# ---- the spreadsheet ------------------------------------------------------------------------------


def report_sheets(
    ev: Evaluation, lib: Library, report: FacilityReport, buyers: Mapping[str, Sequence[str]]
) -> list[Sheet]:
    """The report as a workbook: the results export's sheets (core/exports: summary, requirements,
    findings), then the levels per section and the binding targets of the report."""
    from .exports import assessment_sheets

    lang = report.lang
    levels = Sheet(
        word("levels", lang)[:31],
        [word("framework", lang), word("section", lang), word("level_reached", lang), word("score", lang)],
        [[lv.framework, lv.section, lv.reached, lv.score or ""] for lv in report.levels],
    )
    targets = Sheet(
        word("targets", lang)[:31],
        [gettext("Question", lang), "", gettext("Answer", lang), word("frameworks", lang)],
        [[t.label, t.operator, t.value, "; ".join(t.frameworks)] for t in report.targets],
    )
    return [*assessment_sheets(ev, lib, lang, buyers), levels, targets]


# ---- the document -------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @top-left { content: string(facility); font-size: 7.5pt; color: #5b6673; }
  @bottom-right { content: "PAGE_WORD " counter(page) " / " counter(pages); font-size: 7.5pt;
    color: #5b6673; } }
h1 { string-set: facility attr(data-facility); font-size: 17pt; margin: 0 0 2mm; color: #0b3d2e; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; color: #0b3d2e; border-bottom: 0.6pt solid #0b6e4f;
  padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 1mm 0 2mm; }
.muted { color: #5b6673; }
.meta { margin: 0 0 4mm; }
.meta td { padding: 0.6mm 4mm 0.6mm 0; border: 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 1.5mm; border-bottom: 0.4pt solid #c9d1d9; }
th { background: #eef3f1; font-weight: bold; font-size: 8.5pt; }
table.fixed { table-layout: fixed; }
td { overflow-wrap: break-word; }
table.compact td { padding: 0.6mm 1.2mm; font-size: 8.5pt; }
small { font-size: 7pt; color: #5b6673; }
td.n, th.n { text-align: right; white-space: nowrap; }
th.n { white-space: normal; hyphens: manual; }
section.targets { break-before: page; }
thead { display: table-header-group; }
tr, .finding, .chart { break-inside: avoid; }
.finding { border: 0.5pt solid #c9d1d9; border-left: 2.5pt solid #8a5a00; padding: 1.5mm 2.5mm;
  margin: 0 0 2mm; }
.finding.zero_tolerance, .finding.critical { border-left-color: #b3261e; }
.finding.minor { border-left-color: #5b6673; }
.finding ul { margin: 1mm 0 0; padding-left: 5mm; }
.badge { font-size: 7.5pt; font-weight: bold; text-transform: uppercase; color: #8a5a00; }
.zero_tolerance .badge, .critical .badge { color: #b3261e; }
.overdue { color: #b3261e; font-weight: bold; }
.charts { margin: 0 0 2mm; }
.chart { display: inline-block; vertical-align: top; width: 84mm; margin: 0 4mm 3mm 0; }
.chart svg { width: 100%; height: auto; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(
    header: Sequence[tuple[str, bool]],
    rows: Sequence[Sequence[tuple[str, bool]]],
    widths: Sequence[int] = (),
    css: str = "",
) -> str:
    """A table; each cell (text, numeric), the text already escaped; `widths` in per cent."""
    cols = "".join(f'<col style="width: {x}%">' for x in widths)
    head = "".join(f"<th{' class=n' if n else ''}>{t}</th>" for t, n in header)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=n' if n else ''}>{t}</td>" for t, n in row) + "</tr>" for row in rows
    )
    classes = " ".join(c for c in ("fixed" if widths else "", css) if c)
    return (
        f'<table class="{classes}">'
        + f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _coverage(report: FacilityReport, w: dict[str, str]) -> str:
    header = [
        ("#", True),
        (w["framework"], False),
        (w["met"], True),
        (w["not_met"], True),
        (w["unknown"], True),
    ]
    header += [
        (w["not_applicable"], True),
        (w["compliance"], True),
        (w["answered"], True),
        (w["score"], True),
    ]
    rows = [
        [
            (str(i), True),
            (_e(f.name), False),
            (_e(f.met), True),
            (_e(f.not_met), True),
            (_e(f.unknown), True),
            (_e(f.not_applicable), True),
            (_e(f.compliance), f.compliance_value is not None),
            (_e(f.answered), True),
            (_e(f.score or "–"), True),
        ]
        for i, f in enumerate(report.frameworks, 1)
    ]
    table = _table(header, rows, widths=(4, 28, 7, 8, 8, 10, 16, 10, 9))
    ratings = "".join(
        f"<p><strong>{_e(name)}</strong>: {_e(sentence[:1].upper() + sentence[1:])}"
        + (f"<br><span class=muted>{_e(grades)}</span>" if grades else "")
        + "</p>"
        for name, sentence, grades in report.ratings
    )
    return f"<h2>{w['coverage']}</h2><p class=muted>{w['coverage_note']}</p>{table}{ratings}"


def _levels_html(report: FacilityReport, w: dict[str, str]) -> str:
    """One table per framework with levels; the sections not applicable named in one line."""
    if not report.levels:
        return ""
    out = [f"<h2>{w['levels']}</h2>"]
    by_framework: dict[str, list[LevelLine]] = {}
    for lv in report.levels:
        by_framework.setdefault(lv.framework, []).append(lv)
    for name, lines in by_framework.items():
        out.append(f"<h3>{_e(name)}</h3>")
        shown = [lv for lv in lines if lv.achieved is not None]
        if shown:
            header = [(w["section"], False), (w["level_reached"], False), (w["score"], True)]
            rows = [
                [(_e(lv.section), False), (_e(lv.reached), False), (_e(lv.score or "–"), True)]
                for lv in shown
            ]
            out.append(_table(header, rows, widths=(55, 30, 15)))
        hidden = [lv.section for lv in lines if lv.achieved is None]
        if hidden:
            out.append(f"<p class=muted>{w['level_na']}: {_e(', '.join(hidden))}</p>")
    return "".join(out)


def _findings_html(report: FacilityReport, w: dict[str, str]) -> str:
    out = [f"<h2>{w['findings']} ({len(report.findings)})</h2>"]
    if not report.findings:
        out.append(f"<p class=muted>{w['no_findings']}</p>")
    for f in report.findings:
        requirements = "".join(
            f"<li>{_e(title)}" + (f" <span class=muted>({_e(citation)})</span>" if citation else "") + "</li>"
            for title, citation in f.requirements
        )
        buyers = f"<br>{w['buyers']}: {_e(', '.join(f.buyers))}" if f.buyers else ""
        out.append(
            f'<div class="finding {_e(f.severity)}"><span class=badge>{_e(f.severity_word)}</span> '
            f"<strong>{_e(f.label)}</strong> = {_e(f.value)}"
            f"<p class=muted>{w['who']}: {_e(', '.join(f.accountable))} · "
            f"{_e(' · '.join(f.frameworks))}{buyers}</p>"
            f"<ul>{requirements}</ul></div>"
        )
    return "".join(out)


def _targets_html(report: FacilityReport, w: dict[str, str]) -> str:
    out = f"<section class=targets><h2>{w['targets']}</h2><p class=muted>{w['targets_note']}</p>"
    if not report.targets:
        return out + f"<p class=muted>{w['no_targets']}</p></section>"
    numbers = {f.name: str(i) for i, f in enumerate(report.frameworks, 1)}
    header = [(gettext("Question", report.lang), False), ("", False), (gettext("Answer", report.lang), False)]
    header.append((w["frameworks"], False))
    rows = [
        [
            (_e(t.label), False),
            (_e(t.operator), False),
            (_e(t.value), False),
            (_e(", ".join(numbers.get(name, name) for name in t.frameworks)), False),
        ]
        for t in report.targets
    ]
    return out + _table(header, rows, widths=(58, 5, 19, 18), css="compact") + "</section>"


def _actions_html(report: FacilityReport, w: dict[str, str]) -> str:
    if "actions" in report.hidden:
        return f"<h2>{w['actions']}</h2><p class=muted>{w['not_shared']}</p>"
    if report.actions is None:
        return ""
    out = f"<h2>{w['actions']} ({len(report.actions)})</h2>"
    if not report.actions:
        return out + f"<p class=muted>{w['no_actions']}</p>"
    header = [(w["action_title"], False), (w["status"], False), (w["owner"], False), (w["due"], True)]
    header.append((gettext("Findings", report.lang), False))
    rows = [
        [
            (_e(a.title), False),
            (_e(a.status) + (f" <span class=overdue>{w['overdue']}</span>" if a.overdue else ""), False),
            (_e(a.owner or "–"), False),
            (_e(a.due or "–"), True),
            (_e("; ".join(a.findings)), False),
        ]
        for a in report.actions
    ]
    return out + _table(header, rows, widths=(32, 18, 17, 12, 21))


def _trends_html(report: FacilityReport, w: dict[str, str]) -> str:
    if "trends" in report.hidden:
        return f"<h2>{w['trends']}</h2><p class=muted>{w['not_shared']}</p>"
    if report.charts is None:
        return ""
    if not report.charts:
        return f"<h2>{w['trends']}</h2><p class=muted>{w['no_trends']}</p>"
    charts = "".join(f"<div class=chart>{c.svg}</div>" for c in report.charts)  # drawn and escaped by pygal
    return f"<h2>{w['trends']}</h2><div class=charts>{charts}</div>"


def _verification_html(report: FacilityReport, w: dict[str, str], lang: Lang) -> str:
    v = report.verification
    if v is None:
        return ""
    lines = [f"<p><strong>{_e(v.status)}</strong>"]
    if v.verified_on:
        lines.append(" · " + _e(w["verified_on"] % {"day": v.verified_on}))
    lines.append("</p>")
    if v.verifier:
        lines.append(f"<p>{w['verifier']}: {_e(v.verifier)}</p>")
        if v.people:
            lines.append(f"<p>{w['verified_people']}: {_e(', '.join(v.people))}</p>")
        counts = {"confirmed": v.confirmed, "corrected": v.corrected, "pending": v.pending}
        lines.append(f"<p class=muted>{_e(w['answers_checked'] % counts)}</p>")
    else:
        lines.append(f"<p class=muted>{w['no_verifier']}</p>")
    return f"<h2>{w['verification']}</h2>" + "".join(lines)


def report_html(report: FacilityReport) -> str:
    """The report as one HTML document (A4, its own stylesheet, no outside resource)."""
    lang = report.lang
    w = {key: _e(gettext(message, lang)) for key, message in WORDS.items()}
    w["coverage_note"] = _e(gettext(WORDS["coverage_note"], lang) % {"enough": percent(0.8, lang, 0)})
    css = CSS.replace("PAGE_WORD", gettext(WORDS["page"], lang).replace('"', ""))
    meta = [(w["period"], _e(report.period))]
    if report.address:
        meta.append((w["address"], _e(report.address)))
    made = _e(gettext(WORDS["made"], lang) % {"day": report.made_on})
    source = (
        _e(gettext(WORDS["from_file"], lang) % {"file": report.source_file}) if report.source_file else ""
    )
    parts = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{w['title']} · {_e(report.facility)}</title>",
        f"<style>{css}</style></head><body>",
        f"<p class=muted>{w['title']}</p>",
        f'<h1 data-facility="{_e(report.facility)}">{_e(report.facility)}</h1>',
        "<table class=meta>" + "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in meta) + "</table>",
        _verification_html(report, w, lang),
        _coverage(report, w),
        _trends_html(report, w),
        _levels_html(report, w),
        _findings_html(report, w),
        _actions_html(report, w),
        _targets_html(report, w),  # the longest list last
    ]
    if report.verification is None and report.actions is None and report.charts is None:
        parts.append(f"<p class=muted>{w['file_sections']}</p>")
    parts.append(f"<p class=muted>{made}{' · ' + source if source else ''}</p></body></html>")
    return "".join(parts)
