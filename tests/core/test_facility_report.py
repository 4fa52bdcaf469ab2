"""core/facility_report: the report's sections from an evaluation, its HTML (escaped, both
languages) and the reader's dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from commonground.core.assessments import read_assessment
from commonground.core.engine import Engine
from commonground.core.facility_report import build_report, report_html, word
from commonground.core.library import cached_library
from commonground.core.numbers import date_text

SAMPLE = Path(__file__).resolve().parents[2] / "src/commonground/samples/01-garment-hcmc-2026.yaml"


def _evaluation():  # type: ignore[no-untyped-def]
    lib = cached_library(())
    return lib, Engine(lib, []).evaluate(read_assessment(SAMPLE, lib))


def test_dates_as_the_pages_write_them() -> None:
    assert date_text(dt.date(2026, 12, 6), "vi") == "06/12/2026"
    assert date_text(dt.date(2026, 12, 6), "en") == "6 Dec 2026"
    assert date_text(dt.datetime(2026, 1, 5, 13, 5), "en") == "5 Jan 2026, 13:05"


def test_the_sections_an_assessment_file_gives() -> None:
    lib, ev = _evaluation()
    report = build_report(ev, lib, "vi", facility="X", today=dt.date(2026, 12, 6))
    assert report.period == "01/01/2026 – 31/12/2026" and report.made_on == "06/12/2026"
    assert len(report.findings) == len(ev.findings) and report.findings
    assert {f.name for f in report.frameworks} >= {"Bộ luật Lao động 2019 và các văn bản hướng dẫn"}
    labour = next(f for f in report.frameworks if f.name.startswith("Bộ luật Lao động"))
    fr = next(f for f in ev.frameworks if f.framework.id == "vn-labour-code-2019")
    assert (labour.met, labour.not_met) == (fr.summary.counts["met"], fr.summary.counts["not_met"])
    assert all(t.label for t in report.targets) and report.levels
    assert report.actions is None and report.charts is None and report.verification is None


def test_the_html_escapes_what_it_is_given_and_speaks_the_language() -> None:
    lib, ev = _evaluation()
    for lang in ("vi", "en"):
        html = report_html(
            build_report(ev, lib, lang, facility="<script>x</script> & Co", source_file="a<b>.yaml")
        )
        assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; Co" in html
        assert "a&lt;b&gt;.yaml" in html
        assert f'<html lang="{lang}">' in html
        assert word("coverage", lang) in html and word("file_sections", lang).split(":")[0] in html
    assert "Mức bao phủ và tuân thủ" in report_html(build_report(ev, lib, "vi", facility="X"))
