"""`relkit dependency-group`: not built yet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from relkit.errors import ConfigError


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:  # noqa: ARG001
    raise ConfigError(
        "the dependency-group action is not built yet in this version of relkit; "
        "pin a release that lists it in the README's table of actions"
    )
