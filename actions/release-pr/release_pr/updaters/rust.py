"""Rust: ``Cargo.toml`` ``[package].version`` and the crate's own entry in ``Cargo.lock``
(release-please's ``rust`` strategy: ``CargoToml`` and ``CargoLock``).

The crate name comes from ``Cargo.toml``. A ``[workspace]`` with ``members`` is versioned as
release-please does without its ``cargo-workspace`` plugin: every member crate gets the release's
version, and path dependencies between them follow. Edits are line by line, so comments, key
order and quoting stay; ``tomllib`` only reads names and members.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from relkit.core.versions import Version
from relkit.errors import ConfigError

from release_pr.updaters import Found, Package, Updater

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_VERSION = re.compile(r"""^(\s*version\s*=\s*)(["'])([^"']*)(\2)""")
_NAME = re.compile(r"""^\s*name\s*=\s*(["'])([^"']*)\1""")
_SOURCE = re.compile(r"^\s*source\s*=")
_PATH_KEY = re.compile(r"^\s*path\s*=")
_INLINE_DEP = re.compile(r"""^\s*(["']?)([A-Za-z0-9_.-]+)\1\s*=\s*\{(?P<body>.*)\}""")
_INLINE_VERSION = re.compile(r"""(\bversion\s*=\s*)(["'])([^"']*)(\2)""")
_INLINE_PATH = re.compile(r"\bpath\s*=")
_DEP_KINDS = ("dependencies", "dev-dependencies", "build-dependencies")


class _Table:
    def __init__(self, name: str, start: int, array: bool) -> None:
        self.name = name
        self.start = start  # first line after the header
        self.end = start
        self.array = array


def _unquote(name: str) -> str:
    return re.sub(r"""\s*\.\s*""", ".", name).replace('"', "").replace("'", "")


def _tables(lines: list[str]) -> list[_Table]:
    tables = [_Table("", 0, array=False)]
    for i, line in enumerate(lines):
        head = _HEADER.match(line)
        if head:
            tables[-1].end = i
            tables.append(_Table(_unquote(head[2]), i + 1, array=head[1] == "[["))
    tables[-1].end = len(lines)
    return tables


def _dep_table(name: str) -> bool:
    """``[dependencies]``, ``[dev-dependencies]``, ``[target.'cfg(…)'.dependencies]``,
    ``[workspace.dependencies]``."""
    return (
        name in _DEP_KINDS
        or name == "workspace.dependencies"
        or (name.startswith("target.") and name.rsplit(".", 1)[-1] in _DEP_KINDS)
    )


def _set_version(lines: list[str], table: _Table, version: Version) -> None:
    """The table's ``version = "…"`` line gets ``version``; the rest of the line stays."""
    for i in range(table.start, table.end):
        match = _VERSION.match(lines[i])
        if match:
            lines[i] = f"{match[1]}{match[2]}{version}{match[4]}" + lines[i][match.end() :]
            return


def _name_in(lines: list[str], table: _Table) -> str | None:
    for i in range(table.start, table.end):
        match = _NAME.match(lines[i])
        if match:
            return match[2]
    return None


def _inline_deps(lines: list[str], table: _Table, names: frozenset[str]) -> Iterator[int]:
    for i in range(table.start, table.end):
        match = _INLINE_DEP.match(lines[i])
        if match and match[2] in names and _INLINE_PATH.search(match["body"]):
            yield i


def cargo_toml_updater(names: frozenset[str], *, workspace_root: bool = False) -> Updater:
    """``[package].version`` when the crate is one of ``names``; the ``version`` of path
    dependencies on ``names`` (release-please skips registry-only ones); with
    ``workspace_root``, ``[workspace.package].version`` that members inherit."""

    def update(content: str, version: Version) -> str:
        lines = content.splitlines(keepends=True)
        tables = _tables(lines)
        own = next((_name_in(lines, t) for t in tables if t.name == "package"), None)
        for table in tables:
            if (table.name == "package" and own in names) or (
                workspace_root and table.name == "workspace.package"
            ):
                _set_version(lines, table, version)
            elif _dep_table(table.name):
                for i in _inline_deps(lines, table, names - {own}):
                    lines[i] = _INLINE_VERSION.sub(
                        lambda m: f"{m[1]}{m[2]}{version}{m[4]}", lines[i], count=1
                    )
            elif "." in table.name and _dep_table(table.name.rsplit(".", 1)[0]):
                crate = table.name.rsplit(".", 1)[1]  # [dependencies.foo]
                has_path = any(_PATH_KEY.match(lines[i]) for i in range(table.start, table.end))
                if crate in names - {own} and has_path:
                    _set_version(lines, table, version)
        return "".join(lines)

    return update


def cargo_lock_updater(names: frozenset[str]) -> Updater:
    """The ``[[package]]`` entries of ``names`` built from the workspace (no ``source``): a
    registry crate of the same name (an older release depended upon) keeps its version."""

    def update(content: str, version: Version) -> str:
        lines = content.splitlines(keepends=True)
        for table in _tables(lines):
            if not (table.array and table.name == "package"):
                continue
            local = not any(_SOURCE.match(lines[i]) for i in range(table.start, table.end))
            if local and _name_in(lines, table) in names:
                _set_version(lines, table, version)
        return "".join(lines)

    return update


def _parse(text: str, path: str) -> dict[str, Any]:
    import tomllib  # noqa: PLC0415 - only rust packages read TOML

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix it before releasing") from None


def _crate_name(manifest: dict[str, Any]) -> str | None:
    package = manifest.get("package")
    name = package.get("name") if isinstance(package, dict) else None
    return name if isinstance(name, str) and name else None


def discover(package: Package) -> Found:
    """The crate name comes from Cargo.toml, not from ``package-name``."""
    read = package.read
    text = read("Cargo.toml")
    if text is None:
        return Found(
            warnings=(
                "release-type rust: no Cargo.toml; only CHANGELOG.md and the manifest are updated",
            )
        )
    manifest = _parse(text, "Cargo.toml")
    own = _crate_name(manifest)
    workspace = manifest.get("workspace")
    members = workspace.get("members") if isinstance(workspace, dict) else None
    if not isinstance(members, list) or not members:
        if own is None:
            return Found(
                warnings=(
                    "release-type rust: Cargo.toml has no [package] name; "
                    "only CHANGELOG.md and the manifest are updated",
                )
            )
        names = frozenset({own})
        return Found(
            (("Cargo.toml", cargo_toml_updater(names)), ("Cargo.lock", cargo_lock_updater(names)))
        )
    return _workspace(own, [str(m) for m in members], read)


def _workspace(own: str | None, members: list[str], read: Callable[[str], str | None]) -> Found:
    crates: set[str] = {own} if own else set()
    paths: list[str] = []
    warnings: list[str] = []
    for member in members:
        path = f"{member.strip('/')}/Cargo.toml"
        if any(char in member for char in "*?["):
            warnings.append(
                f"release-type rust: workspace member {member!r} is a glob, which release-please's "
                "rust strategy does not expand; list the member directories"
            )
            continue
        text = read(path)
        crate = _crate_name(_parse(text, path)) if text is not None else None
        if crate is None:
            warnings.append(
                f"release-type rust: workspace member {member!r} has no crate "
                f"({path} missing or without [package] name); skipped"
            )
            continue
        crates.add(crate)
        paths.append(path)
    if own is None:
        warnings.append(
            "release-type rust: Cargo.toml is a [workspace] without [package]: every member "
            "crate gets this release's version, as release-please's rust strategy does; a "
            "version per crate needs release-please's cargo-workspace plugin, which relkit "
            "does not support (configure each crate as its own package instead)"
        )
    names = frozenset(crates)
    files: list[tuple[str, Updater]] = [(p, cargo_toml_updater(names)) for p in paths]
    files.append(("Cargo.toml", cargo_toml_updater(names, workspace_root=True)))
    files.append(("Cargo.lock", cargo_lock_updater(names)))
    return Found(tuple(files), tuple(warnings))
