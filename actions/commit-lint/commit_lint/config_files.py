"""Find and read a commitlint configuration like ``@commitlint/load`` (cosmiconfig) does.

Search places, in commitlint's order, from the start folder up to the repository root:
``package.json`` (its ``commitlint`` key), ``package.yaml``, ``.commitlintrc`` (JSON or YAML),
``.commitlintrc.json``, ``.commitlintrc.yaml``, ``.commitlintrc.yml``, then the JavaScript and
TypeScript forms, which are code: relkit never runs code from the repository, so those give one
error that shows the equivalent JSON when the file is a plain object literal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from relkit.errors import ConfigError
from relkit.schema_check import check_schema

from commit_lint.config import (
    RELEASE_PLEASE_SCOPES,
    LintConfig,
    default_config,
    resolve_config,
)

SEARCH_PLACES = (
    "package.json",
    "package.yaml",
    ".commitlintrc",
    ".commitlintrc.json",
    ".commitlintrc.yaml",
    ".commitlintrc.yml",
    ".commitlintrc.js",
    ".commitlintrc.cjs",
    ".commitlintrc.mjs",
    "commitlint.config.js",
    "commitlint.config.cjs",
    "commitlint.config.mjs",
    ".commitlintrc.ts",
    ".commitlintrc.cts",
    ".commitlintrc.mts",
    "commitlint.config.ts",
    "commitlint.config.cts",
    "commitlint.config.mts",
)
_CODE_SUFFIXES = (".js", ".cjs", ".mjs", ".ts", ".cts", ".mts")
MAX_CONFIG_BYTES = 1024 * 1024


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read commitlint config {path}: {exc.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"commitlint config {path} is larger than 1 MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"commitlint config {path} is not valid UTF-8") from None


def _load_yaml(text: str, path: Path) -> object:
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy, only for YAML configs
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        return YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise ConfigError(f"commitlint config {path} is not valid YAML: {exc}") from None


def _parse_data(text: str, path: Path) -> object:
    if path.suffix == ".json" or (path.name == ".commitlintrc" and text.lstrip()[:1] in "{["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"commitlint config {path} is not valid JSON: {exc}") from None
    return _load_yaml(text, path)


def config_schema() -> dict[str, Any]:
    """The JSON Schema of a commitlint config (``config.schema.json``, read once)."""
    if not _SCHEMA:
        from importlib import resources  # noqa: PLC0415 - only when a config is validated

        text = resources.files("commit_lint").joinpath("config.schema.json").read_text("utf-8")
        _SCHEMA.update(json.loads(text))
    return _SCHEMA


_SCHEMA: dict[str, Any] = {}


def validate_shape(data: Mapping[str, Any], source: str) -> None:
    """Check ``data`` against the JSON Schema; one ConfigError naming the first problem."""
    check_schema(
        data,
        config_schema(),
        what=f"{source}: invalid commitlint config",
        fix="see https://commitlint.js.org/reference/configuration.html",
    )


# (compiled by re on first use: only JavaScript configs need them)
_JS_EXPORT = r"(?:module\.exports\s*=|export\s+default)\s*"
_JS_COMMENTS = r"//[^\n]*|/\*.*?\*/"
_SEVERITY = {"Disabled": "0", "Warning": "1", "Error": "2"}


def derive_json(source: str) -> dict[str, Any] | None:
    """The JSON form of a JavaScript config that is a plain object literal, else None."""
    match = re.search(_JS_EXPORT, source, re.MULTILINE)
    if match is None:
        return None
    body = (
        re.sub(_JS_COMMENTS, "", source[match.end() :], flags=re.DOTALL).strip().rstrip(";").strip()
    )
    body = re.sub(r"RuleConfigSeverity\.(\w+)", lambda m: _SEVERITY.get(m.group(1), "?"), body)
    body = re.sub(r"'((?:[^'\\\n]|\\.)*)'", lambda m: json.dumps(m.group(1)), body)
    body = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', body)
    body = re.sub(r",(\s*[}\]])", r"\1", body)
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _code_config_error(path: Path, text: str) -> ConfigError:
    derived = derive_json(text)
    if derived is None:
        return ConfigError(
            f"{path} is JavaScript/TypeScript, which commit-lint does not run (it never executes "
            "code from the repository): write the same settings as JSON in .commitlintrc.json "
            "or YAML in .commitlintrc.yaml, or pass config-file"
        )
    return ConfigError(
        f"{path} is JavaScript/TypeScript, which commit-lint does not run (it never executes "
        f"code from the repository): save this equivalent as .commitlintrc.json: "
        f"{json.dumps(derived, separators=(',', ':'))}"
    )


def read_config_file(path: Path) -> tuple[Mapping[str, Any] | None, str]:
    """The config mapping in ``path`` (None for a package.json without ``commitlint``)."""
    text = _read_text(path)
    if path.suffix in _CODE_SUFFIXES:
        raise _code_config_error(path, text)
    data = _parse_data(text, path)
    if path.name in {"package.json", "package.yaml"}:
        if not isinstance(data, Mapping) or "commitlint" not in data:
            return None, str(path)
        data = data["commitlint"]
        label = f"{path} (commitlint key)"
    else:
        label = str(path)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{label}: a commitlint config must be a mapping, got {type(data).__name__}"
        )
    return data, label


def find_config_file(start: Path) -> Path | None:
    """The first search place that holds a config, from ``start`` up to the git root."""
    folder = start.resolve()
    while True:
        for name in SEARCH_PLACES:
            candidate = folder / name
            if candidate.is_file():
                if name in {"package.json", "package.yaml"}:
                    data, _ = read_config_file(candidate)
                    if data is None:
                        continue
                return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def load_config(start: Path, explicit: str = "") -> LintConfig:
    """Load ``explicit`` (relative to ``start``), or discover one; default: config-conventional."""
    path = (start / explicit) if explicit else find_config_file(start)
    if path is None:
        return default_config()
    if explicit and not path.is_file():
        raise ConfigError(f"config file {explicit!r} not found (looked at {path})")
    data, label = read_config_file(path)
    if data is None:
        raise ConfigError(f"{label} has no 'commitlint' key")

    def load_extends(name: str) -> Mapping[str, Any]:
        if name == RELEASE_PLEASE_SCOPES:
            return {"rules": {"scope-enum": [2, "always", release_please_scopes(path.parent)]}}
        parent, parent_label = read_config_file((path.parent / name).resolve())
        if parent is None:
            raise ConfigError(f"{parent_label}: extended config has no 'commitlint' key")
        return parent

    return resolve_config(data, label, load_extends, validate_shape)


RELEASE_PLEASE_FILES = ("release-please-config.json", ".release-please-manifest.json")


def release_please_scopes(start: Path) -> list[str]:
    """The components release-please's files name, nearest the config up to the git root: a
    package's ``component``, else its ``package-name`` (without an npm ``@scope/``), else its
    folder's name; manifest paths by folder name. The root package has no scope of its own."""
    folder = start.resolve()
    while not any((folder / name).is_file() for name in RELEASE_PLEASE_FILES):
        if (folder / ".git").exists() or folder.parent == folder:
            raise ConfigError(
                f"{RELEASE_PLEASE_SCOPES} is extended, but there is no release-please-config.json "
                f"or manifest from {start} up to the repository root; add them or drop the preset"
            )
        folder = folder.parent
    packages: dict[str, Mapping[str, Any]] = {}
    for name in RELEASE_PLEASE_FILES:
        if not (folder / name).is_file():
            continue
        data = _parse_data(_read_text(folder / name), folder / name)
        if not isinstance(data, Mapping):
            raise ConfigError(f"{folder / name} must hold a JSON object; fix the file")
        raw = data.get("packages", {}) if name == RELEASE_PLEASE_FILES[0] else data
        for path, settings in raw.items() if isinstance(raw, Mapping) else ():
            packages.setdefault(str(path).strip("/") or ".", {})
            if isinstance(settings, Mapping):
                packages[str(path).strip("/") or "."] = settings
    scopes = set()
    for path, settings in packages.items():
        component = settings.get("component") or settings.get("package-name")
        if isinstance(component, str) and component:
            scopes.add(component.rsplit("/", 1)[-1] if component.startswith("@") else component)
        elif path != ".":
            scopes.add(path.rsplit("/", 1)[-1])
    return sorted(scopes)
