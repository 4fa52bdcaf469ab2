"""The `commonground` command: each command is a few lines over the core."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .core.errors import CommonGroundError, Lang, fail
from .core.i18n import gettext

if TYPE_CHECKING:
    from .core.imports import service as service_types
    from .core.library import Library

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Common Ground (Tiếng nói chung): facts once, judgements many.",
)
library_app = typer.Typer(
    no_args_is_help=True,
    help="Check, list and convert the library. / Kiểm tra, liệt kê và chuyển đổi thư viện.",
)
app.add_typer(library_app, name="library")
facilities_app = typer.Typer(
    no_args_is_help=True, help="Facility lists: which rows are the same facility. / Danh sách cơ sở."
)
app.add_typer(facilities_app, name="facilities")


def _default_lang() -> str:
    env = os.environ.get("COMMONGROUND_LANG") or os.environ.get("LANG", "")
    return "vi" if env.lower().startswith("vi") else "en"


LangOption = Annotated[str, typer.Option("--lang", help="en | vi (default: from COMMONGROUND_LANG or LANG)")]


def _lang(value: str) -> Lang:
    chosen = value or _default_lang()
    if chosen not in ("en", "vi"):
        from .core.errors import fail

        _exit_with(fail("choice_option", option="--lang", value=chosen, choices="en, vi"), "en")
    return "vi" if chosen == "vi" else "en"


def _exit_with(error: CommonGroundError, lang: Lang) -> NoReturn:
    label = gettext("Error", lang)
    typer.echo(
        f"{label}: {error.render(lang)}" if len(error.problems) == 1 else f"{label}:\n{error.render(lang)}",
        err=True,
    )
    raise typer.Exit(code=2)


@library_app.command("check")
def library_check(
    directories: Annotated[list[Path] | None, typer.Argument(help="Extra library directories")] = None,
    lang: LangOption = "",
) -> None:
    """Validate the shipped library plus extra directories. / Kiểm tra thư viện."""
    from .core.library import load_library

    language = _lang(lang)
    try:
        lib = load_library(directories or [], namespaced=True)
    except CommonGroundError as exc:
        _exit_with(exc, language)
    requirements = sum(len(f.requirements) for f in lib.frameworks.values())
    counts = {
        "datapoints": len(lib.datapoints),
        "parameters": len(lib.parameters),
        "frameworks": len(lib.frameworks),
        "requirements": requirements,
        "solutions": len(lib.solutions),
        "trainings": len(lib.trainings),
        "imports": len(lib.imports),
    }
    typer.echo(gettext(LIBRARY_OK, language).format(**counts))


LIBRARY_OK = (
    "Library OK: {datapoints} data points, {parameters} parameters, {frameworks} frameworks, "
    "{requirements} requirements, {solutions} solutions, {trainings} training resources, "
    "{imports} import profiles."
)


FrameworkOption = Annotated[
    list[str] | None,
    typer.Option("--framework", "-f", help="Framework id (repeatable); default: all"),
]
LibraryOption = Annotated[
    list[Path] | None, typer.Option("--library", "-l", help="Extra library directory (repeatable)")
]


def _load(library: list[Path] | None) -> Library:
    from .core.library import cached_library

    return cached_library(tuple(str(p) for p in library or []))


@library_app.command("params")
def library_params(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Parameter ids or id prefixes (vn.min_wage, vn); default: all")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="Only the value in force on YYYY-MM-DD")] = None,
    library: LibraryOption = None,
    output_format: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    lang: LangOption = "",
) -> None:
    """List parameters with their values by date. / Liệt kê tham số và giá trị theo ngày."""
    from .core.parameter_list import parameters_dict, parameters_text

    language = _lang(lang)
    _check_choice("--format", output_format, ("text", "json"), language)
    try:
        day = _day(on)
        lib = _load(library)
    except CommonGroundError as exc:
        _exit_with(exc, language)
    if output_format == "json":
        _echo_json(parameters_dict(lib, language, ids, day))
    else:
        typer.echo(parameters_text(lib, language, ids, day))


def _day(value: str | None) -> dt.date | None:
    """`2026-01-01` -> the date; a message when it is not one."""
    from .core.errors import fail

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise fail("date_option", value=value) from None


@library_app.command("export")
def library_export(
    framework: Annotated[str, typer.Argument(help="A framework id, or a framework YAML file")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The workbook to write (.xlsx)")],
    library: LibraryOption = None,
    lang: LangOption = "",
) -> None:
    """Write a framework as an Excel workbook. / Xuất một bộ tiêu chuẩn ra sổ tính Excel."""
    from .core.framework_book import write_book

    language = _lang(lang)
    try:
        if output.suffix.lower() != ".xlsx":
            raise fail("book_format", file=str(output), suffix=output.suffix or "?")
        raw = _framework_data(framework, library)
    except CommonGroundError as exc:
        _exit_with(exc, language)
    write_book(raw, output, language)


def _framework_data(framework: str, library: list[Path] | None) -> dict[str, Any]:
    """A framework's YAML data: from the file `framework` names, or the library's framework of that id."""
    from .core.sources import load_document

    path = Path(framework)
    if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file():
        data = load_document(path)
    else:
        lib = _load(library)
        if framework not in lib.frameworks:
            raise fail("framework_unknown_file", value=framework)
        data = load_document(Path(lib.frameworks[framework].file), trusted=True)
    if not isinstance(data, dict) or "requirements" not in data:
        raise fail("framework_unknown_file", value=framework)
    return data


@library_app.command("import")
def library_import(
    file: Annotated[Path, typer.Argument(help="A framework workbook (.xlsx)")],
    output: Annotated[str, typer.Option("-o", "--output", help="OUT.yaml, or - for the standard output")],
    library: LibraryOption = None,
    lang: LangOption = "",
) -> None:
    """Read a framework workbook back as a library YAML file, checked. / Đọc sổ tính thành tệp YAML."""
    from .core.framework_book import as_yaml, check_book, read_book

    language = _lang(lang)
    try:
        if output != "-" and Path(output).suffix.lower() not in (".yaml", ".yml"):
            raise fail("book_output", value=output)
        book = read_book(file)
        check_book(book, [str(p) for p in library or []])
    except CommonGroundError as exc:
        _exit_with(exc, language)
    text = as_yaml(book.raw)
    if output == "-":
        typer.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="Assessment file (YAML or JSON)")],
    framework: FrameworkOption = None,
    library: LibraryOption = None,
    output_format: Annotated[str, typer.Option("--format", help="json | text")] = "json",
    lang: LangOption = "",
) -> None:
    """Evaluate one assessment against frameworks. / Đánh giá một bộ câu trả lời theo các bộ tiêu chuẩn."""
    from .core.assessments import read_assessment
    from .core.engine import Engine
    from .core.report import evaluation_dict, evaluation_text, target_text

    language = _lang(lang)
    _check_choice("--format", output_format, ("json", "text"), language)
    try:
        lib = _load(library)
        engine = Engine(lib, framework or [])
        result = engine.evaluate(read_assessment(file, lib))
    except CommonGroundError as exc:
        _exit_with(exc, language)
    if output_format == "text":
        typer.echo(evaluation_text(result, language, lib))
        typer.echo("\n" + target_text(result, lib, language))
    else:
        _echo_json(evaluation_dict(result, language, lib))


def _check_choice(option: str, value: str, choices: tuple[str, ...], lang: Lang) -> None:
    from .core.errors import fail

    if value not in choices:
        _exit_with(fail("choice_option", option=option, value=value, choices=", ".join(choices)), lang)


def _echo_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


FacilityOption = Annotated[
    str | None, typer.Option("--facility", help="The facility's name, where the file does not give it")
]
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", help="START:END (YYYY-MM-DD:YYYY-MM-DD), where the file does not give it"),
]


def _period(value: str | None) -> tuple[dt.date, dt.date] | None:
    """`2026-01-01:2026-12-31` -> the two dates; a message when it is not that."""
    from .core.errors import fail

    if value is None:
        return None
    start, sep, end = value.partition(":")
    try:
        dates = (dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip()))
    except ValueError:
        dates = None
    if not sep or dates is None or dates[0] > dates[1]:
        raise fail("period_option", value=value)
    return dates


@app.command()
def questionnaire(
    framework: FrameworkOption = None,
    library: LibraryOption = None,
    output_format: Annotated[str, typer.Option("--format", help="json | xlsx | text")] = "text",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (xlsx: default questionnaire.xlsx)"),
    ] = None,
    facility: FacilityOption = None,
    period: PeriodOption = None,
    lang: LangOption = "",
) -> None:
    """The deduplicated questionnaire and the burden saved; --format xlsx writes the template a
    factory fills offline and imports back. / Bảng câu hỏi hợp nhất; --format xlsx ghi mẫu Excel."""
    from .core import questionnaire_out
    from .core.imports.template import write_template
    from .core.questionnaire import build_questionnaire

    language = _lang(lang)
    _check_choice("--format", output_format, ("text", "json", "xlsx"), language)
    try:
        dates = _period(period)
        q = build_questionnaire(_load(library), framework or [])
    except CommonGroundError as exc:
        _exit_with(exc, language)
    if output_format == "xlsx":
        target = output or Path("questionnaire.xlsx")
        write_template(q, target, language, facility=facility, period=dates)
        typer.echo(questionnaire_out.burden_text(q, language) + f"\n→ {target}")
    elif output_format == "json":
        _echo_json(questionnaire_out.as_dict(q, language))
    else:
        typer.echo(questionnaire_out.as_text(q, language))


@app.command()
def xlsform(
    output: Annotated[Path, typer.Option("--output", "-o", help="The XLSForm to write (OUT.xlsx)")],
    framework: FrameworkOption = None,
    library: LibraryOption = None,
    lang: LangOption = "",
) -> None:
    """An XLSForm for ODK Collect and KoboToolbox, and OUT.profile.yaml to import its submissions.
    / Biểu mẫu XLSForm cho ODK Collect và KoboToolbox, kèm hồ sơ nhập OUT.profile.yaml."""
    from .core.errors import fail
    from .core.questionnaire import build_questionnaire
    from .core.xlsform import build_form, write_form

    language = _lang(lang)
    try:
        if output.suffix.lower() != ".xlsx":
            raise fail("choice_option", option="--output", value=str(output), choices="OUT.xlsx")
        lib = _load(library)
        form = build_form(build_questionnaire(lib, framework or []), lib.topics, framework or [])
        profile = write_form(form, output)
    except CommonGroundError as exc:
        _exit_with(exc, language)
    typer.echo(f"→ {output}\n→ {profile}")


@app.command("state-form")
def state_form(
    file: Annotated[Path, typer.Argument(help="Assessment file (YAML or JSON)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.xlsx | OUT.pdf | OUT.html")],
    form: Annotated[str, typer.Option("--form", help="The form's id")] = "vn-labour-self-inspection",
    library: LibraryOption = None,
    lang: Annotated[str, typer.Option("--lang", help="vi | en (default: vi, the form's language)")] = "vi",
) -> None:
    """A state form (the labour-law self-inspection) filled from an assessment file, with the items
    left unanswered. / Biểu mẫu nhà nước (phiếu tự kiểm tra pháp luật lao động) điền từ bộ câu trả lời."""
    from .common.pdf import html_to_pdf
    from .core.assessments import read_assessment
    from .core.engine import Engine
    from .core.errors import fail
    from .core.state_form_out import write_form_file
    from .core.state_forms import fill

    language = _lang(lang)
    try:
        lib = _load(library)
        if form not in lib.forms:
            raise fail("unknown_form", id=form, known=", ".join(sorted(lib.forms)))
        spec = lib.forms[form]
        evaluation = Engine(lib, list(spec.frameworks)).evaluate(read_assessment(file, lib))
        filled = fill(spec, evaluation, lib, language)
        write_form_file(filled, output, html_to_pdf)
    except CommonGroundError as exc:
        _exit_with(exc, language)
    answered, total = filled.counts
    typer.echo(f"→ {output} ({answered}/{total})")


@app.command()
def crosswalk(
    first: Annotated[str, typer.Argument(help="Framework id")],
    second: Annotated[str, typer.Argument(help="Framework id")],
    library: LibraryOption = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Date for parameter values (YYYY-MM-DD); default today"),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="json | text")] = "text",
    lang: LangOption = "",
) -> None:
    """How two frameworks' requirements relate. / So sánh yêu cầu của hai bộ tiêu chuẩn."""
    import datetime as dt

    from .core import crosswalk as cw
    from .core.errors import fail

    language = _lang(lang)
    _check_choice("--format", output_format, ("text", "json"), language)
    try:
        day = None
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                raise fail("date_invalid", where="--on", value=on) from None
        pairs = cw.crosswalk(_load(library), first, second, day)
    except CommonGroundError as exc:
        _exit_with(exc, language)
    if output_format == "json":
        _echo_json(cw.as_dict(pairs, language))
    else:
        typer.echo(cw.as_text(pairs, first, second, language))


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The file to import (.xlsx or .csv)")],
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="Import profile id; default: the one that recognises the file"),
    ] = None,
    facility: FacilityOption = None,
    period: PeriodOption = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="OUT.yaml | OUT.json | - (standard output)")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report every row; write nothing")] = False,
    output_format: Annotated[str, typer.Option("--format", help="text | json (the report)")] = "text",
    library: LibraryOption = None,
    lang: LangOption = "",
) -> None:
    """Import a workbook or CSV file into an assessment file. / Nhập tệp Excel hoặc CSV thành tệp
    đánh giá."""
    from .core.imports import service

    language = _lang(lang)
    _check_choice("--format", output_format, ("text", "json"), language)
    try:
        outcome = service.import_assessment(
            file,
            _load(library),
            profile_id=profile,
            facility=facility,
            period=_period(period),
            output=output,
            dry_run=dry_run,
        )
    except CommonGroundError as exc:
        _exit_with(exc, language)
    _import_report(outcome, dry_run, output_format, language)


