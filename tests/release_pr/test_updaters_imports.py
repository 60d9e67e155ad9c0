"""The updater modules import each other without a cycle: the marker updater (``generic``) is
one module, the ``extra-files`` dispatcher (``extra_files``) another."""

from __future__ import annotations

import ast
from pathlib import Path

import release_pr.updaters

FOLDER = Path(release_pr.updaters.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "release_pr.updaters":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "release_pr.updaters."
        ):
            found.add((node.module or "").rsplit(".", 1)[-1])
    modules = {p.stem for p in FOLDER.glob("*.py")}
    return found & modules


def test_no_import_cycle_between_updaters() -> None:
    graph = {p.stem: _imports(p) for p in FOLDER.glob("*.py") if p.stem != "__init__"}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(name for name in graph if reaches(name, name, {name}))
    assert cycles == []


def test_the_dispatcher_is_a_registry_of_every_extra_file_type() -> None:
    from release_pr.updaters.extra_files import EXTRA_FILE_TYPES  # noqa: PLC0415

    assert sorted(EXTRA_FILE_TYPES) == ["generic", "json", "pom", "toml", "xml", "yaml"]
