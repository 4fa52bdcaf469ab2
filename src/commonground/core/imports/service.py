"""One use case, for the command line (and the web app's import): read a file through a profile
and write the assessment file, all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..assessments import build_assessment
from ..errors import CommonGroundError, fail
from ..library import Library
from .output import assessment_dict, dump, output_kind, write_atomically
from .run import ImportResult, import_file


@dataclass(frozen=True)
class Outcome:
    result: ImportResult
    text: str = ""  # the assessment file's text ("" for a dry run)
    written_to: str | None = None  # the path, "-" (standard output) or None (dry run)
    changed: bool = False  # False when the file already held exactly this (the same import twice)


def import_assessment(
    path: Path | str,
    lib: Library,
    *,
    profile_id: str | None = None,
    facility: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    output: str | None = None,
    dry_run: bool = False,
) -> Outcome:
    """A dry run returns every row's outcome and writes nothing. A real import raises
    CommonGroundError (every problem, each with its row and column) and writes nothing when any row
    is in error; otherwise it writes the assessment file (`-`: returns its text for the standard
    output), checked first the way `commonground evaluate` reads it."""
    kind = _kind(output) if not dry_run else None
    result = import_file(path, lib, profile_id, facility=facility, period=period)
    if dry_run:
        return Outcome(result)
    if not result.ok:
        raise CommonGroundError(result.problems)
    assert output is not None and kind is not None
    data = assessment_dict(result, lib)
    build_assessment(data, lib, file=result.file)  # what evaluate will read: refused here, not there
    text = dump(data, kind)
    if output == "-":
        return Outcome(result, text, "-", True)
    return Outcome(result, text, output, write_atomically(Path(output), text))


def _kind(output: str | None) -> str:
    if output is None:
        raise fail("import_output_missing")
    kind = output_kind(output)
    if kind is None:
        raise fail("import_output_kind", value=output)
    return kind
