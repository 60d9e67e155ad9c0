"""The image contract, checked without a Docker engine.

Statically: the Dockerfile's instructions (a pinned slim base as the ``BASE`` build argument, a
build stage whose venv alone is copied out, git without recommends, perl parts and apt lists, a
non-editable install without dev extras or pip cache, ``PYTHONUNBUFFERED=1``, an absolute
exec-form ``ENTRYPOINT`` that is the console script pyproject declares, no ``USER``, no
``WORKDIR``) and what ``.dockerignore`` lets into the build context. The image itself is built
and run in tests/container/.

On the host: the ``relkit`` console script run the way the runner runs the image (entrypoint plus
``runs.args``, only the runner's variables, ``INPUT_*`` defaults), through ``tests/harness.py``.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = "/opt/relkit/bin/relkit"
VENV = "/opt/relkit"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with comments dropped and continuations joined."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        result.append((keyword.upper(), " ".join(rest.split())))
    assert not pending, "the Dockerfile ends inside a line continuation"
    return result


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))


def values(dockerfile: list[tuple[str, str]], keyword: str) -> list[str]:
    return [rest for key, rest in dockerfile if key == keyword]


def test_instruction_parser() -> None:
    text = "# c\nFROM a:1\nRUN x \\\n    && y\n\nENV A=1\n"
    assert instructions(text) == [("FROM", "a:1"), ("RUN", "x && y"), ("ENV", "A=1")]


def stages(dockerfile: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The instructions of each ``FROM`` stage (the global ``ARG``s before the first excluded)."""
    result: list[list[tuple[str, str]]] = []
    for key, rest in dockerfile:
        if key == "FROM":
            result.append([])
        if result:
            result[-1].append((key, rest))
    return result


def test_base_image_is_a_pinned_slim_python_build_argument(
    dockerfile: list[tuple[str, str]],
) -> None:
    head = dockerfile[: [key for key, _ in dockerfile].index("FROM")]
    args = dict(rest.partition("=")[::2] for key, rest in head if key == "ARG")
    assert "BASE" in args, "the base is a global ARG BASE, so tests can build on a local base"
    match = re.fullmatch(
        r"python:(\d+)\.(\d+)\.(\d+)-slim-(bookworm|trixie)(@sha256:[0-9a-f]{64})?", args["BASE"]
    )
    assert match, f"base image {args['BASE']!r} must be python:X.Y.Z-slim-<debian>[@sha256:…]"
    assert (int(match.group(1)), int(match.group(2))) >= (3, 11), "requires-python is >= 3.11"
    froms = [rest.split()[0] for rest in values(dockerfile, "FROM")]
    assert froms == ["${BASE}", "${BASE}"], f"a build stage and the image, both on BASE: {froms}"


def test_only_the_venv_leaves_the_build_stage(dockerfile: list[tuple[str, str]]) -> None:
    build, image = stages(dockerfile)
    assert values(build, "FROM")[0].split()[-1] == "build"
    assert values(image, "COPY") == [f"--from=build {VENV} {VENV}"]
    assert not [run for run in values(image, "RUN") if "pip" in run], "no pip run in the image"


def test_git_is_installed_lean(dockerfile: list[tuple[str, str]]) -> None:
    _, image = stages(dockerfile)
    apt = [run for run in values(image, "RUN") if "apt-get install" in run]
    assert len(apt) == 1, "install system packages in one RUN"
    run = apt[0]
    assert re.search(r"apt-get install -y --no-install-recommends git( |$)", run), run
    assert "apt-get update" in run, "update and install in the same layer"
    assert "rm -rf /var/lib/apt/lists/*" in run, "remove the apt lists in the same layer"
    purge = re.search(r"dpkg --purge --force-depends ([^&]+)", run)
    assert purge, "git's perl parts are purged in the same layer"
    assert {"perl", "git-man", "liberror-perl"} <= set(purge.group(1).split())
    assert "apt-get clean" in run, "no downloaded packages left in the layer"


