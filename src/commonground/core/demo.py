"""The main job on demo data: evaluate the shipped sample assessments and summarise them."""

from __future__ import annotations

from pathlib import Path

from .assessments import read_assessment
from .engine import Engine
from .errors import Lang
from .i18n import gettext, gettext_noop
from .library import cached_library
from .questionnaire import build_questionnaire
from .questionnaire_out import burden_text
from .report import evaluation_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

_TITLE = gettext_noop("Common Ground — {n} sample assessments against {f} frameworks")


def run_demo(lang: Lang, samples: Path = SAMPLES) -> str:
    lib = cached_library()
    engine = Engine(lib)
    files = sorted(samples.glob("*.yaml"))
    parts = [
        gettext(_TITLE, lang).format(n=len(files), f=len(engine.frameworks)),
        burden_text(build_questionnaire(lib), lang),
        "",
    ]
    for path in files:
        evaluation = engine.evaluate(read_assessment(path, lib))
        parts += [evaluation_text(evaluation, lang, lib, max_findings=8), ""]
    return "\n".join(parts)
