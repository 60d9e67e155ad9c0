"""``version.txt`` (release type ``simple``)."""

from __future__ import annotations

from relkit.core.versions import Version


def update_version_txt(content: str, version: Version) -> str:  # noqa: ARG001
    return f"{version}\n"
