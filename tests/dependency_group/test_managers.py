"""Managers: dependencies and the exact positions of their version text."""

from __future__ import annotations

import pytest
from dependency_group import managers
from dependency_group.edits import EditConflict, apply_updates
from dependency_group.model import Dependency, Update


def _text(content: str, dep: Dependency) -> list[str]:
    return [content[s.start : s.end] for s in dep.spans]


@pytest.mark.parametrize(
    ("path", "manager"),
    [
        pytest.param("requirements.txt", "pip_requirements", id="requirements"),
        pytest.param("sub/requirements-dev.txt", "pip_requirements", id="dev-requirements"),
        pytest.param("pyproject.toml", "pep621", id="pyproject"),
        pytest.param("Dockerfile", "dockerfile", id="dockerfile"),
        pytest.param("web/app.Dockerfile", "dockerfile", id="suffix-dockerfile"),
        pytest.param("web/app.dockerfile", "dockerfile", id="dot-lowercase-dockerfile"),
        pytest.param("Dockerfile.prod", "dockerfile", id="dockerfile-dot"),
        pytest.param("docker-compose.yml", "docker-compose", id="compose"),
        pytest.param("compose.prod.yaml", "docker-compose", id="compose-yaml"),
        pytest.param(".github/workflows/ci.yml", "github-actions", id="workflow"),
        pytest.param("actions/x/action.yml", "github-actions", id="composite-action"),
        pytest.param("dev-requirements.pip", "pip_requirements", id="prefixed-requirements"),
        pytest.param("requirements/base.txt", None, id="requirements-folder"),
        pytest.param("Containerfile", "dockerfile", id="containerfile"),
        pytest.param(".github/actions/setup/action.yml", "github-actions", id="local-action"),
        pytest.param("README.md", None, id="other"),
    ],
)
def test_manager_for(path: str, manager: str | None) -> None:
    assert managers.manager_for(path) == manager


def test_requirements_extras_markers_comments_and_includes() -> None:
    content = (
        "# top\n-r base.txt\n--constraint c.txt\nrequests[socks]==2.31.0 ; python_version<'3.12'"
        "  # pinned\nflask >= 2.0 , < 3\n\nhttps://x.test/a.whl\n-e .\nbare\n"
        "pkg @ https://x.test/p.zip\n"
    )
    deps, includes = managers.extract_requirements(content, "requirements.txt")
    assert includes == ["base.txt", "c.txt"]
    assert [(d.package, d.value, d.skip_reason) for d in deps] == [
        ("requests", "==2.31.0", ""),
        ("flask", ">= 2.0 , < 3", ""),
        ("bare", "", "no version specified"),
        ("pkg", "", "a direct URL reference has no version to update"),
    ]
    assert _text(content, deps[0]) == ["==2.31.0"]
    assert deps[0].line == 4


def test_requirements_skip_comments() -> None:
    content = "six==1.16.0  # renovate: ignore\nidna==3.0 # pyup: ignore\nrich==1.0 # pinned\n"
    deps, _ = managers.extract_requirements(content, "requirements.txt")
    assert [(d.package, bool(d.skip_reason)) for d in deps] == [
        ("six", True), ("idna", True), ("rich", False),
    ]  # fmt: skip


def test_requirements_with_hashes_are_refused_with_a_reason() -> None:
    content = "six==1.16.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\nidna==3.0\n"
    deps, _ = managers.extract_requirements(content, "requirements.txt")
    assert deps[0].package == "six"
    assert "--hash" in deps[0].skip_reason
    assert deps[1].package == "idna"
    assert not deps[1].skip_reason
    assert _text(content, deps[1]) == ["==3.0"]


PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]

[project]
name = "x"
dependencies = [
  "click==8.1.0",
  'attrs>=22.1',
  "x-extra[a,b]==1.0; python_version >= '3.11'",
]

[project.optional-dependencies]
test = ["pytest==7.4.0"]

[dependency-groups]
lint = ["ruff==0.5.0", {include-group = "test"}]

[tool.poetry.dependencies]
python = "^3.11"
requests = "^2.31"
rich = { version = "~13.7", extras = ["jupyter"], optional = true }
local = { path = "../local" }
anything = "*"

