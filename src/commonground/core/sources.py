"""Reading YAML and JSON files while remembering the line each mapping starts on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import fail

# The C parser is much faster; line marks work with it too.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[str, Any]):
    """A dict that knows the line (1-based) where it started in its file."""

    line: int | None = None
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that knows the line of each item."""

    lines: list[int | None]


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loading with YAML 1.2 booleans: only true/false are booleans, so the option codes
    `yes` and `no` (and the country code NO) stay strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    data = LineDict(loader.construct_mapping(node, deep=True))
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str | int | float | bool):
            if key in data.key_lines:  # YAML would silently keep the last one: refuse instead
                raise DuplicateKey(key, key_node.start_mark.line + 1)
            data.key_lines[key] = key_node.start_mark.line + 1
    return data


class DuplicateKey(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    data = LineList(loader.construct_sequence(node, deep=True))
    data.lines = [child.start_mark.line + 1 for child in node.value]
    return data


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date-like scalar that is no real day (2025-02-30) stays text, so the check that reads it
    names the file, the place and the value instead of the YAML library failing with a traceback."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# Files people supply (a buyer's code, `library check DIR`, an extra library directory) are bounded:
# at most this many bytes, and no anchors or aliases, refused before anything is built (a few
# nested aliases expand into gigabytes: the "billion laughs"). The shipped library is trusted.
MAX_FILE_BYTES = 1_000_000


def _refuse_aliases(text: str, *, file: str) -> None:
    """Walk the parser's events (linear in the text) and refuse the first anchor or alias."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise fail("yaml_alias", file=file, line=event.start_mark.line + 1)
    finally:
        loader.dispose()


def check_size(size: int, *, file: str) -> None:
    if size > MAX_FILE_BYTES:
        raise fail("file_too_large", file=file, size=size, max=MAX_FILE_BYTES)


def parse_yaml(text: str, *, file: str, trusted: bool = False) -> Any:
    """The YAML document in `text`; unless `trusted`, refuse one over MAX_FILE_BYTES or one with
    anchors or aliases, before building it."""
    try:
        if not trusted:
            check_size(len(text.encode("utf-8", "surrogatepass")), file=file)
            _refuse_aliases(text, file=file)
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except DuplicateKey as exc:
        raise fail("duplicate_key", file=file, line=exc.line, key=exc.key) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise fail("yaml_syntax", file=file, line=line, detail=exc.problem or str(exc)) from None
    except yaml.YAMLError as exc:
        raise fail("yaml_syntax", file=file, detail=str(exc)) from None


def read_text(path: Path, *, trusted: bool = False) -> str:
    if not path.exists():
        raise fail("file_missing", file=str(path))
    try:
        if not trusted:
            check_size(path.stat().st_size, file=str(path))
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail("file_unreadable", file=str(path), detail=str(exc)) from None


def load_document(path: Path, *, trusted: bool = False) -> Any:
    """Load a YAML or JSON file (by extension; YAML otherwise); bounded unless `trusted`."""
    text = read_text(path, trusted=trusted)
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise fail("json_syntax", file=str(path), line=exc.lineno, detail=exc.msg) from None
    return parse_yaml(text, file=str(path), trusted=trusted)


def line_of(root: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest mapping or list item along `loc` inside `root`."""
    line = getattr(root, "line", None)
    node = root
    for key in loc:
        if isinstance(node, LineList) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lines[key] or line
            node = node[key]
        elif isinstance(node, dict) and key in node:
            line = getattr(node, "key_lines", {}).get(key, line)
            node = node[key]
        else:
            break
        line = getattr(node, "line", None) or line
    return line


def format_loc(loc: tuple[Any, ...]) -> str:
    """('requirements', 3, 'rule') -> 'requirements[3].rule'."""
    out = ""
    for key in loc:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else str(key)
    return out
