"""Julia ``Project.toml`` / ``JuliaProject.toml``: the top-level ``version = "…"`` (release-please's
``JuliaProjectToml``), before the first table; comments and layout stay."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_TABLE = re.compile(r"^\s*\[")
_VERSION = re.compile(r"""^(\s*version\s*=\s*)(["'])([^"']*)(\2)""")


def update_project_toml(content: str, version: Version) -> str:
    lines = content.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if _TABLE.match(line):
            break
        match = _VERSION.match(line)
        if match:
            lines[i] = f"{match[1]}{match[2]}{version}{match[4]}" + line[match.end() :]
            return "".join(lines)
    return content
