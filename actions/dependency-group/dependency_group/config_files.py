"""Finding and reading the grouping config (I/O): Renovate JSON / JSON5, Dependabot YAML.

JSON5 is parsed by the ``json5`` library (a pure-Python reader of the JSON5 spec, imported only
for ``.json5`` files); its syntax errors name the line and column.
"""

from __future__ import annotations

import json
from pathlib import Path

from relkit.errors import ConfigError

from dependency_group.config import (
    DEFAULT,
    DEPENDABOT_FILES,
    RENOVATE_FILES,
    Config,
    parse_dependabot,
    parse_renovate,
)


def discover(root: Path) -> str | None:
    """The config Renovate would read (then Dependabot's), relative to ``root``."""
    for name in (*RENOVATE_FILES, *DEPENDABOT_FILES):
        if (root / name).is_file():
            return name
    return None


def load(root: Path, name: str | None) -> Config:
    """Read and parse ``name`` (or the discovered config; the defaults when there is none)."""
    if not name:
        name = discover(root)
        if name is None:
            return DEFAULT
    path = root / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file {name!r} does not exist; fix input 'config-file' or leave it empty to "
            "use renovate.json / .github/renovate.json / renovate.json5 / .github/dependabot.yml"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {name!r} cannot be read: {exc}") from None
    if name.endswith((".yml", ".yaml")):
        return parse_dependabot(_yaml(text, name), name)
    if name.endswith(".json5"):
        return parse_renovate(_json5(text, name), name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{name}: JSON syntax error at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    return parse_renovate(data, name)


def _json5(text: str, name: str) -> object:
    import json5  # noqa: PLC0415 - only for .json5 configs

    try:
        return json5.loads(text)
    except ValueError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{name}: JSON5 syntax error: {message}") from None


def _yaml(text: str, name: str) -> object:
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        return YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise ConfigError(f"{name}: YAML syntax error: {' '.join(str(exc).split())}") from None
