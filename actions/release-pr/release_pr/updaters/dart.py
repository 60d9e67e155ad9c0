"""Dart ``pubspec.yaml``: the top-level ``version:`` line (release-please's ``PubspecYaml``).

A numeric build number counts up (``1.2.3+12`` → ``1.3.0+13``), any other build suffix stays.
"""

from __future__ import annotations

import re

from relkit.core.versions import Version

_VERSION = re.compile(
    r"""^(version:[ \t]*)(["']?)([^\s"'#+]+)(?:\+([^\s"'#]*))?(\2)""",
    re.M,
)


def update_pubspec_yaml(content: str, version: Version) -> str:
    def replace(match: re.Match[str]) -> str:
        build = match[4]
        if build and build.isdigit():
            build = str(int(build) + 1)
        suffix = f"+{build}" if build else ""
        plain = str(version).split("+", 1)[0] if build else str(version)
        return f"{match[1]}{match[2]}{plain}{suffix}{match[5]}"

    return _VERSION.sub(replace, content, count=1)