def test_project_is_installed_like_a_user_would(dockerfile: list[tuple[str, str]]) -> None:
    build, _ = stages(dockerfile)
    pip = [run for run in values(build, "RUN") if "pip --python" in run]
    assert len(pip) == 1, pip
    run = pip[0]
    assert f"venv --without-pip {VENV}" in run
    assert "--no-cache-dir" in run
    assert not re.search(r"(^| )(-e|--editable)( |$)", run), "no editable install in the image"
    assert "[dev]" not in run, "no dev extras in the image"
    assert "pack_schemas.py" in run, "kubernetes-validate's schemas are packed"
    assert "strip --strip-unneeded" in run, "extension modules without debug symbols"


def test_sources_of_every_package_root_are_copied(dockerfile: list[tuple[str, str]]) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    roots = pyproject["tool"]["setuptools"]["packages"]["find"]["where"]
    copied = [
        arg
        for rest in values(dockerfile, "COPY")
        if not rest.startswith("--from=")
        for arg in rest.split()[:-1]
    ]
    for root in roots:
        assert any(root == src or root.startswith(src.rstrip("/") + "/") for src in copied), (
            f"package root {root!r} is not copied into the image"
        )
    for needed in ("pyproject.toml", "README.md", "scripts/pack_schemas.py"):
        assert needed in copied


def test_runtime_contract(dockerfile: list[tuple[str, str]]) -> None:
    assert not values(dockerfile, "USER"), "the runner needs root: no USER"
    assert not values(dockerfile, "WORKDIR"), "the runner overrides WORKDIR: do not rely on it"
    envs = " ".join(values(dockerfile, "ENV")).split()
    assert "PYTHONUNBUFFERED=1" in envs, "workflow commands must not be buffered"
    assert f"PATH={VENV}/bin:$PATH" in envs, "relkit's venv first on PATH"
    entry = values(dockerfile, "ENTRYPOINT")
    assert len(entry) == 1
    assert json.loads(entry[0]) == [ENTRYPOINT], "exec form, absolute path to the console script"
    assert not values(dockerfile, "CMD"), "runs.args selects the action; no CMD"


def test_entrypoint_is_the_declared_console_script() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"][Path(ENTRYPOINT).name] == "relkit.cli:console"


# --- .dockerignore ---------------------------------------------------------------------------


def ignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    patterns = []
    for raw in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        regex = ""
        for part in re.split(r"(\*\*/?|\*|\?)", pattern):
            if part in {"**", "**/"}:
                regex += "(.*/)?" if part == "**/" else ".*"
            elif part == "*":
                regex += "[^/]*"
            elif part == "?":
                regex += "[^/]"
            else:
                regex += re.escape(part)
        patterns.append((negated, re.compile(regex)))
    return patterns


def ignored(path: str) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    verdict = False
    for negated, regex in ignore_patterns():
        if any(regex.fullmatch(candidate) for candidate in candidates):
            verdict = not negated
    return verdict


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        pytest.param(".git/HEAD", True, id="git"),
        pytest.param(".venv/bin/python", True, id="venv"),
        pytest.param("tests/test_docker.py", True, id="tests"),
        pytest.param("bench/startup.py", True, id="bench"),
        pytest.param("shared/relkit/__pycache__/cli.cpython-312.pyc", True, id="pycache"),
        pytest.param("shared/relkit.egg-info/PKG-INFO", True, id="egg-info"),
        pytest.param("pyproject.toml", False, id="pyproject"),
        pytest.param("README.md", False, id="readme"),
        pytest.param("shared/relkit/cli.py", False, id="library"),
        pytest.param("actions/commit-lint/commit_lint/entry.py", False, id="action"),
        pytest.param("scripts/pack_schemas.py", False, id="pack-schemas"),
        pytest.param("scripts/demo.py", True, id="other-scripts"),
    ],
)
def test_build_context(path: str, excluded: bool) -> None:
    assert ignored(path) is excluded
