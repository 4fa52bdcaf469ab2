"""Evaluations as plain data (JSON) and as readable text, in English or Vietnamese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import numbers
from .errors import Lang
from .i18n import gettext, gettext_noop
from .text import text_in
from .units import unit_word

if TYPE_CHECKING:
    from .catalogue import DataPoint
    from .engine import Evaluation, FrameworkResult
    from .findings import Finding
    from .library import Library
    from .targets import Target


def json_value(value: Any) -> Any:
    """A canonical answer as JSON: sets become sorted lists, dates ISO strings, whole floats ints."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _framework(fr: FrameworkResult, lang: Lang) -> dict[str, Any]:
    spec = fr.framework.spec
    return {
        "id": spec.id,
        "name": spec.name.get(lang),
        "kind": spec.kind,
        "version": spec.version,
        "summary": fr.summary.as_dict(),
        "requirements": [
            {
                "id": r.requirement.id,
                "title": r.requirement.spec.title.get(lang),
                "status": r.status.value,
                "datapoints": list(r.requirement.datapoints),
                "severity": r.requirement.spec.severity,
                "accountable": r.requirement.spec.accountable,
                "citation": text_in(r.requirement.spec.citation, lang),
                "section": r.requirement.spec.section,
                "level": r.requirement.spec.level,
                "credit": r.credit,
                "failing_datapoints": list(r.blamed),
            }
            for r in fr.results
        ],
    }


def _finding(f: Finding, lib: Library, lang: Lang) -> dict[str, Any]:
    dp = lib.datapoints[f.datapoint]
    return {
        "datapoint": f.datapoint,
        "label": dp.label.get(lang),
        "value": json_value(f.value),
        "unit": dp.unit,
        "severity": f.severity,
        "frameworks": list(f.frameworks),
        "requirements": [r.key for r in f.requirements],
        "accountable": list(f.accountable),
        "details": [
            {
                "requirement": r.key,
                "title": r.spec.title.get(lang),
                "severity": r.spec.severity,
                "citation": text_in(r.spec.citation, lang),
                "accountable": r.spec.accountable,
            }
            for r in f.requirements
        ],
    }


def _target(t: Target) -> dict[str, Any]:
    return {
        "datapoint": t.datapoint,
        "operator": t.operator,
        "value": json_value(t.value),
        "unit": t.unit,
        "frameworks": list(t.frameworks),
        "requirements": [b.requirement.key for b in t.binding],
        "others": [
            {"requirement": o.requirement.key, "operator": o.operator, "value": json_value(o.value)}
            for o in t.others
        ],
    }


def evaluation_dict(ev: Evaluation, lang: Lang, lib: Library | None = None) -> dict[str, Any]:
    from .library import cached_library

    lib = lib or cached_library()
    a = ev.assessment
    return {
        "facility": a.facility,
        "period": {"start": a.start.isoformat(), "end": a.end.isoformat()},
        "frameworks": [_framework(fr, lang) for fr in ev.frameworks],
        "findings": [_finding(f, lib, lang) for f in ev.findings],
        "targets": [_target(t) for t in ev.targets],
        "parameters": _parameters(ev, lib, lang),
    }


def _parameters(ev: Evaluation, lib: Library, lang: Lang) -> list[dict[str, Any]]:
    """The parameter values the evaluation used, with the source of each: the law in force. A keyed
    parameter named for a key in an expression (`id[key]`) is listed under that name."""
    from .library import parameters_of_requirement
    from .rules import keyed_references

    requirements = [r.requirement for fr in ev.frameworks for r in fr.results]
    used: dict[tuple[str, str | None], None] = {}
    for req in requirements:
        used.update(dict.fromkeys((p, None) for p in parameters_of_requirement(req)))
        for rule in (req.rule, req.applies_when, req.partial):
            used.update(dict.fromkeys((p.id, p.key) for p in keyed_references(rule)))
    out = []
    for pid, key in used:
        param, row = lib.parameters[pid], lib.parameters[pid].row_on(ev.assessment.end)
        value = ev.parameters.get(pid) if key is None else param.value_on(ev.assessment.end, key)
        if row is None or value is None:
            continue
        out.append(
            {
                "id": pid if key is None else f"{pid}[{key}]",
                "label": param.label.get(lang),
                "value": json_value(value),
                "unit": param.unit,
                "in_force_from": row.from_.isoformat(),
                "source": text_in(row.source, lang),
                "confidence": row.confidence,
            }
        )
    return out


