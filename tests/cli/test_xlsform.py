"""`commonground xlsform`: the form pyxform accepts, in both languages, and the round trip of its
submissions (exported the way ODK Central and KoboToolbox export them) back through
`commonground import` with the generated profile, then `commonground evaluate`."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.assessments import read_assessment
from commonground.core.library import cached_library
from commonground.core.xlsform import field_name

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[2] / "src/commonground/samples/01-garment-hcmc-2026.yaml"
FRAMEWORKS = ("vn-labour-code-2019", "vn-osh-2015")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _form(tmp_path: Path, *frameworks: str) -> tuple[Path, Path]:
    out = tmp_path / "form.xlsx"
    extra = [a for f in frameworks for a in ("--framework", f)]
    code, stdout, err = run("xlsform", *extra, "-o", str(out))
    assert code == 0, err
    profile = tmp_path / "form.profile.yaml"
    assert str(out) in stdout and str(profile) in stdout
    return out, profile


def test_the_form_converts_with_pyxform_in_both_languages(tmp_path: Path) -> None:
    out, profile = _form(tmp_path, *FRAMEWORKS)
    xform = convert(xlsform=str(out)).xform
    assert 'lang="Tiếng Việt (vi)"' in xform and 'lang="English (en)"' in xform
    assert "Tên cơ sở" in xform and "Name of the facility" in xform
    assert "relevant=" in xform  # skip logic from applicability
    assert "constraint=" in xform  # ranges
    survey = load_workbook(out)["survey"]
    header = [c.value for c in survey[1]]
    assert "label::Tiếng Việt (vi)" in header and "hint::English (en)" in header
    rows = {r[1]: dict(zip(header, r, strict=False)) for r in survey.iter_rows(min_row=2, values_only=True)}
    hours = rows[field_name("working_time.overtime_hours_month_max")]
    assert hours["type"] == "decimal" and "(h)" in hours["label::English (en)"]
    assert yaml.safe_load(profile.read_text(encoding="utf-8"))["import"]["layout"]["shape"] == "wide"
    code, _, err = run("library", "check", str(profile))
    assert code == 0, err


def test_every_framework_makes_a_form_pyxform_accepts(tmp_path: Path) -> None:
    out, _ = _form(tmp_path)
    assert "English (en)" in convert(xlsform=str(out)).xform


def _odk(value: Any) -> str:
    """A value as ODK Collect records it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset | set | list | tuple):
        return " ".join(sorted(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _submission(profile: Path, separator: str) -> tuple[list[str], list[str], dict[str, Any]]:
    """The sample's answers as one exported submission: headings `group/field` (Kobo) or
    `group-field` (ODK Central), with the meta columns those tools add."""
    lib = cached_library(())
    sample = read_assessment(SAMPLE, lib)
    mappings = yaml.safe_load(profile.read_text(encoding="utf-8"))["import"]["mappings"]
    header = ["SubmissionDate", "start", f"facility_period{separator}facility_name"]
    row = ["2026-12-31T10:00:00.000Z", "2026-12-31T09:00:00.000+07:00", sample.facility["name"]]
    header += [f"facility_period{separator}period_start", f"facility_period{separator}period_end"]
    row += [sample.start.isoformat(), sample.end.isoformat()]
    expected: dict[str, Any] = {}
    for m in mappings:
        dp = m["datapoint"]
        header.append(f"{dp.split('.')[0]}{separator}{m['key']}")
        value = sample.values.get(dp)
        row.append("" if value is None else _odk(value))
        if value is not None:
            expected[dp] = value
    header += [f"meta{separator}instanceID", "KEY"]
    row += ["uuid:0b7c", "uuid:0b7c"]
    return header, row, expected


def _imports_back(export: Path, profile: Path, tmp_path: Path, expected: dict[str, Any]) -> None:
    out = tmp_path / f"{export.stem}.yaml"
    code, stdout, err = run("import", str(export), "--library", str(profile), "-o", str(out))
    assert code == 0, err + stdout
    lib = cached_library((str(profile),))
    imported = read_assessment(out, lib)
    assert imported.values == expected
    assert imported.start == dt.date(2026, 1, 1) and imported.end == dt.date(2026, 12, 31)
    code, result, err = run("evaluate", str(out), "--library", str(profile), "--format", "json")
    assert code == 0, err
    assert json.loads(result)


def test_an_odk_central_csv_export_imports_back(tmp_path: Path) -> None:
    _, profile = _form(tmp_path, *FRAMEWORKS)
    header, row, expected = _submission(profile, "-")
    assert len(expected) > 30
    export = tmp_path / "odk-central.csv"
    with export.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, row])
    _imports_back(export, profile, tmp_path, expected)


def test_a_kobo_xlsx_export_imports_back(tmp_path: Path) -> None:
    _, profile = _form(tmp_path, *FRAMEWORKS)
    header, row, expected = _submission(profile, "/")
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "commonground"
    ws.append(header)
    ws.append([float(c) if c.replace(".", "", 1).isdigit() else c for c in row])  # Kobo writes numbers
    export = tmp_path / "kobo.xlsx"
    book.save(export)
    _imports_back(export, profile, tmp_path, expected)


def test_an_export_of_several_submissions_is_refused_by_name(tmp_path: Path) -> None:
    _, profile = _form(tmp_path, "vn-osh-2015")
    header, row, _ = _submission(profile, "-")
    export = tmp_path / "two.csv"
    with export.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, row, row])
    code, _, err = run(
        "import", str(export), "--library", str(profile), "-o", str(tmp_path / "x.yaml"), "--lang", "vi"
    )
    assert code == 2
    assert "two.csv" in err and "2 lượt nộp" in err
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("output", ["form.csv", "form"])
def test_the_output_must_be_an_xlsx_file(tmp_path: Path, output: str) -> None:
    code, _, err = run("xlsform", "-o", str(tmp_path / output), "--lang", "en")
    assert code == 2 and "--output" in err
    assert not list(tmp_path.iterdir())


def test_an_export_without_the_facility_column_is_refused_in_vietnamese(tmp_path: Path) -> None:
    _, profile = _form(tmp_path, "vn-osh-2015")
    header, row, _ = _submission(profile, "/")
    keep = [k for k, h in enumerate(header) if not h.endswith("facility_name")]
    export = tmp_path / "no-facility.csv"
    with export.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[header[k] for k in keep], [row[k] for k in keep]])
    out = tmp_path / "x.yaml"
    code, _, err = run("import", str(export), "--library", str(profile), "-o", str(out), "--lang", "vi")
    assert code == 2 and "no-facility.csv" in err and "--facility" in err
    assert "Traceback" not in err and not out.exists()
    # named on the command line instead, the same file imports
    code, _, err = run(
        "import", str(export), "--library", str(profile), "-o", str(out), "--facility", "Xưởng may Minh Anh"
    )
    assert code == 0, err


def test_a_layout_names_what_its_shape_needs(tmp_path: Path) -> None:
    base = (
        "import:\n  id: {id}\n  name: {{en: x, vi: x}}\n  description: {{en: x, vi: x}}\n  layout: {layout}\n"
    )
    (tmp_path / "wide.yaml").write_text(
        base.format(id="wide", layout="{format: csv, shape: wide, unit: Unit}")
    )
    (tmp_path / "rows.yaml").write_text(base.format(id="rows", layout="{format: csv, key: Code}"))
    code, _, err = run("library", "check", str(tmp_path), "--lang", "en")
    assert code == 2
    assert "wide.yaml:5: import.layout.unit" in err and "rows.yaml:5: import.layout" in err
    assert "'answer'" in err
