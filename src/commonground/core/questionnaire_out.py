"""The questionnaire as JSON and text; the Excel workbook a factory fills is core/imports/template.py."""

from __future__ import annotations

from typing import Any

from .errors import Lang
from .excel_csv import safe_cell as safe_cell  # re-exported: the questionnaire and older imports
from .i18n import gettext, gettext_noop
from .questionnaire import Question, Questionnaire

_BURDEN = gettext_noop(
    "{frameworks} frameworks contain {requirements} requirements ({manual} decided by a verifier); "
    "you answer {asked} data points instead of {without} questions asked framework by framework "
    "({saved} saved)."
)


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
