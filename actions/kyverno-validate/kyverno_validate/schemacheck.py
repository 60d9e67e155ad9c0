"""A compiled yes/no check of the bundled Kubernetes JSON schemas: stage 2's fast path.

``jsonschema`` walks a Deployment in about 3 ms (it builds an error iterator, evolves a validator
per keyword and resolves every ``$ref`` through the registry). Almost every object is valid, and
for a valid object only the answer matters, so :func:`compile_check` turns a schema into nested
Python closures that answer "certainly valid?" in a fraction of that time. The answer is exact for
the keywords the bundled schemas use (``type``, ``properties``, ``additionalProperties``,
``required``, ``items``, ``enum``, ``oneOf`` over types, ``$ref``); ``format``, ``description`` and
``x-*`` are annotations in draft 2020-12 without a format checker, as ``jsonschema`` runs them.
A schema with any other keyword raises :class:`UnsupportedSchema` (the caller keeps using
``jsonschema``), and ``False`` only means "ask ``jsonschema``": it alone builds the error
messages, so findings are the same with or without this module.

Pure: schemas in, a predicate out.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

Check = Callable[[Any], bool]
_SCALARS = (str, int, float, bool, type(None))

_ANNOTATIONS = frozenset({"description", "format", "$schema", "$id", "$defs", "default", "title"})
_KEYWORDS = frozenset(
    {"type", "properties", "additionalProperties", "required", "items", "enum", "oneOf", "$ref"}
)


class UnsupportedSchema(Exception):
    """The schema uses something :func:`compile_check` does not answer exactly."""


def _always(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


# draft 2020-12's type checker, as jsonschema defines it
_TYPES: Mapping[str, Check] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": _is_integer,
    "number": _is_number,
}


def compile_check(
    schema: Mapping[str, Any], documents: Mapping[str, Mapping[str, Any]], base: str = ""
) -> Check:
    """A predicate that is true exactly when ``schema`` accepts a value.

    ``documents`` maps absolute schema ids (``https://kubernetes.io/api/_definitions.json``) to
    the documents ``$ref`` may point into; ``base`` is the id of the document ``schema`` is in.
    """
    return Compiler(documents).compile(schema, base or str(schema.get("$id") or ""))


class Compiler:
    """Compiles schemas that share ``documents``; the definitions they reach are compiled once
    (lazily, on first use) for all of them."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self.documents = documents
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any, base: str) -> Check:
        if schema is True:
            return _always
        if not isinstance(schema, Mapping):
            raise UnsupportedSchema(f"schema {schema!r}")
        unknown = [
            key
            for key in schema
            if key not in _KEYWORDS and key not in _ANNOTATIONS and not key.startswith("x-")
        ]
        if unknown:
            raise UnsupportedSchema(f"keyword {unknown[0]!r}")
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self._ref(str(schema["$ref"]), base))
        if "type" in schema:
            checks.append(_type_check(schema["type"]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        if "oneOf" in schema:
            checks.append(_one_of_check(schema["oneOf"]))
        if any(key in schema for key in ("properties", "additionalProperties", "required")):
            checks.append(self._object_check(schema, base))
        if "items" in schema:
            item = self.compile(schema["items"], base)

            def items(value: Any) -> bool:
                return not isinstance(value, list) or all(item(entry) for entry in value)

            checks.append(items)
        return _all_of(checks)

    def _ref(self, ref: str, base: str) -> Check:
        target = urljoin(base, ref) if base else ref
        found = self.refs.get(target)
        if found is not None:
            return found
        document_id, _, pointer = target.partition("#")
        document = self.documents.get(document_id)
        prefix = "/$defs/"
        name = pointer[len(prefix) :]
        definition = (
            document.get("$defs", {}).get(name)
            if document is not None and pointer.startswith(prefix) and "/" not in name
            else None
        )
        if definition is None:
            raise UnsupportedSchema(f"$ref {ref!r}")
        cell: list[Check] = []

        def late(value: Any) -> bool:
            # compiled on first use: a run pays only for the definitions its objects reach,
            # and recursive definitions bind to themselves
            if not cell:
                try:
                    cell.append(self.compile(definition, document_id))
                except UnsupportedSchema:
                    cell.append(_never)
            return cell[0](value)

        self.refs[target] = late
        return late

    def _object_check(self, schema: Mapping[str, Any], base: str) -> Check:
        properties = {
            name: self.compile(sub, base) for name, sub in (schema.get("properties") or {}).items()
        }
        extra = schema.get("additionalProperties", True)
        extra_check: Check | None = None if extra is False else self.compile(extra, base)
        required = tuple(schema.get("required") or ())

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name in required:
                if name not in value:
                    return False
            for key, entry in value.items():
                sub = properties.get(key)
                if sub is None:
                    if extra_check is None or not extra_check(entry):
                        return False
                elif not sub(entry):
                    return False
            return True

        return check


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:  # the common "$ref + type", "type + properties"
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


def _type_check(kind: Any) -> Check:
    names = [kind] if isinstance(kind, str) else kind
    if not isinstance(names, list) or any(name not in _TYPES for name in names):
        raise UnsupportedSchema(f"type {kind!r}")
    checks = [_TYPES[name] for name in names]
    if len(checks) == 1:
        return checks[0]
    return lambda value: any(check(value) for check in checks)


def _enum_check(values: Any) -> Check:
    if not isinstance(values, list):
        raise UnsupportedSchema(f"enum {values!r}")
    # only same-type equality of scalars: sure to agree with jsonschema's ``equal`` (True is not
    # 1 there, nor [True] [1]); a list or mapping instance is left to jsonschema
    allowed = [(type(value), value) for value in values if type(value) in _SCALARS]
    return lambda value: any(type(value) is kind and value == item for kind, item in allowed)


def _one_of_check(branches: Any) -> Check:
    """``oneOf`` whose branches only name types (Quantity, IntOrString): exactly one matches."""
    if not isinstance(branches, list) or not all(
        isinstance(branch, Mapping) and set(branch) <= {"type", "description"}
        for branch in branches
    ):
        raise UnsupportedSchema("oneOf")
    checks = [_type_check(branch.get("type")) for branch in branches]
    return lambda value: sum(1 for check in checks if check(value)) == 1
