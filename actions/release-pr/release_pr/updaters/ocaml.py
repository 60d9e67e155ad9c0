"""OCaml (release-please's ``ocaml`` strategy): every ``*.opam`` / ``*.opam.locked``
(``version: "…"``), every JSON file with a top-level ``"version"`` (``esy.json``,
``package.json``), ``esy.lock/`` left out, and ``dune-project``'s ``(version …)``."""

from __future__ import annotations

import json
import re

from relkit.core.versions import Version

from release_pr.updaters import Found, Package, Updater
from release_pr.updaters.jsonedit import set_value

_OPAM = re.compile(r'^(version: ")([A-Za-z0-9_\-+.~]+)("[ \t]*)$', re.M)
_DUNE = re.compile(r"^(\(version )([A-Za-z0-9_\-+.~]+)(\)[ \t]*)$", re.M)


def update_opam(content: str, version: Version) -> str:
    return _OPAM.sub(lambda m: f"{m[1]}{version}{m[3]}", content, count=1)


def update_dune_project(content: str, version: Version) -> str:
    return _DUNE.sub(lambda m: f"{m[1]}{version}{m[3]}", content, count=1)


def _has_version(content: str | None) -> bool:
    try:
        data = json.loads(content) if content is not None else None
    except json.JSONDecodeError:
        return False  # not a manifest release-please could read either
    return isinstance(data, dict) and "version" in data


def update_json(content: str, version: Version) -> str:
    """``esy.json`` / ``package.json``: the top-level ``"version"``."""
    return set_value(content, ["version"], str(version))


def discover(package: Package) -> Found:
    files: list[tuple[str, Updater]] = []
    for path in package.listing():
        if path.startswith("esy.lock"):
            continue
        if path.endswith((".opam", ".opam.locked")):
            files.append((path, update_opam))
        elif path.endswith(".json") and _has_version(package.read(path)):
            files.append((path, update_json))
    files.append(("dune-project", update_dune_project))
    return Found(tuple(files))