[tool.poetry.group.test.dependencies]
"pytest-cov" = '4.1.0'
"""


def test_pyproject_is_poetry_without_a_pep621_lock() -> None:
    deps = managers.extract_pyproject(PYPROJECT, "pyproject.toml")
    found = [(d.manager, d.package, d.dep_type, d.value, d.skip_reason) for d in deps]
    assert found == [
        ("poetry", "click", "project.dependencies", "==8.1.0", ""),
        ("poetry", "attrs", "project.dependencies", ">=22.1", ""),
        ("poetry", "x-extra", "project.dependencies", "==1.0", ""),
        ("poetry", "pytest", "project.optional-dependencies", "==7.4.0", ""),
        ("poetry", "ruff", "dependency-groups", "==0.5.0", ""),
        ("poetry", "python", "dependencies", "^3.11",
         "the Python constraint follows Python releases, not PyPI"),
        ("poetry", "requests", "dependencies", "^2.31", ""),
        ("poetry", "rich", "extras", "~13.7", ""),
        ("poetry", "local", "dependencies", "",
         "a path, git or url dependency has no version to update"),
        ("poetry", "anything", "dependencies", "*", "no version constraint ('*')"),
        ("poetry", "pytest-cov", "test", "4.1.0", ""),
    ]  # fmt: skip
    assert [_text(PYPROJECT, d) for d in deps[6:8]] == [["^2.31"], ["~13.7"]]
    assert _text(PYPROJECT, deps[-1]) == ["4.1.0"]
    assert {d.versioning for d in deps[5:]} == {"poetry"}
    assert [_text(PYPROJECT, d) for d in deps[:4]] == [["==8.1.0"], [">=22.1"], ["==1.0"],
                                                       ["==7.4.0"]]  # fmt: skip


def test_pyproject_with_uv_lock_is_pep621_with_dependency_groups() -> None:
    deps = managers.extract_pyproject(PYPROJECT, "pyproject.toml", has_pep621_lock=True)
    assert {d.manager for d in deps} == {"pep621"}
    assert [(d.package, d.dep_type) for d in deps] == [
        ("click", "project.dependencies"),
        ("attrs", "project.dependencies"),
        ("x-extra", "project.dependencies"),
        ("pytest", "project.optional-dependencies"),
        ("ruff", "dependency-groups"),
        ("setuptools", "build-system.requires"),
    ]
    assert _text(PYPROJECT, deps[-1]) == [">=77"]


def test_pyproject_without_poetry_dependencies_is_pep621() -> None:
    content = '[build-system]\nrequires = ["hatchling==1.0"]\n'
    deps = managers.extract_pyproject(content, "pyproject.toml")
    assert [(d.manager, d.package, d.dep_type) for d in deps] == [
        ("pep621", "hatchling", "build-system.requires")
    ]


DOCKERFILE = """\
ARG BASE=python:3.11.4-slim
FROM --platform=$BUILDPLATFORM ${BASE} AS build
FROM build AS test
FROM scratch AS empty
FROM ghcr.io/owner/tool:1.2.3@sha256:{d} AS tool
from localhost:5000/team/app:2.0
FROM $UNKNOWN
FROM alpine
"""


def test_dockerfile_stages_args_platform_digests() -> None:
    content = DOCKERFILE.replace("{d}", "a" * 64)
    deps = managers.extract_dockerfile(content, "Dockerfile")
    found = [(d.package, d.registry, d.lookup_name, d.value, d.dep_type, d.skip_reason[:10])
             for d in deps]  # fmt: skip
    assert found == [
        ("python", "", "library/python", "3.11.4-slim", "stage", ""),
        ("ghcr.io/owner/tool", "ghcr.io", "owner/tool", "1.2.3", "stage", ""),
        ("localhost:5000/team/app", "localhost:5000", "team/app", "2.0", "stage", ""),
        ("$UNKNOWN", "", "library/$UNKNOWN", "", "stage", "the image "),
        ("alpine", "", "library/alpine", "", "final", "no tag: pi"),
    ]
    assert _text(content, deps[0]) == ["3.11.4-slim"]  # edited in the ARG line
    assert deps[0].line == 1
    assert _text(content, deps[1]) == ["1.2.3", "sha256:" + "a" * 64]
    assert deps[1].current == "1.2.3@sha256:" + "a" * 64


def test_compose_images() -> None:
    content = (
        "services:\n  db:\n    image: 'postgres:16.1'\n  web:\n    image: docker.io/nginx:1.25\n"
    )
    deps = managers.extract_compose(content, "compose.yml")
    assert [(d.package, d.lookup_name, d.value) for d in deps] == [
        ("postgres", "library/postgres", "16.1"),
        ("docker.io/nginx", "library/nginx", "1.25"),
    ]


WORKFLOW = """\
jobs:
  a:
    runs-on: ubuntu-22.04
    steps:
      - uses: actions/checkout@v3
      - uses: "github/codeql-action/init@v3.1.0"
      - uses: docker/login-action@{sha} # v2.2.0
      - uses: owner/pinned@{sha}
      - uses: ./local
      - uses: docker://alpine:3.18
  b:
    runs-on: ubuntu-latest
  c:
    runs-on: windows-2022
