"""Validate loaded config data against a JSON Schema, reporting the first problem as one line.

Every action that reads a config file (commit-lint's commitlint config, release-pr's
release-please config and manifest) checks it here, so the message shape is the same
everywhere: ``<what>: <path>: <problem>; <fix>``. ``jsonschema`` is heavy (~35 ms to import),
so it is imported only when a caller's ``plainly_valid`` fast path cannot vouch for the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from relkit.errors import ConfigError


def check_schema(
    data: object,
    schema: Mapping[str, Any],
    *,
    what: str,
    fix: str,
    plainly_valid: Callable[[object], bool] | None = None,
) -> None:
    """Raise ConfigError naming the first invalid path (in document order), or return.

    Data that :func:`plainly_valid` vouches for against ``schema`` returns at once; any doubt
    goes to jsonschema, which stays the validator of record and words the error. A caller's
    own ``plainly_valid`` replaces the schema's fast check (it may only answer True for data the
    schema accepts).
    """
    vouched = plainly_valid(data) if plainly_valid else _vouch(data, schema)
    if vouched:
        return
    import jsonschema  # type: ignore[import-untyped]  # noqa: PLC0415 - heavy, lazy

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda err: _path_key(err.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise ConfigError(f"{what}: {where}: {error.message}; {fix}")


def _path_key(path: Any) -> list[tuple[int, int, str]]:
    """Order paths whose parts mix list indices and keys without comparing int with str."""
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path]


# --- the fast check: the schema's own keywords, read from the schema ------------------------

Schema = Mapping[str, Any] | bool
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
)
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is_type(value: object, name: object) -> bool:
    if name in ("integer", "number"):
        # 1.0 is an integer to JSON Schema: a doubt jsonschema settles
        kinds: tuple[type, ...] = (int,) if name == "integer" else (int, float)
        return isinstance(value, kinds) and not isinstance(value, bool)
    kinds = _TYPES.get(name, ()) if isinstance(name, str) else ()
    return bool(kinds) and isinstance(value, kinds)


def _same(value: object, item: object) -> bool:
    """JSON equality for scalars (``True`` is not ``1``); containers are left to jsonschema."""
    return type(value) is type(item) and not isinstance(value, dict | list) and value == item


def _check_items(value: object, rule: Any, schema: Mapping[str, Any], root: Schema) -> bool:
    if not isinstance(value, list):
        return True
    start = len(schema.get("prefixItems", ()))  # 2020-12: ``items`` follows the prefix
    return all(plainly_valid(item, rule, root) for item in value[start:])


def _check_additional(value: object, rule: Any, schema: Mapping[str, Any], root: Schema) -> bool:
    if not isinstance(value, dict):
        return True
    if "patternProperties" in schema:
        return False
    known = schema.get("properties", {})
    return all(plainly_valid(v, rule, root) for k, v in value.items() if k not in known)


def _check_one_of(value: object, rule: Any, _schema: Mapping[str, Any], root: Schema) -> bool:
    # "exactly one" is decidable here only when the alternatives differ in type
    kinds = [sub.get("type") if isinstance(sub, Mapping) else None for sub in rule]
    if None in kinds or len(set(map(str, kinds))) != len(kinds):
        return False
    return sum(plainly_valid(value, sub, root) for sub in rule) == 1


def _ref(rule: Any, root: Schema) -> Schema | None:
    if not isinstance(rule, str) or not rule.startswith("#/") or not isinstance(root, Mapping):
        return None
    node: Any = root
    for part in rule[2:].split("/"):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, Mapping | bool) else None


Check = Callable[[object, Any, Mapping[str, Any], Schema], bool]
_CHECKS: dict[str, Check] = {
    "type": lambda v, rule, _s, _r: (
        any(_is_type(v, name) for name in rule) if isinstance(rule, list) else _is_type(v, rule)
    ),
    "enum": lambda v, rule, _s, _r: any(_same(v, item) for item in rule),
    "const": lambda v, rule, _s, _r: _same(v, rule),
    "required": lambda v, rule, _s, _r: not isinstance(v, dict) or all(k in v for k in rule),
    "properties": lambda v, rule, _s, r: (
        not isinstance(v, dict)
        or all(plainly_valid(v[k], sub, r) for k, sub in rule.items() if k in v)
    ),
    "additionalProperties": _check_additional,
    "items": _check_items,
    "prefixItems": lambda v, rule, _s, r: (
        not isinstance(v, list)
        or all(plainly_valid(item, sub, r) for item, sub in zip(v, rule, strict=False))
    ),
    "minItems": lambda v, rule, _s, _r: not isinstance(v, list) or len(v) >= rule,
    "maxItems": lambda v, rule, _s, _r: not isinstance(v, list) or len(v) <= rule,
    "minLength": lambda v, rule, _s, _r: not isinstance(v, str) or len(v) >= rule,
    "maxLength": lambda v, rule, _s, _r: not isinstance(v, str) or len(v) <= rule,
    "anyOf": lambda v, rule, _s, r: any(plainly_valid(v, sub, r) for sub in rule),
    "oneOf": _check_one_of,
    "$ref": lambda v, rule, _s, r: (
        (target := _ref(rule, r)) is not None and plainly_valid(v, target, r)
    ),
}


def plainly_valid(value: object, schema: Schema, root: Schema | None = None) -> bool:
    """True only when ``value`` certainly matches ``schema`` (JSON Schema 2020-12), read from the
    schema itself: an exact check of the common keywords (type, enum, const, required,
    properties, additionalProperties, items, prefixItems, min/maxItems, min/maxLength, anyOf,
    oneOf, local ``$ref``), so a valid config never loads jsonschema (~35 ms). False is not
    final: any other keyword, a subtle case (``1.0`` as an integer) or an error goes to
    jsonschema."""
    if isinstance(schema, bool):
        return schema
    top = schema if root is None else root
    return all(
        key in _ANNOTATIONS or (key in _CHECKS and _CHECKS[key](value, rule, schema, top))
        for key, rule in schema.items()
    )


_vouch = plainly_valid  # check_schema's parameter of the same name hides the function there
