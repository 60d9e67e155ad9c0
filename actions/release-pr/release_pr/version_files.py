"""The package's version files in the working tree, written through pending updates (so two
packages editing one file compose); the plan reads and writes them here."""

from __future__ import annotations

import re

from relkit.core.versions import Version

from release_pr import history
from release_pr.config import ExtraFile, PackageConfig
from release_pr.history import StrPath
from release_pr.packages import join_path
from release_pr.updaters import is_created, package_files


class Files:
    """Reads through pending updates so two packages editing one file compose."""

    def __init__(self, workspace: StrPath) -> None:
        self.workspace = workspace
        self.updates: dict[str, str] = {}

    def read(self, path: str) -> str | None:
        if path in self.updates:
            return self.updates[path]
        return history.read_file(self.workspace, path)

    def write(self, path: str, content: str) -> None:
        self.updates[path] = content


def write_version_files(
    package: PackageConfig, version: Version, files: Files, touched: list[str]
) -> tuple[str, ...]:
    """Write ``version`` into the package's version files; the warnings of finding them."""

    def apply(path: str, update: object, *, create: bool = False) -> None:
        current = files.read(path)
        if current is None and not create:
            return
        new = update(current or "", version)  # type: ignore[operator]
        if new != current:
            files.write(path, new)
            touched.append(path)

    found = package_files(
        package.release_type,
        package.component or package.package_name,
        lambda name: files.read(join_path(package.path, name)),
        lambda: history.list_files(files.workspace, package.path),
        package.version_file,
    )
    for name, updater in found.files:
        apply(
            join_path(package.path, name),
            updater,
            create=is_created(package.release_type, name),
        )
    if package.release_type == "python" and package.package_name:
        from release_pr.updaters import python  # noqa: PLC0415 - only python packages

        for name in {package.package_name, package.package_name.replace("-", "_")}:
            for rel in (f"{name}/__init__.py", f"src/{name}/__init__.py"):
                apply(join_path(package.path, rel), python.update_dunder_version)
    if package.extra_files:
        from release_pr.updaters import docker, extra_files  # noqa: PLC0415 - only extra-files
    for extra in package.extra_files:
        for path in _extra_paths(extra, package, files):
            if path.endswith(("action.yml", "action.yaml")) and extra.type == "generic":
                apply(path, docker.update_action_image)
            apply(
                path,
                lambda content, v, e=extra: extra_files.update_extra_file(
                    content, v, e.type, e.jsonpath, e.xpath
                ),
            )
    return tuple(f"packages[{package.path!r}]: {warning}" for warning in found.warnings)


def glob_pattern(glob: str) -> re.Pattern[str]:
    """A glob as release-please's (minimatch) reads it: ``*`` and ``?`` stay within one folder,
    ``**`` crosses folders."""
    out = []
    for part in re.split(r"(\*\*/|\*\*|\*|\?)", glob):
        out.append(
            {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(part, re.escape(part))
        )
    return re.compile("".join(out))


def _extra_paths(extra: ExtraFile, package: PackageConfig, files: Files) -> list[str]:
    """The repository paths of one ``extra-files`` entry: its path, or with ``glob: true`` the
    tracked files matching it (below the package, or the repository root for ``/…``)."""
    if not extra.glob:
        return [join_path(package.path, extra.path)]
    base = "." if extra.path.startswith("/") else package.path
    pattern = glob_pattern(extra.path.lstrip("/"))
    names = history.list_files(files.workspace, base)
    return [join_path(base, name) for name in names if pattern.fullmatch(name)]
