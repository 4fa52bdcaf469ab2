"""Benchmark: refusing hostile library files (issue 12) — the YAML alias bomb and an over-size file.

Each case runs in a fresh interpreter so its peak memory (max RSS) is its own; the baseline case
only imports the loader. Run with `.venv/bin/python bench/bench_library_bounds.py`; the figures are
in docs/performance.md ("Hostile library files").
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from commonground.core.errors import CommonGroundError
from commonground.core.library import load_library
from commonground.core.sources import parse_yaml
from tests.bounds_cases import alias_bomb, oversize
kind, arg = sys.argv[1], int(sys.argv[2])
text = alias_bomb(levels=arg) if kind in ("bomb", "check") else oversize() if kind == "oversize" else ""
if kind == "normal":
    text = Path({root!r}, "docs/examples/my-brand/code.yaml").read_text(encoding="utf-8")
directory = Path(sys.argv[3])
(directory / "code.yaml").write_text(text, encoding="utf-8")
started = time.perf_counter()
outcome = "-"
try:
    if kind in ("bomb", "oversize", "normal"):
        parse_yaml(text, file="code.yaml")
        outcome = "loaded"
    if kind == "check":
        load_library([directory], shipped=False)
except CommonGroundError as exc:
    outcome = exc.problems[0].code + f" ({{len(exc.render('vi'))}} characters)"
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"bytes": len(text.encode()), "seconds": seconds, "peak_mb": peak, "outcome": outcome}}))
"""


def _run(kind: str, arg: int, directory: str) -> dict[str, object]:
    code = CASE.format(root=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code, kind, str(arg), directory], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    cases = [
        ("baseline (imports only)", "baseline", 0),
        ("alias bomb, 7 levels (the probe's upload)", "bomb", 7),
        ("alias bomb, 8 levels (the probe's library check)", "bomb", 8),
        ("alias bomb, 12 levels", "bomb", 12),
        ("alias bomb, 8 levels, as `library check DIR` reads it", "check", 8),
        ("over-size file (1 MB + 1 line)", "oversize", 0),
        ("a normal buyer code (docs/examples/my-brand)", "normal", 0),
    ]
    print(f"{'case':<52} {'bytes':>9} {'time':>9} {'peak RSS':>9}  outcome")
    for label, kind, arg in cases:
        with tempfile.TemporaryDirectory() as directory:
            r = _run(kind, arg, directory)
        print(
            f"{label:<52} {r['bytes']:>9} {float(r['seconds']) * 1000:>7.1f}ms "  # type: ignore[arg-type]
            f"{float(r['peak_mb']):>7.1f}MB  {r['outcome']}"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()
