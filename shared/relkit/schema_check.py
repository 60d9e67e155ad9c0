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

    ``plainly_valid`` may only answer True for data the schema accepts; any doubt goes to
    jsonschema, which stays the validator of record and words the error.
    """
    if plainly_valid is not None and plainly_valid(data):
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
