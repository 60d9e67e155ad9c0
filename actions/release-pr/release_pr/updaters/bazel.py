"""Bazel ``MODULE.bazel`` (release-please's ``ModuleBazel``): ``version`` inside ``module(…)``."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_MODULE = re.compile(r"^module[ \t]*\((?P<args>[^)]*)\)", re.M)
_VERSION = re.compile(r"""(\bversion\s*=\s*)(["'])(.*?)(\2)""")


def update_module_bazel(content: str, version: Version) -> str:
    """Only the ``module()`` call's own version; ``bazel_dep(…, version = …)`` lines stay."""
    module = _MODULE.search(content)
    if module is None:
        return content
    args = _VERSION.sub(lambda m: f"{m[1]}{m[2]}{version}{m[4]}", module["args"], count=1)
    return content[: module.start("args")] + args + content[module.end("args") :]
