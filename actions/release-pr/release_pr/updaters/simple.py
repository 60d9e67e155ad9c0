"""``version.txt`` (release type ``simple``) and plain version files (release-please's
``DefaultUpdater``: ``simple``'s ``version-file``, ``php``'s ``VERSION``)."""

from __future__ import annotations

import re

from relkit.core.versions import Version

# release-please's VERSION_REGEX: the first semver-looking run is replaced, a "v" prefix stays
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[^+\s]+)?(?:\+\S*)?")


def update_version_txt(content: str, version: Version) -> str:  # noqa: ARG001
    return f"{version}\n"


def update_version_file(content: str, version: Version) -> str:
    if _SEMVER.search(content):
        return _SEMVER.sub(str(version), content, count=1)
    return f"{version}\n"
