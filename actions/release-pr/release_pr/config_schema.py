"""The JSON Schema of ``release-please-config.json`` and the manifest, as relkit reads them, and
the check that validates a config with it.

A config that is plainly valid (the common case) is vouched for by an exact check of the few
keywords these schemas use, so ``jsonschema`` (~35 ms to import) loads only to explain an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from relkit.schema_check import check_schema

_BOOL = {"type": "boolean"}
_STR = {"type": "string"}
_SECTIONS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["type", "section"],
        "properties": {"type": _STR, "section": _STR, "hidden": _BOOL, "scope": _STR},
    },
}
_EXTRA_FILE = {
    "oneOf": [
        _STR,
        {
            "type": "object",
            "required": ["path"],
            "properties": {
                "type": {"enum": ["generic", "json", "yaml", "toml", "xml", "pom"]},
                "path": _STR,
                "jsonpath": _STR,
                "xpath": _STR,
                "glob": _BOOL,
            },
        },
    ]
}
PACKAGE_PROPERTIES: dict[str, Any] = {
    "release-type": _STR,
    "versioning": _STR,
    "bump-minor-pre-major": _BOOL,
    "bump-patch-for-minor-pre-major": _BOOL,
    "prerelease": _BOOL,
    "prerelease-type": _STR,
    "release-as": _STR,
    "initial-version": _STR,
    "changelog-sections": _SECTIONS,
    "changelog-path": _STR,
    "changelog-host": _STR,
    "changelog-type": {"enum": ["default", "github"]},
    "include-v-in-tag": _BOOL,
    "include-component-in-tag": _BOOL,
    "tag-separator": _STR,
    "version-file": _STR,
    "component": _STR,
    "package-name": _STR,
    "pull-request-title-pattern": _STR,
    "pull-request-header": _STR,
    "pull-request-footer": _STR,
    "extra-files": {"type": "array", "items": _EXTRA_FILE},
    "exclude-paths": {"type": "array", "items": _STR},
    "draft": _BOOL,
    "force-tag-creation": _BOOL,
    "skip-github-release": _BOOL,
    "skip-changelog": _BOOL,
    "separate-pull-requests": _BOOL,
    "extra-label": _STR,
    "draft-pull-request": _BOOL,
}
TOP_PROPERTIES: dict[str, Any] = {
    **PACKAGE_PROPERTIES,
    "packages": {"type": "object", "additionalProperties": {"type": "object"}},
    "plugins": {"type": "array"},
    "bootstrap-sha": _STR,
    "last-release-sha": _STR,
    "label": _STR,
    "release-label": _STR,
    "group-pull-request-title-pattern": _STR,
    "signoff": _STR,
    "release-search-depth": {"type": "integer"},
    "commit-search-depth": {"type": "integer"},
    "sequential-calls": _BOOL,
    "always-link-local": _BOOL,
    "$schema": _STR,
}
CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        **TOP_PROPERTIES,
        "packages": {
            "type": "object",
            "additionalProperties": {"type": "object", "properties": PACKAGE_PROPERTIES},
        },
    },
}
MANIFEST_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": _STR}


_TYPES: dict[str, type] = {"object": dict, "array": list, "string": str, "boolean": bool}


def _check_type(value: object, rule: Any, _schema: Mapping[str, Any]) -> bool:
    if rule == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    kind = _TYPES.get(rule) if isinstance(rule, str) else None
    return kind is not None and isinstance(value, kind)


def _check_enum(value: object, rule: Any, _schema: Mapping[str, Any]) -> bool:
    return isinstance(value, str) and value in rule


def _check_required(value: object, rule: Any, _schema: Mapping[str, Any]) -> bool:
    return not isinstance(value, dict) or all(name in value for name in rule)


def _check_properties(value: object, rule: Any, _schema: Mapping[str, Any]) -> bool:
    return not isinstance(value, dict) or all(
        plainly_valid(value[name], sub) for name, sub in rule.items() if name in value
    )


def _check_additional(value: object, rule: Any, schema: Mapping[str, Any]) -> bool:
    known = schema.get("properties", {})
    return not isinstance(value, dict) or all(
        plainly_valid(item, rule) for name, item in value.items() if name not in known
    )


def _check_items(value: object, rule: Any, _schema: Mapping[str, Any]) -> bool:
    return not isinstance(value, list) or all(plainly_valid(item, rule) for item in value)


def _check_one_of(value: object, rule: Any, _schema: Mapping[str, Any]) -> bool:
    # "exactly one" is decidable here only when the alternatives differ in type
    kinds = [sub.get("type") for sub in rule]
    if None in kinds or len(set(map(str, kinds))) != len(kinds):
        return False
    return sum(plainly_valid(value, sub) for sub in rule) == 1


_CHECKS: dict[str, Callable[[object, Any, Mapping[str, Any]], bool]] = {
    "type": _check_type,
    "enum": _check_enum,
    "required": _check_required,
    "properties": _check_properties,
    "additionalProperties": _check_additional,
    "items": _check_items,
    "oneOf": _check_one_of,
}


def plainly_valid(value: object, schema: Mapping[str, Any]) -> bool:
    """True only when ``value`` certainly matches ``schema``: an exact check of the keywords the
    schemas above use, so a valid file never loads jsonschema (~35 ms). False is not final: any
    other keyword, a subtle case (``1.0`` as an integer) or an error goes to jsonschema."""
    return all(key in _CHECKS and _CHECKS[key](value, rule, schema) for key, rule in schema.items())


def validate(data: object, schema: Mapping[str, Any], what: str) -> None:
    check_schema(
        data, schema, what=what, fix="fix the value or remove the key", plainly_valid=_plain(schema)
    )


def _plain(schema: Mapping[str, Any]) -> Callable[[object], bool]:
    return lambda data: plainly_valid(data, schema)