# ---- text -------------------------------------------------------------------------------------

_WORDS: dict[str, str] = {
    "period": gettext_noop("Assessment period"),
    "framework": gettext_noop("Framework"),
    "met": gettext_noop("met"),
    "not_met": gettext_noop("not met"),
    "unknown": gettext_noop("unknown"),
    "not_applicable": gettext_noop("n/a"),
    "rate": gettext_noop("compliance"),
    "score": gettext_noop("score"),
    "levels": gettext_noop("levels"),
    "findings": gettext_noop("Findings (one per fact)"),
    "none": gettext_noop("none"),
    "targets": gettext_noop("Binding targets"),
    "who": gettext_noop("who acts"),
    "more": gettext_noop("more"),
}

STATUS_WORDS: dict[str, str] = {
    status: _WORDS[status] for status in ("met", "not_met", "unknown", "not_applicable")
}

SEVERITY_WORDS: dict[str, str] = {
    "zero_tolerance": gettext_noop("ZERO TOLERANCE"),
    "critical": gettext_noop("critical"),
    "major": gettext_noop("major"),
    "minor": gettext_noop("minor"),
}

PARTY_WORDS: dict[str, str] = {
    "factory": gettext_noop("factory"),
    "buyer": gettext_noop("buyer"),
    "authority": gettext_noop("authority"),
}


def _word(table: dict[str, str], code: str, lang: Lang) -> str:
    return gettext(table[code], lang) if code in table else code


def status_word(code: str, lang: Lang) -> str:
    """A requirement status (met, not_met, unknown, not_applicable) in words."""
    return _word(STATUS_WORDS, code, lang)


def severity_word(code: str, lang: Lang) -> str:
    """A severity (zero_tolerance, critical, major, minor) in words."""
    return _word(SEVERITY_WORDS, code, lang)


def party_word(code: str, lang: Lang) -> str:
    """Who acts (factory, buyer, authority) in words."""
    return _word(PARTY_WORDS, code, lang)


def framework_names(ids: Iterable[str], lib: Library, lang: Lang) -> list[str]:
    """The frameworks' names in `lang`, in the given order (an id the library lacks stays as it is)."""
    return [lib.frameworks[i].spec.name.get(lang) if i in lib.frameworks else i for i in ids]


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f} %"


_ANSWER_WORDS: dict[Any, str] = {
    None: gettext_noop("not answered"),
    True: gettext_noop("yes"),
    False: gettext_noop("no"),
}


def value_text(value: Any, dp: DataPoint, lang: Lang) -> str:
    """An answer as a person reads it: option labels, yes/no, numbers in the reader's convention
    with every digit they have (5.200.000 / 5,200,000), money as 5.200.000 đ / VND 5,200,000, the
    unit in the reader's words."""
    if value is None or isinstance(value, bool):
        return gettext(_ANSWER_WORDS[value], lang)
    labels = {o.value: o.label.get(lang) for o in dp.options}
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, frozenset):
        return ", ".join(labels.get(v, v) for v in sorted(value))
    if not isinstance(value, int | float):
        return str(value)
    return _quantity_text(float(value), dp.unit, lang)


NO_TARGET = gettext_noop("no target: the rule's formula cannot be solved for this answer")


def target_words(t: Target, dp: DataPoint, lang: Lang) -> tuple[str, str]:
    """A target's operator and value as a person reads them; a fact bound only by formulas that
    cannot be solved for it says so instead of showing a threshold (decision 0037)."""
    if t.undecidable:
        return "", gettext(NO_TARGET, lang)
    return t.operator, value_text(t.value, dp, lang)


def _quantity_text(value: float, unit: str | None, lang: Lang) -> str:
    if unit and unit.split("/")[0] == "VND":
        per = unit_word(unit, lang)[len(unit_word("VND", lang)) :]
        return numbers.money(value, lang, per=per)
    word = unit_word(unit, lang, one=value == 1)
    shown = numbers.format_number(value, lang)
    if word == "%":
        return numbers.per_cent(shown, lang)
    return f"{shown} {word}" if word else shown


