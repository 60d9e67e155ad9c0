"""The dependency rule and the start-up rule, checked on the source with ``ast`` and at run time.

Static rules (every import statement counts, also the lazy ones inside functions):

1. ``relkit`` never imports an action package; the CLI reaches them only through the module
   names in ``relkit.cli.ACTIONS`` (``importlib``).
2. An action package never imports another action package.
3. Pure modules (``relkit.core`` and the table ``PURE_MODULES`` below) do no I/O. They import
   only ``relkit.core``, other pure modules of their own package, the stdlib modules of
   ``PURE_STDLIB`` and the libraries of ``PURE_LIBRARIES`` (plus per-module extras in the table),
   and call none of ``IMPURE_CALLS`` (``open``, ``print``, ``input``, ``datetime.now`` …).
   They may import ``relkit.errors`` (exception classes) and, of ``pathlib``, ``io`` and
   ``posixpath``, only the pure names listed in ``PURE_PARTS``.
   It is an allow-list on purpose: ``os``, ``sys``, ``subprocess``, ``socket``, ``shutil``,
   ``tempfile``, ``glob``, ``logging``, ``time``, ``random``, ``uuid``, ``urllib.request``,
   ``http``, ``requests``, ``github`` … are all refused because they are not on it.
4. Nowhere (product, tests, scripts, bench): ``shell=True``, ``os.system``, ``os.popen``.
5. Outside ``relkit/adapters/gha.py`` the product never calls ``print`` or writes through
   ``sys.stdout.<…>`` (ruff's T20 also forbids ``print``).

Run-time rule: ``relkit --help`` and ``relkit <action> --help`` import none of ``HEAVY`` (checked
with ``python -X importtime``), and ``relkit <action> --help`` imports no other action package.

Extend ``PURE_MODULES`` when an action gains a pure domain module: one line, the module (it also
covers its submodules) and the extra pure libraries it may use.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from relkit import cli

ROOT = Path(__file__).resolve().parents[1]
ACTION_ROOTS = {path.name.replace("-", "_"): path for path in sorted((ROOT / "actions").iterdir())}
ACTION_PACKAGES = frozenset(ACTION_ROOTS)

# Pure domain modules of the action packages → extra pure libraries each may import. A name
# covers its submodules. The owners of each action extend this table.
PURE_MODULES: dict[str, frozenset[str]] = {
    "commit_lint.rules": frozenset(),
    "commit_lint.cases": frozenset(),
    "commit_lint.config": frozenset(),
    "commit_lint.ignores": frozenset(),
    "commit_lint.lint": frozenset(),
    "commit_lint.events": frozenset(),
    "commit_lint.report": frozenset(),
    "release_pr.commit_parser": frozenset(),
    "release_pr.cc_grammar": frozenset(),
    "release_pr.strategies": frozenset(),
    "release_pr.compute": frozenset(),
    "release_pr.conventions": frozenset(),
    "release_pr.pull_request": frozenset(),
    # content → content, YAML (and Cargo.toml with tomllib) parsed from a string; importlib loads
    # only the sibling updater module a release type names (each checked here as well)
    "release_pr.updaters": frozenset({"ruamel", "tomllib", "importlib"}),
    # Kyverno's x509_decode parses certificates with cryptography; its random() draws from
    # secrets (listed before the engine entry: the first matching name wins)
    "kyverno_validate.engine.x509": frozenset({"cryptography", "warnings"}),
    "kyverno_validate.engine.regexgen": frozenset({"secrets"}),
    # validate.manifests: signatures checked with cryptography over in-memory gzip/tar messages
    "kyverno_validate.engine.manifests": frozenset(
        {"cryptography", "gzip", "io", "tarfile", "yaml", "jmespath", "ruamel"}
    ),
    "kyverno_validate.engine": frozenset({"jmespath", "ruamel"}),
    # CEL: cel-expr-python (imported lazily) and protobuf's duration/timestamp types
    "kyverno_validate.cel": frozenset({"cel_expr_python", "google"}),
    # planned (not built yet)
    "dependency_group.rules": frozenset(),
    "dependency_group.licenses": frozenset({"packaging", "license_expression"}),
    "dependency_group.update_types": frozenset({"packaging"}),
    "promote_env.kustomize": frozenset({"ruamel"}),
    "promote_env.promotion": frozenset(),
    "promote_env.record": frozenset(),
    "promote_env.freeze": frozenset(),
    "promote_env.revert": frozenset(),
    "promote_env.rendered": frozenset({"ruamel"}),
    "promote_env.report": frozenset(),
    "dora_push.metrics": frozenset(),
    "dora_push.fourkeys": frozenset(),
    "dora_push.summary": frozenset(),
}

# stdlib modules that do no I/O when imported or used as values. `datetime` is allowed for its
# types; reading the clock is refused by IMPURE_CALLS. `json` only through loads/dumps.
PURE_STDLIB = frozenset(
    {
        "__future__", "abc", "base64", "binascii", "bisect", "collections", "collections.abc",
        "contextlib", "copy", "dataclasses", "datetime", "decimal", "difflib", "enum", "fnmatch",
        "fractions", "functools", "graphlib", "hashlib", "heapq", "html", "ipaddress", "itertools",
        "json", "keyword", "math", "numbers", "operator", "re", "shlex", "statistics", "string",
        "textwrap", "types", "typing", "unicodedata", "urllib.parse", "zoneinfo",
    }
)  # fmt: skip
# a ContextVar carries per-evaluation output (GeneratingPolicy's generator.Apply calls), no I/O
PURE_STDLIB = PURE_STDLIB | {"contextvars"}
PURE_LIBRARIES = frozenset({"packaging"})
# relkit modules a pure module may import: the core, and the exception classes it may raise
PURE_RELKIT = frozenset({"relkit.core", "relkit.errors"})
# stdlib modules with pure and impure parts: only these names may be used
PURE_PARTS: dict[str, frozenset[str]] = {
    "pathlib": frozenset({"PurePath", "PurePosixPath", "PureWindowsPath"}),
    "io": frozenset({"StringIO", "BytesIO"}),
    "posixpath": frozenset(
        {"basename", "commonpath", "commonprefix", "dirname", "isabs", "join", "normcase",
         "normpath", "sep", "split", "splitext"}
    ),
}  # fmt: skip
# builtins and attribute calls that read or write the world
IMPURE_CALLS = frozenset({"open", "print", "input", "breakpoint", "exec", "eval", "__import__"})
CLOCK_ATTRS = frozenset({"now", "utcnow", "today", "time", "time_ns", "monotonic"})

HEAVY = frozenset(
    {
        "github", "requests", "urllib3", "jsonschema", "ruamel", "jmespath", "yaml",
        "kubernetes_validate", "prometheus_client", "license_expression",
        "cel_expr_python",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Import:
    module: str  # the importing module
    path: Path
    line: int
    target: str  # the imported module, absolute
    names: tuple[str, ...]  # for `from target import a, b`
    alias: str = ""  # for `import target [as alias]`: the name bound in the module

    def where(self) -> str:
        return f"{self.module} ({self.path.relative_to(ROOT)}:{self.line})"


def source_roots() -> dict[str, Path]:
    """Top-level package → folder: ``relkit`` and each action package."""
    return {"relkit": ROOT / "shared" / "relkit", **{p: d / p for p, d in ACTION_ROOTS.items()}}


def modules() -> Iterator[tuple[str, Path]]:
    for package, folder in source_roots().items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join([package, *parts]), path


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_of(module: str, path: Path, tree: ast.Module) -> Iterator[Import]:
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                yield Import(module, path, node.lineno, alias.name, (), bound)
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, target] if target else base)
            yield Import(module, path, node.lineno, target, tuple(a.name for a in node.names))


def all_imports() -> list[Import]:
    return [imp for module, path in modules() for imp in imports_of(module, path, parse(path))]


def top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def pure_extras(module: str) -> frozenset[str] | None:
    """The extra libraries of a pure module, or None when the module is not pure."""
    if module == "relkit.core" or module.startswith("relkit.core."):
        return frozenset()
    for name, extras in PURE_MODULES.items():
        if module == name or module.startswith(name + "."):
            return extras
    return None


def within(name: str, allowed: frozenset[str]) -> bool:
    return any(name == entry or name.startswith(entry + ".") for entry in allowed)


def attributes_used(tree: ast.Module, name: str) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == name
    }


def partial_import_problem(imp: Import, tree: ast.Module) -> str | None:
    """A module of PURE_PARTS: only its pure names may be imported or used."""
    target = imp.target
    if not imp.names and imp.alias != target:
        return f"imports {target} as {imp.alias}; import it under its own name"
    used = set(imp.names) if imp.names else attributes_used(tree, target)
    impure = sorted(used - PURE_PARTS[target])
    if impure:
        return f"uses {target}.{', '.join(impure)} (pure parts: {sorted(PURE_PARTS[target])})"
    return None


def pure_import_problem(imp: Import, tree: ast.Module) -> str | None:
    extras = pure_extras(imp.module)
    assert extras is not None
    target = imp.target
    if target in PURE_PARTS:
        return partial_import_problem(imp, tree)
    own_package = top(target) == top(imp.module) and top(target) in ACTION_PACKAGES
    if own_package:
        names = [target] + [f"{target}.{name}" for name in imp.names]
        if any(pure_extras(name) is not None for name in names):
            return None
        return f"imports {target}, which is not a pure module (add it to PURE_MODULES if it is)"
    allowed = (
        target in PURE_STDLIB
        or top(target) in PURE_LIBRARIES | extras
        or within(target, PURE_RELKIT)
    )
    if allowed:
        return None
    return (
        f"imports {target!r}, which is not on the pure allow-list "
        "(PURE_STDLIB / PURE_LIBRARIES / PURE_MODULES in tests/test_architecture.py)"
    )


# --- the dependency rule ---------------------------------------------------------------------


def test_modules_are_found() -> None:
    found = dict(modules())
    assert "relkit.cli" in found
    assert "relkit.core" in found
    for package in ACTION_PACKAGES:
        assert f"{package}.entry" in found


def test_relkit_never_imports_an_action_package() -> None:
    bad = [
        f"{imp.where()} imports {imp.target}"
        for imp in all_imports()
        if top(imp.module) == "relkit" and top(imp.target) in ACTION_PACKAGES
    ]
    assert not bad, "relkit must reach actions only through cli.ACTIONS:\n" + "\n".join(bad)


def test_no_action_imports_another_action() -> None:
    bad = [
        f"{imp.where()} imports {imp.target}"
        for imp in all_imports()
        if top(imp.module) in ACTION_PACKAGES
        and top(imp.target) in ACTION_PACKAGES
        and top(imp.target) != top(imp.module)
    ]
    assert not bad, "an action package may import relkit and itself only:\n" + "\n".join(bad)


def test_pure_modules_import_no_io() -> None:
    bad = []
    for module, path in modules():
        if pure_extras(module) is None:
            continue
        tree = parse(path)
        for imp in imports_of(module, path, tree):
            problem = pure_import_problem(imp, tree)
            if problem:
                bad.append(f"{imp.where()} {problem}")
    assert not bad, "pure modules must not do I/O:\n" + "\n".join(bad)


def impure_calls(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in IMPURE_CALLS:
            yield node.lineno, f"{func.id}()"
        elif isinstance(func, ast.Attribute) and func.attr in CLOCK_ATTRS:
            yield node.lineno, f".{func.attr}() reads the clock; take `now` as a parameter"


def test_pure_modules_call_no_io() -> None:
    bad = [
        f"{module} ({path.relative_to(ROOT)}:{line}) calls {what}"
        for module, path in modules()
        if pure_extras(module) is not None
        for line, what in impure_calls(parse(path))
    ]
    assert not bad, "pure modules must not do I/O:\n" + "\n".join(bad)


# --- checks that guard the checker itself ----------------------------------------------------


CORE = "relkit.core.example"


def _problems(source: str, module: str) -> list[str]:
    path = ROOT / "shared" / "relkit" / "core" / "example.py"
    tree = ast.parse(source)
    found = [pure_import_problem(imp, tree) for imp in imports_of(module, path, tree)]
    found += [what for _, what in impure_calls(ast.parse(source))]
    return [problem for problem in found if problem]


@pytest.mark.parametrize(
    ("source", "module", "allowed"),
    [
        pytest.param("import re\nfrom dataclasses import dataclass", CORE, True, id="stdlib"),
        pytest.param("from packaging.version import Version", CORE, True, id="packaging"),
        pytest.param("from relkit.core import versions", CORE, True, id="core"),
        pytest.param("from pathlib import PurePosixPath", CORE, True, id="pure-path"),
        pytest.param("import os", CORE, False, id="os"),
        pytest.param("import subprocess", CORE, False, id="subprocess"),
        pytest.param("from pathlib import Path", CORE, False, id="pathlib-io"),
        pytest.param("import io\nb = io.StringIO()", CORE, True, id="io-stringio"),
        pytest.param("import io\nf = io.open('x')", CORE, False, id="io-open"),
        pytest.param("import posixpath as p\np.exists('x')", CORE, False, id="alias"),
        pytest.param("import posixpath\nposixpath.normpath('a/../b')", CORE, True, id="posixpath"),
        pytest.param("import posixpath\nposixpath.exists('x')", CORE, False, id="posix-exists"),
        pytest.param("from relkit.errors import ConfigError", CORE, True, id="errors"),
        pytest.param("import urllib.request", CORE, False, id="urllib-request"),
        pytest.param("from relkit.adapters import git", CORE, False, id="adapter"),
        pytest.param("def f():\n    import requests", CORE, False, id="lazy-requests"),
        pytest.param("from . import versions", CORE, True, id="relative-core"),
        pytest.param("from ..adapters import gha", CORE, False, id="relative-adapter"),
        pytest.param("import jmespath", "kyverno_validate.engine", True, id="table-extra"),
        pytest.param("import jmespath", "commit_lint.rules", False, id="extra-elsewhere"),
        pytest.param("from commit_lint import cases", "commit_lint.rules", True, id="own-pure"),
        pytest.param("from commit_lint import entry", "commit_lint.rules", False, id="own-impure"),
        pytest.param("x = open('f')", CORE, False, id="open"),
        pytest.param("d = datetime.now(UTC)", CORE, False, id="clock"),
    ],
)  # fmt: skip
def test_pure_checker(source: str, module: str, allowed: bool) -> None:
    assert (not _problems(source, module)) is allowed


# --- rules for the whole code base --------------------------------------------------------------


def python_files() -> Iterator[Path]:
    for folder in ("shared", "actions", "tests", "scripts", "bench"):
        yield from sorted(p for p in (ROOT / folder).rglob("*.py") if ".scratch" not in p.parts)


def shell_calls(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "shell" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                yield node.lineno, "shell=…"
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"system", "popen"}
            and isinstance(func.value, ast.Name)
            and func.value.id == "os"
        ):
            yield node.lineno, f"os.{func.attr}()"


def test_no_shell_anywhere() -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in python_files()
        for line, what in shell_calls(parse(path))
    ]
    assert not bad, "run programs with an argument list, never through a shell:\n" + "\n".join(bad)


def stdout_writes(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """``print(…)`` and ``sys.stdout.<attr>`` (a write). Handing ``sys.stdout`` to a function as
    its output stream (a batch protocol) is not flagged."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "print":
                yield node.lineno, "print()"
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "stdout"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "sys"
        ):
            yield node.lineno, f"sys.stdout.{node.attr}"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        pytest.param("subprocess.run(['git'], shell=True)", True, id="shell-true"),
        pytest.param("subprocess.run('git', shell=flag)", True, id="shell-variable"),
        pytest.param("subprocess.run(['git'], shell=False)", False, id="shell-false"),
        pytest.param("os.system('ls')", True, id="os-system"),
        pytest.param("subprocess.run(['git'])", False, id="argv"),
    ],
)
def test_shell_checker(source: str, found: bool) -> None:
    assert bool(list(shell_calls(ast.parse(source)))) is found


