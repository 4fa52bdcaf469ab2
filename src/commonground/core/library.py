"""The library: data points, parameters and frameworks read from YAML directories and checked.

`load_library()` reads the shipped library plus any extra directories, checks every file and
every cross-reference, and raises one CommonGroundError listing every problem found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .catalogue import DataPoint, TopicFile, TopicHeader
from .errors import CommonGroundError, Problem
from .frameworks import Framework, FrameworkSpec, Requirement, RequirementSpec
from .imports.profile import ImportFile, ImportProfile, check_profile
from .parameters import Parameter, ParameterFile
from .rules import Rule, RuleProblem, parameters_of, parse
from .solutions import Solution, SolutionFile, TrainingFile, TrainingResource
from .sources import format_loc, line_of, load_document, parse_yaml
from .state_forms import FormFile, StateForm, check_form
from .text import Model
from .validation import validate

M = TypeVar("M", bound=Model)
SHIPPED = Path(__file__).resolve().parent.parent / "library"


@dataclass
class Library:
    datapoints: dict[str, DataPoint] = field(default_factory=dict)
    topics: dict[str, TopicHeader] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(default_factory=dict)
    solutions: dict[str, Solution] = field(default_factory=dict)
    trainings: dict[str, TrainingResource] = field(default_factory=dict)
    imports: dict[str, ImportProfile] = field(default_factory=dict)  # import profiles, by id
    forms: dict[str, StateForm] = field(default_factory=dict)  # the state's forms, by id
    origin: dict[str, str] = field(default_factory=dict)  # id -> "file:line"
    context: frozenset[str] = frozenset()  # data points of context topics (the facility profile)

    def framework(self, framework_id: str) -> Framework:
        from .errors import fail

        if framework_id not in self.frameworks:
            raise fail("unknown_framework", id=framework_id, known=", ".join(sorted(self.frameworks)))
        return self.frameworks[framework_id]

    def select(self, framework_ids: Sequence[str] = ()) -> list[Framework]:
        """The frameworks named (in that order), or every framework when none is named."""
        if not framework_ids:
            return [self.frameworks[k] for k in sorted(self.frameworks)]
        return [self.framework(f) for f in dict.fromkeys(framework_ids)]

    def needs(self, requirement: Requirement) -> tuple[str, ...]:
        """The facts needed to evaluate a requirement, the keys of its parameters included."""
        keys = (self.parameters[p].key for p in parameters_of_requirement(requirement))
        return tuple(dict.fromkeys([*requirement.datapoints, *(k for k in keys if k)]))

    def resolve_parameters(self, day: dt.date, values: dict[str, Any]) -> dict[str, float | None]:
        """Each parameter's value in force on `day`, picked by its key answer where it has one."""
        out: dict[str, float | None] = {}
        for pid, param in self.parameters.items():
            key = values.get(param.key) if param.key else None
            out[pid] = param.value_on(day, None if key is None else str(key))
        return out


def parameters_of_requirement(requirement: Requirement) -> tuple[str, ...]:
    rules = (requirement.rule, requirement.applies_when, requirement.partial)
    return tuple(dict.fromkeys(p for rule in rules for p in parameters_of(rule)))


# ---- reading ----------------------------------------------------------------------------------


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix.lower() in (".yaml", ".yml", ".json"))


