"""R ``DESCRIPTION`` (release-please's ``DescriptionUpdater``): the ``Version:`` field."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_VERSION = re.compile(r"^(Version:[ \t]*)(\d+\.\d+\.\d+(?:[.-]\d+)?)([ \t]*)$", re.M)


def update_description(content: str, version: Version) -> str:
    return _VERSION.sub(lambda m: f"{m[1]}{version}{m[3]}", content, count=1)
