"""An assessment's results and findings as spreadsheet sheets (decision 0029): the rows the web
page, the command line and a job write through core/spreadsheet as XLSX or CSV.

Headers and words in the reader's language; numbers as numbers (rates in per cent, answers with
their unit in a column of their own), dates as dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .engine import Evaluation
from .errors import Lang
from .i18n import gettext, gettext_noop
from .library import Library
from .report import framework_names, party_word, severity_word, status_word, value_text
from .spreadsheet import Sheet
from .text import text_in
from .units import unit_word

SUMMARY = gettext_noop("Summary")
RESULTS = gettext_noop("Requirements")
FINDINGS = gettext_noop("Findings")
H_FRAMEWORK = gettext_noop("Framework")
H_MET = gettext_noop("Met")
H_NOT_MET = gettext_noop("Not met")
H_UNKNOWN = gettext_noop("Unknown")
H_NA = gettext_noop("Not applicable")
H_COMPLIANCE = gettext_noop("Compliance (%)")
H_ANSWERED = gettext_noop("Answered (%)")
H_REQUIREMENT = gettext_noop("Requirement")
H_TITLE = gettext_noop("Title")
H_STATUS = gettext_noop("Status")
H_SEVERITY = gettext_noop("Severity")
H_CITATION = gettext_noop("Legal basis or clause")
H_WHO = gettext_noop("Who must act")
H_QUESTION = gettext_noop("Question")
H_ANSWER = gettext_noop("Answer")
H_UNIT = gettext_noop("Unit")
H_FRAMEWORKS = gettext_noop("Frameworks")
H_BUYERS = gettext_noop("Buyers concerned")
H_REQUIREMENTS = gettext_noop("Requirements broken")
H_DATAPOINT = gettext_noop("Data point")


def _h(lang: Lang, *messages: str) -> list[str]:
    return [gettext(m, lang) for m in messages]


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def summary_sheet(ev: Evaluation, lang: Lang) -> Sheet:
    header = _h(lang, H_FRAMEWORK, H_MET, H_NOT_MET, H_UNKNOWN, H_NA, H_COMPLIANCE, H_ANSWERED)
    rows = [
        [
            fr.framework.spec.name.get(lang),
            *(fr.summary.counts.get(s, 0) for s in ("met", "not_met", "unknown", "not_applicable")),
            _pct(fr.summary.compliance_rate),
            _pct(fr.summary.answered_rate),
        ]
        for fr in ev.frameworks
    ]
    return Sheet(gettext(SUMMARY, lang), header, rows)


def results_sheet(ev: Evaluation, lang: Lang) -> Sheet:
    """One row per requirement of each framework: its status, severity and who must act."""
    header = _h(lang, H_FRAMEWORK, H_REQUIREMENT, H_TITLE, H_STATUS, H_SEVERITY, H_WHO, H_CITATION)
    rows = [
        [
            fr.framework.spec.name.get(lang),
            r.requirement.id,
            r.requirement.spec.title.get(lang),
            status_word(r.status, lang),
            severity_word(r.requirement.spec.severity, lang),
            party_word(r.requirement.spec.accountable, lang),
            text_in(r.requirement.spec.citation, lang),
        ]
        for fr in ev.frameworks
        for r in fr.results
    ]
    return Sheet(gettext(RESULTS, lang), header, rows)


def findings_sheet(ev: Evaluation, lib: Library, lang: Lang, buyers: Mapping[str, Sequence[str]]) -> Sheet:
    """One row per fact that breaks requirements: the answer (a number stays a number, its unit
    beside it), the severity, the frameworks and buyers concerned and who must act."""
    header = _h(lang, H_DATAPOINT, H_QUESTION, H_ANSWER, H_UNIT, H_SEVERITY, H_FRAMEWORKS, H_BUYERS)
    header += _h(lang, H_WHO, H_REQUIREMENTS)
    rows = []
    for f in ev.findings:
        dp = lib.datapoints[f.datapoint]
        number = isinstance(f.value, int | float) and not isinstance(f.value, bool)
        rows.append(
            [
                f.datapoint,
                dp.label.get(lang),
                f.value if number else value_text(f.value, dp, lang),
                unit_word(dp.unit, lang) if number and dp.unit else "",
                severity_word(f.severity, lang),
                "; ".join(framework_names(f.frameworks, lib, lang)),
                "; ".join(sorted({b for fw in f.frameworks for b in buyers.get(fw, [])})),
                "; ".join(party_word(p, lang) for p in f.accountable),
                "; ".join(f"{r.key} {r.spec.title.get(lang)}" for r in f.requirements),
            ]
        )
    return Sheet(gettext(FINDINGS, lang), header, rows)


def assessment_sheets(
    ev: Evaluation, lib: Library, lang: Lang, buyers: Mapping[str, Sequence[str]] | None = None
) -> list[Sheet]:
    """The workbook of an assessment: summary, requirements, findings."""
    return [
        summary_sheet(ev, lang),
        results_sheet(ev, lang),
        findings_sheet(ev, lib, lang, buyers or {}),
    ]