def evaluation_text(ev: Evaluation, lang: Lang, lib: Library, *, max_findings: int = 15) -> str:
    w = {k: gettext(v, lang) for k, v in _WORDS.items()}
    a = ev.assessment
    lines = [f"{a.name_in(lang)} — {w['period']} {a.start.isoformat()} → {a.end.isoformat()}", ""]
    for fr in ev.frameworks:
        lines.append(_framework_line(fr, lang, w))
    lines += ["", f"{w['findings']}: {len(ev.findings) or w['none']}"]
    for f in ev.findings[:max_findings]:
        lines.append(_finding_line(f, lib, lang, w))
    if len(ev.findings) > max_findings:
        lines.append(f"  … {len(ev.findings) - max_findings} {w['more']}")
    return "\n".join(lines)


def _framework_line(fr: FrameworkResult, lang: Lang, w: dict[str, str]) -> str:
    s = fr.summary
    counts = ", ".join(f"{s.counts[k]} {w[k]}" for k in ("met", "not_met", "unknown", "not_applicable"))
    name = f"{fr.framework.spec.name.get(lang)} [{fr.framework.id}]"
    line = f"  {name}: {w['rate']} {_pct(s.compliance_rate)} ({counts})"
    if s.counts["not_applicable"] == s.total:
        return f"  {name}: {w['not_applicable']}"
    if s.score is not None:
        line += f"; {w['score']} {s.score:g}"
    applicable = [sec for sec in s.sections if any(v != "not_applicable" for v in sec.levels.values())]
    if applicable:
        levels = ", ".join(f"{sec.section} {sec.achieved}/3" for sec in applicable)
        line += f"; {w['levels']}: {levels}"
    rating = rating_view(fr, lang)
    if rating is not None and rating["grade"]:
        line += f"; {rating['sentence']}"
    return line


def rating_view(fr: FrameworkResult, lang: Lang) -> dict[str, Any] | None:
    """The framework's rating as a reader sees it: the grade and its label, each section's grade
    (by name), and why the grade is what it is (a zero-tolerance breach, or the worst section);
    None when the framework has no rating scheme."""
    rated, scheme = fr.summary.rating, fr.framework.spec.rating
    if rated is None or scheme is None:
        return None
    names = {sec.id: sec.name.get(lang) for sec in fr.framework.spec.sections}
    labels = {b.grade: text_in(b.label, lang) if b.label else "" for b in scheme.bands}
    sections = [(names.get(sid, sid), grade) for sid, grade in rated.sections if grade]
    order = [b.grade for b in scheme.bands]
    worst = max((order.index(g) for _, g in sections), default=-1)
    lowest = [name for name, g in sections if order.index(g) == worst]
    grade = rated.overall
    if grade is None:
        sentence = gettext("not rated yet: no requirement is decided", lang)
    else:
        sentence = gettext("rating {grade}", lang).format(grade=grade)
        sentence += f" ({labels[grade]})" if labels.get(grade) else ""
        if rated.zero_tolerance:
            sentence += " — " + gettext("a zero-tolerance requirement is not met", lang)
        elif lowest and order.index(grade) == worst and len(sections) > 1:
            sentence += " — " + gettext("lowest: {sections}", lang).format(sections=", ".join(lowest))
    return {
        "grade": grade,
        "label": labels.get(grade or "", ""),
        "index": order.index(grade) if grade else None,
        "sections": sections,
        "zero_tolerance": rated.zero_tolerance,
        "sentence": sentence,
    }


def _finding_line(f: Finding, lib: Library, lang: Lang, w: dict[str, str]) -> str:
    dp = lib.datapoints[f.datapoint]
    who = ", ".join(party_word(p, lang) for p in f.accountable)
    head = (
        f"  [{severity_word(f.severity, lang)}] {dp.label.get(lang)} = {value_text(f.value, dp, lang)}"
        f" — {', '.join(f.frameworks)} ({len(f.requirements)}); {w['who']}: {who}"
    )
    return head


def target_text(ev: Evaluation, lib: Library, lang: Lang) -> str:
    """Binding targets of the facts the factory answered or fails (the JSON lists every target)."""
    shown = set(ev.assessment.values) | {f.datapoint for f in ev.findings}
    lines = [gettext(_WORDS["targets"], lang) + ":"]
    for t in ev.targets:
        if t.datapoint not in shown:
            continue
        dp = lib.datapoints[t.datapoint]
        operator, value = target_words(t, dp, lang)
        lines.append(
            f"  {dp.label.get(lang)}: {f'{operator} ' if operator else ''}{value} ({', '.join(t.frameworks)})"
        )
    return "\n".join(lines)
