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

# a failure: the PatternError's kind and its path after the node's own path (None: the
# interpreter's path "", an array shorter than its pattern)
Verdict = tuple[str, str | None]
Check = Callable[[Any], Verdict | None]  # None: passes
Leaf = Callable[[Any], bool]
FAIL = "fail"
_FAILED: Verdict = (FAIL, "")
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


def full_path(verdict: Verdict) -> str:
    """The interpreter's path of a failure found from the pattern's root."""
    return "" if verdict[1] is None else "/" + verdict[1]


def _under(step: str, verdict: Verdict, kind: str | None = None) -> Verdict:
    """A child's failure seen from its parent (``step`` = ``key/`` or ``index/``)."""
    rel = verdict[1]
    return (kind or verdict[0], None if rel is None else step + rel)


def _interpreted(node: Any, interpret: ElementValidator) -> Check:
    def check(resource: Any) -> Verdict | None:
        try:
            interpret(resource, node, "/")
        except PatternError as exc:
            return (exc.kind, exc.path[1:] if exc.path else None)
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
    step = key + "/"
    if modifier == NEGATION:
        negated: Verdict = ("negation", step)
        return lambda r: negated if key in r else None
    if modifier == EQUALITY:

        def equality(resource: dict[str, Any]) -> Verdict | None:
            if key not in resource:
                return None
            verdict = child(resource[key])
            return None if verdict is None else _under(step, verdict)

        return equality
    if modifier == CONDITION:
        missing: Verdict = ("conditional", step)

        def condition(resource: dict[str, Any]) -> Verdict | None:
            if key not in resource:
                return missing
            verdict = child(resource[key])
            return None if verdict is None else _under(step, verdict, "conditional")

        return condition
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

    if len(steps) == 1:
        (only,) = steps

        def check_one(resource: Any) -> Verdict | None:
            return only(resource) if isinstance(resource, dict) else _FAILED

        return check_one
    if len(steps) == 2:  # the commonest sizes, unrolled
        first, second = steps

        def check_two(resource: Any) -> Verdict | None:
            if not isinstance(resource, dict):
                return _FAILED
            return first(resource) or second(resource)

        return check_two

    def check(resource: Any) -> Verdict | None:
        if not isinstance(resource, dict):
            return _FAILED
        for step in steps:
            verdict = step(resource)
            if verdict is not None:
                return verdict
        return None

    return check


def _one_key(key: str, child: Any, interpret: ElementValidator) -> Check:
    if isinstance(child, str) and child == "*":
        return lambda r: _FAILED if not isinstance(r, dict) or r.get(key) is None else None
    compiled = _compile(child, interpret)
    step = key + "/"

    def check(resource: Any) -> Verdict | None:
        if not isinstance(resource, dict):
            return _FAILED
        verdict = compiled(resource.get(key))
        return None if verdict is None else _under(step, verdict)

    return check


def _rest_step(modifier: str | None, key: str, child: Any, interpret: ElementValidator) -> Check:
    if isinstance(child, str) and child == "*" and modifier != GLOBAL:
        return lambda r: _FAILED if r.get(key) is None else None
    compiled = _compile(child, interpret)
    step = key + "/"
    if modifier == GLOBAL:

        def global_anchor(resource: dict[str, Any]) -> Verdict | None:
            if key not in resource:
                return None
            verdict = compiled(resource[key])
            return None if verdict is None else _under(step, verdict, "global")

        return global_anchor

    def default(resource: dict[str, Any]) -> Verdict | None:
        verdict = compiled(resource.get(key))
        return None if verdict is None else _under(step, verdict)

    return default


def _array(node: ArrayNode, interpret: ElementValidator) -> Check:
    items = node.items
    if not items:
        return lambda _r: _FAILED
    first = items[0]
    if isinstance(first, _SCALARS):
        scalar = _scalar(first)
        return lambda r: scalar(r) if isinstance(r, list) else _FAILED
    checks = [_compile(item, interpret) for item in items]
    if isinstance(first, MapNode):
        each = checks[0]

        def check_each(resource: Any) -> Verdict | None:
            if not isinstance(resource, list):
                return _FAILED
            # _each with the same check for every element
            applied = 0
            skipped: str | None = None
            for index, element in enumerate(resource):
                verdict = each(element)
                if verdict is None:
                    applied += 1
                elif verdict[0] in SKIPS:
                    skipped = skipped or verdict[0]
                else:
                    return _under(f"{index}/", verdict)
            return (skipped, "") if applied == 0 and skipped else None

        return check_each

    too_short: Verdict = (FAIL, None)

    def check_items(resource: Any) -> Verdict | None:
        if not isinstance(resource, list):
            return _FAILED
        if len(resource) < len(checks):
            return too_short
        return _each(resource, checks)

    return check_items


def _each(resource: list[Any], checks: list[Check]) -> Verdict | None:
    """``_validate_each``: skipped elements count only when none applied."""
    applied = 0
    skipped: str | None = None
    for index, (element, check) in enumerate(zip(resource, checks, strict=False)):
        verdict = check(element)
        if verdict is None:
            applied += 1
        elif verdict[0] in SKIPS:
            skipped = skipped or verdict[0]
        else:
            return _under(f"{index}/", verdict)
    return (skipped, "") if applied == 0 and skipped else None


def _scalar(pattern: Any) -> Check:
    leaf = _leaf(pattern)

    def check(resource: Any) -> Verdict | None:
        if isinstance(resource, list):
            return None if all(leaf(item) for item in resource) else _FAILED
        return None if leaf(resource) else _FAILED

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
