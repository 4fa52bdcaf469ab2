"""A bounded store kept in memory per process, for values whose keys carry every version they
depend on (so one process's store is never stale for another, and nothing is emptied wholesale:
the least recently used go first). Used for engines and evaluations (assessments.evaluations);
values shared between processes go to Django's cache instead (decision 0019). Never for grants or
access decisions, which are checked on every call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Least recently used first out; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, keys: Iterable[K]) -> dict[K, V]:
        with self._lock:
            found = {k: self._entries[k] for k in keys if k in self._entries}
            for key in found:
                self._entries.move_to_end(key)
            return found

    def put(self, values: dict[K, V]) -> None:
        with self._lock:
            self._entries.update(values)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries = OrderedDict()
