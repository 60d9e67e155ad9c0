"""``{{ }}`` variable substitution over JSON documents (``pkg/engine/variables/vars.go``).

A string that is exactly one variable becomes the variable's value (any type); otherwise each
variable is spliced in as text (JSON for non-strings). ``\\{{`` escapes a variable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from kyverno_validate.engine.gotypes import to_json_text
from kyverno_validate.engine.jmespath_functions import search

_VARIABLE = re.compile(r"(?<!\\)\{\{((?:\{[^{}]*\}|[^{}])*)\}\}")
_SEGMENT = r'(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")'
_PLAIN_PATH = re.compile(rf"^{_SEGMENT}(?:\.{_SEGMENT})*$")
_SEGMENTS = re.compile(_SEGMENT)
_OR_LITERAL = re.compile(rf"^({_SEGMENT}(?:\.{_SEGMENT})*)\s*\|\|\s*'([^'\\]*)'$")


# where the evaluation time travels in the JSON context (see EvaluationContext.now)
NOW_KEY = "__relkit_now__"


class VariableError(Exception):
    """A variable that cannot be resolved (unknown key, bad JMESPath)."""


def has_variables(value: Any) -> bool:
    if isinstance(value, str):
        return "{{" in value and _VARIABLE.search(value) is not None
    if isinstance(value, dict):
        return any(has_variables(v) for v in value.values())
    if isinstance(value, list):
        return any(has_variables(v) for v in value)
    return False


@lru_cache(maxsize=4096)
def _plain_path(expression: str) -> tuple[str, ...] | None:
    """The keys of a field path (``a.b."c/d"``); None for any other expression."""
    if not _PLAIN_PATH.match(expression):
        return None
    return tuple(
        json.loads(segment) if segment.startswith('"') else segment
        for segment in _SEGMENTS.findall(expression)
    )


@lru_cache(maxsize=4096)
def _or_literal(expression: str) -> tuple[tuple[str, ...], str] | None:
    """``a.b || 'text'``, the commonest variable shape, evaluated without JMESPath."""
    found = _OR_LITERAL.match(expression)
    if found is None:
        return None
    path = _plain_path(found.group(1))
    return (path, found.group(2)) if path is not None else None


def _walk(path: tuple[str, ...], data: Any) -> Any:
    current = data
    for key in path:
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current


def _is_delete(data: dict[str, Any]) -> bool:
    request = data.get("request")
    return isinstance(request, dict) and request.get("operation") == "DELETE"


def resolve(expression: str, data: dict[str, Any]) -> Any:
    """Evaluate one variable's JMESPath; an unknown key on a plain path raises like Kyverno.

    On a DELETE request ``request.object`` is read from ``request.oldObject``, as Kyverno's
    ``substituteVariablesIfAny`` rewrites every variable of a delete request. How an expression
    is evaluated is decided once per expression text (:func:`_resolution`)."""
    plan = _RESOLUTIONS.get(expression)
    if plan is None:
        if len(_RESOLUTIONS) >= _LIMIT:
            _RESOLUTIONS.clear()
        plan = _RESOLUTIONS[expression] = _resolution(expression)
    return plan(data)


Resolution = Callable[[dict[str, Any]], Any]
_RESOLUTIONS: dict[str, Resolution] = {}
_LIMIT = 4096


def _resolution(expression: str) -> Resolution:
    expression = expression.strip()
    if not expression:

        def empty(_data: dict[str, Any]) -> Any:
            raise VariableError("invalid query (nil)")

        return empty
    direct = _direct(expression)
    if "request.object" not in expression:
        return direct
    deleted = _direct(expression.replace("request.object", "request.oldObject"))
    return lambda data: deleted(data) if _is_delete(data) else direct(data)


def _direct(expression: str) -> Resolution:
    shortcut = _or_literal(expression)
    if shortcut is not None:
        keys, literal = shortcut

        def or_literal(data: dict[str, Any]) -> Any:
            value = _walk(keys, data)
            # JMESPath truthiness: null, false and empty strings, lists and objects are false
            if (
                value is None
                or value is False
                or (isinstance(value, str | list | dict) and not value)
            ):
                return literal
            return value

        return or_literal
    path = _plain_path(expression)
    if path is not None:

        def plain(data: dict[str, Any]) -> Any:
            current: Any = data
            for key in path:
                if isinstance(current, dict):
                    if key not in current:
                        raise VariableError(f'Unknown key "{key}" in path')
                    current = current[key]
                else:
                    return None
            return current

        return plain

    def jmespath(data: dict[str, Any]) -> Any:
        try:
            return search(expression, data, data.get(NOW_KEY))
        except Exception as exc:  # jmespath raises many error types
            raise VariableError(f"JMESPath query failed: {exc}") from exc

    return jmespath


Resolver = Callable[[str], Any]


def strict_resolver(data: dict[str, Any]) -> Resolver:
    return lambda expression: resolve(expression, data)


def lenient_resolver(data: dict[str, Any]) -> Resolver:
    """Preconditions and conditions: an unresolvable variable becomes the empty string."""

    def run(expression: str) -> Any:
        try:
            return resolve(expression, data)
        except VariableError:
            return ""

    return run


def substitute_string(text: str, resolver: Resolver) -> Any:
    """Substitute innermost variables first and repeat, so ``{{ a."{{ b }}" }}`` works."""
    for _ in range(32):
        if "{{" not in text:
            return text
        matches = list(_VARIABLE.finditer(text))
        if not matches:
            return text
        if len(matches) == 1 and matches[0].start() == 0 and matches[0].end() == len(text):
            return resolver(matches[0].group(1))
        parts: list[str] = []
        last = 0
        for found in matches:
            parts.append(text[last : found.start()])
            parts.append(to_json_text(resolver(found.group(1))))
            last = found.end()
        parts.append(text[last:])
        text = "".join(parts)
    return text


def substitute(value: Any, resolver: Resolver) -> Any:
    """Substitute every variable in a JSON document, returning a new document."""
    if isinstance(value, str):
        return substitute_string(value, resolver)
    if isinstance(value, dict):
        return {k: substitute(v, resolver) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, resolver) for v in value]
    return value


def compile_template(value: Any) -> Callable[[Resolver], Any]:
    """A function giving ``substitute(value, resolver)``, with the parsing done once."""
    if isinstance(value, str):
        if "{{" not in value:
            return lambda _resolver: value
        matches = list(_VARIABLE.finditer(value))
        if not matches:
            return lambda _resolver: value
        whole = matches[0]
        if (
            len(matches) == 1
            and whole.start() == 0
            and whole.end() == len(value)
            and "{{" not in whole.group(1)
        ):
            expression = whole.group(1)
            return lambda resolver: resolver(expression)
        return lambda resolver: substitute_string(value, resolver)
    if isinstance(value, dict | list) and has_variables(value):
        return lambda resolver: substitute(value, resolver)
    return lambda _resolver: value


def split_variable_key(dotted: str) -> list[str]:
    """``a."b.c".d`` → ``["a", "b.c", "d"]``: Go's ``encoding/csv`` record with ``Comma = '.'``
    (a field that starts with ``"`` runs to the closing quote, ``""`` inside is one quote)."""
    if '"' not in dotted:
        return dotted.split(".")
    fields: list[str] = []
    index = 0
    while True:
        if dotted.startswith('"', index):
            field, index = [], index + 1
            while index < len(dotted):
                if dotted.startswith('""', index):
                    field.append('"')
                    index += 2
                elif dotted[index] == '"':
                    index += 1
                    break
                else:
                    field.append(dotted[index])
                    index += 1
            end = dotted.find(".", index)
            tail = dotted[index:] if end < 0 else dotted[index:end]
            fields.append("".join(field) + tail)
        else:
            end = dotted.find(".", index)
            fields.append(dotted[index:] if end < 0 else dotted[index:end])
        if end < 0:
            return fields
        index = end + 1


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``a.b.c`` in nested dicts (``AddVariable``), copying the maps on the way so shared
    documents (the resource) are never changed. The key is read like AddVariable reads it: a
    CSV record with ``.`` as the separator, so ``a."x.io/y"`` is two keys."""
    keys = split_variable_key(dotted)
    current = data
    for key in keys[:-1]:
        nxt = current.get(key)
        nxt = dict(nxt) if isinstance(nxt, dict) else {}
        current[key] = nxt
        current = nxt
    current[keys[-1]] = value
