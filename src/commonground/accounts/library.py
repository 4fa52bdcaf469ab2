"""The library in force: the shipped files plus every buyer's own code (a BuyerCode, kept by this
app), parsed once per process for each set of codes (one small query per call tells which codes exist
and when each was last saved): a pure function of immutable texts, too big and too cheap to rebuild
to be worth sending over a network (docs/decisions/0019). A framework set's *version* is the shipped
files' content hash plus the save time of each buyer's code in the set: a buyer's upload changes the
version of the sets holding its code, no other. Every app below the evaluations reads the library
here (decision 0026)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from commonground.accounts.models import BuyerCode
from commonground.core.errors import CommonGroundError
from commonground.core.library import SHIPPED, Library, cached_library, load_library

Stamps = tuple[tuple[str, dt.datetime], ...]


class Loaded(NamedTuple):
    library: Library
    stamps: Stamps  # each buyer's code (framework id) and when it was last saved

    def version(self, framework_ids: Iterable[str]) -> str:
        """What results against these frameworks depend on, as a short string for keys."""
        codes = dict(self.stamps)
        mine = [f"{f}@{codes[f].isoformat()}" for f in framework_ids if f in codes]
        return hashlib.sha256("|".join([shipped_version(), *mine]).encode()).hexdigest()[:20]


def current() -> Loaded:
    """The library in force with the stamps of the buyers' codes in it (one small query)."""
    stamps = tuple(BuyerCode.objects.order_by("framework_id").values_list("framework_id", "uploaded_at"))
    return Loaded(_library_at(stamps) if stamps else cached_library(), stamps)


def library() -> Library:
    """The shipped library plus every buyer's own code, reloaded when a code changes."""
    return current().library


def library_version() -> str:
    """The whole library's version: the shipped files and every buyer's code."""
    loaded = current()
    return loaded.version(f for f, _ in loaded.stamps)


@lru_cache(maxsize=1)
def shipped_version() -> str:
    """A hash of the shipped library files (read once per process: they never change while it runs)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in SHIPPED.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(SHIPPED)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def _library_at(stamps: Stamps) -> Library:
    codes = tuple(BuyerCode.objects.order_by("framework_id").values_list("framework_id", "text"))
    return _library_with(codes) if codes else cached_library()


@lru_cache(maxsize=4)
def _library_with(codes: tuple[tuple[str, str], ...]) -> Library:
    documents = [(f"{framework_id}.yaml", text) for framework_id, text in codes]
    try:
        return load_library(documents=documents)
    except CommonGroundError:  # a stored code no longer fits the catalogue: keep the ones that do
        good = [d for d in documents if _loads(d)]
        return load_library(documents=good)


def _loads(document: tuple[str, str]) -> bool:
    try:
        load_library(documents=[document])
    except CommonGroundError:
        return False
    return True
