"""A cache of values computed from an object, keyed by the object's identity.

Parser options and rule values live as long as their config and are used for every message:
hashing them on each lookup costs more than the work saved, so they are looked up by ``id()``.
An entry keeps its object and is used only for that very object (an ``id`` is reused once its
object is gone), and the cache starts over when it holds ``limit`` entries.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityCache(Generic[V]):
    """``get(owner, compute, extra=…)``: ``compute()`` once per (``owner`` object, ``extra``)."""

    __slots__ = ("_entries", "_limit")

    def __init__(self, limit: int) -> None:
        self._entries: dict[tuple[int, Hashable], tuple[object, V]] = {}
        self._limit = limit

    def get(self, owner: object, compute: Callable[[], V], extra: Hashable = None) -> V:
        key = (id(owner), extra)
        cached = self._entries.get(key)
        if cached is not None and cached[0] is owner:
            return cached[1]
        value = compute()
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[key] = (owner, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)
