"""release-please's Generic updater: the ``x-release-please-*`` markers of any text file (the
``extra-files`` dispatcher, :mod:`release_pr.updaters.extra_files`, sends files here)."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_VERSION = re.compile(r"\d+\.\d+\.\d+(-[\w.]+)?(\+[-\w.]+)?")
_NUMBER = re.compile(r"\b\d+\b")
_INLINE = re.compile(r"x-release-please-(major|minor|patch|version)")
_BLOCK_START = re.compile(r"x-release-please-start-(major|minor|patch|version)")
_BLOCK_END = re.compile(r"x-release-please-end")


def _replace(line: str, scope: str, version: Version) -> str:
    if scope == "version":
        return _VERSION.sub(str(version), line, count=1)
    value = {"major": version.major, "minor": version.minor, "patch": version.patch}[scope]
    return _NUMBER.sub(str(value), line, count=1)


def update_markers(content: str, version: Version) -> str:
    """release-please's Generic updater (line endings kept)."""
    out: list[str] = []
    block: str | None = None
    for line in content.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        inline = _INLINE.search(body)
        if inline:
            out.append(_replace(body, inline[1], version) + ending)
        elif block:
            out.append(_replace(body, block, version) + ending)
            if _BLOCK_END.search(body):
                block = None
        else:
            start = _BLOCK_START.search(body)
            if start:
                block = start[1]
            out.append(line)
    return "".join(out)