def _import_report(outcome: service_types.Outcome, dry_run: bool, output_format: str, lang: Lang) -> None:
    """The dry run's report of every row (exit 2 when a row is in error); after a real import, a
    one-line summary (nothing when the assessment itself went to the standard output)."""
    from .core.imports import output as out

    if outcome.written_to == "-":
        typer.echo(outcome.text, nl=False)
        return
    if output_format == "json":
        _echo_json({**out.report_dict(outcome.result, lang), "written": outcome.written_to})
    elif dry_run:
        typer.echo(out.report_text(outcome.result, lang))
    else:
        typer.echo(out.summary_text(outcome, lang))
    if not outcome.result.ok:
        raise typer.Exit(code=2)


@facilities_app.command("match")
def facilities_match(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: name, address, country (+ os_id, tax_code…)")],
    against: Annotated[
        Path | None, typer.Option("--against", help="Match FILE's rows to this list's rows instead")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="json | text")] = "json",
    lang: LangOption = "",
) -> None:
    """Rows that are the same facility, and pairs to confirm. / Các dòng là cùng một cơ sở."""
    from .core import identity

    language = _lang(lang)
    _check_choice("--format", output_format, ("json", "text"), language)
    try:
        rows = identity.read_facilities(file)
        others = identity.read_facilities(against) if against else None
    except CommonGroundError as exc:
        _exit_with(exc, language)
    if others is None:
        grouping = identity.match_within(rows)
        if output_format == "text":
            typer.echo(identity.grouping_text(grouping, rows, language))
        else:
            _echo_json(identity.grouping_dict(grouping))
        return
    matching = identity.match_against(rows, others)
    if output_format == "text":
        typer.echo(identity.matching_text(matching, rows, others, language))
    else:
        _echo_json(identity.matching_dict(matching))


