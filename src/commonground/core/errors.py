"""Errors a person reads: a code, a place and the problem, rendered in English or Vietnamese."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, field
from typing import Any

from .i18n import Lang, gettext, gettext_noop

__all__ = ["CommonGroundError", "Lang", "Problem", "fail"]

# The English text of each problem, by code; gettext gives it in the reader's language.
MESSAGES: dict[str, str] = {
    "yaml_syntax": gettext_noop("the file is not valid YAML: {detail}"),
    "json_syntax": gettext_noop("the file is not valid JSON: {detail}"),
    "file_missing": gettext_noop("the file or directory does not exist"),
    "file_too_large": gettext_noop("the file has {size} bytes, more than the {max} a library file may have"),
    "yaml_alias": gettext_noop(
        "anchors (&) and aliases (*) are not accepted in this file: write each value out"
    ),
    "file_unreadable": gettext_noop("the file cannot be read: {detail}"),
    "not_a_mapping": gettext_noop("expected a mapping of keys to values here"),
    "field_missing": gettext_noop("the field '{field}' is missing"),
    "field_unknown": gettext_noop("unknown field '{field}'"),
    "text_cut_at_comma": gettext_noop(
        "'{field}' is not a field: the {lang} text was written without quotes and ends at the first comma. "
        'Put it in quotes: {lang}: "{text}"'
    ),
    "type_expected": gettext_noop("expected {kind_name} here, got {value!r}"),
    "field_invalid": gettext_noop("invalid value: {detail}"),
    "choice_invalid": gettext_noop("'{value}' is not one of: {choices}"),
    "duplicate_id": gettext_noop("the id '{id}' is defined twice (first in {first})"),
    "id_not_namespaced": gettext_noop(
        "'{id}' is added to the shipped library, so it must live in your own namespace: start it with "
        "'x_' and your organisation's name, e.g. '{example}' (a release never ships 'x_' ids, "
        "so yours can never clash with one)"
    ),
    "code_defines_facts": gettext_noop(
        "a code uploaded here is one framework: it cannot define data points or parameters. Write its "
        "rules over the catalogue's data points; a fact of your own goes in a library directory, in "
        "your namespace 'x_<organisation>' (docs/library-format.md, section 1)"
    ),
    "id_reserved": gettext_noop(
        "'{id}': ids starting with 'x_' are reserved for data points and parameters added to the "
        "shipped library by its users"
    ),
    "id_topic_mismatch": gettext_noop("the id '{id}' must start with the topic '{topic}.'"),
    "unknown_datapoint": gettext_noop("unknown data point '{id}'"),
    "unknown_parameter": gettext_noop("unknown parameter '{id}'"),
    "unknown_topic": gettext_noop("unknown topic '{id}'"),
    "unknown_training": gettext_noop("unknown training resource '{id}'"),
    "unknown_framework": gettext_noop("unknown framework '{id}'; known: {known}"),
    "unknown_unit": gettext_noop("unknown unit '{unit}'"),
    "unit_incompatible": gettext_noop("the unit '{unit}' cannot be converted to '{expected}'"),
    "unit_money_basis": gettext_noop(
        "'{unit}' is not converted to '{expected}': give the amount per {expected} (a wage per hour "
        "and per month differ by the normal working hours, not by calendar time)"
    ),
    "duplicate_key": gettext_noop("'{key}' is given twice in the same place"),
    "choice_option": gettext_noop("{option} must be one of: {choices} (got '{value}')"),
    "unit_not_allowed": gettext_noop("this data point has no unit, but '{unit}' was given"),
    "wrong_type": gettext_noop("expected {type_name}, got '{value}'"),
    "out_of_range": gettext_noop("{value} is outside the allowed range {low} – {high}{unit}"),
    "option_unknown": gettext_noop("'{value}' is not an option; choose from: {choices}"),
    "rule_invalid": gettext_noop("invalid rule: {detail}"),
    "rule_op_type": gettext_noop("the operator '{op}' cannot be used with the {type} data point '{id}'"),
    "rule_value_type": gettext_noop("the constant {value!r} does not suit the {type} data point '{id}'"),
    "param_unit_mismatch": gettext_noop(
        "the parameter '{param}' is in '{unit}', which does not match '{expected}' of '{id}'"
    ),
    "expr_syntax": gettext_noop(
        "the expression '{expr}' cannot be read: write one comparison, e.g. "
        "'hygiene.toilets_women * 25 >= workforce.women'"
    ),
    "expr_compare": gettext_noop(
        "the expression '{expr}' must compare two sides with exactly one of <, <=, >, >=, ==, !="
    ),
    "expr_element": gettext_noop(
        "'{element}' is not allowed in the expression '{expr}': use data points, parameters, numbers, "
        "+ - * /, min(…), max(…), period.start, period.end, days(N) and months(N)"
    ),
    "expr_unknown_name": gettext_noop(
        "'{name}' in the expression '{expr}' is neither a data point nor a parameter"
    ),
    "expr_ambiguous": gettext_noop(
        "'{name}' in the expression '{expr}' is both a data point and a parameter"
    ),
    "expr_param_key": gettext_noop(
        "in '{expr}', the parameter '{id}' has one value per key ({keys}): name one, e.g. {id}[{first}]"
    ),
    "expr_type": gettext_noop(
        "the {type} data point '{id}' cannot be calculated with in '{expr}': only numbers and dates can"
    ),
    "expr_units": gettext_noop(
        "in '{expr}', a value in '{left}' is added to or compared with one in '{right}': "
        "both sides must be in the same unit"
    ),
    "expr_dates": gettext_noop(
        "in '{expr}', dates are compared only with dates and moved only by days(N) or months(N) "
        "(a date minus a date gives days)"
    ),
    "expr_duration": gettext_noop("in '{expr}', {fn}(N) needs a whole number N, such as {fn}(6)"),
    "at_least_invalid": gettext_noop(
        "'at_least' needs a whole number from 1 to the number of rules listed under 'of' ({n}), got {k!r}"
    ),
    "param_key_invalid": gettext_noop("the key data point '{id}' must be an enum"),
    "param_rows_order": gettext_noop("rows must be in date order and must not overlap"),
    "level_without_section": gettext_noop("a requirement with a level must name its section"),
    "unknown_section": gettext_noop("unknown section '{id}'"),
    "period_invalid": gettext_noop("the period must give 'start' and 'end' dates, start not after end"),
    "date_invalid": gettext_noop("'{value}' is not a date (use YYYY-MM-DD)"),
    "no_frameworks": gettext_noop("no framework was found in the library"),
    "unit_twice": gettext_noop(
        "the number is written with '{written}' but the unit given is '{unit}': give one unit"
    ),
    "number_too_long": gettext_noop("a number has at most {max} characters"),
    "reason_too_long": gettext_noop("the reason for a change has at most {max} characters"),
    "source_too_long": gettext_noop("the source of an answer has at most {max} characters"),
    "number_empty": gettext_noop("write a number, e.g. {group_example} or {decimal_example}"),
    "not_a_number": gettext_noop("'{text}' is not a number"),
    "number_digits": gettext_noop("'{text}': write the number with the digits 0–9"),
    "number_malformed": gettext_noop(
        "'{text}' is not a well-written number: write e.g. {group_example} or {decimal_example} "
        "({group_mark} or a space between groups of three digits, {decimal_mark} before the "
        "decimals)"
    ),
    "number_convention": gettext_noop(
        "'{text}' is not how a number is written here: write {suggestion} ({group_mark} or a space "
        "between thousands, {decimal_mark} before the decimals)"
    ),
    "number_convention_or": gettext_noop(
        "'{text}' is not how a number is written here: write {suggestion} ({decimal_mark} before "
        "the decimals) or {thousands} for thousands ({group_mark} or a space between thousands)"
    ),
    "number_too_large": gettext_noop("'{text}' is too large or too small for a quantity"),
    "import_too_large": gettext_noop("the file has {size} bytes, more than the {max} an import may have"),
    "import_format": gettext_noop("'{suffix}' files cannot be imported: save the file as .xlsx or .csv"),
    "import_encoding": gettext_noop(
        "the file cannot be read as {encoding} (byte {position}): save it as UTF-8 and import it again"
    ),
    "unknown_profile": gettext_noop("unknown import profile '{id}'; known: {known}"),
    "unknown_requirement": gettext_noop("unknown requirement '{id}'"),
    "unknown_form": gettext_noop("unknown form '{id}'; known: {known}"),
    "import_many_submissions": gettext_noop(
        "the file holds {count} submissions (rows {rows}); one assessment is one submission: "
        "export or keep one row"
    ),
    "import_ambiguous": gettext_noop(
        "several import profiles recognise this file ({ids}): name one with --profile"
    ),
    "import_no_profile": gettext_noop(
        "no import profile recognises this file (its sheet or column headings): name one with "
        "--profile (known: {known})"
    ),
    "import_wrong_kind": gettext_noop("the import profile '{id}' reads {expected} files, not {kind}"),
    "sheet_missing": gettext_noop("the sheet '{sheet}' is not in the file (its sheets: {sheets})"),
    "column_missing": gettext_noop("no column is headed '{heading}' in row {row} (sheet: {sheet})"),
    "import_cell_sheet": gettext_noop("sheet '{sheet}', row {row}, column {column} ({heading}): {reason}"),
    "import_cell": gettext_noop("row {row}, column {column} ({heading}): {reason}"),
    "key_unknown": gettext_noop(
        "the question '{key}' is neither mapped nor listed as unmapped in the import profile '{id}'"
    ),
    "formula_unstored": gettext_noop(
        "the cell holds a formula whose result the file does not store: type the value, or open "
        "the file in a spreadsheet and save it"
    ),
    "answered_twice": gettext_noop("'{id}' is already answered in row {first}"),
    "answer_unknown": gettext_noop("'{value}' is not an answer this profile reads; write one of: {choices}"),
    "date_invalid_dmy": gettext_noop("'{value}' is not a date (write dd/mm/yyyy)"),
    "import_facility_missing": gettext_noop(
        "the file does not name the facility: give its name with --facility"
    ),
    "import_period_missing": gettext_noop(
        "the file does not give the period: give it with --period START:END (YYYY-MM-DD:YYYY-MM-DD)"
    ),
    "transform_type": gettext_noop("the transform '{transform}' cannot fill the {type} data point '{id}'"),
    "csv_has_no_sheet": gettext_noop("a CSV file has no sheets: name no sheet in this profile"),
    "period_option": gettext_noop("--period must be START:END with dates YYYY-MM-DD (got '{value}')"),
    "book_format": gettext_noop("'{suffix}' is not a workbook: save the framework as .xlsx"),
    "book_sheet_missing": gettext_noop(
        "the workbook has no sheet '{sheet}': `commonground library export` writes one to start from"
    ),
    "book_keys_missing": gettext_noop(
        "the sheet '{sheet}' has no row of field keys (the row with 'id' in it)"
    ),
    "book_column_unnamed": gettext_noop("this cell has a value but its column has no field key"),
    "book_yaml": gettext_noop("the {key} cell is not valid YAML: {detail}"),
    "book_key_clash": gettext_noop("'{key}' is given both as one text and by language"),
    "book_output": gettext_noop("-o must end in .yaml or .yml, or be - (got '{value}')"),
    "framework_unknown_file": gettext_noop("'{value}' is neither a framework file nor a framework id"),
    "date_option": gettext_noop("--on must be a date YYYY-MM-DD (got '{value}')"),
    "import_output_missing": gettext_noop(
        "give the file to write with -o (OUT.yaml, OUT.json, or - for the standard output)"
    ),
    "import_output_kind": gettext_noop("-o must end in .yaml, .yml or .json, or be - (got '{value}')"),
    "source_invalid": gettext_noop(
        "an answer's source is a mapping with 'file' (text) and, optionally, 'sheet' (text) and "
        "'row' (a whole number)"
    ),
    "list_column_missing": gettext_noop("the column '{column}' is missing (the columns found: {found})"),
    "list_empty": gettext_noop("the file has no rows of data under its header"),
    "list_too_large": gettext_noop("the file has {size} bytes, more than the {max} a facility list may have"),
    "cell_empty": gettext_noop("row {row}: the column '{column}' is empty"),
    "output_unwritable": gettext_noop("the file {path} cannot be written: {detail}"),
    "supplier_os_id_invalid": gettext_noop(
        "'{value}' is not an Open Supply Hub ID: 15 characters, the last a check character"
    ),
    "supplier_tax_code_invalid": gettext_noop(
        "'{value}' is not a tax code: 10 digits (or 13 for a branch) with a valid check digit"
    ),
    "supplier_email_invalid": gettext_noop("'{value}' is not an email address, like name@example.com"),
    "encoding_unknown": gettext_noop(
        "the file is not text in UTF-8, UTF-16 or Windows-1258: save it as “CSV UTF-8” or as XLSX"
    ),
}

# What was expected, by data point type (and a few shapes a library file can get wrong).
KIND_WORDS: dict[str, str] = {
    "boolean": gettext_noop("true or false"),
    "integer": gettext_noop("a whole number"),
    "decimal": gettext_noop("a number"),
    "enum": gettext_noop("one option"),
    "multi-enum": gettext_noop("a list of options"),
    "date": gettext_noop("a date (YYYY-MM-DD)"),
    "text": gettext_noop("text"),
    "mapping": gettext_noop("a mapping of keys to values"),
    "list": gettext_noop("a list"),
    "non_empty": gettext_noop("at least one item"),
}


# A message quotes at most a short excerpt of a value a person supplied.
EXCERPT_CHARS = 80
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = EXCERPT_CHARS // 2
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 5
_REPR.maxlevel = 3


class _Shown(str):
    """An excerpt already written as the reader sees it: `{value!r}` keeps it as it is."""

    def __repr__(self) -> str:
        return str(self)


# Parameters that are our own sentences or lists of what is allowed may run longer.
_LONGER = {"detail": 240, "choices": 400, "known": 400, "found": 400}


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> Any:
    """`value` itself when short; otherwise its beginning and an ellipsis."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[: limit - 1] + "…"
    if isinstance(value, list | tuple | dict | set | frozenset):
        return _Shown(excerpt(_REPR.repr(value), limit))
    return value


