"""A bounded memo of a pure, costly computation, kept per process.

For work that depends only on its arguments and is asked for again and again with the
same ones (a chart of the same table, the disclosure control of the same figures):
every statistics page and report download repeats it until the records change. The
key must hold everything the result depends on; the least recently used entries go
first once `size` are kept. Safe to share between threads (a race computes twice and
keeps one result)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for `key`, or `compute()` kept for it."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
