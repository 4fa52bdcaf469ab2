"""Benchmark: importing a 400-row workbook (issue 14, target under 2 s).

Builds our Excel template shape with 400 answered data points (one of each type's plausible
answers, numbers written the Vietnamese way as text), then times the import: reading the workbook,
every row through its transform, the assessment checked as `evaluate` reads it, and the YAML file
written. In process (the library loaded once, as in the web app's job) and as the whole command
(`commonground import`, interpreter start and library load included). Run with
`.venv/bin/python bench/bench_import.py`; the figures are in docs/performance.md ("Imports").
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROWS = 400


def _answer(dp: Any) -> Any:
    if dp.type == "boolean":
        return "Có"
    if dp.type in ("integer", "decimal"):
        low = dp.min or 0.0
        value = int(low) + 1 if dp.max is None or low + 1 <= dp.max else int(low)
        return f"{value:,}".replace(",", ".") if dp.type == "integer" else f"{value},5".replace(".5", ",5")
    if dp.type == "enum":
        return dp.options[0].value
    if dp.type == "multi-enum":
        return " | ".join(o.value for o in dp.options[:2])
    if dp.type == "date":
        return "15/03/2026"
    return "Ghi chú"


def build(path: Path) -> int:
    from openpyxl import Workbook

    from commonground.core.imports import template
    from commonground.core.library import cached_library

    lib = cached_library()
    wb = Workbook()
    facility = wb.active
    facility.title = template.FACILITY_SHEET
    facility["B3"], facility["B4"], facility["B5"] = "Xưởng đo hiệu năng", "01/01/2026", "31/12/2026"
    ws = wb.create_sheet(template.QUESTIONS_SHEET)
    ws.append(list(template.HEADINGS))
    count = 0
    for dp in lib.datapoints.values():
        if count == ROWS:
            break
        if dp.numeric and dp.max is not None and (dp.min or 0) + 1.5 > dp.max:
            continue  # keep every answer within its range
        ws.append([dp.id, dp.topic, dp.label.vi, dp.label.en, dp.unit, "", "", _answer(dp)])
        count += 1
    wb.save(path)
    return count


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from commonground.core.imports.service import import_assessment
    from commonground.core.library import cached_library

    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp, "workbook.xlsx"), Path(tmp, "answers.yaml")
        rows = build(source)
        lib = cached_library()
        times = []
        for _ in range(7):
            out.unlink(missing_ok=True)
            started = time.perf_counter()
            outcome = import_assessment(source, lib, output=str(out))
            times.append(time.perf_counter() - started)
        assert outcome.result.ok and len(outcome.result.values) == rows, outcome.result.problems[:3]
        started = time.perf_counter()
        command = [
            str(ROOT / ".venv/bin/commonground"),
            "import",
            str(source),
            "-o",
            str(Path(tmp, "cli.yaml")),
        ]
        subprocess.run(command, check=True, capture_output=True)
        whole = time.perf_counter() - started
    print(f"rows: {rows}, answers: {len(outcome.result.values)}")
    print(f"in process: median {statistics.median(times):.3f} s, max {max(times):.3f} s (7 runs)")
    print(f"whole command (interpreter + library + import): {whole:.2f} s")


if __name__ == "__main__":
    main()
