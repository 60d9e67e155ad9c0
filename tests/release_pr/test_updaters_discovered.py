"""Files release-please's node and python strategies find beyond the fixed ones:
``samples/package.json``'s dependency on the package, every ``version.py`` of a python package."""

from __future__ import annotations

import json
from typing import Any

import pytest
from gitrepo import make_git_repo
from release_pr import entry
from release_pr.updaters import package_files
from release_pr.updaters.node import update_samples_package_json
from relkit.core.versions import parse_version

Repo = Any  # the `repo` fixture of conftest.py

V = parse_version("1.3.0")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            '{\n  "dependencies": {\n    "pkg": "^1.2.0",\n    "other": "1.0.0"\n  }\n}\n',
            '{\n  "dependencies": {\n    "pkg": "^1.3.0",\n    "other": "1.0.0"\n  }\n}\n',
            id="bumped",
        ),
        pytest.param(
            '{"dependencies": {"other": "1"}}',
            '{"dependencies": {"other": "1"}}',
            id="no-dependency",
        ),
        pytest.param('{"name": "s"}', '{"name": "s"}', id="no-dependencies"),
    ],
)
def test_samples_package_json(content: str, expected: str) -> None:
    assert update_samples_package_json(content, V, "pkg") == expected


def test_node_finds_samples_package_json_by_the_package_name() -> None:
    files = {"package.json": '{"name": "@scope/pkg", "version": "1.2.0"}'}
    found = package_files("node", None, files.get)
    (samples,) = [(p, u) for p, u in found.files if p == "samples/package.json"]
    sample = '{"dependencies": {"@scope/pkg": "^1.2.0"}}'
    assert json.loads(samples[1](sample, V)) == {"dependencies": {"@scope/pkg": "^1.3.0"}}


def test_python_finds_every_version_py() -> None:
    listing = ("google/api_core/version.py", "setup.py", "docs/version.pyc", "tools/version.py")
    found = package_files("python", None, lambda _: None, lambda: listing)
    assert [p for p, _ in found.files if p.endswith("version.py")] == [
        "google/api_core/version.py",
        "tools/version.py",
    ]


def test_a_dry_run_bumps_the_samples_and_every_version_py(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit(
        "chore: init",
        {
            "package.json": '{"name": "pkg", "version": "1.2.0"}\n',
            "samples/package.json": '{"dependencies": {"pkg": "^1.2.0"}}\n',
        },
    )
    repo.tag("v1.2.0")
    repo.commit("feat: x")
    argv = ["--dry-run", "--json", "--release-type=node", "--repo-url=o/r"]
    assert entry.main([*argv, f"--workspace={repo.path}"], {}) == 0
    data = json.loads(capsys.readouterr().out)
    assert "samples/package.json" in data["pull_requests"][0]["files"]

    py = repo.path / "py"
    make_git_repo(py)
    other = type(repo)(py)
    other.commit("chore: init", {"google/api_core/version.py": '__version__ = "2.0.0"\n'})
    other.tag("v2.0.0")
    other.commit("fix: y")
    argv = ["--dry-run", "--json", "--release-type=python", "--repo-url=o/r"]
    assert entry.main([*argv, f"--workspace={py}"], {}) == 0
    data = json.loads(capsys.readouterr().out)
    assert "google/api_core/version.py" in data["pull_requests"][0]["files"]


@pytest.mark.parametrize(
    ("package_json", "name", "found"),
    [
        pytest.param("{broken", "pkg", ["samples/package.json"], id="broken-json-uses-config-name"),
        pytest.param('{"version": "1.0.0"}', None, [], id="no-name-anywhere"),
        pytest.param("[]", "pkg", ["samples/package.json"], id="not-an-object"),
    ],
)
def test_node_samples_need_a_package_name(
    package_json: str, name: str | None, found: list[str]
) -> None:
    files = {"package.json": package_json}
    step = package_files("node", name, files.get)
    assert [p for p, _ in step.files if p.startswith("samples/")] == found


def test_an_unbuilt_release_type_has_no_version_files() -> None:
    from release_pr.updaters import TypeFiles, no_version_files, type_files  # noqa: PLC0415

    assert no_version_files() == TypeFiles() == type_files("crystal")
