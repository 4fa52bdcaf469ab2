"""A broken library file gets one clear message per problem: file, line, place and what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commonground.core.errors import CommonGroundError
from commonground.core.library import load_library
from tests.conftest import MINI


def _copy_mini(tmp_path: Path) -> Path:
    target = tmp_path / "lib"
    shutil.copytree(MINI, target)
    return target


def _problems(directory: Path) -> CommonGroundError:
    with pytest.raises(CommonGroundError) as exc:
        load_library([directory], shipped=False)
    return exc.value


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rule_naming_a_missing_data_point(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    _edit(
        lib / "frameworks/buyer.yaml",
        'rule: {dp: work.ot_month, op: "<"',
        'rule: {dp: work.ot_monthly, op: "<"',
    )
    err = _problems(lib)
    assert len(err.problems) == 1
    text = err.render("en")
    assert "buyer.yaml:13: requirements[0].rule.dp: unknown data point 'work.ot_monthly'" in text
    assert "không có điểm dữ liệu 'work.ot_monthly'" in err.render("vi")


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    (lib / "frameworks/broken.yaml").write_text("id: x\nrequirements: [\n  - a: 1\n", encoding="utf-8")
    text = _problems(lib).render("en")
    assert "broken.yaml:" in text and "not valid YAML" in text


def test_wrong_operator_for_the_type_and_wrong_constant(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    _edit(
        lib / "frameworks/buyer.yaml",
        "rule: {dp: work.ph, op: between, value: [6, 9]}",
        'rule: {dp: work.notified, op: "<", value: 3}',
    )
    _edit(
        lib / "frameworks/buyer.yaml",
        'rule: {dp: work.ot_month, op: "<", value: 36}',
        'rule: {dp: work.ot_month, op: "<", value: lots}',
    )
    messages = [p.message("en") for p in _problems(lib).problems]
    assert "the operator '<' cannot be used with the boolean data point 'work.notified'" in messages
    assert "the constant 'lots' does not suit the decimal data point 'work.ot_month'" in messages


def test_unknown_parameter_and_unit_mismatch(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    _edit(lib / "frameworks/law.yaml", "param: mini.ot_month", "param: mini.ot_monthly")
    _edit(
        lib / "frameworks/law.yaml",
        'rule: {dp: work.wage, op: ">=", param: mini.min_wage}',
        'rule: {dp: work.ot_year, op: ">=", param: mini.min_wage}',
    )
    codes = sorted(p.code for p in _problems(lib).problems)
    assert codes == ["param_unit_mismatch", "unknown_parameter"]


def test_missing_fields_unknown_fields_and_bad_choices(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    _edit(lib / "frameworks/law.yaml", "    severity: critical\n", "    severity: terrible\n")
    _edit(lib / "frameworks/law.yaml", "    citation: Art. 107(2)(c)\n", "")
    _edit(
        lib / "datapoints/work.yaml",
        "    verification: [lab_report]\n",
        "    verification: [lab_report]\n    colour: red\n",
    )
    rendered = _problems(lib).render("en")
    assert "'terrible' is not one of" in rendered
    assert "the field 'citation' is missing" in rendered
    assert "unknown field 'colour'" in rendered


def test_duplicate_ids_and_ids_outside_their_topic(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    (lib / "datapoints/extra.yaml").write_text(
        "topic: {id: extra, name: {en: Extra, vi: Thêm}}\n"
        "datapoints:\n"
        "  - {id: work.ph, type: text, label: {en: a, vi: a}, help: {en: a, vi: a}, verification: [observation]}\n"
        "  - {id: extra.thing, type: text, label: {en: a, vi: a}, help: {en: a, vi: a}, verification: [observation]}\n"
        "  - {id: extra.thing, type: text, label: {en: a, vi: a}, help: {en: a, vi: a}, verification: [observation]}\n",
        encoding="utf-8",
    )
    codes = [p.code for p in _problems(lib).problems]
    assert codes == ["id_topic_mismatch", "duplicate_id"]


def test_invalid_data_point_definitions(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    (lib / "datapoints/extra.yaml").write_text(
        "topic: {id: extra, name: {en: Extra, vi: Thêm}}\n"
        "datapoints:\n"
        "  - {id: extra.a, type: decimal, unit: furlongz, label: {en: a, vi: a}, help: {en: a, vi: a}, verification: [observation]}\n"
        "  - {id: extra.b, type: enum, label: {en: a, vi: a}, help: {en: a, vi: a}, verification: [observation]}\n"
        "  - {id: extra.c, type: text, unit: h, label: {en: a, vi: a}, help: {en: a, vi: a}, verification: [observation]}\n"
        "  - {id: extra.d, type: boolean, label: {en: a}, help: {en: a, vi: a}, verification: [observation]}\n",
        encoding="utf-8",
    )
    rendered = _problems(lib).render("en")
    assert "unknown unit 'furlongz'" in rendered
    assert "needs options" in rendered
    assert "has no unit" in rendered
    assert "datapoints[3].label: the field 'vi' is missing" in rendered


def test_a_directory_that_does_not_exist(tmp_path: Path) -> None:
    err = _problems(tmp_path / "nowhere")
    assert err.problems[0].code == "file_missing"


def test_a_file_that_is_not_a_library_file(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    (lib / "notes.yaml").write_text("hello: world\n", encoding="utf-8")
    assert _problems(lib).problems[0].code == "field_missing"


def test_parameter_key_must_be_an_enum_with_those_options(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    _edit(lib / "parameters/p.yaml", '"2": 4410000', '"7": 4410000')
    assert [p.code for p in _problems(lib).problems] == ["option_unknown"]
    lib2 = _copy_mini(tmp_path / "second")
    _edit(lib2 / "parameters/p.yaml", "key: site.minimum_wage_region", "key: work.wage")
    assert "param_key_invalid" in [p.code for p in _problems(lib2).problems]


def test_levels_need_a_known_section(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    _edit(lib / "frameworks/index.yaml", "{id: en-1, section: energy,", "{id: en-1, section: enrgy,")
    _edit(
        lib / "frameworks/index.yaml",
        "{id: ems-3, section: ems, level: 3,",
        "{id: ems-3, level: 3,",
    )
    codes = sorted(p.code for p in _problems(lib).problems)
    assert codes == ["level_without_section", "unknown_section"]


def test_wrong_kinds_of_value_are_named_in_both_languages(tmp_path: Path) -> None:
    lib = _copy_mini(tmp_path)
    _edit(lib / "datapoints/work.yaml", "    min: 0\n    max: 14\n", "    min: zero\n    max: 14\n")
    _edit(lib / "frameworks/law.yaml", 'version: "1"\n', "version: [1]\n")
    err = _problems(lib)
    english = err.render("en")
    assert "datapoints[4].min: expected a number here, got 'zero'" in english
    assert "version: expected text here" in english
    assert "ở đây cần một số, nhưng nhận được 'zero'" in err.render("vi")
