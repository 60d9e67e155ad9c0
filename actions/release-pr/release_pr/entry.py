"""`relkit release-pr`: not built yet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from relkit.errors import ConfigError


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    # release-core: the local modes (--dry-run [--json], --json-batch) run without a token
    from release_pr import local  # noqa: PLC0415 - loaded only when the flags ask for it

    if local.wants_local(argv):
        return local.main(argv, env)
    raise ConfigError(
        "the release-pr action is not built yet in this version of relkit; "
        "pin a release that lists it in the README's table of actions"
    )
