"""The state's forms filled from the same facts (issue 15, point 4): a form is a library file
(`library/forms/<id>.yaml`, top key `form:`) whose items each name a data point, the requirements
that answer a compliance question, a field of the facility's profile, or nothing (an item no data
point answers yet). `fill` turns an evaluation into the filled form: sections, items with the
value as the reader expects it, the source of each answer, and the items left unanswered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from .catalogue import DataPoint
from .errors import Lang, Problem
from .i18n import gettext, gettext_noop
from .report import value_text
from .sources import format_loc, line_of
from .text import Model, Text, text_in
from .units import unit_word

if TYPE_CHECKING:
    from .engine import Evaluation, RequirementResult

YES = gettext_noop("Yes")
NO = gettext_noop("No")
NOT_APPLICABLE = gettext_noop("Not applicable")
NO_DATA = gettext_noop("no data yet")
NOT_IN_PROFILE = gettext_noop("Not in the facility's profile")
VERDICTS = {
    "met": gettext_noop("Met"),
    "not_met": gettext_noop("Not met"),
    "unknown": gettext_noop("Unknown"),
    "not_applicable": gettext_noop("Not applicable"),
}

FacilityField = Literal["name", "address", "tax_code", "period"]


class FormItem(Model):
    id: str = Field(pattern=r"^[0-9A-Za-z.]+$")
    label: Text
    datapoint: str | None = None
    requirements: tuple[str, ...] = ()  # framework/requirement keys: Có when every applicable one is met
    facility: FacilityField | None = None
    note: Text | None = None  # why no data point answers it, or how the answer is read

    @model_validator(mode="after")
    def _one_source(self) -> FormItem:
        if sum(bool(x) for x in (self.datapoint, self.requirements, self.facility)) > 1:
            raise ValueError("an item takes one of datapoint, requirements or facility")
        return self


class FormSection(Model):
    id: str
    title: Text
    items: tuple[FormItem, ...] = Field(min_length=1)


class StateForm(Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: Text
    basis: Text  # the legal text that prescribes the form
    caveat: Text  # what was not confirmed about the text and the items
    frameworks: tuple[str, ...] = Field(min_length=1)  # evaluated to answer the items
    sections: tuple[FormSection, ...] = Field(min_length=1)

    def items(self) -> list[tuple[FormSection, FormItem]]:
        return [(s, i) for s in self.sections for i in s.items]


class FormFile(Model):
    form: StateForm


def check_form(form: StateForm, lib: Any, raw: Any, file: str, problems: list[Problem]) -> None:
    """Every item's data point and requirement exists, each requirement's framework is one the form
    evaluates, and item ids are unique."""
    seen: set[str] = set()
    for s_index, section in enumerate(form.sections):
        for i_index, item in enumerate(section.items):
            base = ("form", "sections", s_index, "items", i_index)
            for code, loc, params in _item_problems(item, form, lib, seen):
                full = (*base, *loc)
                problems.append(Problem(code, file, line_of(raw, full), format_loc(full), params))
            seen.add(item.id)


def _item_problems(
    item: FormItem, form: StateForm, lib: Any, seen: set[str]
) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    out: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    if item.id in seen:
        out.append(("duplicate_id", ("id",), {"id": item.id, "first": form.id}))
    if item.datapoint and item.datapoint not in lib.datapoints:
        out.append(("unknown_datapoint", ("datapoint",), {"id": item.datapoint}))
    for k, key in enumerate(item.requirements):
        fw_id, _, req_id = key.partition("/")
        framework = lib.frameworks.get(fw_id)
        if framework is None or fw_id not in form.frameworks:
            known = ", ".join(form.frameworks)
            out.append(("unknown_framework", ("requirements", k), {"id": fw_id, "known": known}))
        elif req_id not in {r.id for r in framework.requirements}:
            out.append(("unknown_requirement", ("requirements", k), {"id": key}))
    return out


# ---- filling ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilledItem:
    id: str
    label: str
    value: Any  # as a spreadsheet holds it: a number, a date, "Có" / "Không", text; None unanswered
    text: str  # as a person reads it, in the reader's conventions
    unit: str
    verdict: str  # requirement items: met / not met / unknown / not applicable in the reader's words
    facts: str  # the answers behind a requirement item, as a person reads them
    basis: str  # the requirements' legal citations
    sources: tuple[str, ...]  # the data points that answer it
    missing: tuple[str, ...]  # unanswered: the data points that would answer it
    note: str
    needed: str = ""  # unanswered: the missing data points' questions, in the reader's language

    @property
    def answered(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class FilledSection:
    id: str
    title: str
    items: tuple[FilledItem, ...]


@dataclass(frozen=True)
class FilledForm:
    form_id: str
    name: str
    basis: str
    caveat: str
    facility: str
    start: dt.date
    end: dt.date
    lang: Lang
    sections: tuple[FilledSection, ...]

    @property
    def unanswered(self) -> list[tuple[FilledSection, FilledItem]]:
        return [(s, i) for s in self.sections for i in s.items if not i.answered]

    @property
    def counts(self) -> tuple[int, int]:
        """(answered, all) items."""
        items = [i for s in self.sections for i in s.items]
        return sum(i.answered for i in items), len(items)


def fill(
    form: StateForm,
    ev: Evaluation,
    lib: Any,
    lang: Lang = "vi",
    facility: Mapping[str, Any] | None = None,
) -> FilledForm:
    """The form filled from an evaluation that includes the form's frameworks. `facility` gives the
    profile fields (name, address, tax_code) where the assessment itself does not."""
    a = ev.assessment
    profile = {**a.facility, **(facility or {})}
    results = {r.requirement.key: r for fr in ev.frameworks for r in fr.results}
    sections = tuple(
        FilledSection(
            s.id,
            s.title.get(lang),
            tuple(_needed(_item(i, ev, lib, lang, profile, results), lib, lang) for i in s.items),
        )
        for s in form.sections
    )
    name = str(profile.get(f"name_{lang}") or profile.get("name") or a.name)
    return FilledForm(
        form.id,
        form.name.get(lang),
        form.basis.get(lang),
        form.caveat.get(lang),
        name,
        a.start,
        a.end,
        lang,
        sections,
    )


def _item(
    item: FormItem,
    ev: Evaluation,
    lib: Any,
    lang: Lang,
    profile: Mapping[str, Any],
    results: Mapping[str, RequirementResult],
) -> FilledItem:
    label, note = item.label.get(lang), text_in(item.note, lang)
    if item.facility:
        value = _facility_value(item.facility, profile, ev, lang)
        if value is None:
            note = note or gettext(NOT_IN_PROFILE, lang)
        return FilledItem(
            item.id, label, value, "" if value is None else str(value), "", "", "", "", (), (), note
        )
    if item.datapoint:
        return _datapoint_item(item, label, note, ev, lib.datapoints[item.datapoint], lang)
    if item.requirements:
        return _requirements_item(item, label, note, ev, lib, lang, results)
    return FilledItem(item.id, label, None, "", "", "", "", "", (), (), note)


def _needed(item: FilledItem, lib: Any, lang: Lang) -> FilledItem:
    labels = (lib.datapoints[d].label.get(lang) for d in item.missing)
    return replace(item, needed="; ".join(labels) or item.note)


def _facility_value(field: str, profile: Mapping[str, Any], ev: Evaluation, lang: Lang) -> Any:
    if field == "name":
        return profile.get(f"name_{lang}") or profile.get("name") or None
    if field == "period":
        return f"{date_text(ev.assessment.start, lang)} – {date_text(ev.assessment.end, lang)}"
    return profile.get(field) or None


def _datapoint_item(
    item: FormItem, label: str, note: str, ev: Evaluation, dp: DataPoint, lang: Lang
) -> FilledItem:
    value = ev.assessment.values.get(dp.id)
    if value is None:
        return FilledItem(item.id, label, None, "", "", "", "", "", (dp.id,), (dp.id,), note)
    return FilledItem(item.id, label, *_cell(value, dp, lang), "", "", "", (dp.id,), (), note)


def _cell(value: Any, dp: DataPoint, lang: Lang) -> tuple[Any, str, str]:
    """(the spreadsheet's value, the text a person reads, the unit)."""
    if isinstance(value, bool):
        word = gettext(YES if value else NO, lang)
        return word, word, ""
    if isinstance(value, dt.date):
        return value, date_text(value, lang), ""
    if isinstance(value, int | float):
        number = int(value) if float(value).is_integer() else value  # 1800, not 1800.0
        return number, value_text(value, dp, lang), unit_word(dp.unit, lang) if dp.unit else ""
    text = value_text(value, dp, lang)
    return text, text, ""


def _requirements_item(
    item: FormItem,
    label: str,
    note: str,
    ev: Evaluation,
    lib: Any,
    lang: Lang,
    results: Mapping[str, RequirementResult],
) -> FilledItem:
    found = [results[k] for k in item.requirements if k in results]
    statuses: set[str] = {str(r.status) for r in found} or {"unknown"}
    status = next(s for s in ("not_met", "unknown", "met", "not_applicable") if s in statuses)
    values = ev.assessment.values
    needed = [d for r in found for d in r.requirement.datapoints]
    sources = tuple(dict.fromkeys(needed))
    missing = tuple(d for d in sources if d not in values) if status == "unknown" else ()
    if len(found) < len(item.requirements):  # a framework the evaluation left out
        status, missing = "unknown", missing or sources
    value = {"met": YES, "not_met": NO, "not_applicable": NOT_APPLICABLE}.get(status)
    answered = [d for d in sources if d in values]
    facts = "; ".join(
        f"{lib.datapoints[d].label.get(lang)}: {_cell(values[d], lib.datapoints[d], lang)[1]}"
        for d in answered
    )
    basis = "; ".join(
        dict.fromkeys(
            text_in(r.requirement.spec.citation, lang) for r in found if r.requirement.spec.citation
        )
    )
    return FilledItem(
        item.id,
        label,
        None if value is None else gettext(value, lang),
        "" if value is None else gettext(value, lang),
        "",
        gettext(VERDICTS[status], lang),
        facts,
        basis,
        sources,
        missing,
        note,
    )


_DATE: dict[Lang, str] = {"vi": "%d/%m/%Y", "en": "%Y-%m-%d"}


def date_text(day: dt.date, lang: Lang) -> str:
    return day.strftime(_DATE[lang])