"""


def test_workflow_uses_runners_and_docker_steps() -> None:
    content = WORKFLOW.replace("{sha}", "b" * 40)
    deps = managers.extract_workflow(content, ".github/workflows/ci.yml")
    found = [(d.package, d.datasource, d.dep_type, d.current, bool(d.skip_reason)) for d in deps]
    assert found == [
        ("actions/checkout", "github-tags", "action", "v3", False),
        ("github/codeql-action", "github-tags", "action", "v3.1.0", False),
        ("docker/login-action", "github-tags", "action", "v2.2.0@" + "b" * 40, False),
        ("owner/pinned", "github-tags", "action", "@" + "b" * 40, True),
        ("alpine", "docker", "docker", "3.18", False),
        ("ubuntu", "github-runners", "github-runner", "22.04", False),
        ("ubuntu", "github-runners", "github-runner", "latest", True),
        ("windows", "github-runners", "github-runner", "2022", False),
    ]
    login = deps[2]
    assert _text(content, login) == ["b" * 40, "v2.2.0"]


def test_workflow_container_and_service_images() -> None:
    content = (
        "jobs:\n  a:\n    container: node:20.1\n    services:\n      db:\n"
        "        image: 'postgres:16.1'\n      cache:\n        image: ${{ matrix.img }}\n"
        '  b:\n    container:\n      image: "python:3.12.1"\n      options: --cpus 1\n'
        "    steps:\n      - run: echo\n  c: oops\n"
    )
    deps = managers.extract_workflow(content, ".github/workflows/ci.yml")
    found = [(d.package, d.dep_type, d.value) for d in deps]
    assert found == [
        ("node", "container", "20.1"),
        ("postgres", "service", "16.1"),
        ("python", "container", "3.12.1"),
    ]
    assert [_text(content, d) for d in deps] == [["20.1"], ["16.1"], ["3.12.1"]]
    assert managers.extract_workflow("jobs: [\n", "x.yml") == []
    assert managers.extract_workflow("- a\n", "x.yml") == []


def test_edits_change_only_the_version_text() -> None:
    content = WORKFLOW.replace("{sha}", "b" * 40)
    deps = managers.extract_workflow(content, ".github/workflows/ci.yml")
    login, runner = deps[2], deps[5]
    updated = apply_updates(
        content,
        [
            Update(login, "major", "v3.3.0", "c" * 40, "v3.3.0", 3),
            Update(runner, "major", "26.04", "", "26.04", 26),
        ],
    )
    assert f"docker/login-action@{'c' * 40} # v3.3.0\n" in updated
    assert "runs-on: ubuntu-26.04\n" in updated
    assert (
        updated.replace("c" * 40, "b" * 40).replace("v3.3.0", "v2.2.0").replace("26.04", "22.04")
        == content
    )


def test_edits_refuse_a_changed_file() -> None:
    content = "requests==2.31.0\n"
    dep = managers.extract_requirements(content, "requirements.txt")[0][0]
    with pytest.raises(EditConflict, match=r"expected '==2\.31\.0'"):
        apply_updates("requests==2.32.0\n", [Update(dep, "minor", "==2.34.2")])
