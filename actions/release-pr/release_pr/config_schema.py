"""The JSON Schema of ``release-please-config.json`` and the manifest, as relkit reads them, and
the check that validates a config with it.

A config that is plainly valid (the common case) is vouched for by ``relkit.schema_check``'s
exact check of the schema's keywords, so ``jsonschema`` (~35 ms to import) loads only to
explain an error.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def validate(data: object, schema: Mapping[str, Any], what: str) -> None:
    """jsonschema's verdict; a plainly valid config (relkit.schema_check reads the schema)
    never loads it."""
    check_schema(data, schema, what=what, fix="fix the value or remove the key")
