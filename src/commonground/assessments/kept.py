"""A bounded store of results kept in memory per process, emptied whenever the library changes.

Used for what follows from a verified (locked) assessment and the library alone: its evaluation
(`services.evaluate_assessment`) and a portfolio's outcome (`sharing.outcomes`). Never for grants or
access decisions, which are checked on every call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from commonground.core.library import Library

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Least recently used first out; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._library: Library | None = None  # held, so that its id cannot be reused
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, lib: Library, keys: Iterable[K]) -> dict[K, V]:
        with self._lock:
            self._follow(lib)
            found = {k: self._entries[k] for k in keys if k in self._entries}
            for key in found:
                self._entries.move_to_end(key)
            return found

    def put(self, lib: Library, values: dict[K, V]) -> None:
        with self._lock:
            self._follow(lib)
            self._entries.update(values)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._library, self._entries = None, OrderedDict()

    def _follow(self, lib: Library) -> None:
        if lib is not self._library:
            self._library, self._entries = lib, OrderedDict()
