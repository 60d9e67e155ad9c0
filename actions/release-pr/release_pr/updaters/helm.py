"""Helm ``Chart.yaml``: the top-level ``version:`` line, comments kept."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_VERSION = re.compile(r"""^(version:\s*)(["']?)([^"'\s#]*)(\2)""", re.M)


def update_chart_yaml(content: str, version: Version) -> str:
    return _VERSION.sub(lambda m: f"{m[1]}{m[2]}{version}{m[4]}", content, count=1)
