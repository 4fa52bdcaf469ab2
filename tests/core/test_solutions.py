"""The solution and training catalogue: shipped in two languages, checked on load like the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commonground.core.errors import CommonGroundError
from commonground.core.library import Library, load_library
from commonground.core.solutions import DIFFICULTY_RANK, solutions_for, trainings_for
from commonground.core.text import text_in
from tests.conftest import MINI

SOLUTION = """solutions:
  - id: shorter_weeks
    topic: work
    title: {en: Shorter weeks, vi: Tuần làm việc ngắn hơn}
    summary: {en: Plan the lines., vi: Lập kế hoạch chuyền.}
    datapoints: [work.ot_month]
    cost_vnd: [1000000, 5000000]
    payback_months: null
    difficulty: low
    source: "test"
    estimate: cost
    trainings: [planning]
"""
TRAINING = """trainings:
  - id: planning
    topic: work
    title: {en: Planning, vi: Lập kế hoạch}
    summary: {en: How to plan., vi: Cách lập kế hoạch.}
    datapoints: [work.ot_month]
    provider: Test provider
"""


def _lib_with(tmp_path: Path, solution: str = SOLUTION, training: str = TRAINING) -> Path:
    target = tmp_path / "lib"
    shutil.copytree(MINI, target)
    (target / "solutions").mkdir()
    (target / "solutions/work.yaml").write_text(solution, encoding="utf-8")
    (target / "trainings").mkdir()
    (target / "trainings/work.yaml").write_text(training, encoding="utf-8")
    return target


def _problems(directory: Path) -> CommonGroundError:
    with pytest.raises(CommonGroundError) as exc:
        load_library([directory], shipped=False)
    return exc.value


def test_the_shipped_catalogue_covers_labour_and_environment(shipped: Library) -> None:
    assert len(shipped.solutions) >= 40 and len(shipped.trainings) >= 15
    topics = {s.topic for s in shipped.solutions.values()}
    assert {"working_time", "wages", "grievance", "forced_labour", "fire_safety", "osh"} <= topics
    assert {"energy", "water", "wastewater", "chemicals", "waste"} <= topics
    for wanted in ("digital_time_keeping", "condensate_recovery", "compressor_vsd", "rooftop_solar"):
        assert wanted in shipped.solutions


def test_every_solution_is_bilingual_and_sourced(shipped: Library) -> None:
    for s in shipped.solutions.values():
        assert s.title.en and s.title.vi and s.summary.en and s.summary.vi
        assert s.title.en != s.title.vi and s.summary.en != s.summary.vi
        assert text_in(s.source, "en").strip() and text_in(s.source, "vi").strip()
        assert s.cost_vnd[0] <= s.cost_vnd[1]
        assert all(dp in shipped.datapoints for dp in s.datapoints)
        assert all(t in shipped.trainings for t in s.trainings)


def test_every_training_is_linked_from_a_solution(shipped: Library) -> None:
    linked = {t for s in shipped.solutions.values() for t in s.trainings}
    assert set(shipped.trainings) == linked


def test_a_library_without_solutions_loads_empty(mini: Library) -> None:
    assert mini.solutions == {} and mini.trainings == {}


def test_solutions_and_trainings_load_from_extra_directories(tmp_path: Path) -> None:
    lib = load_library([_lib_with(tmp_path)], shipped=False)
    assert list(lib.solutions) == ["shorter_weeks"]
    assert lib.solutions["shorter_weeks"].trainings == ("planning",)
    assert [t.id for t in trainings_for(lib, "work.ot_month")] == ["planning"]
    assert trainings_for(lib, "work.ph") == []


def test_an_unknown_data_point_is_named_with_its_line(tmp_path: Path) -> None:
    err = _problems(_lib_with(tmp_path, SOLUTION.replace("[work.ot_month]", "[work.ot_monthly]")))
    assert len(err.problems) == 1
    text = err.render("en")
    assert "work.yaml:6: solutions[0].datapoints[0]: unknown data point 'work.ot_monthly'" in text
    assert "không có điểm dữ liệu 'work.ot_monthly'" in err.render("vi")


def test_an_unknown_training_and_topic_are_named(tmp_path: Path) -> None:
    broken = SOLUTION.replace("[planning]", "[planing]").replace("topic: work", "topic: wrk")
    text = _problems(_lib_with(tmp_path, broken)).render("en")
    assert "solutions[0].trainings[0]: unknown training resource 'planing'" in text
    assert "solutions[0].topic: unknown topic 'wrk'" in text


def test_a_reversed_cost_range_is_refused(tmp_path: Path) -> None:
    text = _problems(
        _lib_with(tmp_path, SOLUTION.replace("[1000000, 5000000]", "[5000000, 1000000]"))
    ).render()
    assert "cost_vnd must be [low, high]" in text


def test_a_duplicate_solution_id_is_refused(tmp_path: Path) -> None:
    lib = _lib_with(tmp_path)
    (lib / "solutions/again.yaml").write_text(SOLUTION.replace("[planning]", "[]"), encoding="utf-8")
    assert "the id 'solution:shorter_weeks' is defined twice" in _problems(lib).render()


def test_solutions_for_puts_the_easiest_and_cheapest_first(shipped: Library) -> None:
    found = solutions_for(shipped, "energy.total_gj")
    assert len(found) >= 5
    efforts = [(DIFFICULTY_RANK[s.difficulty], s.cost_vnd[0]) for s in found]
    assert efforts == sorted(efforts)
    assert solutions_for(shipped, "facility.sector") == []


def test_a_buyer_code_given_as_text_still_loads_with_the_catalogue(shipped: Library) -> None:
    code = (
        Path(__file__).parents[2] / "src/commonground/library/frameworks/example-buyer-code.yaml"
    ).read_text()
    lib = load_library(documents=[("my-code.yaml", code.replace("id: example-buyer-code", "id: my-code", 1))])
    assert "my-code" in lib.frameworks and len(lib.solutions) == len(shipped.solutions)


def test_our_own_figures_are_marked_as_estimates(shipped: Library) -> None:
    for s in shipped.solutions.values():
        assert s.estimate in ("cost", "cost_and_payback"), s.id
        assert "estimate" not in text_in(s.source, "en"), s.id  # said once, in the reader's language
        assert any(ch in s.summary.vi for ch in "ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệịọỏốồổộớờởợụủứừửựỳỷ"), s.id
