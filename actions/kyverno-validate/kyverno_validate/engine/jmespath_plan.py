"""JMESPath expressions compiled to closures: the AST of ``jmespath`` turned once into nested
Python functions instead of being walked node by node on every search.

Each node type below does what ``jmespath.visitor.TreeInterpreter`` (with Kyverno's
null-stopping sub-expressions, :func:`jmespath_functions._interpreter`) does for it, step for
step; functions are called through the interpreter's own function table, and every other node
type (expression references, slices, comparators, ``&&``, ``!``, …) is handed to the
interpreter itself, so an answer or an error is the interpreter's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from kyverno_validate.engine.jmespath_functions import _interpreter, compile_expression

Compiled = Callable[[Any], Any]


def _is_false(value: Any) -> bool:
    """JMESPath falsiness, by equality as the interpreter checks it (``0`` is true)."""
    return value in ("", [], {}) or value is None or value is False


def compile_node(node: dict[str, Any], interpreter: Any) -> Compiled:  # noqa: PLR0911 - one branch per node type
    kind = node["type"]
    children = node.get("children") or []
    if kind == "field":
        key = node["value"]

        def field(value: Any) -> Any:
            try:
                return value.get(key)
            except AttributeError:
                return None

        return field
    if kind == "subexpression":
        steps = [compile_node(child, interpreter) for child in children]

        def subexpression(value: Any) -> Any:
            for step in steps:
                value = step(value)
                if value is None:
                    return None
            return value

        return subexpression
    if kind in ("index_expression", "pipe"):
        chain = [compile_node(child, interpreter) for child in children]

        def sequence(value: Any) -> Any:
            for step in chain:
                value = step(value)
            return value

        return sequence
    if kind in ("current", "identity"):
        return lambda value: value
    if kind == "literal":
        literal = node["value"]
        return lambda _value: literal
    if kind in ("projection", "flatten", "filter_projection"):
        return _projection(kind, children, interpreter)
    if kind == "or_expression":
        left, right = (compile_node(child, interpreter) for child in children)

        def or_expression(value: Any) -> Any:
            matched = left(value)
            return right(value) if _is_false(matched) else matched

        return or_expression
    if kind == "multi_select_list":
        items = [compile_node(child, interpreter) for child in children]
        return lambda value: None if value is None else [item(value) for item in items]
    if kind == "function_expression":
        name = node["value"]
        arguments = [compile_node(child, interpreter) for child in children]
        call = interpreter._functions.call_function
        return lambda value: call(name, [argument(value) for argument in arguments])
    return lambda value: interpreter.visit(node, value)


def _projection(kind: str, children: list[Any], interpreter: Any) -> Compiled:
    base = compile_node(children[0], interpreter)
    if kind == "flatten":

        def flatten(value: Any) -> Any:
            found = base(value)
            if not isinstance(found, list):
                return None
            merged: list[Any] = []
            for element in found:
                if isinstance(element, list):
                    merged.extend(element)
                else:
                    merged.append(element)
            return merged

        return flatten
    then = compile_node(children[1], interpreter)
    if kind == "projection":

        def projection(value: Any) -> Any:
            found = base(value)
            if not isinstance(found, list):
                return None
            collected = []
            for element in found:
                current = then(element)
                if current is not None:
                    collected.append(current)
            return collected

        return projection
    condition = compile_node(children[2], interpreter)

    def filter_projection(value: Any) -> Any:
        found = base(value)
        if not isinstance(found, list):
            return None
        collected = []
        for element in found:
            if not _is_false(condition(element)):
                current = then(element)
                if current is not None:
                    collected.append(current)
        return collected

    return filter_projection


@lru_cache(maxsize=4096)
def compiled(expression: str, now: datetime | None) -> Compiled:
    """The closure of one expression for the interpreter of ``now`` (compiled once)."""
    return compile_node(compile_expression(expression), _interpreter(now))
