"""An XLSForm for offline collection with ODK Collect or KoboToolbox, and the import profile that
reads its submissions back (decision 0029).

The form asks each data point of a questionnaire once, in Vietnamese and English: its type and
choices from the catalogue, a constraint from its range (its unit in the label), skip logic
(`relevant`) from the applicability of the requirements that use it where the condition can be
written in XPath. The profile maps each field name to its data point, so a CSV or XLSX export of
the submissions (one row per submission, a column per field, `group/field` or `group-field`)
imports with `commonground import` and no hand mapping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .catalogue import DataPoint
from .errors import Lang
from .i18n import gettext, gettext_noop
from .numbers import format_number
from .questionnaire import Question, Questionnaire
from .rules import All, AnyOf, Compare, Not, Present, Rule, datapoints_of

LANGS: tuple[tuple[Lang, str], ...] = (("vi", "Tiếng Việt (vi)"), ("en", "English (en)"))
"""Each form language and its XLSForm name (a column `label::Tiếng Việt (vi)`)."""

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "constraint", "constraint_message", "relevant")
TRANSLATED = ("label", "hint", "constraint_message")
YES_NO = "yes_no"

FACILITY = gettext_noop("Facility and period")
FACILITY_NAME = gettext_noop("Name of the facility")
PERIOD_START = gettext_noop("First day of the period")
PERIOD_END = gettext_noop("Last day of the period")
PERIOD_END_AFTER = gettext_noop("The last day cannot be before the first day")
YES = gettext_noop("Yes")
NO = gettext_noop("No")
BETWEEN = gettext_noop("From {min} to {max}")
AT_LEAST = gettext_noop("At least {min}")
AT_MOST = gettext_noop("At most {max}")
TITLE = gettext_noop("Common Ground questionnaire: {frameworks}")
ALL_FRAMEWORKS = gettext_noop("all frameworks")
PROFILE_DESCRIPTION = gettext_noop(
    "The CSV or XLSX export (ODK Central, KoboToolbox) of one submission of the form {form}, "
    "written with it by commonground xlsform."
)


@dataclass
class Form:
    """The three sheets of an XLSForm as rows of {column: value}, and the import profile."""

    form_id: str
    survey: list[dict[str, Any]] = field(default_factory=list)
    choices: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)


def field_name(dp_id: str) -> str:
    """A data point's field name: an XML name without the dot (`wages.paid_on_time` becomes
    `wages__paid_on_time`), so no export tool reads the dot as a path."""
    return dp_id.replace(".", "__")


def both(message: str, **params: Any) -> dict[Lang, str]:
    return {lang: gettext(message, lang).format(**params) for lang, _ in LANGS}


def build_form(q: Questionnaire, topics: dict[str, Any], asked: Sequence[str] = ()) -> Form:
    """The form and its profile for a questionnaire (`topics`: the library's topic headers;
    `asked`: the framework ids chosen, none for every framework)."""
    ids = list(dict.fromkeys(asked))
    form = Form(_form_id(ids))
    fields = {question.datapoint.id for question in q.questions}
    form.survey += _facility_rows()
    current = ""
    for question in q.questions:
        dp = question.datapoint
        if dp.topic != current:
            if current:
                form.survey.append({"type": "end_group", "name": current})
            current = dp.topic
            header = topics.get(current)
            form.survey.append(
                {
                    "type": "begin_group",
                    "name": current,
                    "label": {lang: header.name.get(lang) if header else current for lang, _ in LANGS},
                }
            )
        form.survey.append(_question_row(question, fields))
        form.choices += _choices(dp)
    if current:
        form.survey.append({"type": "end_group", "name": current})
    form.choices = (
        _yes_no() + form.choices if any(q.datapoint.type == "boolean" for q in q.questions) else form.choices
    )
    names = ", ".join(ids)
    title = {
        lang: gettext(TITLE, lang).format(frameworks=names or gettext(ALL_FRAMEWORKS, lang))
        for lang, _ in LANGS
    }
    form.settings = {
        "form_title": " / ".join(dict.fromkeys(title.values())),
        "form_id": form.form_id,
        "version": dt.date.today().strftime("%Y%m%d"),
        "default_language": LANGS[0][1],
    }
    form.profile = _profile(form, q)
    return form


def _form_id(ids: list[str]) -> str:
    if not ids:
        return "commonground-all"
    joined = "-".join(re.sub(r"[^a-z0-9-]+", "-", i.lower()) for i in ids)
    if len(joined) <= 60:
        return f"commonground-{joined}"
    return "commonground-" + hashlib.sha256(joined.encode()).hexdigest()[:12]


def _facility_rows() -> list[dict[str, Any]]:
    return [
        {"type": "begin_group", "name": "facility_period", "label": both(FACILITY)},
        {"type": "text", "name": "facility_name", "label": both(FACILITY_NAME), "required": "yes"},
        {"type": "date", "name": "period_start", "label": both(PERIOD_START), "required": "yes"},
        {
            "type": "date",
            "name": "period_end",
            "label": both(PERIOD_END),
            "required": "yes",
            "constraint": ". >= ${period_start}",
            "constraint_message": both(PERIOD_END_AFTER),
        },
        {"type": "end_group", "name": "facility_period"},
    ]


def _question_row(question: Question, asked: set[str]) -> dict[str, Any]:
    dp = question.datapoint
    row: dict[str, Any] = {
        "type": _type(dp),
        "name": field_name(dp.id),
        "label": {lang: _label(dp, lang) for lang, _ in LANGS},
        "hint": {lang: dp.help.get(lang) for lang, _ in LANGS},
    }
    constraint, message = _constraint(dp)
    if constraint:
        row["constraint"] = constraint
        row["constraint_message"] = message
    relevant = _relevant(question, asked)
    if relevant:
        row["relevant"] = relevant
    return row


def _type(dp: DataPoint) -> str:
    if dp.type == "boolean":
        return f"select_one {YES_NO}"
    if dp.type == "enum":
        return f"select_one {field_name(dp.id)}"
    if dp.type == "multi-enum":
        return f"select_multiple {field_name(dp.id)}"
    return {"integer": "integer", "decimal": "decimal", "date": "date"}.get(dp.type, "text")


def _label(dp: DataPoint, lang: Lang) -> str:
    text = dp.label.get(lang)
    return f"{text} ({dp.unit})" if dp.unit else text


def _choices(dp: DataPoint) -> list[dict[str, Any]]:
    if dp.type not in ("enum", "multi-enum"):
        return []
    return [
        {
            "list_name": field_name(dp.id),
            "name": o.value,
            "label": {lang: o.label.get(lang) for lang, _ in LANGS},
        }
        for o in dp.options
    ]


def _yes_no() -> list[dict[str, Any]]:
    return [
        {"list_name": YES_NO, "name": "yes", "label": both(YES)},
        {"list_name": YES_NO, "name": "no", "label": both(NO)},
    ]


def _constraint(dp: DataPoint) -> tuple[str, dict[Lang, str]]:
    """The range as an XPath constraint and its message in both languages (the unit after it)."""
    if not dp.numeric or (dp.min is None and dp.max is None):
        return "", {}
    parts, unit = [], f" {dp.unit}" if dp.unit else ""
    if dp.min is not None:
        parts.append(f". >= {_xpath_number(dp.min)}")
    if dp.max is not None:
        parts.append(f". <= {_xpath_number(dp.max)}")
    messages: dict[Lang, str] = {}
    for lang, _ in LANGS:
        low = format_number(dp.min, lang) if dp.min is not None else ""
        high = format_number(dp.max, lang) if dp.max is not None else ""
        if dp.min is not None and dp.max is not None:
            messages[lang] = gettext(BETWEEN, lang).format(min=low, max=high) + unit
        elif dp.min is not None:
            messages[lang] = gettext(AT_LEAST, lang).format(min=low) + unit
        else:
            messages[lang] = gettext(AT_MOST, lang).format(max=high) + unit
    return " and ".join(parts), messages


def _xpath_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# ---- skip logic ---------------------------------------------------------------------------------


def _relevant(question: Question, asked: set[str]) -> str:
    """Asked when any requirement that uses the answer applies. A requirement without a condition,
    or whose condition uses this very answer or cannot be written in XPath, makes it always asked.
    An unanswered condition hides the question (XPath compares a blank as false)."""
    conditions: list[str] = []
    for requirement in question.requirements:
        condition = requirement.applies_when
        if condition is None or question.datapoint.id in datapoints_of(condition):
            return ""
        xpath = xpath_of(condition, asked)
        if xpath is None:
            return ""
        conditions.append(xpath)
    unique = list(dict.fromkeys(conditions))
    return " or ".join(f"({c})" for c in unique) if len(unique) > 1 else (unique[0] if unique else "")


def xpath_of(rule: Rule, asked: set[str] | frozenset[str]) -> str | None:
    """An applicability condition in XPath, or None when it cannot be written (a parameter, another
    answer compared, a fact the form does not ask)."""
    if isinstance(rule, Compare):
        return _compare(rule, asked)
    if isinstance(rule, Present):
        return f"${{{field_name(rule.dp)}}} != ''" if rule.dp in asked else None
    if isinstance(rule, All | AnyOf):
        parts = [xpath_of(p, asked) for p in rule.parts]
        if any(p is None for p in parts):
            return None
        joiner = " and " if isinstance(rule, All) else " or "
        return "(" + joiner.join(str(p) for p in parts) + ")"
    if isinstance(rule, Not):
        inner = xpath_of(rule.part, asked)
        return None if inner is None else f"not({inner})"
    return None  # {if, then}: not an applicability condition in the shipped library


_XPATH_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "!="}


def _compare(rule: Compare, asked: set[str] | frozenset[str]) -> str | None:
    if rule.param is not None or rule.ref is not None or rule.dp not in asked:
        return None
    ref = f"${{{field_name(rule.dp)}}}"
    op, value = rule.op, rule.value
    if op in _XPATH_OPS:
        return f"{ref} {_XPATH_OPS[op]} {_literal(value)}"
    if op == "between":
        return f"({ref} >= {_literal(value[0])} and {ref} <= {_literal(value[1])})"
    if op in ("in", "not_in"):
        any_of = "(" + " or ".join(f"{ref} = {_literal(v)}" for v in value) + ")"
        return any_of if op == "in" else f"not{any_of}"
    if op in ("contains", "not_contains"):
        any_of = "(" + " or ".join(f"selected({ref}, {_literal(v)})" for v in value) + ")"
        return any_of if op == "contains" else f"not{any_of}"
    return None


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "'yes'" if value else "'no'"
    if isinstance(value, int | float):
        return _xpath_number(value)
    if isinstance(value, dt.date):
        return f"date('{value.isoformat()}')"
    return "'" + str(value).replace("'", "") + "'"


# ---- the profile --------------------------------------------------------------------------------


def _profile(form: Form, q: Questionnaire) -> dict[str, Any]:
    """The import profile of the form's submissions: each field name mapped to its data point."""
    transforms = {"boolean": "yes_no", "integer": "number", "decimal": "number", "multi-enum": "multi"}
    transforms |= {"date": "date_dmy", "text": "text"}
    return {
        "import": {
            "id": f"xlsform-{form.form_id}",
            "name": {lang: f"XLSForm {form.form_id}" for lang, _ in LANGS},
            "description": both(PROFILE_DESCRIPTION, form=form.form_id),
            "layout": {"format": "any", "shape": "wide"},
            "numbers": "en",
            "unknown_keys": "skip",
            "facility": {"key": "facility_name"},
            "period_start": {"key": "period_start"},
            "period_end": {"key": "period_end"},
            "mappings": [
                {
                    "key": field_name(question.datapoint.id),
                    "datapoint": question.datapoint.id,
                    "transform": transforms.get(question.datapoint.type, "auto"),
                }
                for question in q.questions
            ],
        }
    }