def _kind_of(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    if "import" in raw:
        return "import"
    if "form" in raw:
        return "form"
    if "solutions" in raw:
        return "solution"
    if "trainings" in raw:
        return "training"
    if "datapoints" in raw:
        return "topic"
    if "parameters" in raw:
        return "parameters"
    if "requirements" in raw:
        return "framework"
    return None


@dataclass
class _Raw:
    file: str
    data: Any
    shipped: bool = False  # a file of the shipped library (else a directory or a code added to it)


def _read(directories: Iterable[Path], problems: list[Problem]) -> dict[str, list[_Raw]]:
    found: dict[str, list[_Raw]] = {
        k: [] for k in ("topic", "parameters", "framework", "training", "solution", "import", "form")
    }
    for directory in directories:
        paths = [directory] if directory.is_file() else _files(directory)
        if not directory.exists():
            problems.append(Problem("file_missing", str(directory)))
            continue
        trusted = directory.resolve() == SHIPPED  # the shipped library may keep its anchors
        for path in paths:
            try:
                data = load_document(path, trusted=trusted)
            except CommonGroundError as exc:
                problems.extend(exc.problems)
                continue
            _classify(_Raw(_display(path), data, trusted), found, problems)
    return found


def _classify(raw: _Raw, found: dict[str, list[_Raw]], problems: list[Problem]) -> None:
    kind = _kind_of(raw.data)
    if kind is None:
        where = {"field": "datapoints | parameters | requirements | solutions | trainings | import | form"}
        problems.append(Problem("field_missing", raw.file, getattr(raw.data, "line", None), "", where))
    else:
        found[kind].append(raw)


def _read_texts(
    documents: Iterable[tuple[str, str]], found: dict[str, list[_Raw]], problems: list[Problem]
) -> None:
    """Library files given as text (a buyer's code stored in the database), named for messages."""
    for name, text in documents:
        try:
            _classify(_Raw(name, parse_yaml(text, file=name)), found, problems)
        except CommonGroundError as exc:
            problems.extend(exc.problems)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ---- checking ---------------------------------------------------------------------------------


def _add_topics(lib: Library, raws: list[_Raw], problems: list[Problem], namespaced: bool) -> None:
    for raw in raws:
        topic_file = validate(TopicFile, raw.data, raw.file, problems) or _salvage_topic(raw.data)
        if topic_file is None:
            continue
        if namespaced:
            line = line_of(raw.data, ("topic", "id"))
            _namespace_ok(topic_file.topic.id, raw, line, "topic.id", problems)
        lib.topics.setdefault(topic_file.topic.id, topic_file.topic)
        for index, dp in enumerate(topic_file.datapoints):
            line = line_of(raw.data, ("datapoints", index))
            where = f"datapoints[{index}]"
            if dp.topic != topic_file.topic.id:
                problems.append(
                    Problem(
                        "id_topic_mismatch",
                        raw.file,
                        line,
                        where,
                        {"id": dp.id, "topic": topic_file.topic.id},
                    )
                )
            elif _unique(lib.origin, dp.id, raw.file, line, where, problems):
                lib.datapoints[dp.id] = dp


# Ids a buyer (or anyone adding to the shipped library) defines live in their own namespace, never
# used by a release: a topic or parameter area starting `x_`, then the organisation (decision 0037).
EXTENSION_PREFIX = "x_"


def _namespace_ok(id_: str, raw: _Raw, line: int | None, where: str, problems: list[Problem]) -> None:
    """A data point topic or parameter id added to the shipped library starts with `x_<org>`; one
    of the shipped library never does."""
    area = id_.split(".", 1)[0]
    own = area.startswith(EXTENSION_PREFIX) and len(area) > len(EXTENSION_PREFIX)
    if raw.shipped and area.startswith(EXTENSION_PREFIX):
        problems.append(Problem("id_reserved", raw.file, line, where, {"id": id_}))
    elif not raw.shipped and not own:
        example = f"x_mybrand.{id_.split('.', 1)[1]}" if "." in id_ else "x_mybrand"
        problems.append(Problem("id_not_namespaced", raw.file, line, where, {"id": id_, "example": example}))


def _valid_items(model: type[M], items: Any) -> tuple[M, ...]:
    """The items of a list that are right on their own (their problems are already reported)."""
    if not isinstance(items, list):
        return ()
    return tuple(item for raw in items if (item := validate(model, raw, "", [])) is not None)


def _salvage_topic(data: Any) -> TopicFile | None:
    """A topic file with problems: its header and the data points that are right, so that rules
    reading them are still checked (and not reported as reading unknown data points)."""
    header = validate(TopicHeader, data.get("topic"), "", []) if isinstance(data, dict) else None
    if header is None:
        return None
    return TopicFile.model_construct(topic=header, datapoints=_valid_items(DataPoint, data.get("datapoints")))


def _unique(
    origin: dict[str, str],
    key: str,
    file: str,
    line: int | None,
    where: str,
    problems: list[Problem],
) -> bool:
    if key in origin:
        problems.append(Problem("duplicate_id", file, line, where, {"id": key, "first": origin[key]}))
        return False
    origin[key] = f"{file}:{line}"
    return True


def _add_parameters(lib: Library, raws: list[_Raw], problems: list[Problem], namespaced: bool) -> None:
    for raw in raws:
        param_file = validate(ParameterFile, raw.data, raw.file, problems)
        if param_file is None:  # still read the parameters that are right, for the rules using them
            param_file = ParameterFile.model_construct(
                parameters=_valid_items(Parameter, raw.data.get("parameters"))
            )
        for index, param in enumerate(param_file.parameters):
            line = line_of(raw.data, ("parameters", index))
            where = f"parameters[{index}]"
            _param_key_ok(lib, param, raw.file, line, where, problems)
            if namespaced:
                _namespace_ok(
                    param.id, raw, line_of(raw.data, ("parameters", index, "id")), f"{where}.id", problems
                )
            if _unique(lib.origin, f"param:{param.id}", raw.file, line, where, problems):
                lib.parameters[param.id] = param  # kept even when broken: one problem, not a cascade


def _param_key_ok(
    lib: Library, param: Parameter, file: str, line: int | None, where: str, problems: list[Problem]
) -> None:
    if param.key is None:
        return
    dp = lib.datapoints.get(param.key)
    if dp is None:
        problems.append(Problem("unknown_datapoint", file, line, f"{where}.key", {"id": param.key}))
        return
    if dp.type != "enum":
        problems.append(Problem("param_key_invalid", file, line, f"{where}.key", {"id": param.key}))
        return
    stray = param.keys() - set(dp.option_values)
    if stray:
        problems.append(
            Problem(
                "option_unknown",
                file,
                line,
                f"{where}.values",
                {"value": ", ".join(sorted(stray)), "choices": ", ".join(dp.option_values)},
            )
        )


def _add_frameworks(lib: Library, raws: list[_Raw], problems: list[Problem]) -> None:
    param_units = {pid: p.unit for pid, p in lib.parameters.items() if not p.keyed or p.key}
    for pid, p in lib.parameters.items():  # `id[key]` in an expression: the value for a named key
        keys = sorted(p.keys())
        param_units.update({f"{pid}[{key}]": p.unit for key in keys})
    for raw in raws:
        spec = validate(FrameworkSpec, raw.data, raw.file, problems)
        if spec is None:  # its rules are still checked: every problem of the file in one run
            _check_raw_rules(lib, param_units, raw, problems)
            continue
        line = line_of(raw.data, ())
        if not _unique(lib.origin, f"framework:{spec.id}", raw.file, line, "id", problems):
            continue
        before = len(problems)
        requirements = _requirements(lib, spec, param_units, raw, problems)
        if len(problems) == before:
            lib.frameworks[spec.id] = Framework(spec, requirements, raw.file)


def _requirements(
    lib: Library,
    spec: FrameworkSpec,
    param_units: dict[str, str | None],
    raw: _Raw,
    problems: list[Problem],
) -> tuple[Requirement, ...]:
    seen: dict[str, str] = {}
    sections = {s.id for s in spec.sections}
    out = []
    for index, req in enumerate(spec.requirements):
        base = ("requirements", index)
        line = line_of(raw.data, base)
        _unique(seen, req.id, raw.file, line, format_loc(base), problems)
        _check_section(req, sections, raw.file, line, format_loc(base), problems)
        rules = [
            _parse(getattr(req, name), lib, param_units, raw, (*base, name), problems)
            for name in ("rule", "applies_when", "partial")
        ]
        out.append(Requirement(spec.id, req, *rules))
    return tuple(out)


def _check_raw_rules(
    lib: Library, param_units: dict[str, str | None], raw: _Raw, problems: list[Problem]
) -> None:
    """The rules of a framework file that has other problems, read from the file as it is."""
    requirements = raw.data.get("requirements")
    for index, req in enumerate(requirements if isinstance(requirements, list) else ()):
        for name in ("rule", "applies_when", "partial"):
            if isinstance(req, dict) and isinstance(req.get(name), dict):
                _parse(req[name], lib, param_units, raw, ("requirements", index, name), problems)


def _check_section(
    req: RequirementSpec,
    sections: set[str],
    file: str,
    line: int | None,
    where: str,
    problems: list[Problem],
) -> None:
    if req.level is not None and req.section is None:
        problems.append(Problem("level_without_section", file, line, where))
    if req.section is not None and sections and req.section not in sections:
        problems.append(Problem("unknown_section", file, line, f"{where}.section", {"id": req.section}))


def _parse(
    raw_rule: Any,
    lib: Library,
    param_units: dict[str, str | None],
    raw: _Raw,
    loc: tuple[Any, ...],
    problems: list[Problem],
) -> Rule | None:
    if raw_rule is None or raw_rule == "manual":
        return None
    try:
        return parse(raw_rule, lib.datapoints, param_units)
    except RuleProblem as exc:
        full = (*loc, *exc.path)
        problems.append(Problem(exc.code, raw.file, line_of(raw.data, full), format_loc(full), exc.params))
        return None


def _add_trainings(lib: Library, raws: list[_Raw], problems: list[Problem]) -> None:
    for raw in raws:
        training_file = validate(TrainingFile, raw.data, raw.file, problems)
        for index, training in enumerate(training_file.trainings if training_file else ()):
            base = ("trainings", index)
            _references(lib, raw, base, training.topic, training.datapoints, (), problems)
            line = line_of(raw.data, base)
            if _unique(lib.origin, f"training:{training.id}", raw.file, line, format_loc(base), problems):
                lib.trainings[training.id] = training


def _add_solutions(lib: Library, raws: list[_Raw], problems: list[Problem]) -> None:
    for raw in raws:
        solution_file = validate(SolutionFile, raw.data, raw.file, problems)
        for index, s in enumerate(solution_file.solutions if solution_file else ()):
            base = ("solutions", index)
            _references(lib, raw, base, s.topic, s.datapoints, s.trainings, problems)
            line = line_of(raw.data, base)
            if _unique(lib.origin, f"solution:{s.id}", raw.file, line, format_loc(base), problems):
                lib.solutions[s.id] = s


def _references(
    lib: Library,
    raw: _Raw,
    base: tuple[str, int],
    topic: str,
    datapoints: tuple[str, ...],
    trainings: tuple[str, ...],
    problems: list[Problem],
) -> None:
    """A solution's or training's topic, data points and trainings must exist in the library."""
    checks: list[tuple[str, int | None, str, Mapping[str, object], str]]
    checks = [("topic", None, topic, lib.topics, "unknown_topic")]
    checks += [("datapoints", k, dp, lib.datapoints, "unknown_datapoint") for k, dp in enumerate(datapoints)]
    checks += [("trainings", k, t, lib.trainings, "unknown_training") for k, t in enumerate(trainings)]
    for name, k, value, known, code in checks:
        if value not in known:
            loc = (*base, name) if k is None else (*base, name, k)
            problems.append(Problem(code, raw.file, line_of(raw.data, loc), format_loc(loc), {"id": value}))


def _add_kept(
    lib: Library,
    raws: list[_Raw],
    problems: list[Problem],
    kind: tuple[type[Any], str],
    check: Callable[[Any, Any, str], None],
) -> dict[str, Any]:
    """Each file of one kind (`kind`: its model and its top-level key, "import" or "form") validated,
    its id unique across the library, then `check(item, raw data, file)`; the items with no problem,
    by id."""
    model, key = kind
    kept: dict[str, Any] = {}
    for raw in raws:
        parsed = validate(model, raw.data, raw.file, problems)
        if parsed is None:
            continue
        item = getattr(parsed, f"{key}_" if key == "import" else key)
        line = line_of(raw.data, (key,))
        if not _unique(lib.origin, f"{key}:{item.id}", raw.file, line, f"{key}.id", problems):
            continue
        before = len(problems)
        check(item, raw.data, raw.file)
        if len(problems) == before:
            kept[item.id] = item
    return kept


def _add_imports(lib: Library, raws: list[_Raw], problems: list[Problem]) -> None:
    def check(profile: ImportProfile, data: Any, file: str) -> None:
        check_profile(profile, lib.datapoints, data, file, problems)

    lib.imports.update(_add_kept(lib, raws, problems, (ImportFile, "import"), check))


def _add_forms(lib: Library, raws: list[_Raw], problems: list[Problem]) -> None:
    def check(form: StateForm, data: Any, file: str) -> None:
        check_form(form, lib, data, file, problems)

    lib.forms.update(_add_kept(lib, raws, problems, (FormFile, "form"), check))


def load_library(
    extra: Sequence[Path | str] = (),
    *,
    shipped: bool = True,
    documents: Iterable[tuple[str, str]] = (),
    namespaced: bool = False,
) -> Library:
    """Read and check the library (plus `documents`: (name, YAML text) pairs); raise
    CommonGroundError listing every problem. `namespaced` (`library check`, a buyer's upload): the
    data points and parameters `extra` and `documents` add to the shipped library must be in an
    `x_<org>` namespace, and the shipped library's never are (decision 0037)."""
    directories = ([SHIPPED] if shipped else []) + [Path(d) for d in extra]
    problems: list[Problem] = []
    raws = _read(directories, problems)
    _read_texts(documents, raws, problems)
    lib = Library()
    namespaced = namespaced and shipped  # a library read without the shipped one names ids freely
    _add_topics(lib, raws["topic"], problems, namespaced)
    _add_parameters(lib, raws["parameters"], problems, namespaced)
    _add_frameworks(lib, raws["framework"], problems)
    _add_trainings(lib, raws["training"], problems)
    _add_solutions(lib, raws["solution"], problems)
    _add_imports(lib, raws["import"], problems)
    _add_forms(lib, raws["form"], problems)
    context_topics = {t for t, header in lib.topics.items() if header.context}
    lib.context = frozenset(dp for dp in lib.datapoints if dp.split(".", 1)[0] in context_topics)
    if problems:  # file by file, in the order of their lines
        raise CommonGroundError(sorted(problems, key=lambda p: (p.file, p.line or 0)))
    return lib


@lru_cache(maxsize=8)
def cached_library(extra: tuple[str, ...] = ()) -> Library:
    """The library for these extra directories, loaded once per process."""
    return load_library(extra)
