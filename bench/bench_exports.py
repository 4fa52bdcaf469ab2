"""Benchmark: spreadsheet exports and the XLSForm (issue 15, decision 0029).

Times the thin writer on a portfolio-shaped sheet of 2,000 suppliers (5 text columns, a date, 15
frameworks' rate and share answered, findings and overdue actions: 37 columns), as XLSX and as
CSV; the XLSForm of every framework built and written with its profile; and pyxform's conversion
of that form. Run with `.venv/bin/python bench/bench_exports.py`; the figures are in
docs/performance.md ("Exports").
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SUPPLIERS = 2000


def _best(fn: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    from pyxform.xls2xform import convert

    from commonground.core.library import cached_library
    from commonground.core.questionnaire import build_questionnaire
    from commonground.core.spreadsheet import Sheet, csv_of, xlsx_bytes
    from commonground.core.xlsform import build_form, write_form

    rows = [
        [f"Công ty TNHH May {i}", f"Xưởng {i}", "Thành phố Hồ Chí Minh", "May mặc", dt.date(2026, 3, 1)]
        + [87, 95] * 15
        + ["Lao động trẻ em; Làm thêm giờ", 2]
        for i in range(SUPPLIERS)
    ]
    header = [f"Cột {k}" for k in range(37)]
    best, median = _best(lambda: xlsx_bytes([Sheet("Danh mục", header, rows)], "vi"))
    print(f"portfolio XLSX, {SUPPLIERS} rows x 37 columns: best {best:.2f} s, median {median:.2f} s")
    best, median = _best(lambda: csv_of(Sheet("Danh mục", header, rows), "vi"))
    print(f"portfolio CSV, {SUPPLIERS} rows: best {best:.3f} s, median {median:.3f} s")

    lib = cached_library(())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "form.xlsx"

        def form() -> None:
            write_form(build_form(build_questionnaire(lib), lib.topics), out)

        best, median = _best(form)
        fields = len(build_questionnaire(lib).questions)
        print(
            f"XLSForm of every framework ({fields} questions) and its profile: "
            f"best {best:.2f} s, median {median:.2f} s"
        )
        best, median = _best(lambda: convert(xlsform=str(out)), runs=2)
        print(f"pyxform conversion of that form: best {best:.2f} s, median {median:.2f} s")


if __name__ == "__main__":
    main()
