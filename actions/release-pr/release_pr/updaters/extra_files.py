"""The ``extra-files`` dispatcher: each entry's ``type`` → its updater (one registry), and the
``json`` / ``yaml`` / ``toml`` updaters addressed by a ``jsonpath`` (``$.a.b[0].c`` form).
The marker updater is :mod:`release_pr.updaters.generic`, XML and pom.xml are in ``maven``."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

from relkit.core.versions import Version
from relkit.errors import ConfigError

from release_pr.updaters.generic import update_markers

_PATH_PART = re.compile(r"\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['\"]([^'\"]+)['\"]\]")


def parse_jsonpath(path: str) -> list[str | int]:
    """``$.a.b[0]['c-d']`` → ``["a", "b", 0, "c-d"]``; anything else is a ConfigError."""
    if not path.startswith("$"):
        raise ConfigError(f"jsonpath {path!r} must start with '$' (e.g. $.version)")
    parts: list[str | int] = []
    pos = 1
    while pos < len(path):
        match = _PATH_PART.match(path, pos)
        if not match:
            raise ConfigError(f"jsonpath {path!r}: only $.key, [index] and ['key'] are supported")
        parts.append(int(match[2]) if match[2] is not None else (match[1] or match[3]))
        pos = match.end()
    if not parts:
        raise ConfigError(f"jsonpath {path!r} names no field")
    return parts


def _set(data: Any, parts: list[str | int], value: str, path: str) -> None:
    node = data
    for part in parts[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise ConfigError(f"jsonpath {path!r} does not exist in the file") from None
    try:
        node[parts[-1]]  # must exist: never invent keys
        node[parts[-1]] = value
    except (KeyError, IndexError, TypeError):
        raise ConfigError(f"jsonpath {path!r} does not exist in the file") from None


def update_json(content: str, version: Version, jsonpath: str) -> str:
    """The value at ``jsonpath`` replaced in place: the rest of the file stays byte for byte."""
    from release_pr.updaters import jsonedit  # noqa: PLC0415 - only JSON extra files

    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"extra file is not valid JSON ({exc})") from None
    parts = parse_jsonpath(jsonpath)
    _set(data, parts, str(version), jsonpath)  # checks the path exists
    return jsonedit.set_value(content, parts, str(version))


def update_yaml(content: str, version: Version, jsonpath: str) -> str:
    """Round-trip YAML (ruamel): comments, quotes and order stay."""
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy, lazy
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    yaml = YAML()
    yaml.preserve_quotes = True
    try:
        data = yaml.load(content)
    except YAMLError as exc:
        raise ConfigError(f"extra file is not valid YAML ({exc})") from None
    _set(data, parse_jsonpath(jsonpath), str(version), jsonpath)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def update_toml(content: str, version: Version, jsonpath: str) -> str:
    """``$.table.key`` / ``$.key`` with a string value, rewritten in place."""
    parts = parse_jsonpath(jsonpath)
    if not all(isinstance(p, str) for p in parts):
        raise ConfigError(f"jsonpath {jsonpath!r}: TOML entries support $.table.key only")
    table, key = ".".join(str(p) for p in parts[:-1]), str(parts[-1])
    current = ""
    lines = content.splitlines(keepends=True)
    pattern = re.compile(rf"""^(\s*{re.escape(key)}\s*=\s*)(["'])([^"']*)(\2)""")
    for i, line in enumerate(lines):
        head = re.match(r"^\s*\[([^\]]+)\]", line)
        if head:
            current = head[1].strip()
            continue
        match = pattern.match(line)
        if match and current == table:
            lines[i] = f"{match[1]}{match[2]}{version}{match[4]}" + line[match.end() :]
            return "".join(lines)
    raise ConfigError(f"jsonpath {jsonpath!r} does not exist in the TOML file")


def _markers_unless(
    path: str | None, update: Callable[[str, Version, str], str]
) -> Callable[[str, Version], str]:
    return lambda content, v: update(content, v, path) if path else update_markers(content, v)


def _pom(content: str, version: Version, _jsonpath: str | None, _xpath: str | None) -> str:
    from release_pr.updaters import maven  # noqa: PLC0415 - only XML extra files

    return maven.update_pom_extra_file(content, version)


def _xml(content: str, version: Version, jsonpath: str | None, xpath: str | None) -> str:
    if jsonpath and not xpath:
        raise ConfigError(
            f"extra-files type 'xml' addresses its value with 'xpath', got jsonpath {jsonpath!r}"
        )
    from release_pr.updaters import maven  # noqa: PLC0415 - only XML extra files

    return maven.update_xml(content, version, xpath) if xpath else update_markers(content, version)


ExtraFileUpdater = Callable[[str, Version, str | None, str | None], str]

# extra-files ``type`` → its updater (content, version, jsonpath, xpath); json, yaml and toml
# entries without a jsonpath get the markers, as release-please's generic updater
EXTRA_FILE_TYPES: dict[str, ExtraFileUpdater] = {
    "generic": lambda content, version, _jp, _xp: update_markers(content, version),
    "json": lambda content, version, jp, _xp: _markers_unless(jp, update_json)(content, version),
    "yaml": lambda content, version, jp, _xp: _markers_unless(jp, update_yaml)(content, version),
    "toml": lambda content, version, jp, _xp: _markers_unless(jp, update_toml)(content, version),
    "xml": _xml,
    "pom": _pom,
}


def update_extra_file(
    content: str, version: Version, kind: str, jsonpath: str | None, xpath: str | None = None
) -> str:
    """One ``extra-files`` entry's file, updated by its type's updater."""
    update = EXTRA_FILE_TYPES.get(kind)
    if update is None:
        raise ConfigError(
            f"extra-files type {kind!r} is not supported; use {', '.join(EXTRA_FILE_TYPES)}"
        )
    return update(content, version, jsonpath, xpath)
