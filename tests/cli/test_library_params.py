"""`commonground library params`: parameters with their values by date, as text and JSON, in both languages."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.library import cached_library

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["library", "params", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_lists_every_parameter_with_its_dated_rows() -> None:
    code, out, _ = run("--format", "json")
    assert code == 0
    data = json.loads(out)
    lib = cached_library(())
    assert data["on"] is None
    assert [p["id"] for p in data["parameters"]] == sorted(lib.parameters)
    wage = next(p for p in data["parameters"] if p["id"] == "vn.minimum_wage_month")
    assert wage["key"] == "facility.minimum_wage_region"
    assert len(wage["rows"]) == len(lib.parameters["vn.minimum_wage_month"].values)
    # a row's last day is the day before the next row begins; the last row is open
    for earlier, later in zip(wage["rows"], wage["rows"][1:], strict=False):
        assert earlier["until"] < later["from"]
    assert wage["rows"][-1]["until"] is None
    assert all(set(r["by_key"]) == {"1", "2", "3", "4"} for r in wage["rows"])


def test_on_a_date_gives_the_row_in_force_then() -> None:
    code, out, _ = run("vn.minimum_wage_month", "--on", "2025-06-30", "--format", "json")
    assert code == 0
    (wage,) = json.loads(out)["parameters"]
    (row,) = wage["rows"]
    assert row["from"] == "2024-07-01" and row["until"] == "2025-12-31"
    assert row["by_key"]["1"] == 4_960_000  # Decree 74/2024/ND-CP, Art. 3(1)
    assert "74/2024" in row["source"]


def test_the_day_before_a_decree_and_the_day_it_takes_effect() -> None:
    _, before, _ = run("vn.minimum_wage_month", "--on", "2025-12-31", "--format", "json")
    _, after, _ = run("vn.minimum_wage_month", "--on", "2026-01-01", "--format", "json")
    assert json.loads(before)["parameters"][0]["rows"][0]["by_key"]["1"] == 4_960_000
    assert json.loads(after)["parameters"][0]["rows"][0]["by_key"]["1"] == 5_310_000


def test_text_in_vietnamese_uses_its_dates_numbers_and_words() -> None:
    code, out, _ = run("vn.minimum_wage_month", "--on", "2026-02-01", "--lang", "vi")
    assert code == 0
    assert "Mức lương tối thiểu" in out
    assert "01/01/2026 → …" in out
    assert "5.310.000" in out
    assert "đã đối chiếu với văn bản" in out
    _, english, _ = run("vn.minimum_wage_month", "--on", "2026-02-01", "--lang", "en")
    assert "2026-01-01 → …" in english and "5,310,000" in english and "[confirmed]" in english


def test_prefixes_choose_parameters_and_an_unknown_one_says_so() -> None:
    _, out, _ = run("vn.annual_leave", "--format", "json")
    ids = [p["id"] for p in json.loads(out)["parameters"]]
    assert ids and all(i.startswith("vn.annual_leave") for i in ids)
    code, out, _ = run("no.such.parameter", "--lang", "vi")
    assert code == 0 and "Không có tham số nào mang mã đó." in out


def test_before_any_value_the_listing_says_none_is_in_force() -> None:
    _, out, _ = run("vn.minimum_wage_month", "--on", "2019-01-01", "--lang", "en")
    assert "no value in force on that day" in out
    _, data, _ = run("vn.minimum_wage_month", "--on", "2019-01-01", "--format", "json")
    assert json.loads(data)["parameters"][0]["rows"] == []


def test_bad_options_are_named_in_the_readers_language() -> None:
    code, _, err = run("--on", "2026-13-01", "--lang", "vi")
    assert code == 2 and "--on phải là một ngày" in err and "2026-13-01" in err
    code, _, err = run("--format", "xml")
    assert code == 2 and "--format" in err
