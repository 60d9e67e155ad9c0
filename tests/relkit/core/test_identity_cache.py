"""One helper for the caches keyed by an object's identity (parser options, rule values)."""

from __future__ import annotations

from relkit.core.identity_cache import IdentityCache


def test_computes_once_per_object_and_tells_equal_objects_apart() -> None:
    cache: IdentityCache[str] = IdentityCache(limit=8)
    calls: list[object] = []

    def compute(owner: list[int]) -> str:
        calls.append(owner)
        return f"n={len(owner)}"

    first, twin = [1, 2], [1, 2]  # equal, not the same object: unhashable lists work too
    assert cache.get(first, lambda: compute(first)) == "n=2"
    assert cache.get(first, lambda: compute(first)) == "n=2"
    assert cache.get(twin, lambda: compute(twin)) == "n=2"
    assert [id(c) for c in calls] == [id(first), id(twin)]


def test_a_reused_id_is_not_mistaken_for_the_old_object() -> None:
    cache: IdentityCache[int] = IdentityCache(limit=8)
    owner = [1]
    cache.get(owner, lambda: 1)
    key = id(owner)
    del owner
    newcomer = [2]
    # whatever object now has the old id (CPython often reuses it) gets its own answer
    assert cache.get(newcomer, lambda: 2) == 2 or id(newcomer) != key


def test_extra_keys_and_the_bound() -> None:
    cache: IdentityCache[str] = IdentityCache(limit=2)
    value = ("lower-case",)
    assert cache.get(value, lambda: "a", extra="feat") == "a"
    assert cache.get(value, lambda: "b", extra="fix") == "b"
    assert cache.get(value, lambda: "zzz", extra="feat") == "a"
    cache.get(value, lambda: "c", extra="docs")  # over the bound: the cache starts over
    assert len(cache) == 1
    assert cache.get(value, lambda: "new", extra="feat") == "new"
