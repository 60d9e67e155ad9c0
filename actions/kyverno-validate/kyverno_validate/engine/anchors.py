"""Pattern anchors: ``(key)`` condition, ``<(key)`` global, ``=(key)`` equality, ``X(key)``
negation, ``^(key)`` existence and ``+(key)`` add-if-not-present.

One handler per anchor kind behind the :class:`AnchorHandler` Protocol, chosen through the
explicit :data:`HANDLERS` registry (``pkg/engine/anchor/handlers.go``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

CONDITION, GLOBAL, EQUALITY, NEGATION, EXISTENCE, ADD_IF_NOT_PRESENT = "", "<", "=", "X", "^", "+"

_ANCHOR = re.compile(r"^(?P<modifier>[+<=X^])?\((?P<key>.+)\)$")


@dataclass(frozen=True, slots=True)
class Anchor:
    modifier: str
    key: str


@lru_cache(maxsize=8192)
def parse_anchor(text: str) -> Anchor | None:
    found = _ANCHOR.match(text)
    if found is None:
        return None
    return Anchor(found.group("modifier") or "", found.group("key"))


class PatternError(Exception):
    """A pattern mismatch; ``kind`` tells how the rule treats it."""

    def __init__(self, message: str, path: str, kind: str = "fail") -> None:
        super().__init__(message)
        self.path = path
        self.kind = kind  # "fail", "conditional", "global", "negation"

    @property
    def skip(self) -> bool:
        return self.kind in ("conditional", "global")


# validate(resource_element, pattern_element, path) -> None or raises PatternError
ElementValidator = Callable[[Any, Any, str], None]


class AnchorHandler(Protocol):
    def __call__(
        self,
        validate: ElementValidator,
        key: str,
        pattern: Any,
        resource: dict[str, Any],
        path: str,
    ) -> None: ...


def handle_negation(
    validate: ElementValidator, key: str, pattern: Any, resource: dict[str, Any], path: str
) -> None:
    del validate, pattern
    if key in resource:
        here = f"{path}{key}/"
        raise PatternError(f"{here} is not allowed", here, "negation")


def handle_equality(
    validate: ElementValidator, key: str, pattern: Any, resource: dict[str, Any], path: str
) -> None:
    if key in resource:
        validate(resource[key], pattern, f"{path}{key}/")


def handle_condition(
    validate: ElementValidator, key: str, pattern: Any, resource: dict[str, Any], path: str
) -> None:
    here = f"{path}{key}/"
    if key not in resource:
        raise PatternError(
            "conditional anchor key doesn't exist in the resource", here, "conditional"
        )
    try:
        validate(resource[key], pattern, here)
    except PatternError as exc:
        raise PatternError(str(exc), exc.path, "conditional") from exc


def handle_global(
    validate: ElementValidator, key: str, pattern: Any, resource: dict[str, Any], path: str
) -> None:
    if key not in resource:
        return
    try:
        validate(resource[key], pattern, f"{path}{key}/")
    except PatternError as exc:
        raise PatternError(str(exc), exc.path, "global") from exc


def handle_existence(
    validate: ElementValidator, key: str, pattern: Any, resource: dict[str, Any], path: str
) -> None:
    here = f"{path}{key}/"
    if key not in resource:
        return
    value = resource[key]
    if not isinstance(value, list):
        raise PatternError(
            f"invalid resource type: existence anchor can be used only on list type at {here}",
            here,
        )
    items = getattr(pattern, "items", None)
    if not isinstance(items, tuple):
        raise PatternError("invalid pattern type: existence anchor needs a list pattern", here)
    for item in items:
        if not hasattr(item, "anchors"):
            raise PatternError("invalid pattern type: existence anchor needs maps", here)
        for index, element in enumerate(value):
            try:
                validate(element, item, f"{here}{index}/")
            except PatternError:
                continue
            break
        else:
            raise PatternError(f"existence anchor validation failed at path {here}", here)


def handle_default(
    validate: ElementValidator, key: str, pattern: Any, resource: dict[str, Any], path: str
) -> None:
    value = resource.get(key)
    if pattern == "*":
        if value is None:
            raise PatternError(f"{path}/{key} not found", path)
        return
    validate(value, pattern, f"{path}{key}/")


HANDLERS: dict[str, AnchorHandler] = {
    CONDITION: handle_condition,
    GLOBAL: handle_global,
    EQUALITY: handle_equality,
    NEGATION: handle_negation,
    EXISTENCE: handle_existence,
}
# ``+(key)`` (add-if-not-present) is a mutate anchor: like Kyverno, a validation pattern treats
# the whole text as a plain key (see ``patterns.py``).
