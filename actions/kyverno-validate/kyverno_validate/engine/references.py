"""``$(path)`` references of a rule document, resolved before variables (Kyverno's
``substituteReferences`` in ``pkg/engine/variables/vars.go``).

A string value may refer to another value of the same document by a path relative to its own
(``$(./../data/target)``) or absolute (``$(/spec/name)``); anchors in the document's keys are
ignored when the path is followed. The reference is replaced by the value (a whole-string
reference keeps the value's type); an operator before the path (``$(>=./../min)``) is kept in
front of the value. ``\\$(`` is not a reference. A path that leads nowhere gives ``null``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

# ``^\$\(.[^\ ]*\)|[^\\]\$\(.[^\ ]*\)`` (RegexReferences)
_REFERENCE = re.compile(r"^\$\(.[^ ]*\)|[^\\]\$\(.[^ ]*\)")
_OPERATORS = (">=", "<=", "!=", "!", ">", "<")
_ANCHOR = re.compile(r"^(?:\+|=|\^|<|X|)\((.*)\)$")


def _plain_key(key: str) -> str:
    """A key without its anchor: ``(name)``, ``=(x)``, ``+(x)``, ``^(x)``, ``<(x)``, ``X(x)``."""
    found = _ANCHOR.match(key)
    return found.group(1) if found else key


def _lookup(document: Any, path: str) -> Any:
    current = document
    for segment in [s for s in path.split("/") if s]:
        if isinstance(current, Mapping):
            current = next((v for k, v in current.items() if _plain_key(str(k)) == segment), None)
        elif isinstance(current, list) and segment.isdigit() and int(segment) < len(current):
            current = current[int(segment)]
        else:
            return None
    return current


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def _resolve(document: Any, reference: str, here: str) -> tuple[str, Any]:
    """(operator, value) of one ``$(…)`` reference made at path ``here``."""
    path = reference.strip("$()")
    operator = next((op for op in _OPERATORS if path.startswith(op)), "")
    path = path[len(operator) :]
    if not path.startswith("/"):
        path = posixpath.normpath(posixpath.join(here, path))
    return operator, _lookup(document, path)


def _substitute_string(document: Any, value: str, here: str) -> Any:
    matches = _REFERENCE.findall(value)
    if not matches:
        return value
    if len(matches) == 1 and matches[0] == value:
        operator, found = _resolve(document, value, here)
        return operator + _text(found) if operator else found
    for match in matches:
        lead = "" if match.startswith("$(") else match[0]
        operator, found = _resolve(document, match[len(lead) :], here)
        value = value.replace(match, lead + operator + _text(found), 1)
    return value


def substitute_references(document: Any) -> Any:
    """``document`` with every ``$(…)`` reference of its string values resolved."""

    def walk(node: Any, here: str) -> Any:
        if isinstance(node, Mapping):
            return {k: walk(v, f"{here}/{_plain_key(str(k))}") for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item, f"{here}/{index}") for index, item in enumerate(node)]
        if isinstance(node, str) and "$(" in node:
            return _substitute_string(document, node, here)
        return node

    return walk(document, "")