REPORT_FORMATS = ("pdf", "xlsx")


@app.command()
def report(
    file: Annotated[Path, typer.Argument(help="Assessment file (YAML or JSON), as evaluate reads it")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write (OUT.pdf or OUT.xlsx)")],
    output_format: Annotated[str, typer.Option("--format", help="pdf | xlsx")] = "pdf",
    framework: FrameworkOption = None,
    library: LibraryOption = None,
    lang: LangOption = "",
) -> None:
    """The facility report of an assessment file: coverage and compliance, levels, findings and
    binding targets, as PDF or XLSX. / Báo cáo cơ sở từ một tệp đánh giá, dạng PDF hoặc XLSX."""
    from .core.assessments import read_assessment
    from .core.engine import Engine
    from .core.facility_report import build_report, report_html, report_sheets
    from .core.spreadsheet import xlsx_bytes

    language = _lang(lang)
    _check_choice("--format", output_format, REPORT_FORMATS, language)
    try:
        lib = _load(library)
        evaluation = Engine(lib, framework or []).evaluate(read_assessment(file, lib))
        made = build_report(
            evaluation, lib, language, facility=evaluation.assessment.name_in(language), source_file=file.name
        )
        if output_format == "pdf":
            from .common.pdf import html_to_pdf

            content = html_to_pdf(report_html(made))
        else:
            content = xlsx_bytes(report_sheets(evaluation, lib, made, {}), language)
        _write_whole(output, content)
    except CommonGroundError as exc:
        _exit_with(exc, language)
    typer.echo(f"→ {output}")


def _write_whole(path: Path, content: bytes) -> None:
    """`content` into `path` in one step (a temporary file renamed over it): never half a file."""
    import tempfile

    from .core.errors import fail

    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".report-", dir=path.parent if str(path.parent) else ".")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise fail("output_unwritable", path=str(path), detail=exc.strerror or type(exc).__name__) from None


@app.command()
def demo(lang: LangOption = "") -> None:
    """Evaluate the shipped sample assessments and print a summary. / Chạy dữ liệu mẫu."""
    from .core.demo import run_demo

    language = _lang(lang)
    try:
        typer.echo(run_demo(language))
    except CommonGroundError as exc:
        _exit_with(exc, language)


def main() -> None:
    try:
        app()
    except CommonGroundError as exc:  # pragma: no cover - every command handles its own
        _exit_with(exc, _lang(_default_lang()))
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
