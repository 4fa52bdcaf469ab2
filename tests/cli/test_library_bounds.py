"""`library check` refuses a user's library file that is a YAML alias bomb or too large, briefly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.errors import EXCERPT_CHARS, Problem
from commonground.core.library import SHIPPED, load_library
from tests.bounds_cases import alias_bomb, oversize

runner = CliRunner()


def _check(directory: Path, lang: str) -> tuple[int, str]:
    result = runner.invoke(app, ["library", "check", str(directory), "--lang", lang])
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "anchors (&) and aliases (*) are not accepted"),
        ("vi", "không chấp nhận neo (&) và bí danh (*)"),
    ],
)
def test_the_alias_bomb_is_refused_before_it_expands(tmp_path: Path, lang: str, expected: str) -> None:
    (tmp_path / "bomb.yaml").write_text(alias_bomb(levels=9), encoding="utf-8")
    started = time.perf_counter()
    code, out = _check(tmp_path, lang)
    assert time.perf_counter() - started < 30  # a guard only; the bench measures it (well under 1 s)
    assert code == 2 and expected in out and "bomb.yaml:3" in out
    assert len(out) < 500 and "lol" not in out


def test_an_oversize_file_is_refused_naming_it(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(oversize(), encoding="utf-8")
    code, out = _check(tmp_path, "en")
    assert code == 2 and "big.yaml" in out and "more than the 1000000 a library file may have" in out
    code, out = _check(tmp_path, "vi")
    assert code == 2 and "nhiều hơn mức 1000000 byte" in out


def test_the_shipped_library_keeps_its_anchors() -> None:
    assert "&id001" in (SHIPPED / "parameters" / "vn-labour.yaml").read_text(encoding="utf-8")
    assert load_library().parameters


def test_a_message_quotes_only_an_excerpt_of_a_long_value() -> None:
    long = "x" * 100_000
    for code, params in (
        ("choice_invalid", {"value": long, "choices": "a, b"}),
        ("type_expected", {"kind": "text", "value": [long] * 1000}),
        ("duplicate_key", {"key": long}),
    ):
        for lang in ("en", "vi"):
            message = Problem(code, "f.yaml", 1, "", params).message(lang)  # type: ignore[arg-type]
            assert len(message) < 3 * EXCERPT_CHARS + 200 and ("…" in message or "..." in message)
    assert (
        Problem("duplicate_key", params={"key": "short"}).message()
        == "'short' is given twice in the same place"
    )