def _in_lang(value: Any, lang: Lang, limit: int = EXCERPT_CHARS) -> Any:
    """A parameter as the reader reads it: numbers in their convention (1e300, not 300 digits),
    anything with an `in_lang` (a unit) in their words, and long values as a short excerpt."""
    from .numbers import readable

    if isinstance(value, float):
        return readable(value, lang)
    in_lang = getattr(value, "in_lang", None)
    return in_lang(lang) if callable(in_lang) else excerpt(value, limit)


@dataclass(frozen=True)
class Problem:
    """One problem in one place: `file:line: where: what`."""

    code: str
    file: str = ""
    line: int | None = None
    where: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang = "en") -> str:
        template = gettext(MESSAGES[self.code], lang)
        params = {
            key: _in_lang(value, lang, _LONGER.get(key, EXCERPT_CHARS)) for key, value in self.params.items()
        }
        for key, name in (("type", "type_name"), ("kind", "kind_name")):
            if key in params:
                word = KIND_WORDS.get(params[key])
                params[name] = gettext(word, lang) if word else params[key]
        return template.format(**params)

    def render(self, lang: Lang = "en") -> str:
        place = self.file
        if self.line is not None:
            place = f"{place}:{self.line}" if place else f"line {self.line}"
        parts = [p for p in (place, self.where) if p]
        return ": ".join([*parts, self.message(lang)])


class CommonGroundError(Exception):
    """Raised with one or more problems; the CLI renders them in the user's language."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.render("en"))

    def render(self, lang: Lang = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


def fail(
    code: str, *, file: str = "", line: int | None = None, where: str = "", **params: Any
) -> CommonGroundError:
    """Build an error with a single problem (to `raise fail(...)`)."""
    return CommonGroundError([Problem(code, file, line, where, params)])
