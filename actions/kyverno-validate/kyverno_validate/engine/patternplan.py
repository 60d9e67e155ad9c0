"""Compiled patterns: a closure per pattern node that tells whether a resource passes.

The interpreter (:mod:`patterns`) walks the pattern tree and builds each failure's message and
path. Most resources pass most patterns, and a pass needs neither: :func:`check_of` turns a node
(compiled once per policy, :mod:`nodes`) into nested closures that give the interpreter's
verdict, None for a pass or the kind of :class:`PatternError` it would raise (``fail``,
``negation``, ``conditional``, ``global``). Anchor and leaf semantics are the interpreter's,
step for step; what is not mirrored here (existence anchors, wildcard metadata keys) runs the
interpreter on that node. Callers re-run the interpreter for a failure's message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kyverno_validate.engine.anchors import (
    CONDITION,
    EQUALITY,
    GLOBAL,
    NEGATION,
    ElementValidator,
    PatternError,
)
from kyverno_validate.engine.nodes import ArrayNode, MapNode
from kyverno_validate.engine.quantity import parse_duration
from kyverno_validate.engine.valuepattern import (
    EQUAL,
    NOT_EQUAL,
    _compare_string,
    _quantity,
    _string_pattern,
    operator_of,
    validate_value,
)

Check = Callable[[Any], str | None]  # None: passes; else the kind of PatternError
Leaf = Callable[[Any], bool]
FAIL = "fail"
SKIPS = ("conditional", "global")
_SCALARS = (str, int, float, bool, type(None))
_CHECKS: dict[int, tuple[Any, Check]] = {}
_LIMIT = 65536


def check_of(node: MapNode | ArrayNode, interpret: ElementValidator) -> Check:
    """The compiled verdict of a node compiled at policy load (kept per node)."""
    found = _CHECKS.get(id(node))
    if found is not None and found[0] is node:
        return found[1]
    if len(_CHECKS) > _LIMIT:
        _CHECKS.clear()
    check = _compile(node, interpret)
    _CHECKS[id(node)] = (node, check)  # holding the node keeps its id unique
    return check


def _interpreted(node: Any, interpret: ElementValidator) -> Check:
    def check(resource: Any) -> str | None:
        try:
            interpret(resource, node, "/")
        except PatternError as exc:
            return exc.kind
        return None

    return check


def _compile(node: Any, interpret: ElementValidator) -> Check:
    try:
        if isinstance(node, MapNode):
            return _map(node, interpret)
        if isinstance(node, ArrayNode):
            return _array(node, interpret)
        if isinstance(node, _SCALARS):
            return _scalar(node)
    except Exception:
        return _interpreted(node, interpret)
    return _interpreted(node, interpret)


def _anchor_step(modifier: str, key: str, child: Check) -> Check | None:
    if modifier == NEGATION:
        return lambda r: "negation" if key in r else None
    if modifier == EQUALITY:
        return lambda r: child(r[key]) if key in r else None
    if modifier == CONDITION:
        return lambda r: "conditional" if key not in r or child(r[key]) is not None else None
    return None


def _map(node: MapNode, interpret: ElementValidator) -> Check:
    if node.wildcard_metadata is not None:
        return _interpreted(node, interpret)
    steps: list[Check] = []
    for modifier, key, child in node.anchors:
        step = _anchor_step(modifier, key, _compile(child, interpret))
        if step is None:  # existence anchors: the interpreter
            return _interpreted(node, interpret)
        steps.append(step)
    if not steps and len(node.rest) == 1 and node.rest[0][0] is None:
        return _one_key(*node.rest[0][1:], interpret)  # a map of one plain key: a path step
    for global_modifier, plain_key, value in node.rest:
        steps.append(_rest_step(global_modifier, plain_key, value, interpret))

    def check(resource: Any) -> str | None:
        if not isinstance(resource, dict):
            return FAIL
        for step in steps:
            kind = step(resource)
            if kind is not None:
                return kind
        return None

    return check


def _one_key(key: str, child: Any, interpret: ElementValidator) -> Check:
    if isinstance(child, str) and child == "*":
        return lambda r: FAIL if not isinstance(r, dict) or r.get(key) is None else None
    compiled = _compile(child, interpret)

    def check(resource: Any) -> str | None:
        if not isinstance(resource, dict):
            return FAIL
        return compiled(resource.get(key))

    return check


def _rest_step(modifier: str | None, key: str, child: Any, interpret: ElementValidator) -> Check:
    if isinstance(child, str) and child == "*" and modifier != GLOBAL:
        return lambda r: FAIL if r.get(key) is None else None
    compiled = _compile(child, interpret)
    if modifier == GLOBAL:
        return lambda r: "global" if key in r and compiled(r[key]) is not None else None
    return lambda r: compiled(r.get(key))


def _array(node: ArrayNode, interpret: ElementValidator) -> Check:
    items = node.items
    if not items:
        return lambda _r: FAIL
    first = items[0]
    if isinstance(first, _SCALARS):
        scalar = _scalar(first)
        return lambda r: scalar(r) if isinstance(r, list) else FAIL
    checks = [_compile(item, interpret) for item in items]
    if isinstance(first, MapNode):
        each = checks[0]

        def check_each(resource: Any) -> str | None:
            if not isinstance(resource, list):
                return FAIL
            return _each(resource, [each] * len(resource))

        return check_each

    def check_items(resource: Any) -> str | None:
        if not isinstance(resource, list) or len(resource) < len(checks):
            return FAIL
        return _each(resource, checks)

    return check_items


def _each(resource: list[Any], checks: list[Check]) -> str | None:
    """``_validate_each``: skipped elements count only when none applied."""
    applied = 0
    skipped: str | None = None
    for element, check in zip(resource, checks, strict=False):
        kind = check(element)
        if kind is None:
            applied += 1
        elif kind in SKIPS:
            skipped = skipped or kind
        else:
            return kind
    return skipped if applied == 0 and skipped else None


def _scalar(pattern: Any) -> Check:
    leaf = _leaf(pattern)

    def check(resource: Any) -> str | None:
        if isinstance(resource, list):
            return None if all(leaf(item) for item in resource) else FAIL
        return None if leaf(resource) else FAIL

    return check


def _leaf(pattern: Any) -> Leaf:
    """``validate_value(value, pattern)``, with a string pattern's parsing done once."""
    if not isinstance(pattern, str):
        return lambda value: validate_value(value, pattern)
    alternatives = [
        [_part(part.strip(" ")) for part in alternative.strip(" ").split("&")]
        for alternative in pattern.split("|")
    ]
    if len(alternatives) == 1 and len(alternatives[0]) == 1:
        only = alternatives[0][0]
        return lambda value: (isinstance(value, str) and value == pattern) or only(value)

    def leaf(value: Any) -> bool:
        if isinstance(value, str) and value == pattern:
            return True
        return any(all(part(value) for part in parts) for parts in alternatives)

    return leaf


def _part(part: str) -> Leaf:
    """``_string_pattern(value, part)``; a part that is neither a duration nor a quantity is a
    plain (wildcard) string comparison."""
    op = operator_of(part)
    rest = part[len(op) :].strip()
    if op in (EQUAL, NOT_EQUAL) and parse_duration(rest) is None and _quantity(rest) is None:
        return lambda value: _compare_string(value, rest, op)
    return lambda value: _string_pattern(value, part)
