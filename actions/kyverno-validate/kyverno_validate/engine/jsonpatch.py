"""RFC 6902 JSON Patch with Kyverno's options (``patchJSON6902.go``).

Kyverno applies ``patchesJson6902`` through evanphx/json-patch with ``EnsurePathExistsOnAdd``
(an ``add`` creates the missing parents: a list when the next token is an index or ``-``, a map
otherwise), ``AllowMissingPathOnRemove`` and ``SupportNegativeIndices``. Pure: documents in,
new document out; the input is never changed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from kyverno_validate.engine.yamlload import load_all


class PatchError(Exception):
    """A patch that cannot be decoded or applied."""


def decode_patch(text: Any) -> list[dict[str, Any]]:
    """The operations of a ``patchesJson6902`` block (YAML or JSON text, or a parsed list)."""
    operations: Any = text
    if isinstance(text, str):
        try:
            documents = load_all(text)
        except ValueError as exc:
            raise PatchError(f"failed to decode patches: {exc}") from exc
        operations = documents[0] if documents else None
    if operations is None:
        return []
    if not isinstance(operations, list) or not all(isinstance(o, dict) for o in operations):
        raise PatchError("failed to decode patches: a JSON patch must be a list of operations")
    return operations


def parse_pointer(pointer: Any) -> list[str]:
    if not isinstance(pointer, str):
        raise PatchError(f"invalid JSON pointer {pointer!r}")
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"JSON pointer must start with '/': {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _index(part: str, size: int, *, for_add: bool) -> int:
    """An array index; ``-`` and negative indices as evanphx/json-patch reads them (for an
    add, ``-1`` is the end of the array)."""
    if part == "-" and for_add:
        return size
    try:
        index = int(part)
    except ValueError as exc:
        raise PatchError(f"invalid array index {part!r}") from exc
    limit = size + 1 if for_add else size
    if index < 0:
        if index < -limit:
            raise PatchError(f"array index {index} out of bounds")
        index += limit
    if index >= limit:
        raise PatchError(f"array index {index} out of bounds")
    return index


def _container_for(following: str) -> Any:
    return [] if following == "-" or _is_int(following) else {}


def _parent(doc: Any, tokens: list[str], *, create: bool) -> Any:
    """The container holding the last token; with ``create`` the missing ones are made
    (``EnsurePathExistsOnAdd``)."""
    current = doc
    for position, token in enumerate(tokens[:-1]):
        following = tokens[position + 1]
        if isinstance(current, dict):
            if current.get(token) is None:
                if not create:
                    raise PatchError(f"doc is missing path: /{'/'.join(tokens)}")
                current[token] = _container_for(following)
            current = current[token]
        elif isinstance(current, list):
            try:
                found = current[_index(token, len(current), for_add=False)]
            except PatchError:
                if not create:
                    raise
                found = None
            if found is None:
                if not create:
                    raise PatchError(f"doc is missing path: /{'/'.join(tokens)}")
                if _is_int(token) and int(token) > len(current):
                    current.extend([None] * (int(token) - len(current)))
                found = _container_for(following)
                current.insert(_index(token, len(current), for_add=True), found)
            current = found
        else:
            raise PatchError(f"doc is missing path: /{'/'.join(tokens)}")
    return current


def _is_int(token: str) -> bool:
    return token.lstrip("-").isdigit()


def _add(doc: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent = _parent(doc, tokens, create=True)
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(last, len(parent), for_add=True), value)
    else:
        raise PatchError(f"add operation does not apply: /{'/'.join(tokens)}")
    return doc


def _get(doc: Any, tokens: list[str]) -> Any:
    current = doc
    for token in tokens:
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list):
            current = current[_index(token, len(current), for_add=False)]
        else:
            raise PatchError(f"doc is missing path: /{'/'.join(tokens)}")
    return current


def _remove(doc: Any, tokens: list[str]) -> Any:
    """Remove a value; a missing one is no error (``AllowMissingPathOnRemove``)."""
    try:
        parent = _parent(doc, tokens, create=False)
        last = tokens[-1]
        if isinstance(parent, dict):
            if last not in parent:
                raise PatchError(f"remove operation does not apply: /{'/'.join(tokens)}")
            del parent[last]
        elif isinstance(parent, list):
            del parent[_index(last, len(parent), for_add=False)]
        else:
            raise PatchError(f"remove operation does not apply: /{'/'.join(tokens)}")
    except PatchError:
        pass
    return doc


def _replace(doc: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent = _parent(doc, tokens, create=False)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"replace operation does not apply: doc is missing key: {last}")
        parent[last] = value
    elif isinstance(parent, list):
        parent[_index(last, len(parent), for_add=False)] = value
    else:
        raise PatchError(f"replace operation does not apply: /{'/'.join(tokens)}")
    return doc


def _equal(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _value(operation: dict[str, Any]) -> Any:
    if "value" not in operation:
        raise PatchError(f"{operation.get('op')} operation needs a value")
    return copy.deepcopy(operation["value"])


def _from(operation: dict[str, Any]) -> list[str]:
    return parse_pointer(operation.get("from"))


_Op = Callable[[Any, list[str], dict[str, Any]], Any]


def _op_test(doc: Any, tokens: list[str], operation: dict[str, Any]) -> Any:
    if not _equal(_get(doc, tokens), operation.get("value")):
        raise PatchError(f"testing value /{'/'.join(tokens)} failed")
    return doc


def _op_move(doc: Any, tokens: list[str], operation: dict[str, Any]) -> Any:
    source = _from(operation)
    value = _get(doc, source)
    return _add(_remove(doc, source), tokens, value)  # _get raised if the source is missing


OPERATIONS: dict[str, _Op] = {
    "add": lambda doc, tokens, op: _add(doc, tokens, _value(op)),
    "remove": lambda doc, tokens, _op: _remove(doc, tokens),
    "replace": lambda doc, tokens, op: _replace(doc, tokens, _value(op)),
    "copy": lambda doc, tokens, op: _add(doc, tokens, copy.deepcopy(_get(doc, _from(op)))),
    "move": _op_move,
    "test": _op_test,
}


def apply_patch(document: Any, operations: list[dict[str, Any]]) -> Any:
    """Apply every operation in order to a copy of the document."""
    doc = copy.deepcopy(document)
    for operation in operations:
        name = operation.get("op")
        handler = OPERATIONS.get(str(name))
        if handler is None:
            raise PatchError(f"unexpected kind of operation: {name!r}")
        doc = handler(doc, parse_pointer(operation.get("path")), operation)
    return doc
