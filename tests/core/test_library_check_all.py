"""`library check` reports every problem of every file in one run (issue 16, point 4): a file's
schema problems do not hide its rule problems, a bad file does not hide the next one, each problem
names its file, line, place and what is wrong in English and Vietnamese; an unquoted text cut at a
comma says so; every unit the shipped catalogue uses is in the documented list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.errors import CommonGroundError
from commonground.core.library import SHIPPED, load_library
from commonground.core.sources import load_document
from tests.conftest import MINI

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "library-format.md"

HEAD = 'version: "1"\nkind: buyer_code\nname: {en: A, vi: A}\nsource: {title: T}\nrequirements:\n'
REQ = "  - {{id: {id}, citation: '1', title: {title}, text: {{en: t, vi: t}}, {severity}accountable: factory,\n     rule: {rule}}}\n"


def _req(id: str, rule: str, title: str = "{en: a, vi: a}", severity: str = "severity: minor, ") -> str:
    return REQ.format(id=id, rule=rule, title=title, severity=severity)


def _write(tmp_path: Path, dp: str = "work.ot_month") -> Path:
    code = tmp_path / "code"
    (code / "frameworks").mkdir(parents=True)
    (code / "datapoints").mkdir()
    (code / "frameworks" / "a.yaml").write_text(
        "id: code-a\n"
        + HEAD
        + _req("one", f'{{dp: {dp}, op: "<=", value: 36}}', severity="")  # line 7: no severity
        + _req("two", '{dp: work.nope, op: "<=", value: 36}')  # line 9
        + _req("three", f'{{expr: "{dp} ** 2 > 1"}}')  # line 11
        + _req("four", '{dp: x_mine.good, op: ">=", value: 1}'),  # line 13: a data point of a broken file
        encoding="utf-8",
    )
    (code / "frameworks" / "b.yaml").write_text(
        "id: code-b\n"
        + HEAD
        + _req("one", f'{{dp: {dp}, op: "<<", value: 36}}', title="{en: Hello, dear, world, vi: Xin chào}"),
        encoding="utf-8",
    )
    (code / "datapoints" / "mine.yaml").write_text(
        "topic: {id: x_mine, name: {en: Mine, vi: Của tôi}}\ndatapoints:\n"
        "  - {id: x_mine.good, type: integer, unit: count, label: {en: G, vi: G}, help: {en: h, vi: h},"
        " verification: [document_review]}\n"
        "  - {id: x_mine.bad, type: integer, unit: count, label: {en: B, vi: B}, help: {en: h, vi: h},"
        " verification: [guessing]}\n",
        encoding="utf-8",
    )
    return code


def test_every_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    with pytest.raises(CommonGroundError) as exc:
        load_library([MINI, _write(tmp_path)], shipped=False)
    places = [(Path(p.file).name, p.line, p.where) for p in exc.value.problems]
    assert places == [
        ("mine.yaml", 4, "datapoints[1].verification[0]"),
        ("a.yaml", 7, "requirements[0]"),  # severity missing
        ("a.yaml", 10, "requirements[1].rule.dp"),  # shown although the file has a schema problem
        ("a.yaml", 12, "requirements[2].rule.expr"),
        ("b.yaml", 7, "requirements[0].title"),  # the next file too
        ("b.yaml", 8, "requirements[0].rule.op"),
    ]  # and `x_mine.good`, right in a file with a problem, is still a data point rules may read
    en, vi = exc.value.render("en"), exc.value.render("vi")
    assert "a.yaml:10: requirements[1].rule.dp: unknown data point 'work.nope'" in en
    assert "a.yaml:10: requirements[1].rule.dp: không có điểm dữ liệu 'work.nope' trong danh mục" in vi
    assert "a.yaml:7: requirements[0]: the field 'severity' is missing" in en
    assert "'work.ot_month ** 2' is not allowed" in en and "không được dùng 'work.ot_month ** 2'" in vi


def test_the_command_lists_them_all_in_the_readers_language(tmp_path: Path) -> None:
    code = _write(tmp_path, "working_time.overtime_hours_month_max")  # with the shipped library
    en = runner.invoke(app, ["library", "check", str(code)])
    vi = runner.invoke(app, ["library", "check", str(code), "--lang", "vi"])
    assert en.exit_code == vi.exit_code == 2
    assert len([line for line in en.stderr.splitlines() if ".yaml:" in line]) == 6
    assert "b.yaml:8: requirements[0].rule.op" in en.stderr and "b.yaml:8:" in vi.stderr
    assert "thiếu trường 'severity'" in vi.stderr


def test_an_unquoted_text_cut_at_a_comma_says_what_happened_and_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(CommonGroundError) as exc:
        load_library([MINI, _write(tmp_path)], shipped=False)
    (cut,) = [p for p in exc.value.problems if p.where == "requirements[0].title"]
    assert cut.render("en").endswith(
        "'dear' is not a field: the en text was written without quotes and ends at the first comma. "
        'Put it in quotes: en: "Hello, dear, world"'
    )
    assert 'Hãy đặt văn bản trong dấu ngoặc kép: en: "Hello, dear, world"' in cut.render("vi")
    assert "unknown field" not in exc.value.render("en")  # 'world' is not reported a second time


def test_a_real_unknown_field_is_still_called_one(tmp_path: Path) -> None:
    code = tmp_path / "code" / "frameworks"
    code.mkdir(parents=True)
    (code / "c.yaml").write_text(
        "id: code-c\n"
        + HEAD
        + _req("one", '{dp: work.ot_month, op: "<=", value: 1}', title="{en: a, vi: a, fr: b}"),
        encoding="utf-8",
    )
    with pytest.raises(CommonGroundError) as exc:
        load_library([MINI, code.parent], shipped=False)
    assert exc.value.render("en").endswith("requirements[0].title: unknown field 'fr'")


def _documented_units() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    block = text[text.index("Units (") :]
    block = block[: block.index("\n\n")]
    return set(re.findall(r"`([^`]+)`", block.split(":", 1)[1]))


def _catalogue_units() -> dict[str, set[str]]:
    """Every unit written in the shipped data points and parameters, with the files using it."""
    found: dict[str, set[str]] = {}
    for folder, key in (("datapoints", "datapoints"), ("parameters", "parameters")):
        for path in sorted((SHIPPED / folder).glob("*.yaml")):
            for item in load_document(path, trusted=True).get(key, []):
                if item.get("unit"):
                    found.setdefault(item["unit"], set()).add(path.name)
    return found


def test_every_unit_the_shipped_catalogue_uses_is_in_the_documented_list() -> None:
    used, documented = _catalogue_units(), _documented_units()
    assert len(used) > 20  # the check reads the catalogue, not nothing
    missing = {unit: files for unit, files in used.items() if unit not in documented}
    assert not missing, f"add these units to section 1 of docs/library-format.md: {missing}"