@pytest.mark.parametrize(
    ("source", "found"),
    [
        pytest.param("print('x')", True, id="print"),
        pytest.param("sys.stdout.write('x')", True, id="write"),
        pytest.param("run_batch(sys.stdin, sys.stdout)", False, id="stream-handle"),
        pytest.param("gha.info('x')", False, id="gha"),
    ],
)
def test_stdout_checker(source: str, found: bool) -> None:
    assert bool(list(stdout_writes(ast.parse(source)))) is found


def test_only_gha_writes_to_stdout() -> None:
    gha = ROOT / "shared" / "relkit" / "adapters" / "gha.py"
    bad = [
        f"{module} ({path.relative_to(ROOT)}:{line}) uses {what}; go through relkit.adapters.gha"
        for module, path in modules()
        if path != gha
        for line, what in stdout_writes(parse(path))
    ]
    assert not bad, "\n".join(bad)


# --- start-up: what `--help` imports ------------------------------------------------------------


def imported_modules(*args: str, ok: frozenset[int] = frozenset({0})) -> set[str]:
    """Module names imported by ``python -X importtime -m relkit ARGS`` (exit code in ``ok``)."""
    roots = [ROOT / "shared", *ACTION_ROOTS.values()]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(root) for root in roots),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("PYTHONIMPORTTIME", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "relkit", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode in ok, f"relkit {' '.join(args)} exited {result.returncode}"
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    assert "relkit.cli" in names, "the -X importtime output was not parsed"
    return names


def test_top_level_help_imports_nothing_heavy() -> None:
    names = imported_modules("--help")
    heavy = sorted({top(name) for name in names if top(name) in HEAVY})
    assert not heavy, f"relkit --help imports {heavy}; import them inside functions"
    actions = sorted(name for name in names if top(name) in ACTION_PACKAGES)
    assert not actions, f"relkit --help imports action packages {actions}"


@pytest.mark.parametrize("name", sorted({**cli.ACTIONS, **cli.EXTRA}))
def test_action_help_imports_nothing_heavy(name: str) -> None:
    command = cli.ACTIONS.get(name) or cli.EXTRA[name]
    entry = importlib.import_module(command.module)
    # a placeholder (no SPEC yet) answers --help with "not built yet", exit 2
    ok = frozenset({0}) if hasattr(entry, "SPEC") else frozenset({0, 2})
    names = imported_modules(name, "--help", ok=ok)
    heavy = sorted({top(n) for n in names if top(n) in HEAVY})
    assert not heavy, f"relkit {name} --help imports {heavy}; import them inside functions"
    own = command.module.split(".")[0]
    others = sorted(n for n in names if top(n) in ACTION_PACKAGES - {own})
    assert not others, f"relkit {name} --help imports other actions' modules {others}"
