"""``extra-files``: ``x-release-please-*`` markers, and ``json`` / ``yaml`` / ``toml`` entries
addressed by a ``jsonpath`` (``$.a.b[0].c`` form)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from relkit.core.versions import Version
from relkit.errors import ConfigError

_VERSION = re.compile(r"\d+\.\d+\.\d+(-[\w.]+)?(\+[-\w.]+)?")
_NUMBER = re.compile(r"\b\d+\b")
_INLINE = re.compile(r"x-release-please-(major|minor|patch|version)")
_BLOCK_START = re.compile(r"x-release-please-start-(major|minor|patch|version)")
_BLOCK_END = re.compile(r"x-release-please-end")
_PATH_PART = re.compile(r"\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['\"]([^'\"]+)['\"]\]")


def _replace(line: str, scope: str, version: Version) -> str:
    if scope == "version":
        return _VERSION.sub(str(version), line, count=1)
    value = {"major": version.major, "minor": version.minor, "patch": version.patch}[scope]
    return _NUMBER.sub(str(value), line, count=1)


def update_markers(content: str, version: Version) -> str:
    """release-please's Generic updater (line endings kept)."""
    out: list[str] = []
    block: str | None = None
    for line in content.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        inline = _INLINE.search(body)
        if inline:
            out.append(_replace(body, inline[1], version) + ending)
        elif block:
            out.append(_replace(body, block, version) + ending)
            if _BLOCK_END.search(body):
                block = None
        else:
            start = _BLOCK_START.search(body)
            if start:
                block = start[1]
            out.append(line)
    return "".join(out)


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


def update_extra_file(
    content: str, version: Version, kind: str, jsonpath: str | None, xpath: str | None = None
) -> str:
    if kind in {"pom", "xml"}:
        from release_pr.updaters import maven  # noqa: PLC0415 - only XML extra files

        if kind == "pom":
            return maven.update_pom_extra_file(content, version)
        if xpath:
            return maven.update_xml(content, version, xpath)
    if kind == "generic" or not jsonpath:
        return update_markers(content, version)
    if kind == "json":
        return update_json(content, version, jsonpath)
    if kind == "yaml":
        return update_yaml(content, version, jsonpath)
    if kind == "toml":
        return update_toml(content, version, jsonpath)
    raise ConfigError(
        f"extra-files type {kind!r} is not supported; use generic, json, yaml, toml, xml or pom"
    )
