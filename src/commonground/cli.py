"""The `commonground` command: each command is a few lines over the core."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .core.errors import CommonGroundError, Lang

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Common Ground (Tiếng nói chung): facts once, judgements many.")
library_app = typer.Typer(no_args_is_help=True, help="Check the library. / Kiểm tra thư viện.")
app.add_typer(library_app, name="library")


def _default_lang() -> str:
    env = os.environ.get("COMMONGROUND_LANG") or os.environ.get("LANG", "")
    return "vi" if env.lower().startswith("vi") else "en"


LangOption = Annotated[str, typer.Option("--lang", help="en | vi (default: from COMMONGROUND_LANG or LANG)")]


def _lang(value: str) -> Lang:
    return "vi" if (value or _default_lang()) == "vi" else "en"


def _exit_with(error: CommonGroundError, lang: Lang) -> NoReturn:
    label = "Lỗi" if lang == "vi" else "Error"
    typer.echo(f"{label}: {error.render(lang)}" if len(error.problems) == 1
               else f"{label}:\n{error.render(lang)}", err=True)
    raise typer.Exit(code=2)


@library_app.command("check")
def library_check(
    directories: Annotated[list[Path] | None, typer.Argument(help="Extra library directories")] = None,
    lang: LangOption = "",
) -> None:
    """Validate the shipped library plus extra directories. / Kiểm tra thư viện."""
    from .core.library import load_library

    language = _lang(lang)
    try:
        lib = load_library(directories or [])
    except CommonGroundError as exc:
        _exit_with(exc, language)
    requirements = sum(len(f.requirements) for f in lib.frameworks.values())
    if language == "vi":
        typer.echo(f"Thư viện hợp lệ: {len(lib.datapoints)} điểm dữ liệu, {len(lib.parameters)} tham số, "
                   f"{len(lib.frameworks)} bộ tiêu chuẩn, {requirements} yêu cầu.")
    else:
        typer.echo(f"Library OK: {len(lib.datapoints)} data points, {len(lib.parameters)} parameters, "
                   f"{len(lib.frameworks)} frameworks, {requirements} requirements.")


def main() -> None:
    try:
        app()
    except CommonGroundError as exc:  # pragma: no cover - every command handles its own
        _exit_with(exc, _lang(_default_lang()))
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
