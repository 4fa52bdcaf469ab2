"""The apps' layers (decision 0026) hold: the contracts in pyproject.toml are kept, and an import that
goes up a layer or closes a cycle between apps is caught, so a new one fails `make test`."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LAYERS = next(c for c in CONFIG["contracts"] if c["id"] == "app-layers")


def _layer(text: str) -> grimp.Layer:
    if ":" in text:
        return grimp.Layer(*(t.strip() for t in text.split(":")), independent=False)
    return grimp.Layer(*(t.strip() for t in text.split("|")))


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    built = grimp.build_graph("commonground", cache_dir=None)
    for line in LAYERS["ignore_imports"]:
        importer, imported = (part.strip() for part in line.split("->"))
        built.remove_import(importer=importer, imported=imported)
    return built


def _illegal(graph: grimp.ImportGraph) -> set[Any]:
    layers = [_layer(text) for text in LAYERS["layers"]]
    return graph.find_illegal_dependencies_for_layers(layers=layers, containers={"commonground"})


def test_every_contract_is_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_no_app_imports_a_layer_above_it(graph: grimp.ImportGraph) -> None:
    assert _illegal(graph) == set()


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("commonground.accounts.models", "commonground.sharing.services"),  # the old access-log cycle
        ("commonground.assessments.verification", "commonground.actions.followup"),  # now a signal
        ("commonground.snapshots.fingerprint", "commonground.actions.models"),
        ("commonground.common.ids", "commonground.web.views"),
    ],
)
def test_an_import_up_a_layer_is_caught(graph: grimp.ImportGraph, importer: str, imported: str) -> None:
    graph.add_import(importer=importer, imported=imported)
    try:
        found = {(d.importer, d.imported) for d in _illegal(graph)}
    finally:
        graph.remove_import(importer=importer, imported=imported)
    upper, lower = imported.split(".")[1], importer.split(".")[1]
    assert (f"commonground.{lower}", f"commonground.{upper}") in found


def test_every_ignored_import_exists_and_is_explained() -> None:
    """An ignore left after its import went would hide the next one; each carries its reason."""
    text = (ROOT / "pyproject.toml").read_text()
    built = grimp.build_graph("commonground", cache_dir=None)
    for line in LAYERS["ignore_imports"]:
        importer, imported = (part.strip() for part in line.split("->"))
        assert built.direct_import_exists(importer=importer, imported=imported), line
        before = text[: text.index(f'"{line}"')].rstrip().splitlines()[-1].strip()
        assert before.startswith("#") or before.endswith(","), line
    assert len(LAYERS["ignore_imports"]) <= 4  # decision 0026: fewer, never more, without a new reason
