"""Data points and parameters added to the shipped library live in the adder's own namespace,
`x_<organisation>` (issue 16, point 4; decision 0037): `library check` refuses others, naming the
id and the fix in English and Vietnamese; the shipped library never uses `x_`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.errors import CommonGroundError
from commonground.core.library import cached_library, load_library
from tests.conftest import MINI

runner = CliRunner()
TOPIC = (
    "topic: {{id: {topic}, name: {{en: Own, vi: Riêng}}}}\ndatapoints:\n"
    "  - {{id: {topic}.seated_lines, type: integer, unit: count, label: {{en: L, vi: L}},"
    " help: {{en: h, vi: h}}, verification: [observation]}}\n"
)
PARAMS = (
    "parameters:\n  - id: {pid}\n    label: {{en: Leave, vi: Nghỉ}}\n    unit: day\n    values:\n"
    "      - {{from: 2021-01-01, source: Code, confidence: confirmed, value: 16}}\n"
)
RULE = (
    "id: own-code\nversion: '1'\nkind: buyer_code\nname: {{en: Own, vi: Riêng}}\nsource: {{title: t}}\n"
    "requirements:\n  - {{id: r, title: {{en: a, vi: a}}, text: {{en: a, vi: a}}, citation: '1',"
    " severity: minor, accountable: factory,\n     rule: {{expr: '{topic}.seated_lines >= 2'}}}}\n"
)


def _directory(tmp_path: Path, topic: str, pid: str) -> Path:
    own = tmp_path / "own"
    own.mkdir()
    (own / "facts.yaml").write_text(TOPIC.format(topic=topic), encoding="utf-8")
    (own / "params.yaml").write_text(PARAMS.format(pid=pid), encoding="utf-8")
    (own / "code.yaml").write_text(RULE.format(topic=topic), encoding="utf-8")
    return own


def test_ids_in_the_own_namespace_load_beside_the_shipped_library(tmp_path: Path) -> None:
    lib = load_library([_directory(tmp_path, "x_mybrand", "x_mybrand.leave_days")], namespaced=True)
    assert "x_mybrand.seated_lines" in lib.datapoints and "x_mybrand.leave_days" in lib.parameters
    assert lib.frameworks["own-code"].requirements[0].datapoints == ("x_mybrand.seated_lines",)


def test_other_ids_added_to_the_shipped_library_are_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(CommonGroundError) as exc:
        load_library([_directory(tmp_path, "wages", "my_brand.leave_days")], namespaced=True)
    assert [(Path(p.file).name, p.line, p.where, p.code) for p in exc.value.problems] == [
        ("facts.yaml", 1, "topic.id", "id_not_namespaced"),
        ("params.yaml", 2, "parameters[0].id", "id_not_namespaced"),
    ]
    en, vi = exc.value.render("en"), exc.value.render("vi")
    assert "topic.id: 'wages' is added to the shipped library, so it must live in your own namespace" in en
    assert "e.g. 'x_mybrand.leave_days' (a release never ships 'x_' ids" in en
    assert "'my_brand.leave_days' được thêm vào thư viện có sẵn nên phải nằm trong không gian tên" in vi
    assert "ví dụ 'x_mybrand.leave_days'" in vi


def test_x_alone_is_not_a_namespace(tmp_path: Path) -> None:
    with pytest.raises(CommonGroundError) as exc:
        load_library([_directory(tmp_path, "x_", "x_.leave_days")], namespaced=True)
    assert {p.code for p in exc.value.problems} == {"id_not_namespaced"}


def test_a_library_read_on_its_own_names_its_ids_freely() -> None:
    assert "work.ot_month" in load_library([MINI], shipped=False, namespaced=True).datapoints


def test_the_shipped_library_never_uses_the_reserved_prefix() -> None:
    lib = cached_library()
    assert not [i for i in [*lib.topics, *lib.parameters] if i.startswith("x_")]
    assert len(lib.topics) > 10 and len(lib.parameters) > 10


def test_the_command_refuses_in_the_readers_language(tmp_path: Path) -> None:
    own = _directory(tmp_path, "wages", "x_mybrand.leave_days")
    result = runner.invoke(app, ["library", "check", str(own), "--lang", "vi"])
    assert result.exit_code == 2
    assert "facts.yaml:1: topic.id: 'wages' được thêm vào thư viện có sẵn" in result.stderr
    assert "params.yaml" not in result.stderr