# ---- writing ------------------------------------------------------------------------------------


def profile_path(output: Path) -> Path:
    """`OUT.xlsx` -> `OUT.profile.yaml`, beside it."""
    return output.with_name(output.stem + ".profile.yaml")


def write_form(form: Form, output: Path) -> Path:
    """The XLSForm at `output` and its profile beside it; returns the profile's path."""
    from .spreadsheet import Sheet, write_xlsx

    survey_header = _header(SURVEY_COLUMNS)
    sheets = [
        Sheet("survey", survey_header, [_cells(row, SURVEY_COLUMNS) for row in form.survey]),
        Sheet(
            "choices",
            _header(("list_name", "name", "label")),
            [_cells(r, ("list_name", "name", "label")) for r in form.choices],
        ),
        Sheet("settings", list(form.settings), [list(form.settings.values())]),
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(sheets, output)
    target = profile_path(output)
    target.write_text(
        yaml.safe_dump(form.profile, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return target


def _header(columns: Iterable[str]) -> list[str]:
    out: list[str] = []
    for column in columns:
        if column in TRANSLATED:
            out += [f"{column}::{name}" for _, name in LANGS]
        else:
            out.append(column)
    return out


def _cells(row: dict[str, Any], columns: Iterable[str]) -> list[Any]:
    out: list[Any] = []
    for column in columns:
        value = row.get(column)
        if column in TRANSLATED:
            out += [(value or {}).get(lang, "") for lang, _ in LANGS]
        else:
            out.append(value if value is not None else "")
    return out


def form_zip(form: Form) -> bytes:
    """The form and its profile in one ZIP file (a download from the web app)."""
    import io
    import tempfile
    import zipfile

    out = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        path = Path(tmp) / f"{form.form_id}.xlsx"
        profile = write_form(form, path)
        bundle.write(path, path.name)
        bundle.write(profile, profile.name)
    return out.getvalue()
