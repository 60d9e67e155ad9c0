"""Go: a ``version-file`` with ``const Version = "…"`` (release-please's ``VersionGo``). Without
one, release-please's go strategy writes CHANGELOG.md only."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_CONST = re.compile(r'(const Version = ")(\d+\.\d+\.\d\S*?)(")')


def update_version_go(content: str, version: Version) -> str:
    return _CONST.sub(lambda m: f"{m[1]}{version}{m[3]}", content, count=1)
